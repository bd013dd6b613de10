package io.omicsbatch.settings;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * One run's overrides (the model's InlineSetting shape), whether given inline or as an entry of a runs file.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunSetting(
        String runSettingId,
        String name,
        String outputUri,
        Integer priority,
        ObjectNode parameters,
        String outputBucketOwnerId,
        Map<String, String> runTags,
        ObjectNode engineSettings) {}
