package io.omicsbatch.batch;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The batches table. Every change is conditional on the status it expects, so concurrent or repeated
 * deliveries of the same notification cannot move a batch twice; methods answer whether they changed it.
 */
public interface BatchStore {

    /** Creates the record in CREATING unless one exists for the batch id; returns the stored record. */
    BatchRecord createIfAbsent(BatchRecord initial);

    Optional<BatchRecord> get(String batchId);

    /** CREATING → PENDING once the document (and runs file) are valid, fixing the run count and the runs file ETag. */
    boolean markPending(String batchId, int totalRuns, String runsFileETag);

    /** PENDING → SUBMITTING: expansion starts, every run's submission is pending. */
    boolean markSubmitting(String batchId);

    /** Any of {@code from} → FAILED, with the reason, a message and the first errors. */
    boolean markFailed(String batchId, List<BatchStatus> from, String reason, String message,
                       List<BatchRecord.ErrorEntry> errors, long errorCount);

    /**
     * Takes the expansion lease of a SUBMITTING batch whose expansion is not complete, if no other invocation holds
     * it (a lease ends at {@code until}, so a crashed holder's lease lapses by itself). The holder alone moves the
     * checkpoint, so two deliveries of one notification never expand a batch at once.
     */
    boolean acquireExpansionLease(String batchId, String owner, Instant until);

    /**
     * Records, before a chunk's run records are written, that records up to {@code upTo} may exist (the mark only
     * grows), while {@code owner} holds the lease; false if the lease was lost. Runs past the mark never had a record,
     * so their records can be written without a condition.
     */
    boolean markRecordsWriting(String batchId, String owner, long upTo);

    /**
     * Advances the expansion checkpoint (never backwards) while {@code owner} holds the lease, and extends it to
     * {@code until}; false if the lease was lost (another invocation took over: stop expanding).
     */
    boolean saveCheckpoint(String batchId, String owner, long expandedRuns, Instant until);

    /**
     * Marks the expansion finished (every run has its record and its message) and gives the lease up; false if
     * {@code owner} no longer holds the lease.
     */
    boolean markExpansionComplete(String batchId, String owner, long expandedRuns);

    /** Gives the lease up early (time ran out, or the expansion failed), so the next delivery need not wait. */
    void releaseExpansionLease(String batchId, String owner);

    /**
     * The reconciler restarts a stalled intake: counts the restart and touches {@code updatedTime}, unless the batch
     * changed since {@code observed} was read (then it is not stalled).
     */
    boolean recordIntakeResume(BatchRecord observed);

    /** SUBMITTING → INPROGRESS when the expansion is complete and no submission is pending. */
    boolean markInProgressIfAllSubmitted(String batchId);

    /**
     * INPROGRESS → PROCESSED when no submission is pending and no run is in a non-terminal status (the results
     * manifest is written before).
     */
    boolean markProcessed(String batchId);

    /**
     * Every transition above also records its status as not yet announced; this clears it once its batch event
     * was published.
     */
    void markAnnounced(String batchId, BatchStatus status);

    /**
     * Batches that may still need work: not in a final status (PROCESSED, FAILED, CANCELLED, RUNS_DELETED,
     * RUNS_DELETE_FAILED), or with a status not yet announced.
     */
    List<BatchRecord> listUnfinished();

    /**
     * CancelRunBatch: PENDING, SUBMITTING or INPROGRESS → STOPPING. From PENDING the submission counters start as
     * {@link #markSubmitting} starts them: the expansion still gives every run setting its record (and its final,
     * not-submitted state).
     */
    boolean markStopping(String batchId);

    /** STOPPING → CANCELLED once expanded, no submission pending and no run in a non-terminal status. */
    boolean markCancelled(String batchId);

    /** DeleteRunBatch: PROCESSED or CANCELLED → RUNS_DELETING. */
    boolean markRunsDeleting(String batchId);

    /** RUNS_DELETING → RUNS_DELETED when every DeleteRun succeeded, else RUNS_DELETE_FAILED. */
    boolean markRunsDeleted(String batchId, boolean everyRunDeleted);

    /** DeleteBatch: removes the batch item if its status is terminal ({@link BatchStatus#isTerminal()}). */
    boolean deleteIfTerminal(String batchId);

    /** Adds {@code resubmitBatchId} to the batch's lineage (the batches resubmitted from it); at most once. */
    void recordResubmittedAs(String batchId, String resubmitBatchId);

    /**
     * ListBatch: one page of batches, newest first ({@link BatchListing}), filtered by status and name. A page examines
     * at most {@code maxResults} batches from where the previous one stopped, so a filtered page may hold fewer (even
     * none) and still have a next token; following the tokens visits every batch once.
     *
     * @throws IllegalArgumentException if the query's nextToken is not one a page gave
     */
    BatchPage list(BatchQuery query);

    /**
     * ListBatch's filters and paging. {@code status} and {@code name} (exact) are optional; {@code nextToken} is the
     * previous page's.
     */
    record BatchQuery(BatchStatus status, String name, int maxResults, String nextToken) {
        public BatchQuery {
            if (maxResults < 1 || maxResults > 100) {
                throw new IllegalArgumentException("maxResults must be within 1..100, not " + maxResults);
            }
        }
    }

    /** One page; {@code nextToken} null on the last. */
    record BatchPage(List<BatchRecord> batches, String nextToken) {}
}
