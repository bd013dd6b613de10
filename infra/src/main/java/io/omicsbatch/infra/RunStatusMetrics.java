package io.omicsbatch.infra;

import io.omicsbatch.resources.ResourceDefinitions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.events.Rule;
import software.constructs.Construct;

/**
 * Counts HealthOmics run status changes by status for the dashboard: one target-less rule per status, whose
 * {@code AWS/Events MatchedEvents} metric is the number of such events per period. HealthOmics events carry
 * no tags, so these are the account's runs (ours and any other tool's), and, EventBridge being best effort,
 * transitions seen rather than exact counts: exact per-batch counts are the batch records and batch events.
 */
public final class RunStatusMetrics extends Construct {

    public static final List<String> STATUSES = List.of("RUNNING", "COMPLETED", "FAILED", "CANCELLED");

    private final Map<String, Rule> rules = new LinkedHashMap<>();

    public RunStatusMetrics(Construct scope, String id) {
        super(scope, id);
        for (String status : STATUSES) {
            Map<String, Object> pattern = EventPatterns.parse(ResourceDefinitions.RUN_STATUS_CHANGE_PATTERN);
            pattern.put("detail", Map.of("status", List.of(status)));
            rules.put(status, Rule.Builder.create(this, "Count" + status)
                    .description("omics-batch dashboard: counts HealthOmics runs becoming " + status + " (no target)")
                    .eventPattern(EventPatterns.from(pattern))
                    .build());
        }
    }

    public Metric changes(String status) {
        return Metric.Builder.create()
                .namespace("AWS/Events")
                .metricName("MatchedEvents")
                .dimensionsMap(Map.of("RuleName", rules.get(status).getRuleName()))
                .statistic("Sum")
                .period(Duration.minutes(5))
                .label(status)
                .build();
    }
}
