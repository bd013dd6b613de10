package io.omicsbatch.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.batch.BatchNotification;
import io.omicsbatch.batch.BatchNotificationPaths;
import io.omicsbatch.batch.InputTransformer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The batch-end e-mail: topic, subscription, rule and input transformer (context notifyEmail, notifyTopicArn). */
class BatchNotificationsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXISTING_TOPIC = "arn:aws:sns:us-east-1:123456789012:lab-batches";

    @Test
    void withoutNotifyContextThereIsNoNotificationRuleNorTopic() {
        Synth synth = Synth.DEFAULT;
        assertThat(synth.stack().notifications()).isNull();
        assertThat(synth.resources("AWS::SNS::Topic")).hasSize(1); // the alarm topic
        assertThat(notificationRules(synth)).isEmpty();
        assertThat(synth.json().path("Outputs").has("NotificationTopicArn")).isFalse();
    }

    @Test
    void theTopicIsEncryptedWithTheMessageKeyRefusesPlainHttpAndMailsTheAddress() {
        Synth synth = Synth.CONFIGURED;
        String topic = synth.logicalId(synth.stack().notifications().topic());
        JsonNode props = synth.resource(topic).path("Properties");
        assertThat(Synth.target(props.path("KmsMasterKeyId"))).isEqualTo(synth.logicalId(synth.stack().messageKey().key()));
        synth.template().hasResourceProperties("AWS::SNS::Subscription", Map.of(
                "Protocol", "email", "Endpoint", "lab@example.org", "TopicArn", Map.of("Ref", topic)));

        JsonNode policy = topicPolicy(synth, topic);
        boolean publishFromEventBridge = false;
        boolean denyInsecure = false;
        for (JsonNode statement : policy.path("PolicyDocument").path("Statement")) {
            if (statement.path("Effect").asText().equals("Allow")
                    && statement.path("Principal").path("Service").asText().equals("events.amazonaws.com")
                    && statement.path("Action").asText().equals("sns:Publish")) {
                publishFromEventBridge = true;
            }
            if (statement.path("Effect").asText().equals("Deny")
                    && statement.path("Condition").path("Bool").path("aws:SecureTransport").asText().equals("false")) {
                denyInsecure = true;
            }
        }
        assertThat(publishFromEventBridge).as("EventBridge may publish to the topic").isTrue();
        assertThat(denyInsecure).as("the topic refuses requests without TLS").isTrue();

        // EventBridge may use the message key to publish to the encrypted topic.
        JsonNode keyPolicy = synth.resource(synth.logicalId(synth.stack().messageKey().key())).path("Properties").path("KeyPolicy");
        boolean eventsUseKey = false;
        for (JsonNode statement : keyPolicy.path("Statement")) {
            if (statement.path("Principal").path("Service").asText().equals("events.amazonaws.com")) {
                eventsUseKey |= Synth.strings(statement.path("Action")).containsAll(List.of("kms:GenerateDataKey", "kms:Decrypt"));
            }
        }
        assertThat(eventsUseKey).isTrue();
        assertThat(synth.json().path("Outputs").path("NotificationTopicArn").path("Value").path("Ref").asText()).isEqualTo(topic);
    }

    @Test
    void theRuleFollowsOurBatchEventsOnTheConfiguredBusToOurTopicAndTheExistingOne() throws Exception {
        Synth synth = Synth.CONFIGURED;
        List<JsonNode> rules = notificationRules(synth);
        assertThat(rules).hasSize(1);
        JsonNode rule = rules.get(0).path("Properties");
        assertThat(rule.path("EventBusName").asText()).isEqualTo("genomics-events");
        assertThat(rule.path("State").asText("ENABLED")).isEqualTo("ENABLED");
        assertThat(rule.path("EventPattern"))
                .isEqualTo(JSON.readTree(BatchNotification.eventPattern(OmicsBatchStack.BATCH_EVENT_SOURCE_NAME)));

        JsonNode targets = rule.path("Targets");
        assertThat(targets).hasSize(2);
        List<Object> arns = new ArrayList<>();
        for (JsonNode target : targets) {
            arns.add(target.path("Arn").has("Ref") ? target.path("Arn").path("Ref").asText() : target.path("Arn").asText());
        }
        assertThat(arns).containsExactlyInAnyOrder(synth.logicalId(synth.stack().notifications().topic()), EXISTING_TOPIC);
    }

    @Test
    void theTransformerMakesExactlyTheMessageTheLocalRunnerRendersAndNamesNoSample() throws Exception {
        Synth synth = Synth.CONFIGURED;
        for (JsonNode target : notificationRules(synth).get(0).path("Properties").path("Targets")) {
            JsonNode transformer = target.path("InputTransformer");
            Map<String, String> paths = new LinkedHashMap<>();
            transformer.path("InputPathsMap").fields().forEachRemaining(e -> paths.put(e.getKey(), e.getValue().asText()));
            assertThat(new HashSet<>(paths.values())).isEqualTo(new HashSet<>(BatchNotificationPaths.PATHS.values()));
            assertThat(transformer.path("InputTemplate").isTextual()).isTrue();
            InputTransformer deployed = new InputTransformer(paths, transformer.path("InputTemplate").asText());

            for (JsonNode event : List.of(processedEvent(), failedEvent())) {
                String message = deployed.apply(event);
                assertThat(message).isEqualTo(BatchNotification.render(event));
                assertThat(message).contains("wgs-cohort-a (661c25bebe8f1e4d058d)").doesNotContain("NA12878");
            }
        }
        assertThat(BatchNotification.render(processedEvent())).contains("Runs: 24. Submissions: 24 started")
                .contains("Report (open in a browser): s3://settings/results/661c25bebe8f1e4d058d/report.html");
        assertThat(BatchNotification.render(failedEvent())).contains("Failure reason (failed batches only): VALIDATION_FAILED");
    }

    @Test
    void badNotifyContextFailsTheSynthNamingTheKey() {
        assertThatThrownBy(() -> StackConfig.fromContext(key -> key.equals(StackConfig.NOTIFY_EMAIL) ? "lab" : null))
                .hasMessageStartingWith("context notifyEmail: \"lab\" is not an e-mail address");
        assertThatThrownBy(() -> StackConfig.fromContext(key -> key.equals(StackConfig.NOTIFY_TOPIC_ARN)
                ? "arn:aws:sns:us-east-1:123456789012:lab.fifo" : null))
                .hasMessageStartingWith("context notifyTopicArn: \"arn:aws:sns:us-east-1:123456789012:lab.fifo\" is not the ARN");
        StackConfig topicOnly = StackConfig.fromContext(key -> key.equals(StackConfig.NOTIFY_TOPIC_ARN) ? EXISTING_TOPIC : null);
        assertThat(topicOnly.notifyTopicArn()).isEqualTo(EXISTING_TOPIC);
        assertThat(topicOnly.notifyEmail()).isNull();
    }

    private static List<JsonNode> notificationRules(Synth synth) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode rule : synth.resources("AWS::Events::Rule").values()) {
            if (rule.path("Properties").path("EventPattern").path("detail-type").toString().contains("RunBatch Status Change")) {
                out.add(rule);
            }
        }
        return out;
    }

    private static JsonNode topicPolicy(Synth synth, String topic) {
        for (JsonNode policy : synth.resources("AWS::SNS::TopicPolicy").values()) {
            if (Synth.references(policy.path("Properties").path("Topics")).contains(topic)) {
                return policy.path("Properties");
            }
        }
        throw new AssertionError("no policy for topic " + topic);
    }

    private static JsonNode processedEvent() throws Exception {
        return event("""
                {"omicsVersion":"1.0.0","batchId":"661c25bebe8f1e4d058d","status":"PROCESSED","batchName":"wgs-cohort-a",
                 "totalRuns":"24","successfulStartSubmissionCount":"24","failedStartSubmissionCount":"0",
                 "pendingStartSubmissionCount":"0","pendingRunCount":"0","startingRunCount":"0","runningRunCount":"0",
                 "stoppingRunCount":"0","completedRunCount":"23","failedRunCount":"1","cancelledRunCount":"0",
                 "deletedRunCount":"0",
                 "settingsUri":"s3://settings/batches/cohort-a.json",
                 "resultsUri":"s3://settings/results/661c25bebe8f1e4d058d/runs.csv",
                 "reportUri":"s3://settings/results/661c25bebe8f1e4d058d/report.html"}""");
    }

    private static JsonNode failedEvent() throws Exception {
        return event("""
                {"omicsVersion":"1.0.0","batchId":"661c25bebe8f1e4d058d","status":"FAILED","batchName":"wgs-cohort-a",
                 "successfulStartSubmissionCount":"0","failedStartSubmissionCount":"0","pendingStartSubmissionCount":"0",
                 "completedRunCount":"0","failedRunCount":"0","cancelledRunCount":"0","deletedRunCount":"0",
                 "failureReason":"VALIDATION_FAILED","failureMessage":"runSettingId \\"NA12878\\" is already used",
                 "settingsUri":"s3://settings/batches/cohort-a.json"}""");
    }

    private static JsonNode event(String detail) throws Exception {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "0");
        event.put("id", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
        event.put("detail-type", "RunBatch Status Change");
        event.put("source", "omics-batch");
        event.put("account", "123456789012");
        event.put("time", "2026-11-21T10:00:00Z");
        event.put("region", "us-east-1");
        event.putArray("resources");
        event.set("detail", JSON.readTree(detail));
        return event;
    }
}
