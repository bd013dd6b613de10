package io.omicsbatch.functions;

import io.omicsbatch.functions.aws.PrimingInterceptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.crac.Context;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * SnapStart priming: before Lambda snapshots an initialised function, every client the function has runs one request
 * of each operation the functions call through the SDK's marshalling, endpoint resolution and signing, stopped by
 * {@link PrimingInterceptor} before the HTTP client. The snapshot then holds those classes loaded and initialised, so
 * the first invocation after a restore does not pay for them. No network call: the requests are signed with
 * placeholder credentials (the function's credentials provider is not asked) and never sent.
 *
 * <p>Registered for every function by {@link Components#fromEnvironment()}, for the clients the function has built by
 * the time of the snapshot (its handler's constructor builds those its services use); a new handler built from it is
 * primed too.
 */
public final class SnapStartPriming implements Resource {

    private static final Logger LOG = LoggerFactory.getLogger(SnapStartPriming.class);
    /** org.crac holds registered resources weakly; the function instance keeps them for its lifetime. */
    private static final List<SnapStartPriming> REGISTERED = new CopyOnWriteArrayList<>();
    private static final String PLACEHOLDER_QUEUE = "https://sqs.us-east-1.amazonaws.com/000000000000/priming";
    private static final String PLACEHOLDER_BUCKET = "omics-batch-priming";

    private Supplier<List<Runnable>> plan;
    private List<Runnable> requests;

    SnapStartPriming(List<Runnable> requests) {
        this.requests = List.copyOf(requests);
    }

    private SnapStartPriming(Supplier<List<Runnable>> plan) {
        this.plan = plan;
    }

    /** Priming for these clients, registered with the given CRaC context (Lambda's: {@code Core.getGlobalContext()}). */
    public static SnapStartPriming register(Components.Clients clients, FunctionSettings settings,
                                            Context<Resource> context) {
        return register(() -> clients, settings, context);
    }

    /**
     * Priming for the clients {@code clients} gives when the priming first runs (or is sized): a function's, which
     * builds its clients as its handler is constructed, before the snapshot.
     */
    public static SnapStartPriming register(Supplier<Components.Clients> clients, FunctionSettings settings,
                                            Context<Resource> context) {
        SnapStartPriming priming = new SnapStartPriming(() -> of(clients.get(), settings).requests());
        REGISTERED.add(priming);
        context.register(priming);
        return priming;
    }

    private synchronized List<Runnable> requests() {
        if (requests == null) {
            requests = List.copyOf(plan.get());
            plan = null;
        }
        return requests;
    }

    /** The priming resources registered in this JVM. */
    public static List<SnapStartPriming> registered() {
        return List.copyOf(REGISTERED);
    }

    /** One request per operation the functions call, for each client present. */
    static SnapStartPriming of(Components.Clients clients, FunctionSettings settings) {
        Consumer<AwsRequestOverrideConfiguration.Builder> priming = o -> o
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("priming", "priming")))
                .putExecutionAttribute(PrimingInterceptor.PRIMING, true);
        List<Runnable> requests = new ArrayList<>();
        if (clients.dynamo() != null) {
            var dynamo = clients.dynamo();
            String table = settings.batchesTable();
            Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("priming"));
            requests.add(() -> dynamo.getItem(b -> b.tableName(table).key(key).consistentRead(true)
                    .overrideConfiguration(priming)));
            requests.add(() -> dynamo.putItem(b -> b.tableName(table).item(key)
                    .conditionExpression("attribute_not_exists(pk)").overrideConfiguration(priming)));
            requests.add(() -> dynamo.updateItem(b -> b.tableName(table).key(key)
                    .updateExpression("ADD #n :one").expressionAttributeNames(Map.of("#n", "n"))
                    .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))
                    .overrideConfiguration(priming)));
            requests.add(() -> dynamo.query(b -> b.tableName(table).keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("priming")))
                    .overrideConfiguration(priming)));
            requests.add(() -> dynamo.transactWriteItems(b -> b.transactItems(t -> t.put(p -> p.tableName(table)
                    .item(key))).overrideConfiguration(priming)));
            requests.add(() -> dynamo.batchWriteItem(b -> b.requestItems(Map.of(table, List.of(
                    software.amazon.awssdk.services.dynamodb.model.WriteRequest.builder()
                            .putRequest(p -> p.item(key)).build()))).overrideConfiguration(priming)));
        }
        if (clients.sqs() != null) {
            var sqs = clients.sqs();
            String queue = settings.runQueueUrl() != null ? settings.runQueueUrl() : PLACEHOLDER_QUEUE;
            requests.add(() -> sqs.sendMessage(b -> b.queueUrl(queue).messageBody("{}").delaySeconds(1)
                    .overrideConfiguration(priming)));
            requests.add(() -> sqs.sendMessageBatch(b -> b.queueUrl(queue).entries(SendMessageBatchRequestEntry
                    .builder().id("0").messageBody("{}").build()).overrideConfiguration(priming)));
            requests.add(() -> sqs.changeMessageVisibility(b -> b.queueUrl(queue).receiptHandle("priming")
                    .visibilityTimeout(1).overrideConfiguration(priming)));
        }
        if (clients.s3() != null) {
            var s3 = clients.s3();
            requests.add(() -> s3.getObject(b -> b.bucket(PLACEHOLDER_BUCKET).key("priming.json")
                    .overrideConfiguration(priming), ResponseTransformer.toBytes()));
            requests.add(() -> s3.headObject(b -> b.bucket(PLACEHOLDER_BUCKET).key("priming.json")
                    .overrideConfiguration(priming)));
            requests.add(() -> s3.putObject(b -> b.bucket(PLACEHOLDER_BUCKET).key("priming.json")
                    .contentType("application/json").overrideConfiguration(priming), RequestBody.fromString("{}")));
        }
        if (clients.omicsStarter() != null) {
            var omics = clients.omicsStarter();
            requests.add(() -> omics.startRun(b -> b.workflowId("1234567").roleArn(
                    "arn:aws:iam::000000000000:role/priming").outputUri("s3://" + PLACEHOLDER_BUCKET + "/")
                    .requestId("priming").storageType("DYNAMIC").name("priming")
                    .tags(Map.of("k", "v")).overrideConfiguration(priming)));
        }
        if (clients.omicsReader() != null) {
            var omics = clients.omicsReader();
            requests.add(() -> omics.getRun(b -> b.id("1234567").overrideConfiguration(priming)));
            requests.add(() -> omics.getWorkflow(b -> b.id("1234567").overrideConfiguration(priming)));
        }
        if (clients.eventBridge() != null) {
            var events = clients.eventBridge();
            requests.add(() -> events.putEvents(b -> b.entries(PutEventsRequestEntry.builder()
                    .eventBusName(settings.batchEventBus()).source(settings.batchEventSource())
                    .detailType("priming").detail("{}").build()).overrideConfiguration(priming)));
        }
        return new SnapStartPriming(requests);
    }

    /**
     * Runs every priming request; returns how many ended where they should (before the HTTP client). One that fails
     * otherwise is logged and skipped: priming must never stop a function from starting.
     */
    public int prime() {
        int primed = 0;
        for (Runnable request : requests()) {
            try {
                request.run();
                LOG.warn("a priming request was not stopped before the HTTP client");
            } catch (RuntimeException e) {
                if (stoppedByPriming(e)) {
                    primed++;
                } else {
                    LOG.warn("a priming request failed; the function starts without it", e);
                }
            }
        }
        return primed;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        int primed = prime();
        LOG.info("primed {} of {} SDK requests before the snapshot", primed, requests().size());
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to undo: the clients hold no connection and no credentials from the priming.
    }

    /** How many requests a priming runs. */
    public int size() {
        return requests().size();
    }

    private static boolean stoppedByPriming(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof PrimingInterceptor.NotSent) {
                return true;
            }
        }
        return false;
    }
}
