package io.omicsbatch.functions.aws;

import io.omicsbatch.batch.BatchStatus;
import io.omicsbatch.batch.PipelineMetrics;
import io.omicsbatch.resources.MetricDefinitions;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;
import software.amazon.lambda.powertools.metrics.provider.EmfMetricsProvider;
import software.amazon.lambda.powertools.metrics.provider.MetricsProvider;

/**
 * The pipeline metrics in CloudWatch embedded metric format, written by Powertools Metrics: counted in memory during
 * the invocation, then {@link #flush()} writes one EMF document per dimension set to stdout, which Lambda sends to
 * the function's log group, where CloudWatch extracts the metrics (no PutMetricData call, no permission). Names,
 * namespace and dimensions are {@link MetricDefinitions}', exactly: the environment's default dimensions
 * (Service, LogGroup, ...) are replaced, so the alarms find the metrics by those alone.
 *
 * <p>Each document comes from a fresh Powertools {@link Metrics} of the EMF provider rather than the
 * {@code MetricsFactory} singleton, which keeps one instance per X-Ray trace id until its flush and would keep
 * growing when an invocation records nothing. Neither recording nor flushing ever throws: metrics must not fail
 * a submission.
 */
public final class EmfPipelineMetrics implements PipelineMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(EmfPipelineMetrics.class);

    private final MetricsProvider provider;
    private final Map<Submission, Integer> submissions = new EnumMap<>(Submission.class);
    private final Map<BatchStatus, Integer> transitions = new EnumMap<>(BatchStatus.class);
    private int throttled;
    private Double pace;

    public EmfPipelineMetrics() {
        this(new EmfMetricsProvider());
    }

    EmfPipelineMetrics(MetricsProvider provider) {
        this.provider = provider;
    }

    @Override
    public synchronized void submission(Submission outcome) {
        submissions.merge(outcome, 1, Integer::sum);
    }

    @Override
    public synchronized void startRunThrottled() {
        throttled++;
    }

    @Override
    public synchronized void pace(double callsPerSecond) {
        pace = callsPerSecond;
    }

    @Override
    public synchronized void batchTransition(BatchStatus to) {
        transitions.merge(to, 1, Integer::sum);
    }

    /** Writes what was recorded since the last flush, and forgets it; nothing at all if nothing was recorded. */
    @Override
    public void flush() {
        Map<Map<String, String>, List<Value>> documents = drain();
        documents.forEach((dimensions, values) -> {
            try {
                Metrics document = provider.getMetricsInstance();
                document.setNamespace(MetricDefinitions.NAMESPACE);
                document.setDefaultDimensions(DimensionSet.of(dimensions));
                for (Value value : values) {
                    document.addMetric(value.name(), value.value(), value.unit());
                }
                document.flush();
            } catch (RuntimeException e) {
                LOG.warn("pipeline metrics {} not written: {}", values, e.toString());
            }
        });
    }

    /** The recorded values grouped by dimension set (the empty set: metrics without dimension). */
    private synchronized Map<Map<String, String>, List<Value>> drain() {
        Map<Map<String, String>, List<Value>> documents = new LinkedHashMap<>();
        submissions.forEach((outcome, count) -> documents.computeIfAbsent(
                Map.of(MetricDefinitions.OUTCOME, outcome.dimensionValue()), k -> new ArrayList<>())
                .add(new Value(MetricDefinitions.SUBMISSIONS, count, MetricUnit.COUNT)));
        transitions.forEach((status, count) -> documents.computeIfAbsent(
                Map.of(MetricDefinitions.STATUS, status.name()), k -> new ArrayList<>())
                .add(new Value(MetricDefinitions.BATCH_TRANSITIONS, count, MetricUnit.COUNT)));
        if (throttled > 0) {
            documents.computeIfAbsent(Map.of(), k -> new ArrayList<>())
                    .add(new Value(MetricDefinitions.START_RUN_THROTTLED, throttled, MetricUnit.COUNT));
        }
        if (pace != null) {
            documents.computeIfAbsent(Map.of(), k -> new ArrayList<>())
                    .add(new Value(MetricDefinitions.START_RUN_PACE, pace, MetricUnit.COUNT_SECOND));
        }
        submissions.clear();
        transitions.clear();
        throttled = 0;
        pace = null;
        return documents;
    }

    private record Value(String name, double value, MetricUnit unit) {}
}
