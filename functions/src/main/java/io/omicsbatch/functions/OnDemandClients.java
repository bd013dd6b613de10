package io.omicsbatch.functions;

import io.omicsbatch.functions.aws.AwsClients;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.omics.OmicsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A function's clients, each built by {@link AwsClients} the first time it is asked for and kept for the function
 * instance's lifetime. An adapter that seldom needs its client asks for it as a supplier ({@code ...WhenUsed}) and
 * gets it built when it first uses it; {@link SnapStartPriming} primes all of them ({@link #used()}), building those
 * not built yet before the snapshot.
 */
final class OnDemandClients implements Components.ClientSource {

    private final AwsClients aws;
    private DynamoDbClient dynamo;
    private SqsClient sqs;
    private S3Client s3;
    private OmicsClient omicsStarter;
    private OmicsClient omicsReader;
    private EventBridgeClient eventBridge;
    private boolean s3WhenUsed;
    private boolean eventBridgeWhenUsed;

    OnDemandClients(AwsClients aws) {
        this.aws = aws;
    }

    @Override
    public synchronized DynamoDbClient dynamo() {
        return dynamo = once(dynamo, aws::dynamoDb);
    }

    @Override
    public synchronized SqsClient sqs() {
        return sqs = once(sqs, aws::sqs);
    }

    @Override
    public synchronized S3Client s3() {
        return s3 = once(s3, aws::s3);
    }

    @Override
    public synchronized OmicsClient omicsStarter() {
        return omicsStarter = once(omicsStarter, aws::omics);
    }

    @Override
    public synchronized OmicsClient omicsReader() {
        return omicsReader = once(omicsReader, aws::omicsReader);
    }

    @Override
    public synchronized EventBridgeClient eventBridge() {
        return eventBridge = once(eventBridge, aws::eventBridge);
    }

    @Override
    public synchronized Supplier<S3Client> s3WhenUsed() {
        s3WhenUsed = true;
        return this::s3;
    }

    @Override
    public synchronized Supplier<EventBridgeClient> eventBridgeWhenUsed() {
        eventBridgeWhenUsed = true;
        return this::eventBridge;
    }

    /** Every client asked for, directly or as a supplier, built now if it was not yet; null for the others. */
    synchronized Components.Clients used() {
        if (s3WhenUsed) {
            s3();
        }
        if (eventBridgeWhenUsed) {
            eventBridge();
        }
        return built();
    }

    /** The clients built so far; null for each not asked for. */
    synchronized Components.Clients built() {
        return new Components.Clients(dynamo, sqs, s3, omicsStarter, omicsReader, eventBridge);
    }

    private static <T> T once(T built, Supplier<T> build) {
        return built != null ? built : build.get();
    }
}
