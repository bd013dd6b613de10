package io.omicsbatch.batch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a batch forward once its runs allow: SUBMITTING → INPROGRESS when every submission is decided, INPROGRESS
 * → PROCESSED when every run is settled, the results manifest and the report page written first; a cancelled batch
 * STOPPING → CANCELLED likewise. Safe to call any number of times, concurrently: the manifest and the page are the
 * same whoever writes them, and the transition is conditional.
 */
public final class BatchCompletion {

    private static final Logger LOG = LoggerFactory.getLogger(BatchCompletion.class);

    private final BatchStore batches;
    private final RunStore runs;
    private final ObjectStore objects;
    private final double startRunTps;

    /** Without the StartRun rate: the report page draws no quota line. */
    public BatchCompletion(BatchStore batches, RunStore runs, ObjectStore objects) {
        this(batches, runs, objects, Double.NaN);
    }

    /** @param startRunTps the StartRun rate the submit function paces to, the report page's quota line */
    public BatchCompletion(BatchStore batches, RunStore runs, ObjectStore objects, double startRunTps) {
        this.batches = batches;
        this.runs = runs;
        this.objects = objects;
        this.startRunTps = startRunTps;
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

    /**
     * Writes the manifest of a PROCESSED batch again, after a run's outcome was learned late: the run had been
     * recorded DELETED (deleted before its terminal event came) when the batch was processed.
     */
    public void rewriteManifestIfProcessed(String batchId) {
        batches.get(batchId).filter(batch -> batch.status() == BatchStatus.PROCESSED).ifPresent(batch -> {
            long rows = writeManifest(batch);
            LOG.info("batch {}: results manifest of {} runs written again (an outcome learned late)", batchId, rows);
        });
    }

    /**
     * Writes results/&lt;batchId&gt;/runs.csv, runs.json and report.html from one pass over the runs; returns the
     * number of rows. The page goes last: a batch whose page was written has its manifest too.
     */
    public long writeManifest(BatchRecord batch) {
        ResultsManifest manifest = new ResultsManifest(batch);
        BatchReportPage page = new BatchReportPage(batch, startRunTps);
        runs.forEachRun(batch.batchId(), run -> {
            manifest.add(run);
            page.add(run);
        });
        String bucket = batch.settingsObject().bucket();
        byte[] json = manifest.json();
        objects.put(bucket, ResultsManifest.key(batch.batchId(), "runs.csv"), manifest.csv(), "text/csv; charset=utf-8");
        objects.put(bucket, ResultsManifest.key(batch.batchId(), "runs.json"), json, "application/json");
        objects.put(bucket, ResultsManifest.key(batch.batchId(), BatchReportPage.FILE_NAME), page.html(),
                BatchReportPage.CONTENT_TYPE);
        return manifest.rows();
    }
}
