package io.omicsbatch.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.omicsbatch.local.standins.Loopback;
import io.omicsbatch.util.DaemonThreads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The EventBridge API in front of the {@link LocalEventBridge}: PutEvents over the AWS JSON 1.1 protocol (target
 * {@code AWSEvents.PutEvents}), so that production code publishes through the SDK's {@code EventBridgeClient} with
 * an endpoint override. Each entry becomes the envelope EventBridge delivers to rule targets. Other operations
 * answer with the error EventBridge gives an unknown operation.
 */
public final class LocalEventBridgeApi implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4, DaemonThreads.named("eventbridge-api"));
    private final LocalEventBridge bus;
    private final String account;
    private final String region;

    private LocalEventBridgeApi(LocalEventBridge bus, String account, String region) throws IOException {
        this.bus = bus;
        this.account = account;
        this.region = region;
        this.server = HttpServer.create(new InetSocketAddress(Loopback.HOST, 0), 50);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public static LocalEventBridgeApi start(LocalEventBridge bus, String account, String region) {
        try {
            return new LocalEventBridgeApi(bus, account, region);
        } catch (IOException e) {
            throw new IllegalStateException("the local EventBridge API could not start: " + e.getMessage(), e);
        }
    }

    public URI endpoint() {
        return Loopback.httpUri(server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (!"POST".equals(exchange.getRequestMethod()) || !"AWSEvents.PutEvents".equals(target)) {
                error(exchange, 400, "UnknownOperationException", "not supported locally: " + target);
                return;
            }
            JsonNode request;
            try {
                request = JSON.readTree(body);
            } catch (IOException e) {
                error(exchange, 400, "ValidationException", "the body is not JSON");
                return;
            }
            JsonNode entries = request.path("Entries");
            if (!entries.isArray() || entries.isEmpty() || entries.size() > 10) {
                error(exchange, 400, "ValidationException", "Entries must hold 1 to 10 entries");
                return;
            }
            ObjectNode response = JSON.createObjectNode();
            ArrayNode results = response.putArray("Entries");
            int failed = 0;
            for (JsonNode entry : entries) {
                ObjectNode result = results.addObject();
                try {
                    String id = UUID.randomUUID().toString();
                    bus.publish(envelope(id, entry).toString());
                    result.put("EventId", id);
                } catch (RuntimeException e) {
                    failed++;
                    result.put("ErrorCode", "MalformedDetail");
                    result.put("ErrorMessage", e.getMessage());
                }
            }
            response.put("FailedEntryCount", failed);
            send(exchange, 200, response.toString());
        }
    }

    private ObjectNode envelope(String id, JsonNode entry) throws IOException {
        if (!entry.path("Source").isTextual() || !entry.path("DetailType").isTextual()
                || !entry.path("Detail").isTextual()) {
            throw new IllegalArgumentException("Source, DetailType and Detail are required");
        }
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "0");
        event.put("id", id);
        event.put("detail-type", entry.get("DetailType").asText());
        event.put("source", entry.get("Source").asText());
        event.put("account", account);
        event.put("time", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        event.put("region", region);
        ArrayNode resources = event.putArray("resources");
        entry.path("Resources").forEach(resources::add);
        event.set("detail", JSON.readTree(entry.get("Detail").asText()));
        return event;
    }

    private static void error(HttpExchange exchange, int status, String type, String message) throws IOException {
        exchange.getResponseHeaders().set("x-amzn-ErrorType", type);
        send(exchange, status, JSON.createObjectNode().put("__type", type).put("message", message).toString());
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
