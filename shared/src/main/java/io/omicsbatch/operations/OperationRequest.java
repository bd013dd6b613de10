package io.omicsbatch.operations;

import io.omicsbatch.batch.SubmissionStatus;
import io.omicsbatch.batch.RunStatus;
import java.util.List;
import java.util.Set;

/**
 * A batch operation request document, shaped like the managed API's request (see docs/operations.md): the prefix it
 * was written under names the operation.
 */
public sealed interface OperationRequest {

    String batchId();

    /** CancelRunBatch {@code {"batchId"}}. */
    record Cancel(String batchId) implements OperationRequest {}

    /** DeleteRunBatch {@code {"batchId"}}. */
    record DeleteRuns(String batchId) implements OperationRequest {}

    /** DeleteBatch {@code {"batchId"}}. */
    record DeleteBatch(String batchId) implements OperationRequest {}

    /**
     * A resubmit: a new batch of the chosen runs of {@code batchId}. Runs are chosen by their run status, by their
     * submission status (FAILED: a failed submission), or by runSettingId; by default runs FAILED or CANCELLED and
     * failed submissions. {@code cacheId}/{@code cacheBehavior}, when given, replace the runs' own.
     */
    record Resubmit(String batchId, String requestId, Set<RunStatus> runStatuses,
                    Set<SubmissionStatus> submissionStatuses, List<String> runSettingIds, String cacheId,
                    String cacheBehavior) implements OperationRequest {

        public static final Set<RunStatus> DEFAULT_RUN_STATUSES = Set.of(RunStatus.FAILED, RunStatus.CANCELLED);
        public static final Set<SubmissionStatus> DEFAULT_SUBMISSION_STATUSES = Set.of(SubmissionStatus.FAILED);
    }
}
