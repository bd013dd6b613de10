package io.omicsbatch.local.standins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP front of the SQS stand-in. ElasticMQ 1.7.1 accepts {@code MessageRetentionPeriod} but drops it (it is in
 * its {@code UnsupportedAttributeNames}): it is neither stored, nor returned by GetQueueAttributes, nor enforced. This
 * front forwards every request to ElasticMQ (without that attribute) and keeps the attribute itself as SQS does: validated (60 s to
 * 14 days) and stored by CreateQueue and SetQueueAttributes (default 4 days), returned by GetQueueAttributes
 * ({@code All} or by name), forgotten by DeleteQueue. It is still not enforced: messages never expire locally.
 *
 * <p>Only the SQS JSON protocol (what SDK 2.x speaks) is interpreted; anything else passes through untouched.
 *
 * <p>It is served by Jetty (DynamoDB Local's, already on the classpath), not by the JDK's {@code HttpServer}: that one
 * writes response headers and body in two packets without TCP_NODELAY (unless a JVM-wide property is set before any
 * {@code HttpServer} starts), and the client's delayed ACK then costs 40 ms per request.
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

    private final Server server;
    private final ServerConnector connector;
    private final Map<String, Long> retentionByQueueName = new ConcurrentHashMap<>();
    private volatile URI backend;

    private SqsAttributeFront() {
        QueuedThreadPool threads = new QueuedThreadPool(64, 2);
        threads.setName("sqs-front");
        threads.setDaemon(true);
        server = new Server(threads);
        connector = new ServerConnector(server);
        connector.setHost(Loopback.HOST);
        connector.setPort(0);
        connector.setIdleTimeout(60_000); // longer than a 20 s long poll
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                SqsAttributeFront.this.handle(request, response, callback);
                return true;
            }
        });
        server.setStopAtShutdown(false);
    }

    /** Binds 127.0.0.1 on an ephemeral port; requests are answered once {@link #forwardTo} named ElasticMQ. */
    static SqsAttributeFront bind() throws IOException {
        SqsAttributeFront front = new SqsAttributeFront();
        try {
            front.server.start();
        } catch (Exception e) {
            front.close();
            throw new IOException("the SQS front could not start: " + e.getMessage(), e);
        }
        return front;
    }

    int port() {
        return connector.getLocalPort();
    }

    void forwardTo(URI elasticMq) {
        this.backend = elasticMq;
    }

    private void handle(Request request, Response response, Callback callback) {
        try {
            byte[] body;
            try (InputStream in = Content.Source.asInputStream(request)) {
                body = in.readAllBytes();
            }
            String target = request.getHeaders().get("X-Amz-Target");
            String action = target != null && target.startsWith(TARGET_PREFIX)
                    ? target.substring(TARGET_PREFIX.length()) : null;
            JsonNode parsed = action == null ? null : parse(body);
            if (parsed != null && (action.equals("CreateQueue") || action.equals("SetQueueAttributes"))) {
                JsonNode value = parsed.path("Attributes").get(RETENTION);
                if (value != null && !validRetention(value.asText())) {
                    error(response, callback, 400, "InvalidAttributeValue",
                            "Invalid value for the parameter " + RETENTION + ".");
                    return;
                }
                if (value != null) { // then parsed and its Attributes are objects
                    // ElasticMQ would only log that it ignores it; the front keeps it instead.
                    ObjectNode stripped = ((ObjectNode) parsed).deepCopy();
                    ((ObjectNode) stripped.get("Attributes")).remove(RETENTION);
                    body = JSON.writeValueAsBytes(stripped);
                }
            }
            Forwarded forwarded = forward(request, body);
            if (parsed != null && forwarded.status() / 100 == 2) {
                byte[] rewritten = afterSuccess(action, parsed, forwarded.body());
                if (rewritten != null) {
                    forwarded = new Forwarded(forwarded.status(), forwarded.headers(), rewritten);
                }
            }
            response.setStatus(forwarded.status());
            forwarded.headers().forEach((name, values) -> {
                if (name != null && !NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(value -> response.getHeaders().add(name, value));
                }
            });
            response.write(true, ByteBuffer.wrap(forwarded.body()), callback);
        } catch (IOException | RuntimeException e) {
            try {
                error(response, callback, 500, "InternalError", String.valueOf(e.getMessage()));
            } catch (RuntimeException | IOException notSent) {
                callback.failed(e);
            }
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

    private Forwarded forward(Request request, byte[] body) throws IOException {
        URI base = backend;
        if (base == null) {
            throw new IOException("ElasticMQ is not started");
        }
        HttpURLConnection connection = (HttpURLConnection) base.resolve(request.getHttpURI().getPathQuery())
                .toURL().openConnection(Proxy.NO_PROXY);
        connection.setRequestMethod(request.getMethod());
        connection.setConnectTimeout(10_000);
        connection.setReadTimeout(60_000); // long polls last up to 20 s
        connection.setUseCaches(false);
        for (HttpField field : request.getHeaders()) {
            if (!NOT_FORWARDED.contains(field.getLowerCaseName())) {
                connection.addRequestProperty(field.getName(), field.getValue());
            }
        }
        if (body.length > 0) {
            // Buffered (not streaming) mode: headers and body leave in one write, so Nagle never delays the body.
            connection.setDoOutput(true);
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

    private static void error(Response response, Callback callback, int status, String code, String message)
            throws IOException {
        ObjectNode error = JSON.createObjectNode();
        error.put("__type", "com.amazonaws.sqs#" + code);
        error.put("message", message);
        response.setStatus(status);
        response.getHeaders().put("Content-Type", "application/x-amz-json-1.0");
        response.getHeaders().put("x-amzn-query-error", code + (status < 500 ? ";Sender" : ";Receiver"));
        response.write(true, ByteBuffer.wrap(JSON.writeValueAsBytes(error)), callback);
    }

    /** Stops listening and ends the request threads. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            // best effort
        }
        server.destroy();
    }
}
