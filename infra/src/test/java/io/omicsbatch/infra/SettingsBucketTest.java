package io.omicsbatch.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.omicsbatch.resources.ResourceDefinitions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

/** The settings bucket: versioned, KMS-encrypted, TLS only, private, logged, reports expire, batches notify. */
class SettingsBucketTest {

    private final Synth synth = Synth.DEFAULT;

    @Test
    void isVersionedEncryptedWithTheDataKeyPrivateAndLogged() {
        JsonNode bucket = synth.resource(synth.logicalId(synth.stack().settings().bucket()));
        JsonNode props = bucket.path("Properties");
        assertThat(props.path("VersioningConfiguration").path("Status").asText()).isEqualTo("Enabled");
        JsonNode sse = props.path("BucketEncryption").path("ServerSideEncryptionConfiguration").get(0);
        assertThat(sse.path("ServerSideEncryptionByDefault").path("SSEAlgorithm").asText()).isEqualTo("aws:kms");
        assertThat(Synth.target(sse.path("ServerSideEncryptionByDefault").path("KMSMasterKeyID")))
                .isEqualTo(synth.logicalId(synth.stack().dataKey().key()));
        assertThat(sse.path("BucketKeyEnabled").asBoolean()).isTrue();
        JsonNode block = props.path("PublicAccessBlockConfiguration");
        for (String setting : List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")) {
            assertThat(block.path(setting).asBoolean()).as(setting).isTrue();
        }
        assertThat(Synth.target(props.path("LoggingConfiguration").path("DestinationBucketName")))
                .isEqualTo(synth.logicalId(synth.stack().settings().accessLogs()));
        assertThat(bucket.path("DeletionPolicy").asText()).isEqualTo("Retain");

        for (String id : List.of(synth.logicalId(synth.stack().settings().bucket()),
                synth.logicalId(synth.stack().settings().accessLogs()))) {
            synth.template().hasResourceProperties("AWS::S3::BucketPolicy", Match.objectLike(Map.of(
                    "Bucket", Map.of("Ref", id),
                    "PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(
                            Match.objectLike(Map.of("Effect", "Deny",
                                    "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))),
                            Match.objectLike(Map.of("Effect", "Deny",
                                    "Condition", Map.of("NumericLessThan", Map.of("s3:TlsVersion", 1.2))))))))));
        }
    }

    @Test
    void reportsAndNoncurrentVersionsExpire() {
        JsonNode rules = synth.resource(synth.logicalId(synth.stack().settings().bucket()))
                .path("Properties").path("LifecycleConfiguration").path("Rules");
        assertThat(rules).anySatisfy(rule -> {
            assertThat(rule.path("Prefix").asText()).isEqualTo(ResourceDefinitions.REPORTS_PREFIX);
            assertThat(rule.path("ExpirationInDays").asInt()).isEqualTo(SettingsBucket.REPORTS_EXPIRY_DAYS);
            assertThat(rule.path("Status").asText()).isEqualTo("Enabled");
        });
        assertThat(rules).anySatisfy(rule -> {
            assertThat(rule.has("Prefix")).isFalse();
            assertThat(rule.path("NoncurrentVersionExpiration").path("NoncurrentDays").asInt())
                    .isEqualTo(SettingsBucket.NONCURRENT_EXPIRY_DAYS);
        });
        assertThat(rules).noneSatisfy(rule -> assertThat(rule.path("Prefix").asText())
                .isIn(ResourceDefinitions.RESULTS_PREFIX, ResourceDefinitions.BATCHES_PREFIX));
    }

    @Test
    void batchesJsonObjectsNotifyTheIntakeQueueAndEachOperationPrefixTheOperationsQueue() {
        List<Object> configurations = new java.util.ArrayList<>();
        configurations.add(notification(ResourceDefinitions.BATCHES_PREFIX, synth.stack().intakeQueues().queue()));
        for (String prefix : ResourceDefinitions.OPERATION_PREFIXES) {
            configurations.add(notification(prefix, synth.stack().operationQueues().queue()));
        }
        synth.template().hasResourceProperties("Custom::S3BucketNotifications", Match.objectLike(Map.of(
                "BucketName", Map.of("Ref", synth.logicalId(synth.stack().settings().bucket())),
                "NotificationConfiguration", Map.of("QueueConfigurations", Match.arrayEquals(configurations)))));
    }

    private Map<String, Object> notification(String prefix, software.constructs.IConstruct queue) {
        return Map.of(
                "Events", List.of("s3:ObjectCreated:*"),
                "Filter", Map.of("Key", Map.of("FilterRules", Match.arrayEquals(List.of(
                        Map.of("Name", "suffix", "Value", ResourceDefinitions.BATCHES_SUFFIX),
                        Map.of("Name", "prefix", "Value", prefix))))),
                "QueueArn", Map.of("Fn::GetAtt", List.of(synth.logicalId(queue), "Arn")));
    }

    @Test
    void bothKeysRotateAndKeepAnExplicitPolicy() {
        Map<String, JsonNode> keys = synth.resources("AWS::KMS::Key");
        assertThat(keys).hasSize(2);
        for (JsonNode key : keys.values()) {
            assertThat(key.path("Properties").path("EnableKeyRotation").asBoolean()).isTrue();
            assertThat(key.path("DeletionPolicy").asText()).isEqualTo("Retain");
            assertThat(key.path("Properties").path("KeyPolicy").path("Statement").toString()).doesNotContain("\"kms:*\"");
        }
        JsonNode data = synth.resource(synth.logicalId(synth.stack().dataKey().key())).path("Properties").path("KeyPolicy");
        assertThat(statement(data, "CloudWatchLogsEncryptsOurLogGroups").path("Condition").path("ArnLike")
                .has("kms:EncryptionContext:aws:logs:arn")).isTrue();
        JsonNode messages = synth.resource(synth.logicalId(synth.stack().messageKey().key())).path("Properties").path("KeyPolicy");
        assertThat(statement(messages, "CloudWatchAlarmsPublishToEncryptedTopic").path("Condition").path("StringEquals")
                .has("aws:SourceAccount")).isTrue();
        // EventBridge's dead-letter delivery carries no aws:SourceAccount: a condition would drop every event.
        assertThat(statement(messages, "EventBridgeSendsToEncryptedDeadLetterQueue").has("Condition")).isFalse();
    }

    private static JsonNode statement(JsonNode policy, String sid) {
        for (JsonNode statement : policy.path("Statement")) {
            if (statement.path("Sid").asText().equals(sid)) {
                return statement;
            }
        }
        throw new AssertionError("no statement " + sid);
    }
}
