package io.omicsbatch.settings;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns the defaults and one run setting into the complete StartRun request, as StartRunBatch does:
 * {@code parameters} and {@code runTags} are shallow-merged with the run's value winning on a clash;
 * {@code name}, {@code outputUri}, {@code priority}, {@code engineSettings} and {@code outputBucketOwnerId}
 * from the run override the default; everything else is batch-level. The run's tags are the merged runTags
 * plus our tracking tags ({@link TrackingTags}: two, and the lineage tag on the runs of a resubmit batch).
 */
public final class RunRequestMerger {

    private final String batchId;
    private final String resubmitOf;
    private final DefaultRunSetting defaults;

    public RunRequestMerger(String batchId, DefaultRunSetting defaults) {
        this(batchId, null, defaults);
    }

    /** @param resubmitOf the batch a resubmit batch was made from (its runs' lineage tag), or null */
    public RunRequestMerger(String batchId, String resubmitOf, DefaultRunSetting defaults) {
        this.batchId = batchId;
        this.resubmitOf = resubmitOf;
        this.defaults = defaults;
    }

    public RunRequest merge(RunSetting run) {
        Map<String, String> tags = new LinkedHashMap<>();
        putAll(tags, defaults.runTags());
        putAll(tags, run.runTags());
        TrackingTags.addTo(tags, batchId, run.runSettingId(), resubmitOf);
        return new RunRequest(
                batchId,
                run.runSettingId(),
                BatchIdentity.runRequestId(batchId, run.runSettingId()),
                defaults.workflowId(),
                defaults.workflowType(),
                defaults.roleArn(),
                first(run.name(), defaults.name()),
                defaults.cacheId(),
                defaults.cacheBehavior(),
                defaults.runGroupId(),
                first(run.priority(), defaults.priority()),
                mergeObjects(defaults.parameters(), run.parameters()),
                defaults.storageCapacity(),
                first(run.outputUri(), defaults.outputUri()),
                defaults.logLevel(),
                Collections.unmodifiableMap(tags),
                defaults.retentionMode(),
                defaults.storageType(),
                defaults.workflowOwnerId(),
                defaults.workflowVersionName(),
                defaults.networkingMode(),
                defaults.configurationName(),
                first(run.engineSettings(), defaults.engineSettings()),
                defaults.scratchStorageMode(),
                first(run.outputBucketOwnerId(), defaults.outputBucketOwnerId()));
    }

    private static ObjectNode mergeObjects(ObjectNode defaults, ObjectNode run) {
        if (defaults == null && run == null) {
            return null;
        }
        ObjectNode merged = SettingsJson.MAPPER.createObjectNode();
        if (defaults != null) {
            merged.setAll(defaults.deepCopy());
        }
        if (run != null) {
            merged.setAll(run.deepCopy());
        }
        return merged;
    }

    private static void putAll(Map<String, String> target, Map<String, String> source) {
        if (source != null) {
            target.putAll(source);
        }
    }

    private static <T> T first(T run, T defaults) {
        return run != null ? run : defaults;
    }
}
