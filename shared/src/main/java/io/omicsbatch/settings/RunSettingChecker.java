package io.omicsbatch.settings;

import com.fasterxml.jackson.databind.JsonNode;
import io.omicsbatch.model.OmicsModel;
import io.omicsbatch.model.OmicsModel.Shape;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Checks run settings one at a time, as they stream past: the InlineSetting shape, the batch rules, the
 * merged request (outputUri present, at most 50 tags with our tracking tags, small enough for its run
 * message) and runSettingId uniqueness. The only state that grows is the set of runSettingIds seen, kept as
 * 128-bit hashes so that each costs the same memory however long it is.
 */
final class RunSettingChecker {

    private static final Shape INLINE_SETTING = OmicsModel.get().shape("InlineSetting");
    /** How much of an id a message quotes: ids over the model's 128 characters are already errors of their own. */
    private static final int ID_QUOTED_CHARS = 128;

    private final MergeBase base;
    private final String listPointer;
    private final RunRequestSize requestSize;
    private final Map<IdHash, Integer> firstIndexById = new HashMap<>();
    private final MessageDigest sha256;

    RunSettingChecker(MergeBase base, String listPointer) {
        this.base = base;
        this.listPointer = listPointer;
        this.requestSize = base.defaults() == null ? null : new RunRequestSize(base.defaults(), base.resubmit());
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    void check(JsonNode entry, int index, ValidationErrors errors) {
        String pointer = Pointers.child(listPointer, index);
        long before = errors.total();
        if (!ModelConstraints.checkStructure(entry, pointer, INLINE_SETTING, INLINE_SETTING.required(),
                BatchRules.REJECTED_IN_BATCH, errors)) {
            return;
        }
        BatchRules.checkS3Uri(entry.get("outputUri"), Pointers.child(pointer, "outputUri"), false, errors);
        JsonNode runTags = entry.get("runTags");
        BatchRules.checkTagKeys(runTags, Pointers.child(pointer, "runTags"), true, errors);
        checkMerged(entry, pointer, runTags, errors);
        if (requestSize != null && errors.total() == before) {
            requestSize.check(entry, pointer, errors);
        }
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
        int total = merged.size() + base.trackingTags();
        if (total > BatchRules.MAX_TAGS) {
            errors.add(Pointers.child(pointer, "runTags"), Rule.TAG_COUNT, "this run would carry " + total
                    + " tags (" + merged.size() + " merged runTags + " + base.trackingTags()
                    + " omics-batch tracking tags); StartRun accepts at most " + BatchRules.MAX_TAGS);
        }
    }

    private void checkUnique(JsonNode runSettingId, int index, String pointer, ValidationErrors errors) {
        if (runSettingId == null || !runSettingId.isTextual()) {
            return;
        }
        String id = runSettingId.textValue();
        Integer first = firstIndexById.putIfAbsent(hash(id), index);
        if (first != null) {
            String quoted = id.length() <= ID_QUOTED_CHARS ? id : id.substring(0, ID_QUOTED_CHARS) + ValidationError.CUT;
            errors.add(Pointers.child(pointer, "runSettingId"), Rule.DUPLICATE_RUN_SETTING_ID,
                    "runSettingId \"" + quoted + "\" is already used at "
                            + Pointers.child(Pointers.child(listPointer, first), "runSettingId")
                            + "; runSettingIds must be unique within a batch");
        }
    }

    /**
     * Half of SHA-256: two different ids share it with odds of about n^2 / 2^129 (1 in 10^28 for 100,000 ids), and
     * no one can make two ids collide on purpose.
     */
    private IdHash hash(String id) {
        byte[] digest = sha256.digest(id.getBytes(StandardCharsets.UTF_8));
        ByteBuffer bytes = ByteBuffer.wrap(digest);
        return new IdHash(bytes.getLong(), bytes.getLong());
    }

    private record IdHash(long high, long low) {}
}
