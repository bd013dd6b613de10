package io.omicsbatch.local.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.omicsbatch.local.simulator.SimulatorEngine.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Omics REST-JSON binding of the operations the simulator implements (as in the model excerpt):
 * {@code POST /run} StartRun (201), {@code GET /run} ListRuns, {@code GET /run/{id}} GetRun,
 * {@code POST /run/{id}/cancel} CancelRun (202), {@code DELETE /run/{id}} DeleteRun (202),
 * {@code GET /workflow/{id}} GetWorkflow. Errors carry {@code x-amzn-ErrorType: <shape name>} and
 * {@code {"message": "..."}} with the status code of the model's error shape.
 */
final class OmicsRestHandler implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(OmicsRestHandler.class);
    private static final String JSON_TYPE = "application/json";

    private final SimulatorEngine engine;

    OmicsRestHandler(SimulatorEngine engine) {
        this.engine = engine;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            SimulatorEngine.Arrival arrival = engine.arrival();
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            Response response;
            try {
                response = route(method, path, exchange.getRequestURI().getRawQuery(), body, arrival);
            } catch (ApiException e) {
                sendError(exchange, e);
                return;
            } catch (RuntimeException e) {
                // The class only above DEBUG: a message could quote the request, which may name samples.
                LOG.warn("simulator failure on {} {}: {}", method, path, e.getClass().getName());
                LOG.debug("simulator failure on {} {}", method, path, e);
                sendError(exchange, new ApiException(ApiException.INTERNAL_SERVER,
                        "The simulator failed: " + e.getClass().getSimpleName()));
                return;
            }
            send(exchange, response.status(), response.body());
        }
    }

    private Response route(String method, String rawPath, String rawQuery, String body, SimulatorEngine.Arrival arrival) {
        String[] segments = rawPath.split("/", -1);
        // "", "run" | "", "run", "{id}" | "", "run", "{id}", "cancel" | "", "workflow", "{id}"
        if (segments.length >= 2 && segments[0].isEmpty()) {
            String resource = segments[1];
            if (resource.equals("run") && segments.length == 2) {
                if (method.equals("POST")) {
                    return engine.startRun(body, arrival);
                }
                if (method.equals("GET")) {
                    return engine.listRuns(query(rawQuery));
                }
            } else if (resource.equals("run") && segments.length == 3) {
                String id = decode(segments[2]);
                if (method.equals("GET")) {
                    return engine.getRun(id);
                }
                if (method.equals("DELETE")) {
                    return engine.deleteRun(id);
                }
            } else if (resource.equals("run") && segments.length == 4 && segments[3].equals("cancel")
                    && method.equals("POST")) {
                return engine.cancelRun(decode(segments[2]));
            } else if (resource.equals("workflow") && segments.length == 3 && method.equals("GET")) {
                return engine.getWorkflow(decode(segments[2]));
            }
        }
        throw ApiException.unknownOperation(method, rawPath);
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            query.putIfAbsent(name, value);
        }
        return query;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static void sendError(HttpExchange exchange, ApiException e) throws IOException {
        exchange.getResponseHeaders().set("x-amzn-ErrorType", e.errorType());
        ObjectNode body = SimulatorEngine.JSON.createObjectNode().put("message", e.getMessage());
        send(exchange, e.httpStatus(), body);
    }

    private static void send(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        if (body == null) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", JSON_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
