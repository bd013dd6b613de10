package io.omicsbatch.batch;

import java.time.Instant;

/**
 * The run item: one per run setting of a batch, written (submission PENDING) before its run message is
 * sent, then completed by the submit function and the status function.
 *
 * <p>{@code queuedAt} is a lower bound of when the run's current message was last sent, never more than a day
 * older than the truth: a PENDING submission whose message must have outlived the run queue's retention since
 * then is a lost message, recorded as a FAILED submission by the reconciler.
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
        Instant updatedAt) {

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
