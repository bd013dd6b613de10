package io.omicsbatch.cli;

import io.omicsbatch.functions.aws.DynamoBatchStore;
import io.omicsbatch.functions.aws.DynamoRunStore;
import io.omicsbatch.functions.aws.RetryableIoHttpClient;
import io.omicsbatch.resources.ResourceDefinitions;
import java.net.URI;
import java.time.Clock;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Where the status commands read from: the tables of a deployed stack (the default credentials chain, the region
 * from {@code --region} or the environment) or of the local runner ({@code --endpoint-url}).
 */
final class TableConnection {

    @Option(names = "--region", paramLabel = "<region>",
            description = "AWS region of the stack (default: AWS_REGION / the profile's region).")
    String region;

    @Option(names = "--endpoint-url", paramLabel = "<url>",
            description = "DynamoDB endpoint, e.g. the local runner's (it prints it); credentials then default to local ones.")
    URI endpoint;

    @Option(names = "--batches-table", paramLabel = "<name>", description = "Default: ${DEFAULT-VALUE}.")
    String batchesTable = ResourceDefinitions.BATCHES_TABLE.name();

    @Option(names = "--runs-table", paramLabel = "<name>", description = "Default: ${DEFAULT-VALUE}.")
    String runsTable = ResourceDefinitions.RUNS_TABLE.name();

    /** The stores over one client; close the client when done. */
    record Stores(DynamoDbClient client, DynamoBatchStore batches, DynamoRunStore runs, String batchesTable)
            implements AutoCloseable {

        /** The batch, or empty after telling the user on stderr that there is no such batch. */
        java.util.Optional<io.omicsbatch.batch.BatchRecord> batch(String batchId, java.io.PrintWriter err) {
            var batch = batches.get(batchId);
            if (batch.isEmpty()) {
                err.println("error: no batch " + batchId + " in table " + batchesTable);
                err.flush();
            }
            return batch;
        }

        @Override
        public void close() {
            client.close();
        }
    }

    Stores open() {
        var builder = DynamoDbClient.builder()
                .httpClient(new RetryableIoHttpClient(UrlConnectionHttpClient.builder().build()));
        if (region != null) {
            builder.region(Region.of(region));
        } else if (endpoint != null) {
            builder.region(Region.US_EAST_1);
        }
        AwsCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
            // DynamoDB Local takes any (alphanumeric) keys: fall back to placeholders when none are configured.
            credentials = AwsCredentialsProviderChain.of(credentials,
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("omicsbatchlocal", "omicsbatchlocal")));
        }
        DynamoDbClient client = builder.credentialsProvider(credentials).build();
        Clock clock = Clock.systemUTC();
        return new Stores(client, new DynamoBatchStore(client, batchesTable, clock),
                new DynamoRunStore(client, runsTable, batchesTable, clock), batchesTable);
    }
}
