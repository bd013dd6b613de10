package io.omicsbatch.settings;

import java.util.Map;

/**
 * The tags omics-batch adds to every run it starts, so that a run can be traced back to its batch and run
 * setting from HealthOmics alone (and an event that arrives before our own record can be placed). The runs of a
 * resubmit batch carry a third, their lineage: {@link #RESUBMIT_OF} names the batch the run settings were taken from
 * (the immediate parent: a resubmit of a resubmit names the first resubmit, whose own runs name the original).
 */
public final class TrackingTags {

    public static final String PREFIX = "omics-batch:";
    public static final String BATCH_ID = PREFIX + "batchId";
    public static final String RUN_SETTING_ID = PREFIX + "runSettingId";
    public static final String RESUBMIT_OF = PREFIX + "resubmitOf";
    /** The tracking tags of every run. */
    public static final int COUNT = 2;

    private TrackingTags() {}

    /** How many tracking tags each run of a batch carries: {@link #COUNT}, and the lineage tag on a resubmit's runs. */
    public static int count(boolean resubmit) {
        return resubmit ? COUNT + 1 : COUNT;
    }

    /**
     * Adds the run's tracking tags (over any run tag of the same key, which validation refuses anyway).
     *
     * @param resubmitOf the batch a resubmit batch was made from, or null for any other batch
     */
    static void addTo(Map<String, String> tags, String batchId, String runSettingId, String resubmitOf) {
        tags.put(BATCH_ID, batchId);
        tags.put(RUN_SETTING_ID, runSettingId);
        if (resubmitOf != null) {
            tags.put(RESUBMIT_OF, resubmitOf);
        }
    }
}
