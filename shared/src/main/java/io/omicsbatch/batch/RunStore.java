package io.omicsbatch.batch;

import java.util.List;
import java.util.Optional;

/**
 * The runs table. A run's submission outcome and its batch's counters change together (one transaction)
 * and only from PENDING, so every count is exact however often a message is delivered.
 */
public interface RunStore {

    /**
     * Writes run records with submission PENDING. Only ever called for runs whose messages were not sent yet,
     * so overwriting a record written by an interrupted earlier attempt is safe.
     */
    void putPending(List<RunRecord> runs);

    Optional<RunRecord> get(String batchId, String runSettingId);

    /** PENDING → SUCCESS with the run's ids and status; counts the submission. False if already decided. */
    boolean recordSubmitted(String batchId, String runSettingId, StartedRun run);

    /** PENDING → FAILED with the exception name and message; counts the submission. False if already decided. */
    boolean recordSubmissionFailed(String batchId, String runSettingId, String reason, String message);

    /** Counts one more StartRun attempt that ended in a retryable error; returns the attempts so far. */
    int recordAttempt(String batchId, String runSettingId, String lastError);
}
