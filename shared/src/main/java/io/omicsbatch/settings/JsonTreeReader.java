package io.omicsbatch.settings;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Builds a tree from a streaming parser, one value at a time, reporting a member given twice in one object
 * as an error instead of silently keeping the last value (Jackson's default) or aborting the parse
 * (Jackson's strict mode), so that every other error in the document is still found.
 */
final class JsonTreeReader {

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private JsonTreeReader() {}

    /** Reads the value starting at the parser's current token. */
    static JsonNode readValue(JsonParser parser, String pointer, ValidationErrors errors) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == null) {
            throw new JsonProcessingException("unexpected end of input", parser.currentLocation()) {};
        }
        switch (token) {
            case START_OBJECT: {
                ObjectNode object = NODES.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    String childPointer = Pointers.child(pointer, name);
                    parser.nextToken();
                    JsonNode value = readValue(parser, childPointer, errors);
                    if (object.has(name)) {
                        errors.add(childPointer, Rule.DUPLICATE_MEMBER,
                                "member \"" + name + "\" appears more than once in this object; the last value was kept");
                    }
                    object.set(name, value);
                }
                return object;
            }
            case START_ARRAY: {
                ArrayNode array = NODES.arrayNode();
                int index = 0;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(readValue(parser, Pointers.child(pointer, index++), errors));
                }
                return array;
            }
            case VALUE_STRING:
                return NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT:
                return NODES.numberNode(parser.getBigIntegerValue());
            case VALUE_NUMBER_FLOAT:
                return NODES.numberNode(parser.getDecimalValue());
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                throw new JsonProcessingException("unexpected token " + token, parser.currentLocation()) {};
        }
    }

    /** The syntax error message in the CLI's terms: what went wrong and where, by line and column. */
    static String describeSyntaxError(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        String what = e.getOriginalMessage();
        int newline = what == null ? -1 : what.indexOf('\n');
        if (newline >= 0) {
            what = what.substring(0, newline);
        }
        if (location == null) {
            return "invalid JSON: " + what;
        }
        return "invalid JSON at line " + location.getLineNr() + ", column " + location.getColumnNr() + ": " + what;
    }
}
