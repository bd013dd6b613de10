package io.omicsbatch.batch;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the batch-end notification finds each value in a batch event: the input transformer's InputPathsMap,
 * in one place, so that a change of the batch event detail's shape (e.g. to the managed "RunBatch Status Change"
 * detail with flat counts) is a change here alone. Every path names a count, an identity, a status or a location:
 * never a run setting, a run name or a parameter (they can be patient data).
 */
public final class BatchNotificationPaths {

    /** Variable name to JSON path, in the order the message uses them. */
    public static final Map<String, String> PATHS = paths();

    private BatchNotificationPaths() {}

    private static Map<String, String> paths() {
        Map<String, String> paths = new LinkedHashMap<>();
        paths.put("batchName", "$.detail.batchName");
        paths.put("batchId", "$.detail.batchId");
        paths.put("status", "$.detail.status");
        paths.put("totalRuns", "$.detail.totalRuns");
        paths.put("startedSubmissions", "$.detail.successfulStartSubmissionCount");
        paths.put("failedSubmissions", "$.detail.failedStartSubmissionCount");
        paths.put("pendingSubmissions", "$.detail.pendingStartSubmissionCount");
        paths.put("completedRuns", "$.detail.completedRunCount");
        paths.put("failedRuns", "$.detail.failedRunCount");
        paths.put("cancelledRuns", "$.detail.cancelledRunCount");
        paths.put("deletedRuns", "$.detail.deletedRunCount");
        paths.put("failureReason", "$.detail.failureReason");
        paths.put("resultsUri", "$.detail.resultsUri");
        paths.put("reportUri", "$.detail.reportUri");
        paths.put("settingsUri", "$.detail.settingsUri");
        paths.put("account", "$.account");
        paths.put("region", "$.region");
        paths.put("time", "$.time");
        return java.util.Collections.unmodifiableMap(paths);
    }
}
