package io.omicsbatch.settings;

import com.fasterxml.jackson.databind.JsonNode;
import io.omicsbatch.model.OmicsModel;
import io.omicsbatch.model.OmicsModel.Shape;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Checks run settings one at a time, as they stream past: the InlineSetting shape, the batch rules, the
 * merged request (outputUri present, at most 50 tags with our tracking tags) and runSettingId uniqueness.
 * The only state that grows is the map of runSettingIds seen.
 */
final class RunSettingChecker {

    private static final Shape INLINE_SETTING = OmicsModel.get().shape("InlineSetting");

    private final MergeBase base;
    private final String listPointer;
    private final Map<String, Integer> firstIndexById = new HashMap<>();

    RunSettingChecker(MergeBase base, String listPointer) {
        this.base = base;
        this.listPointer = listPointer;
    }

    void check(JsonNode entry, int index, ValidationErrors errors) {
        String pointer = Pointers.child(listPointer, index);
        if (!ModelConstraints.checkStructure(entry, pointer, INLINE_SETTING, INLINE_SETTING.required(),
                BatchRules.REJECTED_IN_BATCH, errors)) {
            return;
        }
        BatchRules.checkS3Uri(entry.get("outputUri"), Pointers.child(pointer, "outputUri"), false, errors);
        JsonNode runTags = entry.get("runTags");
        BatchRules.checkTagKeys(runTags, Pointers.child(pointer, "runTags"), true, errors);
        checkMerged(entry, pointer, runTags, errors);
        checkUnique(entry.get("runSettingId"), index, pointer, errors);
    }

    private void checkMerged(JsonNode entry, String pointer, JsonNode runTags, ValidationErrors errors) {
        JsonNode outputUri = entry.get("outputUri");
        if ((outputUri == null || outputUri.isNull()) && !base.hasOutputUri()) {
            errors.add(Pointers.child(pointer, "outputUri"), Rule.REQUIRED,
                    "is required: set outputUri in this run setting or in defaultRunSetting");
        }
        if (base.defaultTagsOverLimit() || runTags == null || !runTags.isObject()) {
            return; // an over-full default is reported once, at /defaultRunSetting/runTags
        }
        Set<String> merged = new HashSet<>(base.runTagKeys());
        runTags.fieldNames().forEachRemaining(merged::add);
        int total = merged.size() + TrackingTags.COUNT;
        if (total > BatchRules.MAX_TAGS) {
            errors.add(Pointers.child(pointer, "runTags"), Rule.TAG_COUNT, "this run would carry " + total
                    + " tags (" + merged.size() + " merged runTags + " + TrackingTags.COUNT
                    + " omics-batch tracking tags); StartRun accepts at most " + BatchRules.MAX_TAGS);
        }
    }

    private void checkUnique(JsonNode runSettingId, int index, String pointer, ValidationErrors errors) {
        if (runSettingId == null || !runSettingId.isTextual()) {
            return;
        }
        Integer first = firstIndexById.putIfAbsent(runSettingId.textValue(), index);
        if (first != null) {
            errors.add(Pointers.child(pointer, "runSettingId"), Rule.DUPLICATE_RUN_SETTING_ID,
                    "runSettingId \"" + runSettingId.textValue() + "\" is already used at "
                            + Pointers.child(Pointers.child(listPointer, first), "runSettingId")
                            + "; runSettingIds must be unique within a batch");
        }
    }
}
