package io.omicsbatch.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.logs.FilterPattern;
import software.amazon.awscdk.services.logs.ILogGroup;
import software.amazon.awscdk.services.logs.MetricFilter;
import software.constructs.Construct;

/**
 * Metrics from the submit function's JSON logs (Powertools layout: the text is in {@code $.message}), in the
 * {@value #NAMESPACE} namespace:
 * <ul>
 *   <li>{@value #SUBMISSIONS_FAILED}: "submission failed in batch …" lines, one per run whose StartRun failed
 *       for good (validation, access, not found, or retries exhausted);</li>
 *   <li>{@value #START_RUN_THROTTLED}: lines naming ThrottlingException, one per throttled StartRun.</li>
 * </ul>
 * They follow {@code SubmitService}'s INFO messages; a test pins the patterns.
 */
public final class SubmitLogMetrics extends Construct {

    public static final String NAMESPACE = "OmicsBatch";
    public static final String SUBMISSIONS_FAILED = "SubmissionsFailed";
    public static final String START_RUN_THROTTLED = "StartRunThrottled";

    public SubmitLogMetrics(Construct scope, String id, ILogGroup submitLogs) {
        super(scope, id);
        MetricFilter.Builder.create(this, "SubmissionsFailedFilter")
                .logGroup(submitLogs)
                .filterPattern(FilterPattern.stringValue("$.message", "=", "submission failed in batch*"))
                .metricNamespace(NAMESPACE)
                .metricName(SUBMISSIONS_FAILED)
                .metricValue("1")
                .build();
        MetricFilter.Builder.create(this, "StartRunThrottledFilter")
                .logGroup(submitLogs)
                .filterPattern(FilterPattern.regexValue("$.message", "=", "ThrottlingException"))
                .metricNamespace(NAMESPACE)
                .metricName(START_RUN_THROTTLED)
                .metricValue("1")
                .build();
    }

    public Metric submissionsFailed(Duration period) {
        return metric(SUBMISSIONS_FAILED, period, "submissions failed");
    }

    public Metric startRunThrottled(Duration period) {
        return metric(START_RUN_THROTTLED, period, "StartRun throttled");
    }

    private static Metric metric(String name, Duration period, String label) {
        return Metric.Builder.create().namespace(NAMESPACE).metricName(name).statistic("Sum").period(period).label(label).build();
    }
}
