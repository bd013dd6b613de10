package io.omicsbatch.batch;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The runs table. A run's submission outcome or status change and its batch's counters change together (one
 * transaction) and only from the state the caller observed, so every count is exact however often, in whatever
 * order and however concurrently the same facts arrive.
 */
public interface RunStore {

    /**
     * Writes run records with submission PENDING, each only if the run has no record yet: a record, once written,
     * belongs to the submit and status functions, so a resumed or repeated expansion never resets an outcome.
     *
     * @return the runSettingIds among {@code runs} whose existing record is no longer PENDING (their messages need
     *         not be sent again)
     */
    java.util.Set<String> createPending(List<RunRecord> runs);

    /**
     * Writes pending records of runs that never had one (past the batch's {@code recordsWrittenUpTo} mark, written by
     * the lease holder alone): no condition is needed, so the cheaper unconditional batch write is used.
     */
    void createFresh(List<RunRecord> runs);

    Optional<RunRecord> get(String batchId, String runSettingId);

    /** PENDING → SUCCESS with the run's ids and status; counts the submission. False if already decided. */
    boolean recordSubmitted(String batchId, String runSettingId, StartedRun run);

    /** PENDING → FAILED with the exception name and message; counts the submission. False if already decided. */
    boolean recordSubmissionFailed(String batchId, String runSettingId, String reason, String message);

    /** Counts one more StartRun attempt that ended in a retryable error; returns the attempts so far. */
    int recordAttempt(String batchId, String runSettingId, String lastError);

    /** The run's message was sent again (a wait): moves {@code queuedAt} forward. */
    void recordRequeued(String batchId, String runSettingId);

    /** The record of the run with this uuid (an index lookup: may lag a just-written record). */
    Optional<RunRecord> findByUuid(String uuid);

    /**
     * Applies a status change to the run exactly as {@code observed}: the record (submission status and run status)
     * must still be as observed, and the batch's counters move with it. A run whose submission was not yet recorded
     * (or recorded FAILED although the run exists) becomes a successful submission.
     *
     * @return false if the record changed since it was observed (read it again and decide again)
     */
    boolean applyChange(RunRecord observed, RunChange change);

    /** Every run of the batch, in runSettingId order, read consistently page by page. */
    void forEachRun(String batchId, Consumer<RunRecord> action);

    /**
     * The batch's runs that are not settled: submission PENDING, or submitted and not terminal, neither updated
     * nor checked since {@code before}.
     */
    List<RunRecord> unsettledRuns(String batchId, Instant before);

    /** The reconciler read the run and found nothing new: it is not due again for a while. */
    void recordChecked(String batchId, String runSettingId);

    /**
     * Claims a PENDING run for its StartRun, in one transaction with a check that the batch is SUBMITTING: once a
     * cancel is recorded no claim succeeds, so no StartRun leaves after it but those claimed before. A claim may be
     * repeated (a redelivered message).
     *
     * @return false if the batch no longer accepts submissions or the run's submission is already decided
     */
    boolean claimSubmission(String batchId, String runSettingId);

    /**
     * Records the outcome of the run's CancelRun (CANCEL_SUCCESS or CANCEL_FAILED, with the error's name) and counts
     * it in successfulCancelSubmissionCount or failedCancelSubmissionCount, once: false if already recorded.
     */
    boolean recordCancelOutcome(String batchId, String runSettingId, boolean cancelled, String error);

    /** As {@link #recordCancelOutcome}, for DeleteRun: DELETE_SUCCESS or DELETE_FAILED, counted once. */
    boolean recordDeleteOutcome(String batchId, String runSettingId, boolean deleted, String error);

    /** Removes every run record of the batch (DeleteBatch); returns how many were removed. */
    long deleteAll(String batchId);
}
