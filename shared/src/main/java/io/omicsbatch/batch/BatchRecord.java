package io.omicsbatch.batch;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The batch item: what was asked (the source object and its ETag), where it stands, and its counts.
 * {@code expandedRuns} is the expansion checkpoint: run settings [0, expandedRuns) have their run record
 * and their run message. {@code counts} holds the submission and run counters, named as in the managed
 * batch's submissionSummary and runSummary.
 */
public record BatchRecord(
        String batchId,
        String batchName,
        BatchStatus status,
        S3ObjectRef settingsObject,
        String runsFileUri,
        String runsFileETag,
        Integer totalRuns,
        long expandedRuns,
        boolean expansionComplete,
        String failureReason,
        String failureMessage,
        List<ErrorEntry> errors,
        long errorCount,
        Map<String, Long> counts,
        Instant creationTime,
        Instant submittedTime,
        Instant failedTime) {

    /** One validation error kept on the record (the complete list goes to the errors report in S3). */
    public record ErrorEntry(String pointer, String rule, String message) {}

    public long count(String name) {
        return counts == null ? 0 : counts.getOrDefault(name, 0L);
    }
}
