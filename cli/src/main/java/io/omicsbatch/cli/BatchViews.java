package io.omicsbatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.batch.BatchEventDetail;
import io.omicsbatch.batch.BatchRecord;
import io.omicsbatch.batch.BatchSummaries;
import io.omicsbatch.batch.ResultsManifest;
import io.omicsbatch.batch.RunRecord;
import io.omicsbatch.settings.BatchIdentity;
import io.omicsbatch.settings.SettingsJson;
import java.time.Instant;

/**
 * The JSON views of batches and runs under the managed API's names: {@link #batch} is a GetBatch response,
 * {@link #listedRun} a ListRunsInBatch item and {@link #listedBatch} a ListBatch item, each with a few fields of ours
 * after the managed ones. The run report's {@code batch} entry is the GetBatch view; its {@code runs} entries are
 * {@link #run} (docs/local.md, "The run report", whose names are fixed).
 */
public final class BatchViews {

    private BatchViews() {}

    /**
     * The GetBatch response: id, arn, uuid, name, status, tags, totalRuns, defaultRunSetting, submissionSummary (all
     * 7 counters), runSummary, creationTime, submittedTime, processedTime, failedTime, failureReason; then ours:
     * failureMessage, errors, errorCount, settingsUri, resultsUri.
     *
     * @param partition the deployment's partition, for the batch's ARN
     * @param document  the settings document that started the batch (its tags and defaultRunSetting), or null when
     *                  it could not be read: then tags is empty and defaultRunSetting null
     */
    public static ObjectNode batch(BatchRecord batch, String partition, JsonNode document) {
        ObjectNode node = SettingsJson.MAPPER.createObjectNode();
        node.put("id", batch.batchId());
        node.put("arn", batch.settingsObject() == null ? null : BatchEventDetail.arn(batch, partition));
        node.put("uuid", BatchIdentity.batchUuid(batch.batchId()));
        node.put("name", batch.batchName());
        node.put("status", batch.status().name());
        JsonNode tags = document == null ? null : document.get("tags");
        node.set("tags", tags != null && tags.isObject() ? tags : SettingsJson.MAPPER.createObjectNode());
        if (batch.totalRuns() == null) {
            node.putNull("totalRuns");
        } else {
            node.put("totalRuns", batch.totalRuns());
        }
        JsonNode defaults = document == null ? null : document.get("defaultRunSetting");
        node.set("defaultRunSetting", defaults != null && defaults.isObject() ? defaults : NullNode.getInstance());
        ObjectNode submissions = node.putObject("submissionSummary");
        BatchSummaries.SUBMISSION_COUNTERS.forEach(counter -> submissions.put(counter, batch.count(counter)));
        ObjectNode runs = node.putObject("runSummary");
        BatchSummaries.RUN_COUNTERS.forEach(counter -> runs.put(counter, batch.count(counter)));
        time(node, "creationTime", batch.creationTime());
        time(node, "submittedTime", batch.submittedTime());
        time(node, "processedTime", batch.processedTime());
        time(node, "failedTime", batch.failedTime());
        node.put("failureReason", batch.failureReason());
        node.put("failureMessage", batch.failureMessage());
        ArrayNode errors = node.putArray("errors");
        for (BatchRecord.ErrorEntry error : batch.errors()) {
            errors.addObject().put("pointer", error.pointer()).put("message", error.message()).put("rule", error.rule());
        }
        node.put("errorCount", batch.errorCount());
        // Lineage, beyond the managed shape: the batch this one resubmits, and the batches resubmitting it.
        node.put("resubmitOf", batch.resubmitOf());
        ArrayNode resubmittedAs = node.putArray("resubmittedAs");
        (batch.resubmittedAs() == null ? java.util.List.<String>of() : batch.resubmittedAs()).forEach(resubmittedAs::add);
        if (batch.settingsObject() != null) {
            node.put("settingsUri", batch.settingsObject().uri());
            node.put("resultsUri", batch.status() == io.omicsbatch.batch.BatchStatus.PROCESSED
                    ? ResultsManifest.csvUri(batch) : null);
        }
        return node;
    }

    /** A ListBatch item: id, name, status, createdAt, totalRuns, workflowId. */
    public static ObjectNode listedBatch(BatchRecord batch) {
        ObjectNode node = SettingsJson.MAPPER.createObjectNode();
        node.put("id", batch.batchId());
        node.put("name", batch.batchName());
        node.put("status", batch.status().name());
        time(node, "createdAt", batch.creationTime());
        if (batch.totalRuns() == null) {
            node.putNull("totalRuns");
        } else {
            node.put("totalRuns", batch.totalRuns());
        }
        node.put("workflowId", batch.workflow() == null ? null : batch.workflow().workflowId());
        return node;
    }

    /**
     * A ListRunsInBatch item: runSettingId, runId, runInternalUuid, runArn, submissionStatus, submissionFailureReason,
     * submissionFailureMessage; then ours: the run's name, requestId, status, failureReason, statusMessage,
     * runOutputUri, startTime, stopTime and attempts.
     */
    public static ObjectNode listedRun(RunRecord run) {
        ObjectNode node = SettingsJson.MAPPER.createObjectNode();
        node.put("runSettingId", run.runSettingId());
        node.put("runId", run.runId());
        node.put("runInternalUuid", run.uuid());
        node.put("runArn", run.arn());
        node.put("submissionStatus", run.submissionStatus() == null ? null : run.submissionStatus().name());
        node.put("submissionFailureReason", run.submissionFailureReason());
        node.put("submissionFailureMessage", run.submissionFailureMessage());
        node.put("cancelStatus", run.cancelStatus() == null ? null : run.cancelStatus().name());
        node.put("deleteStatus", run.deleteStatus() == null ? null : run.deleteStatus().name());
        node.put("name", run.runName());
        node.put("requestId", run.requestId());
        node.put("status", run.status() == null ? null : run.status().name());
        node.put("failureReason", run.failureReason());
        node.put("statusMessage", run.statusMessage());
        node.put("runOutputUri", run.runOutputUri());
        time(node, "startTime", run.startTime());
        time(node, "stopTime", run.stopTime());
        node.put("attempts", run.attempts());
        return node;
    }

    /** A run as the run report lists it (its field names are fixed: uuid and arn). */
    public static ObjectNode run(RunRecord run) {
        ObjectNode node = SettingsJson.MAPPER.createObjectNode();
        node.put("runSettingId", run.runSettingId());
        node.put("name", run.runName());
        node.put("requestId", run.requestId());
        node.put("runId", run.runId());
        node.put("uuid", run.uuid());
        node.put("arn", run.arn());
        node.put("submissionStatus", run.submissionStatus() == null ? null : run.submissionStatus().name());
        node.put("submissionFailureReason", run.submissionFailureReason());
        node.put("submissionFailureMessage", run.submissionFailureMessage());
        node.put("cancelStatus", run.cancelStatus() == null ? null : run.cancelStatus().name());
        node.put("deleteStatus", run.deleteStatus() == null ? null : run.deleteStatus().name());
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
