package io.omicsbatch.settings;

/**
 * The tags omics-batch adds to every run it starts, so that a run can be traced back to its batch and run
 * setting from HealthOmics alone (and an event that arrives before our own record can be placed).
 */
public final class TrackingTags {

    public static final String PREFIX = "omics-batch:";
    public static final String BATCH_ID = PREFIX + "batchId";
    public static final String RUN_SETTING_ID = PREFIX + "runSettingId";
    public static final int COUNT = 2;

    private TrackingTags() {}
}
