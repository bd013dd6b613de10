package io.omicsbatch.settings;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;

/**
 * What the per-run checks need to know of the defaults to judge the merged StartRun request: whether an
 * outputUri is inherited, and which run tag keys are. Read leniently from the default run setting, so runs
 * are still checked when the defaults themselves have errors. The merged request's size is checked only
 * against valid defaults ({@code defaults}, null otherwise).
 */
public record MergeBase(boolean hasOutputUri, Set<String> runTagKeys, boolean defaultTagsOverLimit,
                        DefaultRunSetting defaults) {

    public static final MergeBase NONE = new MergeBase(false, Set.of(), false, null);

    /**
     * @param valid the defaults bound, when they are valid and leave each run room in its run message; else null
     */
    static MergeBase of(JsonNode defaultRunSetting, DefaultRunSetting valid) {
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
                keys.size() + TrackingTags.COUNT > BatchRules.MAX_TAGS, valid);
    }
}
