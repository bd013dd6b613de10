package io.omicsbatch.batch;

import java.util.Map;
import java.util.Optional;

/**
 * The detail of a HealthOmics "Run Status Change" event. Current events carry {@code uuid} and {@code runId};
 * old ones only {@code arn} and {@code status}, so the run id is taken from the ARN then.
 * {@code status} is null when it is not one this version knows.
 */
public record RunStatusEvent(String runId, String uuid, String arn, RunStatus status, String runOutputUri) {

    /** Empty when the detail names no run at all. */
    public static Optional<RunStatusEvent> fromDetail(Map<String, ?> detail) {
        if (detail == null) {
            return Optional.empty();
        }
        String arn = text(detail.get("arn"));
        String runId = text(detail.get("runId"));
        if (runId == null && arn != null && arn.contains(":run/")) {
            runId = arn.substring(arn.lastIndexOf(":run/") + 5);
        }
        if (runId == null || runId.isEmpty()) {
            return Optional.empty();
        }
        RunStatus status = null;
        String statusName = text(detail.get("status"));
        if (statusName != null) {
            try {
                status = RunStatus.valueOf(statusName);
            } catch (IllegalArgumentException e) {
                status = null;
            }
        }
        return Optional.of(new RunStatusEvent(runId, text(detail.get("uuid")), arn, status,
                text(detail.get("runOutputUri"))));
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
