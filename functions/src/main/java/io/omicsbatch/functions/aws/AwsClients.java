package io.omicsbatch.functions.aws;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
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
 * credentials chain, the {@link PrimingInterceptor}. The HTTP client lets the SDK retry stale keep-alive connections ({@link RetryableIoHttpClient}).
 */
public final class AwsClients {

    private static final PrimingInterceptor PRIMING = new PrimingInterceptor();

    private final Region region;
    private final URI endpoint;
    private final SdkHttpClient http = new RetryableIoHttpClient(UrlConnectionHttpClient.builder().build());
    private final AwsCredentialsProvider credentials;

    public AwsClients(Region region) {
        this(region, null, DefaultCredentialsProvider.builder().build());
    }

    /** For tests: every client sent to one endpoint, with the given credentials. */
    public AwsClients(Region region, URI endpoint, AwsCredentialsProvider credentials) {
        this.region = region;
        this.endpoint = endpoint;
        this.credentials = credentials;
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
        return configure(DynamoDbClient.builder()).overrideConfiguration(o -> o.addExecutionInterceptor(PRIMING)).build();
    }

    public SqsClient sqs() {
        return configure(SqsClient.builder()).overrideConfiguration(o -> o.addExecutionInterceptor(PRIMING)).build();
    }

    public S3Client s3() {
        return configure(S3Client.builder()).overrideConfiguration(o -> o.addExecutionInterceptor(PRIMING)).build();
    }

    /** Omics without SDK retries (the submit function retries, paced) and with the unmodeled-members interceptor. */
    public OmicsClient omics() {
        return configure(OmicsClient.builder())
                .overrideConfiguration(omicsOverrides().toBuilder().addExecutionInterceptor(PRIMING).build())
                .build();
    }

    /** Omics for GetRun and GetWorkflow: the SDK's standard retries (safe to repeat; absorbs throttling with backoff). */
    public OmicsClient omicsReader() {
        return configure(OmicsClient.builder())
                .overrideConfiguration(omicsReaderOverrides().toBuilder().addExecutionInterceptor(PRIMING).build())
                .build();
    }

    public EventBridgeClient eventBridge() {
        return configure(EventBridgeClient.builder()).overrideConfiguration(o -> o.addExecutionInterceptor(PRIMING)).build();
    }

    /** Region, HTTP client, credentials, endpoint; and the {@link PrimingInterceptor} SnapStart priming relies on. */
    private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder) {
        builder.region(region).httpClient(http).credentialsProvider(credentials);
        return endpoint == null ? builder : builder.endpointOverride(endpoint);
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
