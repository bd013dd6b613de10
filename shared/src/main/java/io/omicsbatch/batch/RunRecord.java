package io.omicsbatch.batch;

import java.time.Instant;

/**
 * The run item: one per run setting of a batch, written (submission PENDING) before its run message is
 * sent, then completed by the submit function and the status function.
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
        Instant createdAt,
        Instant submittedAt) {

    public static RunRecord pending(String batchId, String runSettingId, String requestId, String runName,
                                    String outputUri, String outputBucketOwnerId, Instant now) {
        return new RunRecord(batchId, runSettingId, requestId, runName, outputUri, outputBucketOwnerId,
                SubmissionStatus.PENDING, null, null, 0, null, null, null, null, now, null);
    }
}
