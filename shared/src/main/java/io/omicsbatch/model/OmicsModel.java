package io.omicsbatch.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The HealthOmics API shapes we touch, read from the service model excerpt shipped as a resource.
 *
 * <p>Constraints (lengths, patterns, enums, ranges, required lists) come from the model rather than being
 * copied into code, so the validator, the JSON Schemas and the simulator agree with the service by
 * construction.
 */
public final class OmicsModel {

    private static final String RESOURCE = "/io/omicsbatch/model/omics-model-excerpt.json";
    private static final OmicsModel INSTANCE = load();

    private final Map<String, Shape> shapes;
    private final Map<String, Operation> operations;

    private OmicsModel(Map<String, Shape> shapes, Map<String, Operation> operations) {
        this.shapes = shapes;
        this.operations = operations;
    }

    public static OmicsModel get() {
        return INSTANCE;
    }

    public Shape shape(String name) {
        Shape shape = shapes.get(name);
        if (shape == null) {
            throw new IllegalArgumentException("no shape " + name + " in the model excerpt");
        }
        return shape;
    }

    public Optional<Shape> findShape(String name) {
        return Optional.ofNullable(shapes.get(name));
    }

    public Operation operation(String name) {
        Operation operation = operations.get(name);
        if (operation == null) {
            throw new IllegalArgumentException("no operation " + name + " in the model excerpt");
        }
        return operation;
    }

    /** A structure shape: its members in model order and which of them are required. */
    public record Shape(String name, Map<String, Member> members, List<String> required, Integer httpStatusCode) {
        public Optional<Member> member(String memberName) {
            return Optional.ofNullable(members.get(memberName));
        }
    }

    /**
     * One member's constraints. {@code min}/{@code max} bound a string's length, a number's value or a
     * list's size, as in the Smithy model. For maps, {@code key} and {@code value} constrain the entries.
     */
    public record Member(
            String name,
            String type,
            String shape,
            Long min,
            Long max,
            String pattern,
            List<String> enumValues,
            Member key,
            Member value,
            String listMember,
            String location) {}

    public record Operation(String name, String method, String requestUri, int responseCode, String input,
                            String output, List<String> errors) {}

    private static OmicsModel load() {
        try (InputStream in = OmicsModel.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            JsonNode root = new ObjectMapper().readTree(in);
            Map<String, Shape> shapes = new LinkedHashMap<>();
            root.path("shapes").fields().forEachRemaining(e -> shapes.put(e.getKey(), readShape(e.getKey(), e.getValue())));
            Map<String, Operation> operations = new LinkedHashMap<>();
            root.path("operations").fields().forEachRemaining(e -> {
                JsonNode op = e.getValue();
                List<String> errors = new ArrayList<>();
                op.path("errors").forEach(n -> errors.add(n.asText()));
                operations.put(e.getKey(), new Operation(e.getKey(), op.path("http").path("method").asText(),
                        op.path("http").path("requestUri").asText(), op.path("http").path("responseCode").asInt(),
                        textOrNull(op.get("input")), textOrNull(op.get("output")), List.copyOf(errors)));
            });
            return new OmicsModel(Collections.unmodifiableMap(shapes), Collections.unmodifiableMap(operations));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Shape readShape(String name, JsonNode node) {
        Map<String, Member> members = new LinkedHashMap<>();
        node.path("members").fields().forEachRemaining(e -> members.put(e.getKey(), readMember(e.getKey(), e.getValue())));
        List<String> required = new ArrayList<>();
        node.path("required").forEach(n -> required.add(n.asText()));
        JsonNode status = node.path("error").get("httpStatusCode");
        return new Shape(name, Collections.unmodifiableMap(members), List.copyOf(required),
                status == null ? null : status.asInt());
    }

    private static Member readMember(String name, JsonNode node) {
        List<String> enumValues = null;
        if (node.has("enum")) {
            List<String> values = new ArrayList<>();
            node.get("enum").forEach(v -> values.add(v.asText()));
            enumValues = List.copyOf(values);
        }
        return new Member(name, node.path("type").asText(), textOrNull(node.get("shape")),
                node.has("min") ? node.get("min").asLong() : null,
                node.has("max") ? node.get("max").asLong() : null,
                textOrNull(node.get("pattern")), enumValues,
                node.has("key") ? readMember("key", node.get("key")) : null,
                node.has("value") ? readMember("value", node.get("value")) : null,
                textOrNull(node.get("member")), textOrNull(node.get("location")));
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}
