package io.omicsbatch.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

/** Alarms to the topic, the e-mail subscription, the metric filters on the submit logs, the dashboard. */
class MonitoringTest {

    @Test
    void everyDeadLetterQueueSubmissionFailuresThrottlingAndFunctionErrorsRaiseAnAlarmToTheTopic() {
        Synth synth = Synth.DEFAULT;
        Set<String> alarms = new TreeSet<>(synth.stack().monitoring().alarms().keySet());
        assertThat(alarms).containsExactlyInAnyOrder(
                "IntakeDeadLetterQueueNotEmpty", "RunDeadLetterQueueNotEmpty", "StatusDeadLetterQueueNotEmpty",
                "SubmissionFailures", "StartRunThrottlingSustained",
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
                "StatusDeadLetterQueueNotEmpty", synth.stack().statusDeadLetterQueue()).entrySet()) {
            JsonNode props = synth.resource(synth.logicalId(synth.stack().monitoring().alarms().get(entry.getKey()))).path("Properties");
            assertThat(Synth.references(props.path("Metrics"))).containsOnly(synth.logicalId(entry.getValue()));
            assertThat(props.path("Threshold").asDouble()).isEqualTo(1);
        }
        JsonNode throttling = synth.resource(synth.logicalId(synth.stack().monitoring().alarms().get("StartRunThrottlingSustained"))).path("Properties");
        assertThat(field(throttling, "MetricName")).containsExactly(SubmitLogMetrics.START_RUN_THROTTLED);
        assertThat(field(throttling, "Namespace")).containsExactly(SubmitLogMetrics.NAMESPACE);
        assertThat(throttling.path("EvaluationPeriods").asInt()).isEqualTo(3);
        assertThat(throttling.path("DatapointsToAlarm").asInt()).isEqualTo(3);
        assertThat(throttling.path("Threshold").asDouble()).isEqualTo(15); // 5% of 300 calls per 5 minutes at 1 TPS
        JsonNode failures = synth.resource(synth.logicalId(synth.stack().monitoring().alarms().get("SubmissionFailures"))).path("Properties");
        assertThat(field(failures, "MetricName")).containsExactly(SubmitLogMetrics.SUBMISSIONS_FAILED);
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
    void theSubmitLogFiltersMatchWhatSubmitServiceLogs() throws IOException {
        Synth synth = Synth.DEFAULT;
        String submitLogs = synth.logicalId(synth.stack().functions().get(OmicsBatchStack.SUBMIT).logGroup());
        synth.template().hasResourceProperties("AWS::Logs::MetricFilter", Map.of(
                "LogGroupName", Map.of("Ref", submitLogs),
                "FilterPattern", "{ $.message = \"submission failed in batch*\" }",
                "MetricTransformations", List.of(Match.objectLike(Map.of(
                        "MetricNamespace", "OmicsBatch", "MetricName", "SubmissionsFailed", "MetricValue", "1")))));
        synth.template().hasResourceProperties("AWS::Logs::MetricFilter", Map.of(
                "LogGroupName", Map.of("Ref", submitLogs),
                "FilterPattern", "{ $.message = %ThrottlingException% }",
                "MetricTransformations", List.of(Match.objectLike(Map.of(
                        "MetricNamespace", "OmicsBatch", "MetricName", "StartRunThrottled", "MetricValue", "1")))));
        // The messages these patterns count (shared/.../SubmitService.java): a change there must change the filters.
        String source = Files.readString(repositoryRoot().resolve("shared/src/main/java/io/omicsbatch/batch/SubmitService.java"));
        assertThat(source).contains("LOG.info(\"submission failed in batch {}: {}\"");
        assertThat(source).contains("LOG.info(\"StartRun attempt {} of batch {} failed with {}; retrying\"");
        assertThat(Files.readString(repositoryRoot().resolve("functions/src/main/resources/log4j2.xml")))
                .contains("classpath:LambdaJsonLayout.json");
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
            assertThat(body).contains("Submitted per minute vs StartRun quota", "NumberOfMessagesDeleted",
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

    static Path repositoryRoot() {
        return Synth.repositoryRoot();
    }
}
