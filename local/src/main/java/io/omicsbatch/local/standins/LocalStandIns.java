package io.omicsbatch.local.standins;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.omicsbatch.functions.aws.RetryableIoHttpClient;
import io.omicsbatch.resources.QueueDefinition;
import io.omicsbatch.resources.ResourceDefinitions;
import io.omicsbatch.resources.TableDefinition;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The local AWS: DynamoDB Local, ElasticMQ and S3Proxy, started in this JVM on 127.0.0.1 and provisioned from
 * {@link ResourceDefinitions}, the same definitions the CDK stack deploys:
 *
 * <ul>
 *   <li>every table of {@link ResourceDefinitions#TABLES}, with its key schema and global secondary indexes
 *       (projecting all attributes), on-demand capacity;
 *   <li>every queue of {@link ResourceDefinitions#QUEUES} and its dead-letter queue, with visibility timeout,
 *       retention and the redrive policy ({@code maxReceiveCount});
 *   <li>the settings bucket {@link ResourceDefinitions#LOCAL_SETTINGS_BUCKET} (versioned, as the cloud bucket whose
 *       events carry a {@code versionId}) with the notification of {@code batches/*.json} creations to the intake
 *       queue; configuring it sends the {@code s3:TestEvent} message to the queue first, as S3 does.
 * </ul>
 *
 * <p>Clients from the factory methods are configured like production clients (one URL-connection HTTP client,
 * explicit region, static credentials; S3 path-style) with the stand-in's endpoint. {@link #close()} closes them, stops
 * the three servers and releases their ports and threads.
 */
public final class LocalStandIns implements AutoCloseable {

    public static final Region REGION = Region.US_EAST_1;
    public static final String ACCOUNT_ID = "000000000000";
    /**
     * Letters and digits only: DynamoDB Local rejects any other access key id. Deliberately unlike a real key id
     * (no {@code AKIA} prefix), so that secret scanners do not flag it.
     */
    public static final String ACCESS_KEY_ID = "omicsbatchlocal";
    public static final String SECRET_ACCESS_KEY = "omicsbatchlocalsecret";
    /** The owner principal id S3 event messages name for local buckets. */
    public static final String BUCKET_OWNER_PRINCIPAL_ID = "AOMICSBATCHLOCAL";
    /** The id of the settings bucket's notification configuration (events carry it as {@code configurationId}). */
    public static final String SETTINGS_NOTIFICATION_ID = "omics-batch-settings-to-intake";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SdkHttpClient httpClient = new RetryableIoHttpClient(UrlConnectionHttpClient.builder().build());
    private final AwsCredentialsProvider credentials =
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY));
    private final List<AutoCloseable> clients = new ArrayList<>();
    private final Map<String, String> queueUrls = new ConcurrentHashMap<>();
    private final Map<String, String> queueArns = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    // Set by the start-up tasks; start() joins them before anyone else can see this object.
    private volatile LocalDynamoDb dynamoDb;
    private volatile LocalSqs sqs;
    private volatile LocalS3 s3;

    private LocalStandIns() {}

    /**
     * Starts the three stand-ins in parallel, each provisioned as soon as it is up (the SDK clients' first use costs
     * as much as a server start, so that overlaps too), then connects the settings bucket to the intake queue. On
     * failure nothing is left running.
     */
    public static LocalStandIns start() {
        LocalStandIns standIns = new LocalStandIns();
        try {
            standIns.startAndProvision();
        } catch (RuntimeException e) {
            try {
                standIns.close();
            } catch (RuntimeException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
        return standIns;
    }

    private void startAndProvision() {
        ExecutorService starter = Executors.newFixedThreadPool(3, runnable -> {
            Thread thread = new Thread(runnable, "local-stand-ins-start");
            thread.setDaemon(true);
            return thread;
        });
        try {
            CompletableFuture<?> dynamoDbReady = CompletableFuture.runAsync(() -> {
                dynamoDb = LocalDynamoDb.start();
                createTables();
            }, starter);
            CompletableFuture<?> sqsReady = CompletableFuture.runAsync(() -> {
                sqs = LocalSqs.start(REGION.id(), ACCOUNT_ID);
                createQueues();
            }, starter);
            CompletableFuture<?> s3Ready = CompletableFuture.runAsync(() -> {
                s3 = LocalS3.start(REGION.id(), BUCKET_OWNER_PRINCIPAL_ID, ACCESS_KEY_ID, SECRET_ACCESS_KEY);
                createSettingsBucket();
            }, starter);
            awaitAll(List.of(dynamoDbReady, sqsReady, s3Ready));
        } finally {
            starter.shutdown();
        }
        connectSettingsBucketToIntakeQueue();
    }

    private static void awaitAll(List<CompletableFuture<?>> tasks) {
        IllegalStateException failure = null;
        for (CompletableFuture<?> task : tasks) {
            try {
                task.join();
            } catch (CompletionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                if (failure == null) {
                    failure = new IllegalStateException("the local stand-ins could not start: " + cause.getMessage(),
                            cause);
                } else {
                    failure.addSuppressed(cause);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void createTables() {
        try (DynamoDbClient ddb = configure(DynamoDbClient.builder(), dynamoDb.endpoint()).build()) {
            for (TableDefinition table : ResourceDefinitions.TABLES) {
                ddb.createTable(createTableRequest(table));
            }
        }
    }

    private void createQueues() {
        try (SqsClient client = configure(SqsClient.builder(), sqs.endpoint()).build()) {
            for (QueueDefinition queue : ResourceDefinitions.QUEUES) {
                createQueue(client, queue);
            }
        }
    }

    private void createSettingsBucket() {
        try (S3Client client = configure(S3Client.builder(), s3.endpoint()).forcePathStyle(true).build()) {
            String bucket = ResourceDefinitions.LOCAL_SETTINGS_BUCKET;
            client.createBucket(b -> b.bucket(bucket));
            client.putBucketVersioning(b -> b.bucket(bucket)
                    .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        }
    }

    /** As S3 does when the configuration is put, this sends the {@code s3:TestEvent} message to the queue. */
    private void connectSettingsBucketToIntakeQueue() {
        // The notification's SQS client lives as long as the stand-ins (closed with the other clients).
        SqsClient notifier = sqsClient();
        String intakeUrl = queueUrl(ResourceDefinitions.INTAKE_QUEUE.name());
        s3.addNotification(new BucketNotification(
                ResourceDefinitions.LOCAL_SETTINGS_BUCKET,
                SETTINGS_NOTIFICATION_ID,
                ResourceDefinitions.BATCHES_PREFIX,
                ResourceDefinitions.BATCHES_SUFFIX,
                body -> notifier.sendMessage(m -> m.queueUrl(intakeUrl).messageBody(body))));
        // One notification per operation prefix, as the stack configures them, to the operations queue.
        String operationsUrl = queueUrl(ResourceDefinitions.OPERATIONS_QUEUE.name());
        for (String prefix : ResourceDefinitions.OPERATION_PREFIXES) {
            s3.addNotification(new BucketNotification(
                    ResourceDefinitions.LOCAL_SETTINGS_BUCKET,
                    "omics-batch-" + prefix.replace("/", ""),
                    prefix,
                    ResourceDefinitions.BATCHES_SUFFIX,
                    body -> notifier.sendMessage(m -> m.queueUrl(operationsUrl).messageBody(body))));
        }
    }

    static CreateTableRequest createTableRequest(TableDefinition table) {
        Map<String, AttributeDefinition> attributes = new LinkedHashMap<>();
        List<KeySchemaElement> keySchema = keySchema(table.partitionKey(), table.sortKey(), attributes);
        List<GlobalSecondaryIndex> indexes = new ArrayList<>();
        for (TableDefinition.Index index : table.globalSecondaryIndexes()) {
            indexes.add(GlobalSecondaryIndex.builder()
                    .indexName(index.name())
                    .keySchema(keySchema(index.partitionKey(), index.sortKey(), attributes))
                    .projection(index.projectedAttributes() == null
                            ? Projection.builder().projectionType(ProjectionType.ALL).build()
                            : Projection.builder().projectionType(ProjectionType.INCLUDE)
                                    .nonKeyAttributes(index.projectedAttributes()).build())
                    .build());
        }
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(table.name())
                .attributeDefinitions(attributes.values())
                .keySchema(keySchema)
                .billingMode(BillingMode.PAY_PER_REQUEST);
        if (!indexes.isEmpty()) {
            request.globalSecondaryIndexes(indexes);
        }
        return request.build();
    }

    private static List<KeySchemaElement> keySchema(
            TableDefinition.Key partitionKey, TableDefinition.Key sortKey, Map<String, AttributeDefinition> attributes) {
        List<KeySchemaElement> schema = new ArrayList<>();
        List<TableDefinition.Key> keys = sortKey == null ? List.of(partitionKey) : List.of(partitionKey, sortKey);
        for (int i = 0; i < keys.size(); i++) {
            TableDefinition.Key key = keys.get(i);
            AttributeDefinition definition =
                    AttributeDefinition.builder().attributeName(key.attribute()).attributeType(key.type()).build();
            AttributeDefinition previous = attributes.putIfAbsent(key.attribute(), definition);
            if (previous != null && !previous.equals(definition)) {
                throw new IllegalArgumentException("attribute " + key.attribute() + " has two types");
            }
            schema.add(KeySchemaElement.builder()
                    .attributeName(key.attribute())
                    .keyType(i == 0 ? KeyType.HASH : KeyType.RANGE)
                    .build());
        }
        return schema;
    }

    private void createQueue(SqsClient client, QueueDefinition queue) {
        String dlqUrl = client.createQueue(q -> q.queueName(queue.deadLetterQueueName()).attributes(Map.of(
                QueueAttributeName.MESSAGE_RETENTION_PERIOD, seconds(queue.deadLetterRetentionPeriod()))))
                .queueUrl();
        String dlqArn = client.getQueueAttributes(a -> a.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        Map<String, Object> redrivePolicy = new LinkedHashMap<>();
        redrivePolicy.put("deadLetterTargetArn", dlqArn);
        redrivePolicy.put("maxReceiveCount", queue.maxReceiveCount());
        String redrive;
        try {
            redrive = JSON.writeValueAsString(redrivePolicy);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        String url = client.createQueue(q -> q.queueName(queue.name()).attributes(Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, seconds(queue.visibilityTimeout()),
                QueueAttributeName.MESSAGE_RETENTION_PERIOD, seconds(queue.retentionPeriod()),
                QueueAttributeName.REDRIVE_POLICY, redrive)))
                .queueUrl();
        String arn = client.getQueueAttributes(a -> a.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        queueUrls.put(queue.deadLetterQueueName(), dlqUrl);
        queueArns.put(queue.deadLetterQueueName(), dlqArn);
        queueUrls.put(queue.name(), url);
        queueArns.put(queue.name(), arn);
    }

    private static String seconds(java.time.Duration duration) {
        return Long.toString(duration.toSeconds());
    }

    /** {@code http://127.0.0.1:<port>} of DynamoDB Local. */
    public URI dynamoDbEndpoint() {
        return dynamoDb.endpoint();
    }

    /** {@code http://127.0.0.1:<port>} of ElasticMQ. */
    public URI sqsEndpoint() {
        return sqs.endpoint();
    }

    /** {@code http://127.0.0.1:<port>} of S3Proxy (path-style addressing). */
    public URI s3Endpoint() {
        return s3.endpoint();
    }

    /** The URL of a queue or dead-letter queue of {@link ResourceDefinitions#QUEUES}, by name. */
    public String queueUrl(String queueName) {
        return lookUp(queueUrls, queueName);
    }

    /** The ARN of a queue or dead-letter queue of {@link ResourceDefinitions#QUEUES}, by name. */
    public String queueArn(String queueName) {
        return lookUp(queueArns, queueName);
    }

    /** Queue names (queues and their dead-letter queues) to URLs. */
    public Map<String, String> queueUrls() {
        return Collections.unmodifiableMap(new TreeMap<>(queueUrls));
    }

    public String settingsBucket() {
        return ResourceDefinitions.LOCAL_SETTINGS_BUCKET;
    }

    /** The DynamoDB stand-in. */
    public LocalDynamoDb dynamoDb() {
        return dynamoDb;
    }

    /** The SQS stand-in. */
    public LocalSqs sqs() {
        return sqs;
    }

    /** The S3 stand-in, e.g. to add notifications to other buckets. */
    public LocalS3 s3() {
        return s3;
    }

    /** The one HTTP client every client of the stand-ins shares. */
    public SdkHttpClient httpClient() {
        return httpClient;
    }

    public AwsCredentialsProvider credentialsProvider() {
        return credentials;
    }

    /** A new DynamoDB client for the stand-in; closed by {@link #close()} if not before. */
    public DynamoDbClient dynamoDbClient() {
        return register(() -> configure(DynamoDbClient.builder(), dynamoDb.endpoint()).build());
    }

    /** A new SQS client for the stand-in; closed by {@link #close()} if not before. */
    public SqsClient sqsClient() {
        return register(() -> configure(SqsClient.builder(), sqs.endpoint()).build());
    }

    /** A new S3 client (path-style) for the stand-in; closed by {@link #close()} if not before. */
    public S3Client s3Client() {
        return register(() -> configure(S3Client.builder(), s3.endpoint()).forcePathStyle(true).build());
    }

    /**
     * Configures any SDK client builder like the production clients, pointed at a stand-in: the shared
     * URL-connection HTTP client, {@link #REGION}, the stand-ins' static credentials and {@code endpoint}. The caller
     * owns (and closes) what it builds.
     */
    public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(B builder, URI endpoint) {
        builder.httpClient(httpClient);
        return builder.region(REGION).credentialsProvider(credentials).endpointOverride(endpoint);
    }

    private <C extends AutoCloseable> C register(Supplier<C> factory) {
        synchronized (clients) {
            if (closed.get()) {
                throw new IllegalStateException("the local stand-ins are closed");
            }
            C client = factory.get();
            clients.add(client);
            return client;
        }
    }

    private static String lookUp(Map<String, String> map, String queueName) {
        String value = map.get(queueName);
        if (value == null) {
            throw new IllegalArgumentException("no such queue: " + queueName + " (known: " + map.keySet() + ")");
        }
        return value;
    }

    /** Closes every client made here, stops S3 first (no notification is sent after), then SQS and DynamoDB. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        RuntimeException failure = new IllegalStateException("the local stand-ins did not close cleanly");
        synchronized (clients) {
            for (AutoCloseable client : clients) {
                closeQuietly(client, failure);
            }
            clients.clear();
        }
        closeQuietly(s3, failure);
        closeQuietly(sqs, failure);
        closeQuietly(dynamoDb, failure);
        closeQuietly(httpClient, failure);
        if (failure.getSuppressed().length > 0) {
            throw failure;
        }
    }

    private static void closeQuietly(AutoCloseable closeable, RuntimeException failure) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }
}
