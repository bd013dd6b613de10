package io.omicsbatch.batch;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The batch item: what was asked (the source object and its ETag), where it stands, and its counts.
 * {@code expandedRuns} is the expansion checkpoint: run settings [0, expandedRuns) have their run record
 * and their run message. {@code counts} holds the submission and run counters, named as in the managed
 * batch's submissionSummary and runSummary. {@code expansionLease} names the one intake invocation that may
 * expand the batch (null when none holds it), and {@code intakeResumes} counts how often the reconciler restarted
 * a stalled intake. Run records [0, {@code recordsWrittenUpTo}) may exist: an expansion marks a chunk's end there
 * before it writes the chunk's records, so runs past the mark have never had a record. {@code workflow} is the
 * document's workflow (null when the document could not be read), for the batch events and ListBatch.
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
        Instant failedTime,
        Instant processedTime,
        Set<BatchStatus> unannouncedStatuses,
        Instant updatedTime,
        ExpansionLease expansionLease,
        int intakeResumes,
        long recordsWrittenUpTo,
        Workflow workflow,
        String resubmitOf,
        List<String> resubmittedAs) {

    /** The workflow fields of the document's defaultRunSetting, as the managed batch event names them. */
    public record Workflow(String workflowId, String workflowType, String workflowVersionName, String workflowOwnerId) {}

    /** A batch without lineage: neither resubmitted from another nor resubmitted itself. */
    public BatchRecord(String batchId, String batchName, BatchStatus status, S3ObjectRef settingsObject,
                       String runsFileUri, String runsFileETag, Integer totalRuns, long expandedRuns,
                       boolean expansionComplete, String failureReason, String failureMessage, List<ErrorEntry> errors,
                       long errorCount, Map<String, Long> counts, Instant creationTime, Instant submittedTime,
                       Instant failedTime, Instant processedTime, Set<BatchStatus> unannouncedStatuses,
                       Instant updatedTime, ExpansionLease expansionLease, int intakeResumes, long recordsWrittenUpTo,
                       Workflow workflow) {
        this(batchId, batchName, status, settingsObject, runsFileUri, runsFileETag, totalRuns, expandedRuns,
                expansionComplete, failureReason, failureMessage, errors, errorCount, counts, creationTime, submittedTime,
                failedTime, processedTime, unannouncedStatuses, updatedTime, expansionLease, intakeResumes,
                recordsWrittenUpTo, workflow, null, List.of());
    }

    /** A batch without workflow fields or lineage. */
    public BatchRecord(String batchId, String batchName, BatchStatus status, S3ObjectRef settingsObject,
                       String runsFileUri, String runsFileETag, Integer totalRuns, long expandedRuns,
                       boolean expansionComplete, String failureReason, String failureMessage, List<ErrorEntry> errors,
                       long errorCount, Map<String, Long> counts, Instant creationTime, Instant submittedTime,
                       Instant failedTime, Instant processedTime, Set<BatchStatus> unannouncedStatuses,
                       Instant updatedTime, ExpansionLease expansionLease, int intakeResumes, long recordsWrittenUpTo) {
        this(batchId, batchName, status, settingsObject, runsFileUri, runsFileETag, totalRuns, expandedRuns,
                expansionComplete, failureReason, failureMessage, errors, errorCount, counts, creationTime, submittedTime,
                failedTime, processedTime, unannouncedStatuses, updatedTime, expansionLease, intakeResumes,
                recordsWrittenUpTo, null, null, List.of());
    }

    /** The intake invocation that holds the expansion, until when (a Lambda invocation cannot outlive it). */
    public record ExpansionLease(String owner, Instant until) {
        public boolean heldAt(Instant now) {
            return until.isAfter(now);
        }
    }

    /** A new batch as the intake first records it: CREATING, nothing counted yet. */
    public static BatchRecord creating(String batchId, String batchName, S3ObjectRef settingsObject, String runsFileUri,
                                       Instant now) {
        return creating(batchId, batchName, settingsObject, runsFileUri, null, now);
    }

    /** As {@link #creating(String, String, S3ObjectRef, String, Instant)}, with the document's workflow. */
    public static BatchRecord creating(String batchId, String batchName, S3ObjectRef settingsObject, String runsFileUri,
                                       Workflow workflow, Instant now) {
        return new BatchRecord(batchId, batchName, BatchStatus.CREATING, settingsObject, runsFileUri, null, null, 0, false,
                null, null, List.of(), 0, Map.of(), now, null, null, null, Set.of(BatchStatus.CREATING), now, null, 0, 0,
                workflow);
    }

    /** One validation error kept on the record (the complete list goes to the errors report in S3). */
    public record ErrorEntry(String pointer, String rule, String message) {}

    /** A status no work follows: the batch is done (its runs may still be deleted later). */
    public boolean isFinal() {
        return status == BatchStatus.PROCESSED || status == BatchStatus.FAILED || status == BatchStatus.CANCELLED;
    }

    /** The record of a batch made by a resubmit request (lineage: {@code resubmitOf}). */
    public BatchRecord withResubmitOf(String parentBatchId) {
        return new BatchRecord(batchId, batchName, status, settingsObject, runsFileUri, runsFileETag, totalRuns,
                expandedRuns, expansionComplete, failureReason, failureMessage, errors, errorCount, counts, creationTime,
                submittedTime, failedTime, processedTime, unannouncedStatuses, updatedTime, expansionLease, intakeResumes,
                recordsWrittenUpTo, workflow, parentBatchId, resubmittedAs);
    }

    /** Every run is settled: expanded, no submission pending, and no run in a non-terminal status. */
    public boolean allRunsSettled() {
        if (!expansionComplete || count("pendingStartSubmissionCount") != 0) {
            return false;
        }
        for (RunStatus runStatus : RunStatus.values()) {
            if (!runStatus.isTerminal() && count(runStatus.countAttribute()) != 0) {
                return false;
            }
        }
        return true;
    }

    public long count(String name) {
        return counts == null ? 0 : counts.getOrDefault(name, 0L);
    }
}
