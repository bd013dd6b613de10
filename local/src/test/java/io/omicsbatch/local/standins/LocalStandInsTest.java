package io.omicsbatch.local.standins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.omicsbatch.local.TestSupport;
import io.omicsbatch.resources.QueueDefinition;
import io.omicsbatch.resources.ResourceDefinitions;
import io.omicsbatch.resources.TableDefinition;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SqsException;

/** The stand-ins as {@link LocalStandIns} provisions them from {@link ResourceDefinitions}. Started once. */
class LocalStandInsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static LocalStandIns standIns;
    private static DynamoDbClient dynamoDb;
    private static SqsClient sqs;

    @BeforeAll
    static void start() {
        standIns = LocalStandIns.start();
        dynamoDb = standIns.dynamoDbClient();
        sqs = standIns.sqsClient();
    }

    @AfterAll
    static void stop() {
        if (standIns != null) {
            standIns.close();
        }
    }

    @Test
    void oneDatabaseForAnyCredentialsAsForOneAccount() {
        try (DynamoDbClient other = standIns.configure(DynamoDbClient.builder(), standIns.dynamoDbEndpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("other", "secret")))
                .build()) {
            assertThat(other.listTables().tableNames()).isEqualTo(dynamoDb.listTables().tableNames()).isNotEmpty();
        }
    }

    @Test
    void everyTableHasTheKeySchemaAndIndexesOfItsDefinition() {
        assertThat(dynamoDb.listTables().tableNames())
                .containsExactlyInAnyOrderElementsOf(ResourceDefinitions.TABLES.stream().map(TableDefinition::name).toList());
        for (TableDefinition definition : ResourceDefinitions.TABLES) {
            TableDescription table = dynamoDb.describeTable(d -> d.tableName(definition.name())).table();

            assertThat(table.keySchema()).as(definition.name())
                    .containsExactlyElementsOf(keySchema(definition.partitionKey(), definition.sortKey()));
            assertThat(table.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
            List<TableDefinition.Key> keys = new ArrayList<>(keys(definition.partitionKey(), definition.sortKey()));
            definition.globalSecondaryIndexes().forEach(index -> keys.addAll(keys(index.partitionKey(), index.sortKey())));
            for (TableDefinition.Key key : keys) {
                assertThat(table.attributeDefinitions()).as(definition.name())
                        .anySatisfy(attribute -> {
                            assertThat(attribute.attributeName()).isEqualTo(key.attribute());
                            assertThat(attribute.attributeTypeAsString()).isEqualTo(key.type());
                        });
            }
            assertThat(table.attributeDefinitions()).hasSize(keys.stream().map(TableDefinition.Key::attribute).distinct()
                    .toList().size());

            assertThat(table.globalSecondaryIndexes()).as(definition.name())
                    .hasSize(definition.globalSecondaryIndexes().size());
            for (TableDefinition.Index index : definition.globalSecondaryIndexes()) {
                GlobalSecondaryIndexDescription described = table.globalSecondaryIndexes().stream()
                        .filter(gsi -> gsi.indexName().equals(index.name()))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no index " + index.name() + " on " + definition.name()));
                assertThat(described.keySchema()).as(index.name())
                        .containsExactlyElementsOf(keySchema(index.partitionKey(), index.sortKey()));
                if (index.projectedAttributes() == null) {
                    assertThat(described.projection().projectionType()).isEqualTo(ProjectionType.ALL);
                } else {
                    assertThat(described.projection().projectionType()).isEqualTo(ProjectionType.INCLUDE);
                    assertThat(described.projection().nonKeyAttributes())
                            .containsExactlyInAnyOrderElementsOf(index.projectedAttributes());
                }
            }
        }
    }

    @Test
    void everyQueueHasTheVisibilityRetentionAndRedrivePolicyOfItsDefinition() throws IOException {
        for (QueueDefinition definition : ResourceDefinitions.QUEUES) {
            Map<String, String> queue = attributes(definition.name());
            Map<String, String> deadLetterQueue = attributes(definition.deadLetterQueueName());

            assertThat(queue.get("VisibilityTimeout")).as(definition.name())
                    .isEqualTo(Long.toString(definition.visibilityTimeout().toSeconds()));
            assertThat(queue.get("MessageRetentionPeriod")).as(definition.name())
                    .isEqualTo(Long.toString(definition.retentionPeriod().toSeconds()));
            assertThat(deadLetterQueue.get("MessageRetentionPeriod")).as(definition.deadLetterQueueName())
                    .isEqualTo(Long.toString(definition.deadLetterRetentionPeriod().toSeconds()));

            JsonNode redrive = JSON.readTree(queue.get("RedrivePolicy"));
            assertThat(redrive.path("deadLetterTargetArn").asText())
                    .isEqualTo(deadLetterQueue.get("QueueArn"))
                    .isEqualTo(standIns.queueArn(definition.deadLetterQueueName()))
                    .endsWith(":" + definition.deadLetterQueueName());
            assertThat(redrive.path("maxReceiveCount").asInt()).isEqualTo(definition.maxReceiveCount());
            assertThat(deadLetterQueue).doesNotContainKey("RedrivePolicy");
        }
        // Retention asked for by name alone, as a client checking a quota would.
        String runQueue = standIns.queueUrl(ResourceDefinitions.RUN_QUEUE.name());
        assertThat(sqs.getQueueAttributes(a -> a.queueUrl(runQueue)
                        .attributeNames(QueueAttributeName.MESSAGE_RETENTION_PERIOD)).attributes())
                .containsEntry(QueueAttributeName.MESSAGE_RETENTION_PERIOD,
                        Long.toString(ResourceDefinitions.RUN_QUEUE.retentionPeriod().toSeconds()));
    }

    @Test
    void retentionIsKeptAsSqsKeepsItAlthoughElasticMqDropsIt() {
        String url = sqs.createQueue(c -> c.queueName("retention-" + UUID.randomUUID())).queueUrl();
        try {
            assertThat(retention(url)).isEqualTo("345600"); // SQS's default, 4 days
            sqs.setQueueAttributes(s -> s.queueUrl(url).attributes(Map.of(
                    QueueAttributeName.MESSAGE_RETENTION_PERIOD, "120")));
            assertThat(retention(url)).isEqualTo("120");
            assertThatThrownBy(() -> sqs.setQueueAttributes(s -> s.queueUrl(url).attributes(Map.of(
                            QueueAttributeName.MESSAGE_RETENTION_PERIOD, "59"))))
                    .isInstanceOfSatisfying(SqsException.class, e -> assertThat(e.awsErrorDetails().errorCode())
                            .isEqualTo("InvalidAttributeValue"));
            assertThat(retention(url)).isEqualTo("120");
            // ElasticMQ itself does not know the attribute: only the front answers it.
            try (SqsClient direct = standIns.configure(SqsClient.builder(), standIns.sqs().elasticMqEndpoint())
                    .build()) {
                assertThat(direct.getQueueAttributes(a -> a.queueUrl(url).attributeNames(QueueAttributeName.ALL))
                        .attributes()).doesNotContainKey(QueueAttributeName.MESSAGE_RETENTION_PERIOD);
            }
        } finally {
            sqs.deleteQueue(d -> d.queueUrl(url));
        }
    }

    private static String retention(String url) {
        return sqs.getQueueAttributes(a -> a.queueUrl(url).attributeNames(QueueAttributeName.ALL))
                .attributes().get(QueueAttributeName.MESSAGE_RETENTION_PERIOD);
    }

    @Test
    void aMessageReceivedMaxReceiveCountTimesWithoutDeletionMovesToTheDeadLetterQueue() {
        for (QueueDefinition definition : ResourceDefinitions.QUEUES) {
            String url = standIns.queueUrl(definition.name());
            String dlqUrl = standIns.queueUrl(definition.deadLetterQueueName());
            String body = "poison-" + UUID.randomUUID();
            sqs.sendMessage(m -> m.queueUrl(url).messageBody(body));

            int received = 0;
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (received < definition.maxReceiveCount()) {
                assertThat(System.nanoTime()).as("receives of %s", definition.name()).isLessThan(deadline);
                // VisibilityTimeout 0: the message is visible again at once, as if the consumer had crashed.
                for (Message message : receive(url)) {
                    if (message.body().equals(body)) {
                        received++;
                        assertThat(message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                                .isEqualTo(Integer.toString(received));
                    }
                }
            }

            Message dead = TestSupport.awaitValue("the message in " + definition.deadLetterQueueName(), TIMEOUT,
                    () -> {
                        assertThat(receive(url)).noneMatch(message -> message.body().equals(body));
                        return receive(dlqUrl).stream().filter(message -> message.body().equals(body)).findFirst();
                    });
            assertThat(dead.body()).isEqualTo(body);
            sqs.deleteMessage(d -> d.queueUrl(dlqUrl).receiptHandle(dead.receiptHandle()));
        }
    }

    @Test
    void conditionalWritesTransactionsAndIndexesWorkThroughTheSdk() {
        String batches = ResourceDefinitions.BATCHES_TABLE.name();
        String runs = ResourceDefinitions.RUNS_TABLE.name();
        String batchId = "batch-" + UUID.randomUUID();
        Map<String, AttributeValue> batch = Map.of("batchId", s(batchId), "status", s("PENDING"));

        dynamoDb.putItem(p -> p.tableName(batches).item(batch).conditionExpression("attribute_not_exists(batchId)"));
        assertThatThrownBy(() -> dynamoDb.putItem(p -> p.tableName(batches).item(batch)
                        .conditionExpression("attribute_not_exists(batchId)")))
                .isInstanceOf(ConditionalCheckFailedException.class);

        // A monotonic status change: applies once, a duplicate changes nothing.
        Runnable submitting = () -> dynamoDb.updateItem(u -> u.tableName(batches)
                .key(Map.of("batchId", s(batchId)))
                .updateExpression("SET #s = :to")
                .conditionExpression("#s = :from")
                .expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":from", s("PENDING"), ":to", s("SUBMITTING"))));
        submitting.run();
        assertThatThrownBy(submitting::run).isInstanceOf(ConditionalCheckFailedException.class);

        // A run and its batch counter in one transaction, refused as a whole when one condition fails.
        String uuid = UUID.randomUUID().toString();
        dynamoDb.transactWriteItems(t -> t.transactItems(
                item -> item.put(p -> p.tableName(runs)
                        .item(Map.of("batchId", s(batchId), "runSettingId", s("sample-1"), "uuid", s(uuid),
                                "runId", s("1234567")))
                        .conditionExpression("attribute_not_exists(runSettingId)")),
                item -> item.update(u -> u.tableName(batches)
                        .key(Map.of("batchId", s(batchId)))
                        .updateExpression("ADD runs :one")
                        .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))))));
        assertThatThrownBy(() -> dynamoDb.transactWriteItems(t -> t.transactItems(
                        item -> item.put(p -> p.tableName(runs)
                                .item(Map.of("batchId", s(batchId), "runSettingId", s("sample-1")))
                                .conditionExpression("attribute_not_exists(runSettingId)")),
                        item -> item.update(u -> u.tableName(batches)
                                .key(Map.of("batchId", s(batchId)))
                                .updateExpression("ADD runs :one")
                                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))))))
                .isInstanceOfSatisfying(TransactionCanceledException.class, e -> assertThat(e.cancellationReasons())
                        .extracting(CancellationReason::code)
                        .containsExactly("ConditionalCheckFailed", "None"));
        assertThat(dynamoDb.getItem(g -> g.tableName(batches).key(Map.of("batchId", s(batchId)))
                        .consistentRead(true)).item().get("runs").n())
                .isEqualTo("1");

        assertThat(dynamoDb.query(q -> q.tableName(runs).indexName("byUuid")
                        .keyConditionExpression("#u = :u")
                        .expressionAttributeNames(Map.of("#u", "uuid"))
                        .expressionAttributeValues(Map.of(":u", s(uuid)))).items())
                .singleElement()
                .satisfies(run -> assertThat(run.get("runSettingId").s()).isEqualTo("sample-1"));
    }

    @Test
    void everyEndpointAndQueueUrlIsOnTheLoopbackAddressOnly() throws IOException {
        List<URI> endpoints = endpoints(standIns);
        assertThat(endpoints).allSatisfy(endpoint -> {
            assertThat(endpoint.getScheme()).isEqualTo("http");
            assertThat(endpoint.getHost()).isEqualTo("127.0.0.1");
            assertThat(endpoint.getPort()).isPositive();
        });
        assertThat(standIns.queueUrls().values())
                .allSatisfy(url -> assertThat(url).startsWith(standIns.sqsEndpoint() + "/"));
        assertThat(standIns.queueUrls()).containsOnlyKeys(ResourceDefinitions.QUEUES.stream()
                .flatMap(q -> java.util.stream.Stream.of(q.name(), q.deadLetterQueueName()))
                .toList());

        Optional<InetAddress> otherAddress = nonLoopbackAddress();
        for (URI endpoint : endpoints) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", endpoint.getPort()), 2_000);
            }
            if (otherAddress.isPresent()) {
                // Listening on 127.0.0.1 only: the same port on this machine's other address refuses.
                assertThatThrownBy(() -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(otherAddress.get(), endpoint.getPort()), 2_000);
                    }
                }).as("%s on %s", endpoint, otherAddress.get()).isInstanceOf(ConnectException.class);
            }
        }
    }

    static List<URI> endpoints(LocalStandIns standIns) {
        return List.of(standIns.dynamoDbEndpoint(), standIns.sqsEndpoint(), standIns.sqs().elasticMqEndpoint(),
                standIns.s3Endpoint());
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        return NetworkInterface.networkInterfaces()
                .filter(networkInterface -> {
                    try {
                        return networkInterface.isUp() && !networkInterface.isLoopback();
                    } catch (SocketException e) {
                        return false;
                    }
                })
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress())
                .findFirst();
    }

    private static List<Message> receive(String url) {
        return sqs.receiveMessage(r -> r.queueUrl(url)
                        .maxNumberOfMessages(10)
                        .visibilityTimeout(0)
                        .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                .messages();
    }

    private static Map<String, String> attributes(String queueName) {
        return sqs.getQueueAttributes(a -> a.queueUrl(standIns.queueUrl(queueName))
                        .attributeNames(QueueAttributeName.ALL))
                .attributesAsStrings();
    }

    private static List<TableDefinition.Key> keys(TableDefinition.Key partitionKey, TableDefinition.Key sortKey) {
        return sortKey == null ? List.of(partitionKey) : List.of(partitionKey, sortKey);
    }

    private static List<KeySchemaElement> keySchema(TableDefinition.Key partitionKey, TableDefinition.Key sortKey) {
        List<KeySchemaElement> schema = new ArrayList<>();
        schema.add(KeySchemaElement.builder().attributeName(partitionKey.attribute()).keyType(KeyType.HASH).build());
        if (sortKey != null) {
            schema.add(KeySchemaElement.builder().attributeName(sortKey.attribute()).keyType(KeyType.RANGE).build());
        }
        return schema;
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
