package io.omicsbatch.settings;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The batch's shared run configuration: all 22 members of the model's DefaultRunSetting shape.
 * {@code parameters} and {@code engineSettings} are free-form JSON objects (documents in the model).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DefaultRunSetting(
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
        Map<String, String> runTags,
        String retentionMode,
        String storageType,
        String workflowOwnerId,
        String outputBucketOwnerId,
        String workflowVersionName,
        String networkingMode,
        String configurationName,
        ObjectNode engineSettings,
        String scratchStorageMode) {}
