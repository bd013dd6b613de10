package io.omicsbatch.batch;

import java.time.Instant;

/**
 * The run item: one per run setting of a batch, written (submission PENDING) before its run message is
 * sent, then completed by the submit function and the status function.
 *
 * <p>{@code queuedAt} is a lower bound of when the run's current message was last sent, never more than a day
 * older than the truth: a PENDING submission whose message must have outlived the run queue's retention since
 * then is a lost message, recorded as a FAILED submission by the reconciler.
 *
 * <p>{@code claimedAt} is set, while the batch still accepted submissions, when the run gets its StartRun slot (at most
 * the longest pacing wait before the call): a claimed run's StartRun may have left, so a cancel never records it as not
 * submitted. {@code cancelStatus} and
 * {@code deleteStatus} (CANCEL_SUCCESS/CANCEL_FAILED, DELETE_SUCCESS/DELETE_FAILED) are the outcomes of the
 * batch operations' CancelRun and DeleteRun calls, each decided once; null when none was made.
 */
public record RunRecord(
        String batchId,
        String runSettingId,
        String requestId,
        String runName,
        String outputUri,
        String outputBucketOwnerId,
        SubmissionStatus submissionStatus,
        String submissionFailureReason,
        String submissionFailureMessage,
        int attempts,
        String runId,
        String uuid,
        String arn,
        RunStatus status,
        String runOutputUri,
        String failureReason,
        String statusMessage,
        Instant startTime,
        Instant stopTime,
        Instant createdAt,
        Instant submittedAt,
        Instant queuedAt,
        Instant updatedAt,
        Instant claimedAt,
        SubmissionStatus cancelStatus,
        SubmissionStatus deleteStatus) {

    /** A record with no claim and no cancel or delete outcome. */
    public RunRecord(String batchId, String runSettingId, String requestId, String runName, String outputUri,
                     String outputBucketOwnerId, SubmissionStatus submissionStatus, String submissionFailureReason,
                     String submissionFailureMessage, int attempts, String runId, String uuid, String arn, RunStatus status,
                     String runOutputUri, String failureReason, String statusMessage, Instant startTime, Instant stopTime,
                     Instant createdAt, Instant submittedAt, Instant queuedAt, Instant updatedAt) {
        this(batchId, runSettingId, requestId, runName, outputUri, outputBucketOwnerId, submissionStatus,
                submissionFailureReason, submissionFailureMessage, attempts, runId, uuid, arn, status, runOutputUri,
                failureReason, statusMessage, startTime, stopTime, createdAt, submittedAt, queuedAt, updatedAt, null, null,
                null);
    }

    /**
     * The run's submission status as the managed batch's ListRunsInBatch shows it: the latest operation's outcome
     * (delete, then cancel) over the StartRun outcome.
     */
    public SubmissionStatus effectiveSubmissionStatus() {
        return deleteStatus != null ? deleteStatus : cancelStatus != null ? cancelStatus : submissionStatus;
    }

    public static RunRecord pending(String batchId, String runSettingId, String requestId, String runName,
                                    String outputUri, String outputBucketOwnerId, Instant now) {
        return new RunRecord(batchId, runSettingId, requestId, runName, outputUri, outputBucketOwnerId,
                SubmissionStatus.PENDING, null, null, 0, null, null, null, null, null, null, null, null, null,
                now, null, now, now);
    }

    /** Submitted, and its run is in a terminal status: nothing about it will change any more (but deletion). */
    public boolean isSettled() {
        return submissionStatus == SubmissionStatus.FAILED
                || (submissionStatus == SubmissionStatus.SUCCESS && status != null && status.isTerminal());
    }
}
