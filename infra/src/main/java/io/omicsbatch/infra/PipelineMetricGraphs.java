package io.omicsbatch.infra;

import io.omicsbatch.batch.BatchStatus;
import io.omicsbatch.batch.PipelineMetrics.Submission;
import io.omicsbatch.resources.MetricDefinitions;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Metric;

/**
 * The metrics the functions publish in embedded metric format (namespace {@value MetricDefinitions#NAMESPACE}),
 * as the alarms and the dashboard read them: namespace, name and dimensions from {@link MetricDefinitions}, the
 * same source the functions write with, so a metric cannot be renamed on one side only.
 */
final class PipelineMetricGraphs {

    private PipelineMetricGraphs() {}

    /** StartRun answers with this outcome, summed per period. */
    static Metric submissions(Submission outcome, Duration period) {
        return metric(MetricDefinitions.SUBMISSIONS, Map.of(MetricDefinitions.OUTCOME, outcome.dimensionValue()), "Sum",
                period, label(outcome));
    }

    /** StartRun answers that were ThrottlingException, summed per period. */
    static Metric startRunThrottled(Duration period) {
        return metric(MetricDefinitions.START_RUN_THROTTLED, Map.of(), "Sum", period, "StartRun throttled");
    }

    /** The shared StartRun pace (calls per second) the submit invocations saw. */
    static Metric startRunPace(String statistic, Duration period) {
        return metric(MetricDefinitions.START_RUN_PACE, Map.of(), statistic, period, "pace (" + statistic.toLowerCase(java.util.Locale.ROOT) + ")");
    }

    /** Batches that moved to {@code status}, summed per period. */
    static Metric batchTransitions(BatchStatus status, Duration period) {
        return metric(MetricDefinitions.BATCH_TRANSITIONS, Map.of(MetricDefinitions.STATUS, status.name()), "Sum", period,
                status.name());
    }

    private static Metric metric(String name, Map<String, String> dimensions, String statistic, Duration period,
                                 String label) {
        return Metric.Builder.create()
                .namespace(MetricDefinitions.NAMESPACE)
                .metricName(name)
                .dimensionsMap(dimensions)
                .statistic(statistic)
                .period(period)
                .label(label)
                .build();
    }

    private static String label(Submission outcome) {
        return switch (outcome) {
            case SUBMITTED -> "submitted";
            case RETRIED -> "retried (attempt spent)";
            case CONFLICT_RETRIED -> "conflict, retried";
            case QUOTA_WAIT -> "waiting for the active-run quota";
            case FAILED -> "submissions failed";
        };
    }
}
