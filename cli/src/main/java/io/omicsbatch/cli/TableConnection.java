package io.omicsbatch.cli;

import io.omicsbatch.batch.BatchRecord;
import io.omicsbatch.functions.aws.DynamoBatchStore;
import io.omicsbatch.functions.aws.DynamoRunStore;
import io.omicsbatch.functions.aws.RetryableIoHttpClient;
import io.omicsbatch.resources.ResourceDefinitions;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Where the operator commands read and write: a deployed stack, found by its outputs ({@code --stack}, default
 * {@value ResourceDefinitions#DEFAULT_STACK_NAME}; default credentials, {@code --region}), or the local runner
 * ({@code --endpoint-url}, the url {@code run --keep-running} prints). {@code --settings-bucket},
 * {@code --batches-table} and {@code --runs-table} override what the stack says.
 */
final class TableConnection {

    @Option(names = "--stack", paramLabel = "<name>", description = "The deployed stack (default: ${DEFAULT-VALUE}).")
    String stack = ResourceDefinitions.DEFAULT_STACK_NAME;

    @Option(names = "--region", paramLabel = "<region>",
            description = "AWS region of the stack (default: AWS_REGION / the profile's region).")
    String region;

    @Option(names = "--endpoint-url", paramLabel = "<url>",
            description = "The local runner's endpoint-url (run --keep-running prints it), instead of a stack.")
    URI endpoint;

    @Option(names = "--settings-bucket", paramLabel = "<bucket>", description = "Default: the stack's output "
            + ResourceDefinitions.OUTPUT_SETTINGS_BUCKET + ".")
    String settingsBucket;

    @Option(names = "--batches-table", paramLabel = "<name>", description = "Default: the stack's output "
            + ResourceDefinitions.OUTPUT_BATCHES_TABLE + ".")
    String batchesTable;

    @Option(names = "--runs-table", paramLabel = "<name>", description = "Default: the stack's output "
            + ResourceDefinitions.OUTPUT_RUNS_TABLE + ".")
    String runsTable;

    /** The stores over one deployment's clients; close them when done. */
    static final class Stores implements AutoCloseable {

        private final Deployment deployment;
        private final SdkHttpClient http;
        private final DynamoDbClient client;
        private final DynamoBatchStore batches;
        private final DynamoRunStore runs;
        private S3Client s3;

        Stores(Deployment deployment, SdkHttpClient http) {
            this.deployment = deployment;
            this.http = http;
            this.client = configure(DynamoDbClient.builder(), Deployment.DYNAMODB).build();
            Clock clock = Clock.systemUTC();
            this.batches = new DynamoBatchStore(client, deployment.batchesTable(), clock);
            this.runs = new DynamoRunStore(client, deployment.runsTable(), deployment.batchesTable(), clock);
        }

        Deployment deployment() {
            return deployment;
        }

        DynamoBatchStore batches() {
            return batches;
        }

        DynamoRunStore runs() {
            return runs;
        }

        /** The S3 client of the settings bucket (made on first use: the read commands need none). */
        synchronized S3Client s3() {
            if (s3 == null) {
                s3 = configure(S3Client.builder(), Deployment.S3).forcePathStyle(deployment.isLocal()).build();
            }
            return s3;
        }

        /** The batch, or empty after telling the user on stderr that there is no such batch. */
        Optional<BatchRecord> batch(String batchId, java.io.PrintWriter err) {
            var batch = batches.get(batchId);
            if (batch.isEmpty()) {
                err.println("error: no batch " + batchId + " in table " + deployment.batchesTable());
                err.flush();
            }
            return batch;
        }

        private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(B builder, String service) {
            builder.httpClient(http).region(deployment.region());
            if (deployment.credentials() != null) {
                builder.credentialsProvider(deployment.credentials());
            }
            if (deployment.isLocal()) {
                builder.endpointOverride(deployment.endpoint(service));
            }
            return builder;
        }

        @Override
        public void close() {
            client.close();
            if (s3 != null) {
                s3.close();
            }
            http.close();
        }
    }

    /** Resolves the deployment and opens its clients. */
    Stores open() {
        SdkHttpClient http = new RetryableIoHttpClient(UrlConnectionHttpClient.builder().build());
        try {
            Deployment found = resolve(http);
            Deployment deployment = new Deployment(found.region(), found.partition(),
                    settingsBucket != null ? settingsBucket : found.settingsBucket(),
                    batchesTable != null ? batchesTable : found.batchesTable(),
                    runsTable != null ? runsTable : found.runsTable(), found.endpoints(), found.credentials());
            return new Stores(deployment, http);
        } catch (RuntimeException e) {
            http.close();
            throw e;
        }
    }

    private Deployment resolve(SdkHttpClient http) {
        if (endpoint != null) {
            Deployment local = Deployment.ofLocalRunner(endpoint);
            return region == null ? local : new Deployment(Region.of(region), local.partition(), local.settingsBucket(),
                    local.batchesTable(), local.runsTable(), local.endpoints(), local.credentials());
        }
        Region stackRegion = region != null ? Region.of(region) : DefaultAwsRegionProviderChain.builder().build().getRegion();
        if (settingsBucket != null && batchesTable != null && runsTable != null) {
            return new Deployment(stackRegion, stackRegion.metadata() == null ? "aws" : stackRegion.metadata().partition().id(),
                    settingsBucket, batchesTable, runsTable, Map.of(), null);
        }
        try (CloudFormationClient cloudFormation = CloudFormationClient.builder().httpClient(http).region(stackRegion)
                .credentialsProvider(DefaultCredentialsProvider.builder().build()).build()) {
            return Deployment.ofStack(stack, stackRegion, cloudFormation);
        }
    }
}
