package io.omicsbatch.batch;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * What the status function learned about a run and applies to its record: the new status and whatever the
 * event or GetRun told about it (null where nothing was learned; the record keeps its value).
 */
public record RunChange(
        RunStatus status,
        String runId,
        String uuid,
        String arn,
        String runOutputUri,
        String failureReason,
        String statusMessage,
        Instant startTime,
        Instant stopTime) {

    /**
     * How the batch's counters move when this change is applied to {@code observed}: the run leaves its counted
     * status and enters the new one; a run whose submission was not recorded SUCCESS (PENDING, or FAILED although
     * the run exists) is adopted, leaving its submission counter for the successful one instead of a run counter.
     * Counters that would not move are left out.
     */
    public Map<String, Long> counterDeltas(RunRecord observed) {
        Map<String, Long> deltas = new HashMap<>();
        if (observed.submissionStatus() != SubmissionStatus.SUCCESS) {
            deltas.merge("successfulStartSubmissionCount", 1L, Long::sum);
            deltas.merge(observed.submissionStatus() == SubmissionStatus.PENDING
                    ? "pendingStartSubmissionCount" : "failedStartSubmissionCount", -1L, Long::sum);
        } else if (observed.status() != null) {
            deltas.merge(observed.status().countAttribute(), -1L, Long::sum);
        }
        deltas.merge(status.countAttribute(), 1L, Long::sum);
        deltas.values().removeIf(delta -> delta == 0);
        return deltas;
    }
}
