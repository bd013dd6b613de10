package io.omicsbatch.batch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a batch forward once its runs allow: SUBMITTING → INPROGRESS when every submission is decided, INPROGRESS
 * → PROCESSED when every run is settled, the results manifest written first; a cancelled batch STOPPING → CANCELLED
 * likewise. Safe to call any number of times,
 * concurrently: the manifest is the same whoever writes it, and the transition is conditional.
 */
public final class BatchCompletion {

    private static final Logger LOG = LoggerFactory.getLogger(BatchCompletion.class);

    private final BatchStore batches;
    private final RunStore runs;
    private final ObjectStore objects;

    public BatchCompletion(BatchStore batches, RunStore runs, ObjectStore objects) {
        this.batches = batches;
        this.runs = runs;
        this.objects = objects;
    }

    /** Returns the batch's status after the check. */
    public BatchStatus check(String batchId) {
        BatchRecord batch = batches.get(batchId).orElse(null);
        if (batch == null) {
            return null;
        }
        if (batch.status() == BatchStatus.SUBMITTING && batch.expansionComplete()
                && batch.count("pendingStartSubmissionCount") == 0) {
            batches.markInProgressIfAllSubmitted(batchId);
            batch = batches.get(batchId).orElseThrow();
        }
        if (batch.status() == BatchStatus.STOPPING && batch.allRunsSettled()) {
            long rows = writeManifest(batch);
            if (batches.markCancelled(batchId)) {
                LOG.info("batch {} CANCELLED; results manifest of {} runs written", batchId, rows);
                return BatchStatus.CANCELLED;
            }
            return batches.get(batchId).map(BatchRecord::status).orElse(null);
        }
        if (batch.status() != BatchStatus.INPROGRESS || !batch.allRunsSettled()) {
            return batch.status();
        }
        long rows = writeManifest(batch);
        if (batches.markProcessed(batchId)) {
            LOG.info("batch {} PROCESSED; results manifest of {} runs written", batchId, rows);
            return BatchStatus.PROCESSED;
        }
        return batches.get(batchId).map(BatchRecord::status).orElse(null);
    }

    /** Writes results/&lt;batchId&gt;/runs.csv and runs.json; returns the number of rows. */
    public long writeManifest(BatchRecord batch) {
        ResultsManifest manifest = new ResultsManifest(batch);
        runs.forEachRun(batch.batchId(), manifest::add);
        String bucket = batch.settingsObject().bucket();
        byte[] json = manifest.json();
        objects.put(bucket, ResultsManifest.key(batch.batchId(), "runs.csv"), manifest.csv(), "text/csv; charset=utf-8");
        objects.put(bucket, ResultsManifest.key(batch.batchId(), "runs.json"), json, "application/json");
        return manifest.rows();
    }
}
