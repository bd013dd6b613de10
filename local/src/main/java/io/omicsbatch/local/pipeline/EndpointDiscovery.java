package io.omicsbatch.local.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.omicsbatch.cli.Deployment;
import io.omicsbatch.local.standins.LocalStandIns;
import io.omicsbatch.local.standins.Loopback;
import io.omicsbatch.resources.ResourceDefinitions;
import io.omicsbatch.settings.SettingsJson;
import io.omicsbatch.util.DaemonThreads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The local runner's endpoint-url: a GET answers with the discovery document ({@link Deployment#DISCOVERY_FORMAT})
 * that maps each local service to its stand-in's endpoint and names the bucket and tables under the stack's output
 * names, so that an operator command given {@code --endpoint-url} reaches everything it needs. It serves on the
 * loopback interface only; the keys it names are the stand-ins' fixed placeholders.
 */
public final class EndpointDiscovery implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(DaemonThreads.named("endpoint-discovery"));
    private final byte[] document;

    private EndpointDiscovery(byte[] document) throws IOException {
        this.document = document;
        this.server = HttpServer.create(new InetSocketAddress(Loopback.HOST, 0), 10);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    static EndpointDiscovery start(LocalPipeline pipeline, URI eventBridge) {
        try {
            return new EndpointDiscovery(SettingsJson.MAPPER.writeValueAsBytes(document(pipeline, eventBridge)));
        } catch (IOException e) {
            throw new IllegalStateException("the local endpoint-url could not start: " + e.getMessage(), e);
        }
    }

    static ObjectNode document(LocalPipeline pipeline, URI eventBridge) {
        LocalStandIns aws = pipeline.aws();
        ObjectNode document = SettingsJson.MAPPER.createObjectNode();
        document.put("format", Deployment.DISCOVERY_FORMAT);
        document.put("region", LocalStandIns.REGION.id());
        document.put("partition", pipeline.components().settings().partition());
        ObjectNode endpoints = document.putObject("endpoints");
        endpoints.put(Deployment.DYNAMODB, aws.dynamoDbEndpoint().toString());
        endpoints.put(Deployment.S3, aws.s3Endpoint().toString());
        endpoints.put("sqs", aws.sqsEndpoint().toString());
        endpoints.put("events", eventBridge.toString());
        endpoints.put("omics", pipeline.simulator().endpoint().toString());
        ObjectNode outputs = document.putObject("outputs");
        outputs.put(ResourceDefinitions.OUTPUT_SETTINGS_BUCKET, aws.settingsBucket());
        outputs.put(ResourceDefinitions.OUTPUT_BATCHES_TABLE, pipeline.components().settings().batchesTable());
        outputs.put(ResourceDefinitions.OUTPUT_RUNS_TABLE, pipeline.components().settings().runsTable());
        document.putObject("credentials").put("accessKeyId", LocalStandIns.ACCESS_KEY_ID)
                .put("secretAccessKey", LocalStandIns.SECRET_ACCESS_KEY);
        return document;
    }

    /** {@code http://127.0.0.1:<port>/}. */
    public URI url() {
        return URI.create(Loopback.httpUri(server.getAddress().getPort()) + "/");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, document.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(document);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
