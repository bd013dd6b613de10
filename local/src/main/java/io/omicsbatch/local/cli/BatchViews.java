package io.omicsbatch.local.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.batch.BatchRecord;
import io.omicsbatch.batch.ResultsManifest;
import io.omicsbatch.batch.RunRecord;
import io.omicsbatch.batch.RunStatus;
import io.omicsbatch.functions.aws.DynamoBatchStore;
import io.omicsbatch.settings.SettingsJson;
import java.time.Instant;

/**
 * The JSON views of batches and runs, as GetBatch and ListRunsInBatch would show them, and as the run report's
 * {@code batch} and {@code runs} entries (docs/local.md, "The run report"): the same field names everywhere.
 */
public final class BatchViews {

    private BatchViews() {}

    public static ObjectNode batch(BatchRecord batch) {
        ObjectNode node = SettingsJson.MAPPER.createObjectNode();
        node.put("id", batch.batchId());
        node.put("name", batch.batchName());
        node.put("status", batch.status().name());
        if (batch.totalRuns() == null) {
            node.putNull("totalRuns");
        } else {
            node.put("totalRuns", batch.totalRuns());
        }
        node.put("failureReason", batch.failureReason());
        node.put("failureMessage", batch.failureMessage());
        ArrayNode errors = node.putArray("errors");
        for (BatchRecord.ErrorEntry error : batch.errors()) {
            errors.addObject().put("pointer", error.pointer()).put("message", error.message()).put("rule", error.rule());
        }
        node.put("errorCount", batch.errorCount());
        ObjectNode submissions = node.putObject("submissionSummary");
        DynamoBatchStore.SUBMISSION_COUNTERS.forEach(counter -> submissions.put(counter, batch.count(counter)));
        ObjectNode runs = node.putObject("runSummary");
        for (RunStatus status : RunStatus.values()) {
            runs.put(status.countAttribute(), batch.count(status.countAttribute()));
        }
        node.put("resubmitOf", batch.resubmitOf());
        ArrayNode resubmittedAs = node.putArray("resubmittedAs");
        (batch.resubmittedAs() == null ? List.<String>of() : batch.resubmittedAs()).forEach(resubmittedAs::add);
        time(node, "creationTime", batch.creationTime());
        time(node, "submittedTime", batch.submittedTime());
        time(node, "processedTime", batch.processedTime());
        time(node, "failedTime", batch.failedTime());
        if (batch.settingsObject() != null) {
            node.put("settingsUri", "s3://" + batch.settingsObject().bucket() + "/" + batch.settingsObject().key());
            node.put("resultsUri", batch.status() == io.omicsbatch.batch.BatchStatus.PROCESSED
                    ? ResultsManifest.csvUri(batch) : null);
        }
        return node;
    }

    public static ObjectNode run(RunRecord run) {
        ObjectNode node = SettingsJson.MAPPER.createObjectNode();
        node.put("runSettingId", run.runSettingId());
        node.put("name", run.runName());
        node.put("requestId", run.requestId());
        node.put("runId", run.runId());
        node.put("uuid", run.uuid());
        node.put("arn", run.arn());
        node.put("submissionStatus", run.submissionStatus() == null ? null : run.submissionStatus().name());
        node.put("cancelStatus", run.cancelStatus() == null ? null : run.cancelStatus().name());
        node.put("deleteStatus", run.deleteStatus() == null ? null : run.deleteStatus().name());
        node.put("submissionFailureReason", run.submissionFailureReason());
        node.put("submissionFailureMessage", run.submissionFailureMessage());
        node.put("status", run.status() == null ? null : run.status().name());
        node.put("failureReason", run.failureReason());
        node.put("statusMessage", run.statusMessage());
        node.put("runOutputUri", run.runOutputUri());
        time(node, "startTime", run.startTime());
        time(node, "stopTime", run.stopTime());
        node.put("attempts", run.attempts());
        return node;
    }

    private static void time(ObjectNode node, String name, Instant value) {
        if (value == null) {
            node.putNull(name);
        } else {
            node.put(name, value.toString());
        }
    }
}
