package io.omicsbatch.operations;

import io.omicsbatch.batch.BatchRecord;
import io.omicsbatch.batch.BatchStore;
import io.omicsbatch.batch.RunStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DeleteBatch, from a terminal status: the run records go first, then the batch record (a crash between them leaves
 * a batch without runs, which the redelivered request deletes). The settings document, the manifests and the reports
 * stay in S3.
 */
public final class BatchDeletion {

    private static final Logger LOG = LoggerFactory.getLogger(BatchDeletion.class);

    private final BatchStore batches;
    private final RunStore runs;

    BatchDeletion(BatchStore batches, RunStore runs) {
        this.batches = batches;
        this.runs = runs;
    }

    public OperationResult delete(String batchId) {
        BatchRecord batch = batches.get(batchId).orElse(null);
        if (batch == null) {
            // Deleted by an earlier delivery of this request, or never there: either way there is nothing to delete.
            return OperationResult.done(batchId, "no such batch");
        }
        if (!batch.status().isTerminal()) {
            return OperationResult.refused(batchId, "the batch is " + batch.status() + "; DeleteBatch needs a batch "
                    + "PROCESSED, FAILED, CANCELLED, RUNS_DELETED or RUNS_DELETE_FAILED");
        }
        long removed = runs.deleteAll(batchId);
        if (!batches.deleteIfTerminal(batchId)) {
            throw new IllegalStateException("batch " + batchId + " changed while it was deleted; the request is retried");
        }
        LOG.info("batch {} deleted with {} run records", batchId, removed);
        return OperationResult.done(batchId, "deleted");
    }
}
