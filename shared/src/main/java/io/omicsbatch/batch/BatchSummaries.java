package io.omicsbatch.batch;

import java.util.Arrays;
import java.util.List;

/**
 * The counter names of the managed batch's summaries, as GetBatch names them: the 7 of submissionSummary, in the
 * model's order, and the 8 of runSummary. A counter the stores do not keep yet counts 0.
 */
public final class BatchSummaries {

    public static final List<String> SUBMISSION_COUNTERS = List.of(
            "successfulStartSubmissionCount", "failedStartSubmissionCount", "pendingStartSubmissionCount",
            "successfulCancelSubmissionCount", "failedCancelSubmissionCount",
            "successfulDeleteSubmissionCount", "failedDeleteSubmissionCount");

    public static final List<String> RUN_COUNTERS =
            Arrays.stream(RunStatus.values()).map(RunStatus::countAttribute).toList();

    private BatchSummaries() {}
}
