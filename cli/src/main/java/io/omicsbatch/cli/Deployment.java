package io.omicsbatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.omicsbatch.resources.ResourceDefinitions;
import io.omicsbatch.settings.SettingsJson;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Stack;

/**
 * Where the operator commands find a deployment: the settings bucket, the two tables, and for the local runner the
 * endpoint of each service.
 *
 * <ul>
 *   <li>A deployed stack: its CloudFormation outputs ({@link ResourceDefinitions#OUTPUT_SETTINGS_BUCKET} and the two
 *       table outputs, DescribeStacks), with the default credentials chain; the partition is the stack ARN's.</li>
 *   <li>The local runner: the discovery document its {@code endpoint-url} serves (GET, JSON), which maps each service
 *       to its stand-in's endpoint and carries the same outputs, the region and the stand-ins' fixed placeholder keys
 *       (loopback only). A document rather than one front routing by service: every client then talks straight to
 *       its stand-in through the real SDK, with nothing to re-sign or to proxy (S3 bodies, SigV4's Host header).</li>
 * </ul>
 *
 * @param endpoints service name ({@code dynamodb}, {@code s3}, ...) to endpoint; empty for a deployed stack
 * @param credentials null for the default credentials chain
 */
public record Deployment(Region region, String partition, String settingsBucket, String batchesTable, String runsTable,
                  Map<String, URI> endpoints, AwsCredentialsProvider credentials) {

    /** The discovery document's format, which {@code run --keep-running} serves at its endpoint-url. */
    public static final String DISCOVERY_FORMAT = "omics-batch-local-endpoints/1";
    /** The services of the discovery document's {@code endpoints}, named as the SDK names them. */
    public static final String DYNAMODB = "dynamodb";
    public static final String S3 = "s3";

    public boolean isLocal() {
        return !endpoints.isEmpty();
    }

    public URI endpoint(String service) {
        URI endpoint = endpoints.get(service);
        if (isLocal() && endpoint == null) {
            throw new IllegalStateException("the local runner names no " + service + " endpoint");
        }
        return endpoint;
    }

    /** The stack's outputs, read with DescribeStacks. */
    static Deployment ofStack(String stackName, Region region, CloudFormationClient cloudFormation) {
        Stack stack = cloudFormation.describeStacks(b -> b.stackName(stackName)).stacks().get(0);
        Map<String, String> outputs = new HashMap<>();
        for (Output output : stack.outputs()) {
            outputs.put(output.outputKey(), output.outputValue());
        }
        String partition = stack.stackId().split(":", 3)[1];
        return new Deployment(region, partition, output(outputs, stackName, ResourceDefinitions.OUTPUT_SETTINGS_BUCKET),
                output(outputs, stackName, ResourceDefinitions.OUTPUT_BATCHES_TABLE),
                output(outputs, stackName, ResourceDefinitions.OUTPUT_RUNS_TABLE), Map.of(), null);
    }

    private static String output(Map<String, String> outputs, String stackName, String name) {
        String value = outputs.get(name);
        if (value == null) {
            throw new IllegalStateException("stack " + stackName + " has no output " + name
                    + " (deploy the current version of the stack, or name it with the option)");
        }
        return value;
    }

    /** The local runner's discovery document at {@code url}. */
    static Deployment ofLocalRunner(URI url) {
        JsonNode document;
        try {
            HttpURLConnection connection = (HttpURLConnection) url.toURL().openConnection();
            connection.setConnectTimeout(5_000);
            connection.setReadTimeout(10_000);
            try (InputStream in = connection.getInputStream()) {
                document = SettingsJson.MAPPER.readTree(in);
            } finally {
                connection.disconnect();
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot read the local runner's endpoints at " + url + ": " + e.getMessage(), e);
        }
        return fromDiscovery(document, url);
    }

    static Deployment fromDiscovery(JsonNode document, URI url) {
        if (!DISCOVERY_FORMAT.equals(document.path("format").asText())) {
            throw new IllegalStateException(url + " is not a local runner's endpoint-url (no format "
                    + DISCOVERY_FORMAT + ")");
        }
        Map<String, URI> endpoints = new HashMap<>();
        document.path("endpoints").fields().forEachRemaining(e -> endpoints.put(e.getKey(), URI.create(e.getValue().asText())));
        JsonNode outputs = document.path("outputs");
        JsonNode keys = document.path("credentials");
        return new Deployment(Region.of(document.path("region").asText()), document.path("partition").asText("aws"),
                outputs.path(ResourceDefinitions.OUTPUT_SETTINGS_BUCKET).asText(),
                outputs.path(ResourceDefinitions.OUTPUT_BATCHES_TABLE).asText(),
                outputs.path(ResourceDefinitions.OUTPUT_RUNS_TABLE).asText(), endpoints,
                StaticCredentialsProvider.create(AwsBasicCredentials.create(keys.path("accessKeyId").asText(),
                        keys.path("secretAccessKey").asText())));
    }
}
