package io.omicsbatch.batch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.settings.SettingsJson;
import java.time.Instant;

/**
 * The detail of a "RunBatch Status Change" event, mirroring the managed batch's: batchId, status, batchName,
 * totalRuns, submissionSummary and runSummary (the counts when announced, named as GetBatch names them), the
 * timestamps, and failureReason/failureMessage when FAILED. It names no run parameter and no sample.
 */
public final class BatchEventDetail {

    private BatchEventDetail() {}

    public static ObjectNode of(BatchRecord batch, BatchStatus status) {
        ObjectNode detail = SettingsJson.MAPPER.createObjectNode();
        detail.put("omicsBatchVersion", "1");
        detail.put("batchId", batch.batchId());
        detail.put("status", status.name());
        if (status != batch.status()) {
            detail.put("currentStatus", batch.status().name()); // announced late: the batch moved on since
        }
        detail.put("batchName", batch.batchName());
        if (batch.totalRuns() != null) {
            detail.put("totalRuns", batch.totalRuns());
        } else {
            detail.putNull("totalRuns");
        }
        ObjectNode submissions = detail.putObject("submissionSummary");
        for (String counter : BatchRecord.SUBMISSION_COUNTERS) {
            submissions.put(counter, batch.count(counter));
        }
        ObjectNode runs = detail.putObject("runSummary");
        for (RunStatus runStatus : RunStatus.values()) {
            runs.put(runStatus.countAttribute(), batch.count(runStatus.countAttribute()));
        }
        time(detail, "creationTime", batch.creationTime());
        time(detail, "submittedTime", batch.submittedTime());
        time(detail, "processedTime", batch.processedTime());
        time(detail, "failedTime", batch.failedTime());
        if (status == BatchStatus.FAILED) {
            detail.put("failureReason", batch.failureReason());
            detail.put("failureMessage", batch.failureMessage());
        }
        if (batch.settingsObject() != null) {
            detail.put("settingsUri", "s3://" + batch.settingsObject().bucket() + "/" + batch.settingsObject().key());
            if (status == BatchStatus.PROCESSED) {
                detail.put("resultsUri", ResultsManifest.csvUri(batch));
            }
        }
        return detail;
    }

    private static void time(ObjectNode detail, String name, Instant value) {
        if (value != null) {
            detail.put(name, value.toString());
        }
    }
}
