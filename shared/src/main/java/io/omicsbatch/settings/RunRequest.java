package io.omicsbatch.settings;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;

/**
 * One complete StartRun request: the defaults merged with one run setting, our deterministic requestId and
 * tracking tags. Members are named as on the wire; {@link #toStartRunBody()} is the exact JSON body.
 *
 * <p>Four members are not in the SDK for Java 2.40.2's StartRunRequest ({@link #MEMBERS_MISSING_FROM_SDK});
 * they are carried here all the same so the submit function can add them to the wire body.
 * {@code outputBucketOwnerId} is not a StartRun member at all: it is kept for our records and for writes to
 * the output bucket. {@code batchId} and {@code runSettingId} identify the run in our records.
 */
public record RunRequest(
        String batchId,
        String runSettingId,
        String requestId,
        String workflowId,
        String workflowType,
        String roleArn,
        String name,
        String cacheId,
        String cacheBehavior,
        String runGroupId,
        Integer priority,
        ObjectNode parameters,
        Integer storageCapacity,
        String outputUri,
        String logLevel,
        Map<String, String> tags,
        String retentionMode,
        String storageType,
        String workflowOwnerId,
        String workflowVersionName,
        String networkingMode,
        String configurationName,
        ObjectNode engineSettings,
        String scratchStorageMode,
        String outputBucketOwnerId) {

    public static final Set<String> MEMBERS_MISSING_FROM_SDK =
            Set.of("networkingMode", "configurationName", "engineSettings", "scratchStorageMode");

    /** The StartRun request body as it goes on the wire, members in the model's order, absent ones left out. */
    public ObjectNode toStartRunBody() {
        ObjectNode body = SettingsJson.MAPPER.createObjectNode();
        put(body, "workflowId", workflowId);
        put(body, "workflowType", workflowType);
        put(body, "roleArn", roleArn);
        put(body, "name", name);
        put(body, "cacheId", cacheId);
        put(body, "cacheBehavior", cacheBehavior);
        put(body, "runGroupId", runGroupId);
        if (priority != null) {
            body.put("priority", priority);
        }
        if (parameters != null) {
            body.set("parameters", parameters.deepCopy());
        }
        if (storageCapacity != null) {
            body.put("storageCapacity", storageCapacity);
        }
        put(body, "outputUri", outputUri);
        put(body, "logLevel", logLevel);
        ObjectNode tagNode = body.putObject("tags");
        tags.forEach(tagNode::put);
        put(body, "requestId", requestId);
        put(body, "retentionMode", retentionMode);
        put(body, "storageType", storageType);
        put(body, "workflowOwnerId", workflowOwnerId);
        put(body, "workflowVersionName", workflowVersionName);
        put(body, "networkingMode", networkingMode);
        put(body, "scratchStorageMode", scratchStorageMode);
        put(body, "configurationName", configurationName);
        if (engineSettings != null) {
            body.set("engineSettings", engineSettings.deepCopy());
        }
        return body;
    }

    private static void put(ObjectNode body, String member, String value) {
        if (value != null) {
            body.put(member, value);
        }
    }
}
