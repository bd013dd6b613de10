package io.omicsbatch.resources;

/**
 * The pipeline's own CloudWatch metrics, in one place: the functions publish them (embedded metric format, through
 * Powertools) and the CDK stack's alarms and dashboard read them. A metric is its namespace, name and exact
 * dimension set, so both sides take all three from here.
 */
public final class MetricDefinitions {

    public static final String NAMESPACE = "OmicsBatch";

    /**
     * StartRun answers by what became of the run message, one per answer (Count), dimension {@link #OUTCOME}: the
     * values are {@code io.omicsbatch.batch.PipelineMetrics.Submission#dimensionValue()}.
     */
    public static final String SUBMISSIONS = "Submissions";
    public static final String OUTCOME = "Outcome";

    /** StartRun answers that were ThrottlingException (Count), no dimension. */
    public static final String START_RUN_THROTTLED = "StartRunThrottled";

    /** The shared StartRun pace, calls per second, sampled once per submit invocation (Count/Second), no dimension. */
    public static final String START_RUN_PACE = "StartRunPace";

    /** Batch status transitions made (Count), dimension {@link #STATUS}: the status moved to, as BatchStatus names it. */
    public static final String BATCH_TRANSITIONS = "BatchTransitions";
    public static final String STATUS = "Status";

    private MetricDefinitions() {}
}
