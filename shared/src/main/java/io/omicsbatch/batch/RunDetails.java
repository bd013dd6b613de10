package io.omicsbatch.batch;

import java.time.Instant;
import java.util.Map;

/**
 * A run as GetRun describes it. {@code status} is null for a status this version does not know.
 * Tags carry our tracking tags ({@link io.omicsbatch.settings.TrackingTags}).
 */
public record RunDetails(
        String id,
        String arn,
        String uuid,
        RunStatus status,
        String runOutputUri,
        String failureReason,
        String statusMessage,
        Instant startTime,
        Instant stopTime,
        Map<String, String> tags) {}
