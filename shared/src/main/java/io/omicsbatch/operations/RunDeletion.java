package io.omicsbatch.operations;

import io.omicsbatch.batch.BatchRecord;
import io.omicsbatch.batch.BatchStatus;
import io.omicsbatch.batch.BatchStore;
import io.omicsbatch.batch.RunRecord;
import io.omicsbatch.batch.RunStatus;
import io.omicsbatch.batch.RunStore;
import java.util.Optional;
import io.omicsbatch.batch.RunDetails;
import io.omicsbatch.batch.RunReader;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DeleteRunBatch: PROCESSED or CANCELLED → RUNS_DELETING, then DeleteRun for each run that was started, paced, its
 * outcome (DELETE_SUCCESS or DELETE_FAILED) recorded and counted once; then RUNS_DELETED if every DeleteRun
 * succeeded, else RUNS_DELETE_FAILED. A run already DELETED (retention mode REMOVE) needs no call and counts as
 * deleted.
 */
public final class RunDeletion {

    private static final Logger LOG = LoggerFactory.getLogger(RunDeletion.class);

    private final BatchStore batches;
    private final RunStore runs;
    private final RunControl control;
    private final RunReader reader;
    private final PacedRunControl paced;

    RunDeletion(BatchStore batches, RunStore runs, RunControl control, RunReader reader, PacedRunControl paced) {
        this.batches = batches;
        this.runs = runs;
        this.control = control;
        this.reader = reader;
        this.paced = paced;
    }

    /**
     * Whether the run is already gone: recorded DELETED, unknown to HealthOmics, or its id now names another run.
     * Run ids are reused once a run is deleted (retention mode REMOVE), and DeleteRun takes only the id: without this
     * check a stale id would delete someone else's run, which no IAM policy on run ARNs can tell apart.
     */
    private boolean alreadyGone(RunRecord run) {
        if (run.status() == RunStatus.DELETED) {
            return true;
        }
        Optional<RunDetails> now = reader.getRun(run.runId());
        return now.isEmpty() || (run.uuid() != null && now.get().uuid() != null && !run.uuid().equals(now.get().uuid()));
    }

    public OperationResult deleteRuns(String batchId, BooleanSupplier hasTime) throws InterruptedException {
        BatchRecord batch = batches.get(batchId).orElse(null);
        if (batch == null) {
            return OperationResult.refused(batchId, "there is no batch " + batchId);
        }
        if (batch.status().allowsRunDeletion() && batches.markRunsDeleting(batchId)) {
            LOG.info("batch {}: {} -> RUNS_DELETING", batchId, batch.status());
        }
        batch = batches.get(batchId).orElseThrow();
        if (batch.status() == BatchStatus.RUNS_DELETED || batch.status() == BatchStatus.RUNS_DELETE_FAILED) {
            return OperationResult.done(batchId, batch.status().name());
        }
        if (batch.status() != BatchStatus.RUNS_DELETING) {
            return OperationResult.refused(batchId, "the batch is " + batch.status()
                    + "; DeleteRunBatch needs a batch PROCESSED or CANCELLED");
        }
        long[] tally = new long[2];
        boolean[] outOfTime = {false};
        InterruptedException[] interrupted = {null};
        runs.forEachRun(batchId, run -> {
            if (outOfTime[0] || interrupted[0] != null || run.runId() == null || run.deleteStatus() != null) {
                return;
            }
            if (!hasTime.getAsBoolean()) {
                outOfTime[0] = true;
                return;
            }
            try {
                String error = alreadyGone(run) ? null : paced.call(control::deleteRun, run.runId());
                if ("ResourceNotFoundException".equals(error)) {
                    error = null; // deleted meanwhile (retention mode REMOVE): what was asked is done
                }
                if (runs.recordDeleteOutcome(batchId, run.runSettingId(), error == null, error)) {
                    tally[error == null ? 0 : 1]++;
                    if (error != null) {
                        LOG.warn("batch {}: DeleteRun of run {} failed: {}", batchId, run.runId(), error);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                interrupted[0] = e;
            }
        });
        if (interrupted[0] != null) {
            throw interrupted[0];
        }
        if (outOfTime[0]) {
            return OperationResult.continueAfter(batchId, "out of time; the deletion goes on", Duration.ZERO);
        }
        BatchRecord swept = batches.get(batchId).orElseThrow();
        boolean everyRunDeleted = swept.count("failedDeleteSubmissionCount") == 0;
        batches.markRunsDeleted(batchId, everyRunDeleted);
        LOG.info("batch {}: runs deleted ({} now, {} failed now); {}", batchId, tally[0], tally[1],
                everyRunDeleted ? BatchStatus.RUNS_DELETED : BatchStatus.RUNS_DELETE_FAILED);
        return OperationResult.done(batchId, (everyRunDeleted ? BatchStatus.RUNS_DELETED : BatchStatus.RUNS_DELETE_FAILED).name());
    }
}
