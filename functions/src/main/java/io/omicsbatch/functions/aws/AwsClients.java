package io.omicsbatch.functions.aws;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.omics.OmicsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The production clients, built once per function instance (outside the handler method, so SnapStart and
 * warm invocations reuse them): the function's region, one URL-connection HTTP client, the default
 * credentials chain. The HTTP client lets the SDK retry stale keep-alive connections ({@link RetryableIoHttpClient}).
 */
public final class AwsClients {

    private final Region region;
    private final SdkHttpClient http = new RetryableIoHttpClient(UrlConnectionHttpClient.builder().build());
    private final DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();

    public AwsClients(Region region) {
        this.region = region;
    }

    /** The region the function runs in (AWS_REGION, which Lambda always sets). */
    public static AwsClients fromEnvironment() {
        String region = System.getenv("AWS_REGION");
        if (region == null || region.isBlank()) {
            throw new IllegalStateException("AWS_REGION is not set");
        }
        return new AwsClients(Region.of(region));
    }

    public DynamoDbClient dynamoDb() {
        return DynamoDbClient.builder().region(region).httpClient(http).credentialsProvider(credentials).build();
    }

    public SqsClient sqs() {
        return SqsClient.builder().region(region).httpClient(http).credentialsProvider(credentials).build();
    }

    public S3Client s3() {
        return S3Client.builder().region(region).httpClient(http).credentialsProvider(credentials).build();
    }

    /** Omics without SDK retries (the submit function retries, paced) and with the unmodeled-members interceptor. */
    public OmicsClient omics() {
        return OmicsClient.builder().region(region).httpClient(http).credentialsProvider(credentials)
                .overrideConfiguration(omicsOverrides())
                .build();
    }

    /** Omics for GetRun and GetWorkflow: the SDK's standard retries (safe to repeat; absorbs throttling with backoff). */
    public OmicsClient omicsReader() {
        return OmicsClient.builder().region(region).httpClient(http).credentialsProvider(credentials)
                .overrideConfiguration(omicsReaderOverrides())
                .build();
    }

    public EventBridgeClient eventBridge() {
        return EventBridgeClient.builder().region(region).httpClient(http).credentialsProvider(credentials).build();
    }

    /** The reader's: the SDK's retries, and GetWorkflow's members SDK 2.40.2 does not model. */
    public static ClientOverrideConfiguration omicsReaderOverrides() {
        return ClientOverrideConfiguration.builder()
                .addExecutionInterceptor(new UnmodeledMembersInterceptor())
                .build();
    }

    public static ClientOverrideConfiguration omicsOverrides() {
        return ClientOverrideConfiguration.builder()
                .retryStrategy(DefaultRetryStrategy.doNotRetry())
                .addExecutionInterceptor(new UnmodeledMembersInterceptor())
                .build();
    }
}
