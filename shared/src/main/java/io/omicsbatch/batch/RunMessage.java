package io.omicsbatch.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.settings.SettingsJson;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The run queue's message: one complete StartRun request and where to record its outcome. The request body
 * carries run parameters (possibly patient data): it lives in the encrypted queue and is never logged.
 *
 * <p>{@code quotaWaitSince} is when StartRun first answered ServiceQuotaExceededException for this submission (null
 * until then). It travels in the message, which is sent again, delayed, for each wait: so the wait is bounded
 * without a write to the run record per wait, and every later copy of the message carries it on.
 */
public record RunMessage(String batchId, String runSettingId, ObjectNode startRun, Instant quotaWaitSince) {

    public RunMessage(String batchId, String runSettingId, ObjectNode startRun) {
        this(batchId, runSettingId, startRun, null);
    }

    /** The same message, recording when its quota wait began. */
    public RunMessage withQuotaWaitSince(Instant since) {
        return new RunMessage(batchId, runSettingId, startRun, since);
    }

    public String requestId() {
        return startRun.path("requestId").asText();
    }

    public String toJson() {
        return toNode().toString();
    }

    /** The length of {@link #toJson()} in UTF-8, in bytes (what SQS counts), without building the text. */
    public long jsonLength() {
        return SettingsJson.utf8Length(toNode());
    }

    private ObjectNode toNode() {
        ObjectNode node = SettingsJson.MAPPER.createObjectNode();
        node.put("batchId", batchId);
        node.put("runSettingId", runSettingId);
        node.set("startRun", startRun);
        if (quotaWaitSince != null) {
            node.put("quotaWaitSince", quotaWaitSince.toString());
        }
        return node;
    }

    public static RunMessage fromJson(String json) {
        try {
            JsonNode node = SettingsJson.MAPPER.readTree(json);
            JsonNode startRun = node.get("startRun");
            if (!node.hasNonNull("batchId") || !node.hasNonNull("runSettingId") || startRun == null || !startRun.isObject()) {
                throw new IllegalArgumentException("not a run message: batchId, runSettingId and startRun are required");
            }
            Instant quotaWaitSince = node.hasNonNull("quotaWaitSince") ? Instant.parse(node.get("quotaWaitSince").asText()) : null;
            return new RunMessage(node.get("batchId").asText(), node.get("runSettingId").asText(), (ObjectNode) startRun,
                    quotaWaitSince);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a run message: quotaWaitSince is not an instant", e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a run message: " + e.getOriginalMessage(), e);
        }
    }
}
