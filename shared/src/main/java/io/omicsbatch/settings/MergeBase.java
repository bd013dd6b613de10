package io.omicsbatch.settings;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;

/**
 * What the per-run checks need to know of the defaults to judge the merged StartRun request: whether an
 * outputUri is inherited, and which run tag keys are. Read leniently from the default run setting, so runs
 * are still checked when the defaults themselves have errors. The merged request's size is checked only
 * against valid defaults ({@code defaults}, null otherwise). {@code resubmit}: the batch is a resubmit batch, whose
 * runs carry the lineage tag too ({@link TrackingTags#count}).
 */
public record MergeBase(boolean hasOutputUri, Set<String> runTagKeys, boolean defaultTagsOverLimit,
                        DefaultRunSetting defaults, boolean resubmit) {

    public static final MergeBase NONE = new MergeBase(false, Set.of(), false, null);

    /** The merge base of a batch that is not a resubmit. */
    public MergeBase(boolean hasOutputUri, Set<String> runTagKeys, boolean defaultTagsOverLimit, DefaultRunSetting defaults) {
        this(hasOutputUri, runTagKeys, defaultTagsOverLimit, defaults, false);
    }

    /** How many tracking tags each run carries on top of its merged runTags. */
    public int trackingTags() {
        return TrackingTags.count(resubmit);
    }

    /**
     * @param valid the defaults bound, when they are valid and leave each run room in its run message; else null
     */
    static MergeBase of(JsonNode defaultRunSetting, DefaultRunSetting valid, boolean resubmit) {
        if (defaultRunSetting == null || !defaultRunSetting.isObject()) {
            return resubmit ? new MergeBase(false, Set.of(), false, null, true) : NONE;
        }
        JsonNode outputUri = defaultRunSetting.get("outputUri");
        Set<String> keys = new HashSet<>();
        JsonNode runTags = defaultRunSetting.get("runTags");
        if (runTags != null && runTags.isObject()) {
            runTags.fieldNames().forEachRemaining(keys::add);
        }
        return new MergeBase(outputUri != null && !outputUri.isNull(), Set.copyOf(keys),
                keys.size() + TrackingTags.count(resubmit) > BatchRules.MAX_TAGS, valid, resubmit);
    }
}
