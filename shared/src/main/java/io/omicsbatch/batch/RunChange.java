package io.omicsbatch.batch;

import java.time.Instant;

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
        Instant stopTime) {}
