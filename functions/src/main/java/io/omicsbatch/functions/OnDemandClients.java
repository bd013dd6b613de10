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
 * instance's lifetime. What was built by the snapshot is what {@link SnapStartPriming} primes ({@link #built()}).
 */
final class OnDemandClients implements Components.ClientSource {

    private final AwsClients aws;
    private DynamoDbClient dynamo;
    private SqsClient sqs;
    private S3Client s3;
    private OmicsClient omicsStarter;
    private OmicsClient omicsReader;
    private EventBridgeClient eventBridge;

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

    /** The clients built so far; null for each not asked for. */
    synchronized Components.Clients built() {
        return new Components.Clients(dynamo, sqs, s3, omicsStarter, omicsReader, eventBridge);
    }

    private static <T> T once(T built, Supplier<T> build) {
        return built != null ? built : build.get();
    }
}
