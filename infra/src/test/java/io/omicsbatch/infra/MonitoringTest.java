package io.omicsbatch.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.omicsbatch.batch.PipelineMetrics.Submission;
import io.omicsbatch.resources.MetricDefinitions;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Alarms to the topic on the functions' EMF metrics (no log-text filter), the e-mail subscription, the dashboard. */
class MonitoringTest {

    @Test
    void everyDeadLetterQueueSubmissionFailuresThrottlingAndFunctionErrorsRaiseAnAlarmToTheTopic() {
        Synth synth = Synth.DEFAULT;
        Set<String> alarms = new TreeSet<>(synth.stack().monitoring().alarms().keySet());
        assertThat(alarms).containsExactlyInAnyOrder(
                "IntakeDeadLetterQueueNotEmpty", "RunDeadLetterQueueNotEmpty", "OperationDeadLetterQueueNotEmpty",
                "StatusDeadLetterQueueNotEmpty", "SubmissionFailures", "StartRunThrottlingSustained",
                "IntakeFunctionErrors", "SubmitFunctionErrors", "RunDlqFunctionErrors", "StatusFunctionErrors",
                "ReconcileFunctionErrors", "OperationsFunctionErrors");
        String topic = synth.logicalId(synth.stack().monitoring().topic());
        Map<String, JsonNode> resources = synth.resources("AWS::CloudWatch::Alarm");
        assertThat(resources).hasSize(alarms.size());
        for (JsonNode alarm : resources.values()) {
            JsonNode props = alarm.path("Properties");
            assertThat(Synth.references(props.path("AlarmActions"))).containsExactly(topic);
            assertThat(Synth.references(props.path("OKActions"))).containsExactly(topic);
            assertThat(props.path("TreatMissingData").asText()).isEqualTo("notBreaching");
        }

        // Each DLQ alarm watches its queue.
        for (var entry : Map.of(
                "IntakeDeadLetterQueueNotEmpty", synth.stack().intakeQueues().deadLetterQueue(),
                "RunDeadLetterQueueNotEmpty", synth.stack().runQueues().deadLetterQueue(),
                "OperationDeadLetterQueueNotEmpty", synth.stack().operationQueues().deadLetterQueue(),
                "StatusDeadLetterQueueNotEmpty", synth.stack().statusDeadLetterQueue()).entrySet()) {
            JsonNode props = synth.resource(synth.logicalId(synth.stack().monitoring().alarms().get(entry.getKey()))).path("Properties");
            assertThat(Synth.references(props.path("Metrics"))).containsOnly(synth.logicalId(entry.getValue()));
            assertThat(props.path("Threshold").asDouble()).isEqualTo(1);
        }
        JsonNode throttling = synth.resource(synth.logicalId(synth.stack().monitoring().alarms().get("StartRunThrottlingSustained"))).path("Properties");
        assertThat(field(throttling, "MetricName")).containsExactly(MetricDefinitions.START_RUN_THROTTLED);
        assertThat(field(throttling, "Namespace")).containsExactly(MetricDefinitions.NAMESPACE);
        assertThat(throttling.findValues("Dimensions")).isEmpty(); // the EMF metric has none: an alarm with any reads nothing
        assertThat(field(throttling, "Stat")).containsExactly("Sum");
        assertThat(throttling.path("EvaluationPeriods").asInt()).isEqualTo(3);
        assertThat(throttling.path("DatapointsToAlarm").asInt()).isEqualTo(3);
        assertThat(throttling.path("Threshold").asDouble()).isEqualTo(15); // 5% of 300 calls per 5 minutes at 1 TPS
        JsonNode failures = synth.resource(synth.logicalId(synth.stack().monitoring().alarms().get("SubmissionFailures"))).path("Properties");
        assertThat(field(failures, "MetricName")).containsExactly(MetricDefinitions.SUBMISSIONS);
        assertThat(field(failures, "Namespace")).containsExactly(MetricDefinitions.NAMESPACE);
        // Exactly the dimension the functions write (EmfPipelineMetricsTest reads it back from their EMF output).
        assertThat(failures.findValues("Dimensions")).hasSize(1);
        JsonNode dimensions = failures.findValues("Dimensions").get(0);
        assertThat(dimensions).hasSize(1);
        assertThat(dimensions.get(0).path("Name").asText()).isEqualTo(MetricDefinitions.OUTCOME);
        assertThat(dimensions.get(0).path("Value").asText()).isEqualTo("Failed").isEqualTo(Submission.FAILED.dimensionValue());
        assertThat(field(failures, "Stat")).containsExactly("Sum");
        JsonNode errors = synth.resource(synth.logicalId(synth.stack().monitoring().alarms().get("SubmitFunctionErrors"))).path("Properties");
        assertThat(field(errors, "MetricName")).containsExactly("Errors");
        assertThat(field(errors, "Namespace")).containsExactly("AWS/Lambda");
        assertThat(Synth.references(errors)).containsExactlyInAnyOrder(
                synth.logicalId(synth.stack().functions().get(OmicsBatchStack.SUBMIT).function()), synth.logicalId(synth.stack().monitoring().topic()),
                synth.logicalId(synth.stack().monitoring().topic()));
    }

    @Test
    void theTopicIsEncryptedAndMailsTheConfiguredAddressOnly() {
        for (Synth synth : List.of(Synth.DEFAULT, Synth.CONFIGURED)) {
            JsonNode topic = synth.resource(synth.logicalId(synth.stack().monitoring().topic()));
            assertThat(Synth.target(topic.path("Properties").path("KmsMasterKeyId")))
                    .isEqualTo(synth.logicalId(synth.stack().messageKey().key()));
        }
        Synth.DEFAULT.template().resourceCountIs("AWS::SNS::Subscription", 0);
        Synth.CONFIGURED.template().hasResourceProperties("AWS::SNS::Subscription", Map.of(
                "Protocol", "email", "Endpoint", "oncall@example.org",
                "TopicArn", Map.of("Ref", Synth.CONFIGURED.logicalId(Synth.CONFIGURED.stack().monitoring().topic()))));
    }

    @Test
    void noMetricIsParsedFromLogText() {
        for (Synth synth : List.of(Synth.DEFAULT, Synth.CONFIGURED)) {
            synth.template().resourceCountIs("AWS::Logs::MetricFilter", 0);
        }
    }

    @Test
    void everyMetricOfOurNamespaceOnTheDashboardIsOneTheFunctionsPublish() throws IOException {
        JsonNode dashboard = Synth.DEFAULT.resources("AWS::CloudWatch::Dashboard").values().iterator().next();
        String body = String.join("", Synth.strings(dashboard.path("Properties").path("DashboardBody").path("Fn::Join").get(1)));
        JsonNode widgets = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).path("widgets");
        Set<String> drawn = new TreeSet<>();
        for (JsonNode widget : widgets) {
            for (JsonNode metric : widget.path("properties").path("metrics")) {
                if (metric.isArray() && metric.get(0).asText().equals(MetricDefinitions.NAMESPACE)) {
                    StringBuilder id = new StringBuilder(metric.get(1).asText());
                    for (int i = 2; i + 1 < metric.size() && metric.get(i).isTextual(); i += 2) {
                        id.append(' ').append(metric.get(i).asText()).append('=').append(metric.get(i + 1).asText());
                    }
                    drawn.add(id.toString());
                }
            }
        }
        assertThat(drawn).containsExactlyInAnyOrder(
                "Submissions Outcome=Submitted", "Submissions Outcome=Retried", "Submissions Outcome=ConflictRetried",
                "Submissions Outcome=QuotaWait", "Submissions Outcome=Failed", "StartRunThrottled", "StartRunPace",
                "BatchTransitions Status=PENDING", "BatchTransitions Status=SUBMITTING",
                "BatchTransitions Status=INPROGRESS", "BatchTransitions Status=PROCESSED", "BatchTransitions Status=FAILED");
    }

    @Test
    void theDashboardShowsProgressAndTheStartRunRateAgainstTheQuota() throws Exception {
        for (Synth synth : List.of(Synth.DEFAULT, Synth.CONFIGURED)) {
            JsonNode dashboard = synth.resources("AWS::CloudWatch::Dashboard").values().iterator().next();
            assertThat(dashboard.path("Properties").path("DashboardName").asText()).isEqualTo("omics-batch");
            String body = String.join("", Synth.strings(dashboard.path("Properties").path("DashboardBody").path("Fn::Join").get(1))
                    .stream().toList());
            double quota = synth.stack().config().startRunTps() * 60;
            assertThat(body).contains("\"horizontal\":[{\"value\":" + OmicsBatchStack.plain(quota) + ",\"color\":\"#d62728\",\"label\":\"quota: startRunTps × 60\"");
            assertThat(body).contains("Submitted per minute vs StartRun quota", "StartRun pace", "Batch transitions",
                    "StartRun answers by outcome",
                    "SEARCH('{AWS/Omics} StartRun', 'Sum', 60)", "Runs waiting to be submitted",
                    "HealthOmics run status changes", "Dead-letter queues", "Function invocations per minute",
                    "Function errors per minute", "MatchedEvents");
        }
        assertThat(Synth.CONFIGURED.resources("AWS::CloudWatch::Dashboard").values().iterator().next().toString())
                .contains("maxActiveRuns");
    }

    /** Every value of a field anywhere in an alarm (single-metric alarms and metric-math alarms alike). */
    private static List<String> field(JsonNode alarm, String name) {
        return alarm.findValues(name).stream().map(JsonNode::asText).toList();
    }
}
