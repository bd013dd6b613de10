package io.omicsbatch.settings;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;

/**
 * What the per-run checks need to know of the defaults to judge the merged StartRun request: whether an
 * outputUri is inherited, and which run tag keys are. Read leniently from the default run setting, so runs
 * are still checked when the defaults themselves have errors.
 */
public record MergeBase(boolean hasOutputUri, Set<String> runTagKeys, boolean defaultTagsOverLimit) {

    public static final MergeBase NONE = new MergeBase(false, Set.of(), false);

    static MergeBase of(JsonNode defaultRunSetting) {
        if (defaultRunSetting == null || !defaultRunSetting.isObject()) {
            return NONE;
        }
        JsonNode outputUri = defaultRunSetting.get("outputUri");
        Set<String> keys = new HashSet<>();
        JsonNode runTags = defaultRunSetting.get("runTags");
        if (runTags != null && runTags.isObject()) {
            runTags.fieldNames().forEachRemaining(keys::add);
        }
        return new MergeBase(outputUri != null && !outputUri.isNull(), Set.copyOf(keys),
                keys.size() + TrackingTags.COUNT > BatchRules.MAX_TAGS);
    }
}
