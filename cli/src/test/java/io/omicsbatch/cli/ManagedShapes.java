package io.omicsbatch.cli;

import java.util.List;

/**
 * The members of the managed API's response shapes, copied from the HealthOmics service model (AWS SDK model
 * "omics" 2022-11-28, as excerpted in the design material's api/omics-model-excerpt.json: GetBatchResponse,
 * SubmissionSummary, RunSummary, RunBatchListItem, BatchListItem; ListRunsInBatch's output is {runs, nextToken} and
 * ListBatch's {items, nextToken}), in the model's order. Kept here so that the build reads nothing outside the
 * repository.
 */
final class ManagedShapes {

    static final List<String> GET_BATCH_RESPONSE = List.of("id", "arn", "uuid", "name", "status", "tags", "totalRuns",
            "defaultRunSetting", "submissionSummary", "runSummary", "creationTime", "submittedTime", "processedTime",
            "failedTime", "failureReason");
    static final List<String> SUBMISSION_SUMMARY = List.of("successfulStartSubmissionCount",
            "failedStartSubmissionCount", "pendingStartSubmissionCount", "successfulCancelSubmissionCount",
            "failedCancelSubmissionCount", "successfulDeleteSubmissionCount", "failedDeleteSubmissionCount");
    static final List<String> RUN_SUMMARY = List.of("pendingRunCount", "startingRunCount", "runningRunCount",
            "stoppingRunCount", "completedRunCount", "deletedRunCount", "failedRunCount", "cancelledRunCount");
    static final List<String> LIST_RUNS_IN_BATCH_RESPONSE = List.of("runs", "nextToken");
    static final List<String> RUN_BATCH_LIST_ITEM = List.of("runSettingId", "runId", "runInternalUuid", "runArn",
            "submissionStatus", "submissionFailureReason", "submissionFailureMessage");
    static final List<String> LIST_BATCH_RESPONSE = List.of("items", "nextToken");
    static final List<String> BATCH_LIST_ITEM = List.of("id", "name", "status", "createdAt", "totalRuns", "workflowId");

    private ManagedShapes() {}
}
