package io.omicsbatch.batch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.settings.BatchIdentity;
import io.omicsbatch.settings.SettingsJson;
import java.time.Instant;

/**
 * The detail of a "RunBatch Status Change" event, under the managed event's names, so that a rule written for the
 * managed event matches ours once its source is changed: {@code omicsVersion}, {@code arn}, {@code batchId},
 * {@code status}, {@code uuid}, {@code batchName}, {@code totalRuns} and every submission and run counter flat, as
 * strings (the counts when announced), the workflow fields of the document, and {@code failureReason} /
 * {@code failureMessage} when FAILED. Ours besides: {@code currentStatus} when announced late, the timestamps,
 * {@code settingsUri} and {@code resultsUri}. It names no run parameter, no tag and no sample.
 */
public final class BatchEventDetail {

    /** The managed events' detail version. */
    public static final String OMICS_VERSION = "1.0.0";

    private BatchEventDetail() {}

    /**
     * @param partition the stack's partition, for the batch's ARN ({@link BatchIdentity#batchArn})
     */
    public static ObjectNode of(BatchRecord batch, BatchStatus status, String partition) {
        ObjectNode detail = SettingsJson.MAPPER.createObjectNode();
        detail.put("omicsVersion", OMICS_VERSION);
        if (batch.settingsObject() != null) {
            detail.put("arn", arn(batch, partition));
        }
        detail.put("batchId", batch.batchId());
        detail.put("status", status.name());
        detail.put("uuid", BatchIdentity.batchUuid(batch.batchId()));
        if (status != batch.status()) {
            detail.put("currentStatus", batch.status().name()); // announced late: the batch moved on since
        }
        if (batch.batchName() != null) {
            detail.put("batchName", batch.batchName());
        }
        if (batch.totalRuns() != null) {
            detail.put("totalRuns", Integer.toString(batch.totalRuns()));
        }
        for (String counter : BatchSummaries.SUBMISSION_COUNTERS) {
            detail.put(counter, Long.toString(batch.count(counter)));
        }
        for (String counter : BatchSummaries.RUN_COUNTERS) {
            detail.put(counter, Long.toString(batch.count(counter)));
        }
        BatchRecord.Workflow workflow = batch.workflow();
        if (workflow != null) {
            putIfPresent(detail, "workflowId", workflow.workflowId());
            putIfPresent(detail, "workflowType", workflow.workflowType());
            putIfPresent(detail, "workflowVersionName", workflow.workflowVersionName());
            putIfPresent(detail, "workflowOwnerId", workflow.workflowOwnerId());
        }
        if (status == BatchStatus.FAILED) {
            detail.put("failureReason", batch.failureReason());
            detail.put("failureMessage", batch.failureMessage());
        }
        time(detail, "creationTime", batch.creationTime());
        time(detail, "submittedTime", batch.submittedTime());
        time(detail, "processedTime", batch.processedTime());
        time(detail, "failedTime", batch.failedTime());
        if (batch.settingsObject() != null) {
            detail.put("settingsUri", batch.settingsObject().uri());
            if (status == BatchStatus.PROCESSED) {
                detail.put("resultsUri", ResultsManifest.csvUri(batch));
                detail.put("reportUri", ResultsManifest.uri(batch, BatchReportPage.FILE_NAME));
            }
        }
        return detail;
    }

    /** The batch's ARN, which the event also names as its resource. */
    public static String arn(BatchRecord batch, String partition) {
        return BatchIdentity.batchArn(partition, batch.settingsObject().bucket(), batch.settingsObject().key());
    }

    private static void putIfPresent(ObjectNode detail, String name, String value) {
        if (value != null) {
            detail.put(name, value);
        }
    }

    private static void time(ObjectNode detail, String name, Instant value) {
        if (value != null) {
            detail.put(name, value.toString());
        }
    }
}
