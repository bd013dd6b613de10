package io.omicsbatch.cli;

import io.omicsbatch.batch.BatchRecord;
import io.omicsbatch.batch.BatchStatus;
import io.omicsbatch.functions.aws.DynamoBatchStore;
import io.omicsbatch.functions.aws.DynamoRunStore;
import io.omicsbatch.functions.aws.RetryableIoHttpClient;
import io.omicsbatch.resources.ResourceDefinitions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
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
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
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

    /** One page of batches, newest first, and the token of the next page (null on the last). */
    record BatchPage(List<BatchRecord> batches, String nextToken) {}

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

        /**
         * A page of ListBatch: the batches with this status and name (each filter optional), newest first (then by
         * id), from after the token's batch. A scan of the whole table, one item per batch, for exact pages in a
         * stable order; the token names the last batch returned, so a page is never repeated or skipped.
         */
        BatchPage list(BatchStatus status, String name, int maxItems, String startingToken) {
            List<BatchRecord> matching = new ArrayList<>();
            StringBuilder filter = new StringBuilder();
            Map<String, String> names = new HashMap<>();
            Map<String, AttributeValue> values = new HashMap<>();
            if (status != null) {
                filter.append("#status = :status");
                names.put("#status", "status");
                values.put(":status", AttributeValue.fromS(status.name()));
            }
            if (name != null) {
                filter.append(filter.isEmpty() ? "" : " AND ").append("batchName = :name");
                values.put(":name", AttributeValue.fromS(name));
            }
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> from = start;
                ScanResponse page = client.scan(b -> {
                    b.tableName(deployment.batchesTable()).consistentRead(true).exclusiveStartKey(from);
                    if (!filter.isEmpty()) {
                        b.filterExpression(filter.toString()).expressionAttributeValues(values);
                        if (!names.isEmpty()) {
                            b.expressionAttributeNames(names);
                        }
                    }
                });
                page.items().stream().filter(item -> item.containsKey("status"))
                        .forEach(item -> matching.add(DynamoBatchStore.fromItem(item)));
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null);
            matching.sort(NEWEST_FIRST);
            int from = 0;
            if (startingToken != null) {
                BatchRecord after = tokenBatch(startingToken);
                while (from < matching.size() && NEWEST_FIRST.compare(matching.get(from), after) <= 0) {
                    from++;
                }
            }
            int to = Math.min(matching.size(), from + maxItems);
            List<BatchRecord> pageItems = List.copyOf(matching.subList(from, to));
            String next = to < matching.size() ? token(pageItems.get(pageItems.size() - 1)) : null;
            return new BatchPage(pageItems, next);
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

    private static final Comparator<BatchRecord> NEWEST_FIRST = Comparator
            .comparing((BatchRecord b) -> b.creationTime() == null ? Instant.EPOCH : b.creationTime()).reversed()
            .thenComparing(BatchRecord::batchId);

    /** The token of the page after this batch: its creation time and id, opaque to the user. */
    static String token(BatchRecord last) {
        String value = (last.creationTime() == null ? 0 : last.creationTime().toEpochMilli()) + ":" + last.batchId();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static BatchRecord tokenBatch(String token) {
        String value;
        try {
            value = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--starting-token is not a token this command printed");
        }
        int colon = value.indexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("--starting-token is not a token this command printed");
        }
        Instant created = Instant.ofEpochMilli(Long.parseLong(value.substring(0, colon)));
        return new BatchRecord(value.substring(colon + 1), null, BatchStatus.CREATING, null, null, null, null, 0, false,
                null, null, List.of(), 0, Map.of(), created, null, null, null, null, null, null, 0, 0, null);
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
