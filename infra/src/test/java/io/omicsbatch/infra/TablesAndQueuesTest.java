package io.omicsbatch.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.omicsbatch.resources.QueueDefinition;
import io.omicsbatch.resources.ResourceDefinitions;
import io.omicsbatch.resources.TableDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

/** Tables and queues are exactly the shared definitions the local stand-ins are provisioned from. */
class TablesAndQueuesTest {

    private final Synth synth = Synth.DEFAULT;

    @Test
    void everyTableIsItsDefinitionOnDemandWithRecoveryAndTheDataKey() {
        Map<String, JsonNode> tables = synth.resources("AWS::DynamoDB::Table");
        assertThat(tables).hasSize(ResourceDefinitions.TABLES.size());
        String dataKey = synth.logicalId(synth.stack().dataKey().key());
        for (TableDefinition definition : ResourceDefinitions.TABLES) {
            JsonNode table = tables.values().stream()
                    .filter(t -> t.path("Properties").path("TableName").asText().equals(definition.name()))
                    .findFirst().orElseThrow(() -> new AssertionError("no table " + definition.name()));
            JsonNode props = table.path("Properties");
            assertThat(keySchema(props.path("KeySchema"))).as(definition.name())
                    .isEqualTo(keys(definition.partitionKey(), definition.sortKey()));
            assertThat(props.path("BillingMode").asText()).isEqualTo("PAY_PER_REQUEST");
            assertThat(props.path("PointInTimeRecoverySpecification").path("PointInTimeRecoveryEnabled").asBoolean()).isTrue();
            assertThat(props.path("SSESpecification").path("SSEEnabled").asBoolean()).isTrue();
            assertThat(props.path("SSESpecification").path("SSEType").asText()).isEqualTo("KMS");
            assertThat(Synth.target(props.path("SSESpecification").path("KMSMasterKeyId"))).isEqualTo(dataKey);
            assertThat(props.path("DeletionProtectionEnabled").asBoolean()).isTrue();
            assertThat(table.path("DeletionPolicy").asText()).isEqualTo("Retain");

            List<String> indexes = new ArrayList<>();
            for (JsonNode gsi : props.path("GlobalSecondaryIndexes")) {
                TableDefinition.Index index = definition.globalSecondaryIndexes().stream()
                        .filter(i -> i.name().equals(gsi.path("IndexName").asText()))
                        .findFirst().orElseThrow(() -> new AssertionError("unexpected index " + gsi));
                assertThat(keySchema(gsi.path("KeySchema"))).isEqualTo(keys(index.partitionKey(), index.sortKey()));
                if (index.projectedAttributes() == null) {
                    assertThat(gsi.path("Projection").path("ProjectionType").asText()).isEqualTo("ALL");
                } else {
                    assertThat(gsi.path("Projection").path("ProjectionType").asText()).isEqualTo("INCLUDE");
                    List<String> projected = new ArrayList<>();
                    gsi.path("Projection").path("NonKeyAttributes").forEach(a -> projected.add(a.asText()));
                    assertThat(projected).containsExactlyInAnyOrderElementsOf(index.projectedAttributes());
                }
                indexes.add(index.name());
            }
            assertThat(indexes).containsExactlyInAnyOrderElementsOf(
                    definition.globalSecondaryIndexes().stream().map(TableDefinition.Index::name).toList());

            List<String> attributes = new ArrayList<>();
            props.path("AttributeDefinitions").forEach(a ->
                    attributes.add(a.path("AttributeName").asText() + ":" + a.path("AttributeType").asText()));
            List<String> expected = new ArrayList<>();
            addKey(expected, definition.partitionKey());
            addKey(expected, definition.sortKey());
            definition.globalSecondaryIndexes().forEach(i -> {
                addKey(expected, i.partitionKey());
                addKey(expected, i.sortKey());
            });
            assertThat(attributes).containsExactlyInAnyOrderElementsOf(expected.stream().distinct().toList());
        }
    }

    @Test
    void everyQueueIsItsDefinitionWithItsDeadLetterQueueEncryptedAndTlsOnly() {
        String messageKey = synth.logicalId(synth.stack().messageKey().key());
        for (QueueDefinition definition : ResourceDefinitions.QUEUES) {
            JsonNode queue = queue(definition.name());
            JsonNode dlq = queue(definition.deadLetterQueueName());
            JsonNode props = queue.path("Properties");
            assertThat(props.path("VisibilityTimeout").asLong()).isEqualTo(definition.visibilityTimeout().toSeconds());
            assertThat(props.path("MessageRetentionPeriod").asLong()).isEqualTo(definition.retentionPeriod().toSeconds());
            assertThat(props.path("RedrivePolicy").path("maxReceiveCount").asInt()).isEqualTo(definition.maxReceiveCount());
            assertThat(Synth.target(props.path("RedrivePolicy").path("deadLetterTargetArn")))
                    .isEqualTo(logicalIdOfQueue(definition.deadLetterQueueName()));
            assertThat(dlq.path("Properties").path("MessageRetentionPeriod").asLong())
                    .isEqualTo(definition.deadLetterRetentionPeriod().toSeconds());
            for (JsonNode q : List.of(queue, dlq)) {
                assertThat(Synth.target(q.path("Properties").path("KmsMasterKeyId"))).isEqualTo(messageKey);
            }
        }
        assertThat(queue(ResourceDefinitions.RUN_QUEUE.name()).path("Properties").path("MessageRetentionPeriod").asLong())
                .as("run queue retention: 14 days, SQS's maximum").isEqualTo(14 * 24 * 3600);
        JsonNode status = queue(OmicsBatchStack.STATUS_DLQ_NAME);
        assertThat(Synth.target(status.path("Properties").path("KmsMasterKeyId"))).isEqualTo(messageKey);
        assertThat(status.path("Properties").path("MessageRetentionPeriod").asLong()).isEqualTo(14 * 24 * 3600);

        // Every queue refuses requests without TLS.
        for (String queueId : synth.resources("AWS::SQS::Queue").keySet()) {
            synth.template().hasResourceProperties("AWS::SQS::QueuePolicy", Match.objectLike(Map.of(
                    "Queues", List.of(Map.of("Ref", queueId)),
                    "PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                            "Effect", "Deny",
                            "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false"))))))))));
        }
    }

    @Test
    void theRunQueueRedrivesOnlyAfterMaxAttemptsAndTheReceivesBeyondThem() {
        assertThat(ResourceDefinitions.RUN_QUEUE.maxReceiveCount()).isEqualTo(8 + ResourceDefinitions.RUN_RECEIVES_BEYOND_ATTEMPTS);
        // maxAttempts 30 in the configured synth: more than SQS's usual 10 receives, and still no dead letter before.
        Synth configured = Synth.CONFIGURED;
        String runQueue = configured.resources("AWS::SQS::Queue").entrySet().stream()
                .filter(e -> e.getValue().path("Properties").path("QueueName").asText().equals(ResourceDefinitions.RUN_QUEUE.name()))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        assertThat(configured.resource(runQueue).path("Properties").path("RedrivePolicy").path("maxReceiveCount").asInt())
                .isEqualTo(30 + ResourceDefinitions.RUN_RECEIVES_BEYOND_ATTEMPTS);
    }

    private JsonNode queue(String name) {
        return synth.resource(logicalIdOfQueue(name));
    }

    private String logicalIdOfQueue(String name) {
        return synth.resources("AWS::SQS::Queue").entrySet().stream()
                .filter(e -> e.getValue().path("Properties").path("QueueName").asText().equals(name))
                .map(Map.Entry::getKey).findFirst().orElseThrow(() -> new AssertionError("no queue " + name));
    }

    /** ListBatch pages with a Query of this index (newest first), not a scan; only what it filters on is projected. */
    @Test
    void theBatchesTableHasTheListIndexNewestFirstProjectingStatusAndName() {
        synth.template().hasResourceProperties("AWS::DynamoDB::Table", Match.objectLike(Map.of(
                "TableName", ResourceDefinitions.BATCHES_TABLE.name(),
                "GlobalSecondaryIndexes", List.of(Map.of(
                        "IndexName", "newestFirst",
                        "KeySchema", List.of(Map.of("AttributeName", "listPartition", "KeyType", "HASH"),
                                Map.of("AttributeName", "listKey", "KeyType", "RANGE")),
                        "Projection", Map.of("ProjectionType", "INCLUDE",
                                "NonKeyAttributes", List.of("status", "batchName")))),
                "AttributeDefinitions", Match.arrayWith(List.of(
                        Map.of("AttributeName", "listPartition", "AttributeType", "S"),
                        Map.of("AttributeName", "listKey", "AttributeType", "S"))))));
    }

    private static List<String> keySchema(JsonNode schema) {
        List<String> out = new ArrayList<>();
        schema.forEach(k -> out.add(k.path("AttributeName").asText() + ":" + k.path("KeyType").asText()));
        return out;
    }

    private static List<String> keys(TableDefinition.Key partition, TableDefinition.Key sort) {
        List<String> out = new ArrayList<>(List.of(partition.attribute() + ":HASH"));
        if (sort != null) {
            out.add(sort.attribute() + ":RANGE");
        }
        return out;
    }

    private static void addKey(List<String> out, TableDefinition.Key key) {
        if (key != null) {
            out.add(key.attribute() + ":" + key.type());
        }
    }
}
