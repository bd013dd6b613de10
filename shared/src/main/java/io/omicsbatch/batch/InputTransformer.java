package io.omicsbatch.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.omicsbatch.settings.SettingsJson;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An EventBridge input transformer (InputPathsMap and InputTemplate), applied as EventBridge applies it, so that
 * a local run shows the exact text a target would receive. EventBridge's documented rules: each {@code <name>} of
 * the template is replaced by the value at its path, a string without its quotes and anything else as JSON; a path
 * the event does not have yields nothing; values are not escaped. Only dot-notation paths are supported here (the
 * only kind we write).
 */
public record InputTransformer(Map<String, String> inputPathsMap, String inputTemplate) {

    private static final Pattern PLACEHOLDER = Pattern.compile("<([A-Za-z0-9_.-]+)>");

    public InputTransformer {
        inputPathsMap = Map.copyOf(inputPathsMap);
    }

    /** The target's input for this event. */
    public String apply(JsonNode event) {
        Matcher m = PLACEHOLDER.matcher(inputTemplate);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String path = inputPathsMap.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(path == null ? m.group() : value(event, path)));
        }
        m.appendTail(out);
        return out.toString();
    }

    static String value(JsonNode event, String path) {
        if (!path.startsWith("$")) {
            throw new IllegalArgumentException("not a JSON path: " + path);
        }
        JsonNode node = event;
        for (String field : path.substring(1).split("\\.")) {
            if (field.isEmpty()) {
                continue;
            }
            node = node.path(field);
        }
        if (node.isMissingNode()) {
            return "";
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        try {
            return SettingsJson.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
