package io.omicsbatch.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.settings.SettingsJson;

/**
 * The run queue's message: one complete StartRun request and where to record its outcome. The request body
 * carries run parameters (possibly patient data): it lives in the encrypted queue and is never logged.
 */
public record RunMessage(String batchId, String runSettingId, ObjectNode startRun) {

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
        return node;
    }

    public static RunMessage fromJson(String json) {
        try {
            JsonNode node = SettingsJson.MAPPER.readTree(json);
            JsonNode startRun = node.get("startRun");
            if (!node.hasNonNull("batchId") || !node.hasNonNull("runSettingId") || startRun == null || !startRun.isObject()) {
                throw new IllegalArgumentException("not a run message: batchId, runSettingId and startRun are required");
            }
            return new RunMessage(node.get("batchId").asText(), node.get("runSettingId").asText(), (ObjectNode) startRun);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a run message: " + e.getOriginalMessage(), e);
        }
    }
}
