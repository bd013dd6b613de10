package io.omicsbatch.infra;

import io.omicsbatch.batch.BatchStatus;
import io.omicsbatch.batch.PipelineMetrics.Submission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.AlarmStatusWidget;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.HorizontalAnnotation;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/**
 * Alarms to an SNS topic (encrypted with the data key; e-mail subscription when {@code alarmEmail} is set) and
 * the {@value #DASHBOARD_NAME} dashboard.
 *
 * <p>Alarms, each on 5-minute periods: any dead-letter queue not empty (intake, run, operations, status events); runs whose
 * submission failed (the functions' {@code Submissions} metric, outcome Failed, ≥ 1); StartRun throttled in each of
 * {@value #THROTTLE_PERIODS} consecutive periods more than 5% of the calls the configured rate allows (the
 * pacer slows down on throttling, so sustained throttling means something else shares the quota); any
 * function error. The pipeline's own metrics are the ones the functions publish in embedded metric format
 * ({@link PipelineMetricGraphs}), not patterns over log text.
 */
public final class Monitoring extends Construct {

    public static final String DASHBOARD_NAME = "omics-batch";
    public static final Duration PERIOD = Duration.minutes(5);
    public static final int THROTTLE_PERIODS = 3;
    /** The transitions the dashboard draws: a batch's way through, and its failure. */
    static final BatchStatus[] BATCH_TRANSITIONS = {BatchStatus.PENDING, BatchStatus.SUBMITTING, BatchStatus.INPROGRESS,
            BatchStatus.PROCESSED, BatchStatus.FAILED};

    /** What the alarms and the dashboard watch. */
    public record Watched(Map<String, OmicsBatchFunction> functions, QueueWithDeadLetter intake,
                          QueueWithDeadLetter runs, QueueWithDeadLetter operations, IQueue statusDeadLetterQueue,
                          RunStatusMetrics statusMetrics, StackConfig config) {}

    private final Topic topic;
    private final Map<String, Alarm> alarms = new LinkedHashMap<>();
    private final Dashboard dashboard;

    public Monitoring(Construct scope, String id, IKey key, Watched watched) {
        super(scope, id);
        topic = Topic.Builder.create(this, "AlarmTopic")
                .displayName("omics-batch alarms")
                .masterKey(key)
                .enforceSsl(true)
                .build();
        if (watched.config().alarmEmail() != null) {
            topic.addSubscription(new EmailSubscription(watched.config().alarmEmail()));
        }

        alarm("IntakeDeadLetterQueueNotEmpty", "settings notifications the intake could not handle (batches not started)",
                depth(watched.intake().deadLetterQueue(), "intake DLQ"), 1, 1);
        alarm("RunDeadLetterQueueNotEmpty", "run messages dead-lettered (recorded as failed submissions by the run-dlq function)",
                depth(watched.runs().deadLetterQueue(), "run DLQ"), 1, 1);
        alarm("OperationDeadLetterQueueNotEmpty", "operation requests (cancel, delete runs, delete, resubmit) the "
                        + "operations function could not handle: the operation did not happen or did not finish",
                depth(watched.operations().deadLetterQueue(), "operation DLQ"), 1, 1);
        alarm("StatusDeadLetterQueueNotEmpty", "HealthOmics status events not delivered to or not handled by the status function",
                depth(watched.statusDeadLetterQueue(), "status DLQ"), 1, 1);
        alarm("SubmissionFailures", "runs whose StartRun failed for good (see the submit function's logs)",
                PipelineMetricGraphs.submissions(Submission.FAILED, PERIOD), 1, 1);
        alarm("StartRunThrottlingSustained", "StartRun throttled for " + (THROTTLE_PERIODS * 5)
                        + " minutes: another tool shares the StartRun quota, or startRunTps exceeds it",
                PipelineMetricGraphs.startRunThrottled(PERIOD), throttleThreshold(watched.config().startRunTps()),
                THROTTLE_PERIODS);
        watched.functions().forEach((name, fn) -> alarm(capitalized(name) + "FunctionErrors",
                "the " + name + " function failed (errors or timeouts)",
                fn.function().metricErrors(MetricOptions.builder().period(PERIOD).statistic("Sum").build()), 1, 1));
        SnsAction action = new SnsAction(topic);
        alarms.values().forEach(alarm -> {
            alarm.addAlarmAction(action);
            alarm.addOkAction(action);
        });

        dashboard = Dashboard.Builder.create(this, "Dashboard").dashboardName(DASHBOARD_NAME).build();
        addWidgets(watched);
    }

    /** Throttled calls per period that count as sustained throttling: 5% of the period's paced calls, at least 5. */
    static double throttleThreshold(double startRunTps) {
        return Math.max(5, Math.ceil(startRunTps * PERIOD.toSeconds().doubleValue() * 0.05));
    }

    private void alarm(String id, String what, IMetric metric, double threshold, int periods) {
        alarms.put(id, Alarm.Builder.create(this, id)
                .alarmDescription("omics-batch: " + what)
                .metric(metric)
                .threshold(threshold)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .evaluationPeriods(periods)
                .datapointsToAlarm(periods)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build());
    }

    /** Messages in a queue, visible or being received. */
    private static IMetric depth(IQueue queue, String label) {
        String id = label.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "");
        Map<String, IMetric> metrics = new LinkedHashMap<>(); // ordered: the template must not change between synths
        metrics.put("visible" + id, queue.metricApproximateNumberOfMessagesVisible(max()));
        metrics.put("inflight" + id, queue.metricApproximateNumberOfMessagesNotVisible(max()));
        return MathExpression.Builder.create()
                .expression("visible" + id + " + inflight" + id)
                .usingMetrics(metrics)
                .label(label + " messages")
                .period(PERIOD)
                .build();
    }

    private static MetricOptions max() {
        return MetricOptions.builder().statistic("Maximum").period(PERIOD).build();
    }

    private void addWidgets(Watched watched) {
        double quotaPerMinute = watched.config().startRunTps() * 60;
        IQueue runQueue = watched.runs().queue();
        MetricOptions perMinute = MetricOptions.builder().statistic("Sum").period(Duration.minutes(1)).build();

        dashboard.addWidgets(TextWidget.Builder.create()
                .markdown("## omics-batch\nA batch's progress: runs waiting in the run queue, submitted per minute against "
                        + "the StartRun quota (" + plain(watched.config().startRunTps()) + " TPS = " + plain(quotaPerMinute)
                        + "/min)" + (watched.config().maxActiveRuns() == null ? ""
                                : ", active-run quota (maxActiveRuns) " + watched.config().maxActiveRuns())
                        + ", HealthOmics status changes, failures. Exact per-batch counts: the batches table and the "
                        + "`RunBatch Status Change` events. See docs/deploy.md.")
                .width(24).height(2).build());

        List<IMetric> waiting = List.of(
                runQueue.metricApproximateNumberOfMessagesVisible(labelled("ready", "Maximum")),
                runQueue.metricApproximateNumberOfMessagesNotVisible(labelled("being submitted", "Maximum")),
                runQueue.metric("ApproximateNumberOfMessagesDelayed", labelled("waiting (paced or quota)", "Maximum")));
        dashboard.addWidgets(
                GraphWidget.Builder.create().title("Runs waiting to be submitted (run queue)").stacked(true)
                        .left(waiting).width(8).height(6).build(),
                GraphWidget.Builder.create().title("Submitted per minute vs StartRun quota")
                        .left(List.of(
                                PipelineMetricGraphs.submissions(Submission.SUBMITTED, Duration.minutes(1)),
                                MathExpression.Builder.create()
                                        .expression("SEARCH('{AWS/Omics} StartRun', 'Sum', 60)")
                                        .usingMetrics(Map.of())
                                        .label("StartRun calls (whole account, AWS/Omics)")
                                        .period(Duration.minutes(1))
                                        .build()))
                        .leftAnnotations(List.of(HorizontalAnnotation.builder()
                                .value(quotaPerMinute)
                                .label("quota: startRunTps × 60")
                                .color("#d62728")
                                .build()))
                        .width(8).height(6).build(),
                GraphWidget.Builder.create().title("HealthOmics run status changes (account, per 5 min)")
                        .left(RunStatusMetrics.STATUSES.stream().map(s -> (IMetric) watched.statusMetrics().changes(s)).toList())
                        .width(8).height(6).build());

        List<IMetric> outcomes = new ArrayList<>();
        for (Submission outcome : Submission.values()) {
            outcomes.add(PipelineMetricGraphs.submissions(outcome, PERIOD));
        }
        outcomes.add(PipelineMetricGraphs.startRunThrottled(PERIOD));
        dashboard.addWidgets(
                GraphWidget.Builder.create().title("StartRun answers by outcome, and throttles (per 5 min)")
                        .left(outcomes).width(8).height(6).build(),
                GraphWidget.Builder.create().title("StartRun pace (calls per second, shared by the submit functions)")
                        .left(List.of(PipelineMetricGraphs.startRunPace("Minimum", Duration.minutes(1)),
                                PipelineMetricGraphs.startRunPace("Average", Duration.minutes(1))))
                        .leftAnnotations(List.of(HorizontalAnnotation.builder()
                                .value(watched.config().startRunTps())
                                .label("startRunTps")
                                .color("#d62728")
                                .build()))
                        .width(8).height(6).build(),
                GraphWidget.Builder.create().title("Batch transitions (per 5 min)")
                        .left(Arrays.stream(BATCH_TRANSITIONS)
                                .map(status -> (IMetric) PipelineMetricGraphs.batchTransitions(status, PERIOD)).toList())
                        .width(8).height(6).build());

        dashboard.addWidgets(
                GraphWidget.Builder.create().title("Dead-letter queues (messages)")
                        .left(List.of(
                                depth(watched.intake().deadLetterQueue(), "intake DLQ"),
                                depth(watched.runs().deadLetterQueue(), "run DLQ"),
                                depth(watched.statusDeadLetterQueue(), "status DLQ")))
                        .width(12).height(6).build(),
                GraphWidget.Builder.create().title("Age of oldest message (seconds)")
                        .left(List.of(
                                runQueue.metricApproximateAgeOfOldestMessage(labelled("run queue", "Maximum")),
                                watched.intake().queue().metricApproximateAgeOfOldestMessage(labelled("intake queue", "Maximum"))))
                        .width(12).height(6).build());

        List<IMetric> invocations = new ArrayList<>();
        List<IMetric> errors = new ArrayList<>();
        List<IMetric> durations = new ArrayList<>();
        watched.functions().forEach((name, fn) -> {
            invocations.add(fn.function().metricInvocations(labelled(name, "Sum", perMinute)));
            errors.add(fn.function().metricErrors(labelled(name, "Sum", perMinute)));
            durations.add(fn.function().metricDuration(labelled(name, "p99", perMinute)));
        });
        dashboard.addWidgets(
                GraphWidget.Builder.create().title("Function invocations per minute").left(invocations).width(8).height(6).build(),
                GraphWidget.Builder.create().title("Function errors per minute").left(errors).width(8).height(6).build(),
                GraphWidget.Builder.create().title("Function duration p99 (ms)").left(durations).width(8).height(6).build());
        dashboard.addWidgets(AlarmStatusWidget.Builder.create()
                .title("Alarms")
                .alarms(new ArrayList<IAlarm>(alarms.values()))
                .width(24).height(4).build());
    }

    private static MetricOptions labelled(String label, String statistic) {
        return MetricOptions.builder().label(label).statistic(statistic).period(Duration.minutes(1)).build();
    }

    private static MetricOptions labelled(String label, String statistic, MetricOptions base) {
        return MetricOptions.builder().label(label).statistic(statistic).period(base.getPeriod()).build();
    }

    private static String capitalized(String name) {
        StringBuilder out = new StringBuilder();
        for (String part : name.split("-")) {
            out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return out.toString();
    }

    private static String plain(double number) {
        return number == Math.rint(number) ? Long.toString((long) number) : Double.toString(number);
    }

    public Topic topic() {
        return topic;
    }

    public Map<String, Alarm> alarms() {
        return alarms;
    }

    public Dashboard dashboard() {
        return dashboard;
    }

}
