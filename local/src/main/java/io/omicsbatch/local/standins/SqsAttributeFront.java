package io.omicsbatch.local.standins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP front of the SQS stand-in. ElasticMQ 1.7.1 accepts {@code MessageRetentionPeriod} but drops it (it is in
 * its {@code UnsupportedAttributeNames}): it is neither stored, nor returned by GetQueueAttributes, nor enforced. This
 * front forwards every request to ElasticMQ unchanged and keeps that one attribute as SQS does: validated (60 s to
 * 14 days) and stored by CreateQueue and SetQueueAttributes (default 4 days), returned by GetQueueAttributes
 * ({@code All} or by name), forgotten by DeleteQueue. It is still not enforced: messages never expire locally.
 *
 * <p>Only the SQS JSON protocol (what SDK 2.x speaks) is interpreted; anything else passes through untouched.
 */
final class SqsAttributeFront implements AutoCloseable {

    static final String RETENTION = "MessageRetentionPeriod";
    static final long DEFAULT_RETENTION_SECONDS = 345_600;
    private static final long MIN_RETENTION_SECONDS = 60;
    private static final long MAX_RETENTION_SECONDS = 1_209_600;
    private static final String TARGET_PREFIX = "AmazonSQS.";
    /** Headers the JDK sets itself on the forwarded request (or refuses), and hop-by-hop ones. */
    private static final Set<String> NOT_FORWARDED = Set.of(
            "host", "connection", "content-length", "transfer-encoding", "expect", "keep-alive", "upgrade", "date");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService threads;
    private final Map<String, Long> retentionByQueueName = new ConcurrentHashMap<>();
    private volatile URI backend;

    private SqsAttributeFront(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    /** Binds 127.0.0.1 on an ephemeral port; requests are answered once {@link #forwardTo} named ElasticMQ. */
    static SqsAttributeFront bind() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(Loopback.HOST, 0), 64);
        AtomicInteger count = new AtomicInteger();
        // One thread per request in flight: long polls (WaitTimeSeconds up to 20) hold theirs.
        ExecutorService threads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "sqs-front-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        server.setExecutor(threads);
        SqsAttributeFront front = new SqsAttributeFront(server, threads);
        server.createContext("/", front::handle);
        server.start();
        return front;
    }

    int port() {
        return server.getAddress().getPort();
    }

    void forwardTo(URI elasticMq) {
        this.backend = elasticMq;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String action = target != null && target.startsWith(TARGET_PREFIX)
                    ? target.substring(TARGET_PREFIX.length()) : null;
            JsonNode request = action == null ? null : parse(body);
            if (request != null && (action.equals("CreateQueue") || action.equals("SetQueueAttributes"))) {
                JsonNode value = request.path("Attributes").get(RETENTION);
                if (value != null && !validRetention(value.asText())) {
                    respond(exchange, 400, "InvalidAttributeValue",
                            "Invalid value for the parameter " + RETENTION + ".");
                    return;
                }
            }
            Forwarded response = forward(exchange, body);
            if (request != null && response.status() / 100 == 2) {
                byte[] rewritten = afterSuccess(action, request, response.body());
                if (rewritten != null) {
                    response = new Forwarded(response.status(), response.headers(), rewritten);
                }
            }
            response.headers().forEach((name, values) -> {
                if (name != null && !NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            exchange.sendResponseHeaders(response.status(), response.body().length == 0 ? -1 : response.body().length);
            if (response.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response.body());
                }
            }
        } catch (IOException | RuntimeException e) {
            respondQuietly(exchange, e);
        }
    }

    /** Returns the response body to send instead of ElasticMQ's, or null to send ElasticMQ's. */
    private byte[] afterSuccess(String action, JsonNode request, byte[] responseBody) throws IOException {
        switch (action) {
            case "CreateQueue" -> {
                String name = request.path("QueueName").asText();
                JsonNode value = request.path("Attributes").get(RETENTION);
                if (value != null) {
                    retentionByQueueName.put(name, Long.parseLong(value.asText().trim()));
                } else {
                    retentionByQueueName.putIfAbsent(name, DEFAULT_RETENTION_SECONDS);
                }
                return null;
            }
            case "SetQueueAttributes" -> {
                JsonNode value = request.path("Attributes").get(RETENTION);
                if (value != null) {
                    retentionByQueueName.put(queueName(request), Long.parseLong(value.asText().trim()));
                }
                return null;
            }
            case "DeleteQueue" -> {
                retentionByQueueName.remove(queueName(request));
                return null;
            }
            case "GetQueueAttributes" -> {
                if (!asksForRetention(request.path("AttributeNames"))) {
                    return null;
                }
                JsonNode response = parse(responseBody);
                if (!(response instanceof ObjectNode object)) {
                    return null;
                }
                long retention = retentionByQueueName.getOrDefault(queueName(request), DEFAULT_RETENTION_SECONDS);
                JsonNode attributes = object.get("Attributes");
                ObjectNode target = attributes instanceof ObjectNode existing ? existing : object.putObject("Attributes");
                target.put(RETENTION, Long.toString(retention));
                return JSON.writeValueAsBytes(object);
            }
            default -> {
                return null;
            }
        }
    }

    private static boolean asksForRetention(JsonNode names) {
        for (JsonNode name : names) {
            if (name.asText().equals("All") || name.asText().equals(RETENTION)) {
                return true;
            }
        }
        return false;
    }

    private static boolean validRetention(String text) {
        try {
            long seconds = Long.parseLong(text.trim());
            return seconds >= MIN_RETENTION_SECONDS && seconds <= MAX_RETENTION_SECONDS;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String queueName(JsonNode request) {
        String url = request.path("QueueUrl").asText();
        String path = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static JsonNode parse(byte[] body) {
        try {
            return body.length == 0 ? null : JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private record Forwarded(int status, Map<String, List<String>> headers, byte[] body) {}

    private Forwarded forward(HttpExchange exchange, byte[] body) throws IOException {
        URI base = backend;
        if (base == null) {
            throw new IOException("ElasticMQ is not started");
        }
        URI requested = exchange.getRequestURI();
        String pathAndQuery = requested.getRawPath() + (requested.getRawQuery() == null ? "" : "?" + requested.getRawQuery());
        HttpURLConnection connection =
                (HttpURLConnection) base.resolve(pathAndQuery).toURL().openConnection(Proxy.NO_PROXY);
        connection.setRequestMethod(exchange.getRequestMethod());
        connection.setConnectTimeout(10_000);
        connection.setReadTimeout(60_000); // long polls last up to 20 s
        connection.setUseCaches(false);
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                for (String value : values) {
                    connection.addRequestProperty(name, value);
                }
            }
        });
        if (body.length > 0) {
            connection.setDoOutput(true);
            connection.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
        }
        int status = connection.getResponseCode();
        byte[] responseBody;
        try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
            responseBody = in == null ? new byte[0] : in.readAllBytes();
        }
        return new Forwarded(status, connection.getHeaderFields(), responseBody);
    }

    private static void respond(HttpExchange exchange, int status, String code, String message) throws IOException {
        ObjectNode error = JSON.createObjectNode();
        error.put("__type", "com.amazonaws.sqs#" + code);
        error.put("message", message);
        byte[] body = JSON.writeValueAsBytes(error);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
        exchange.getResponseHeaders().set("x-amzn-query-error", code + ";Sender");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void respondQuietly(HttpExchange exchange, Exception e) {
        try {
            byte[] body = ("{\"__type\":\"com.amazonaws.sqs#InternalError\",\"message\":"
                    + JSON.writeValueAsString(String.valueOf(e.getMessage())) + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
            exchange.sendResponseHeaders(500, body.length);
            exchange.getResponseBody().write(body);
        } catch (IOException | RuntimeException ignored) {
            // headers were already sent or the client is gone
        }
    }

    /** Stops listening at once and ends the request threads. */
    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
