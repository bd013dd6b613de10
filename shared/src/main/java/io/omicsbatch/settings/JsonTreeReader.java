package io.omicsbatch.settings;

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
 * (Jackson's strict mode), so that every other error in the document is still found. Every member name and
 * string value is checked to be encodable ({@link #unencodableAt(String)}).
 */
final class JsonTreeReader {

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private final JsonParser parser;
    private final ValidationErrors errors;
    /**
     * Where the parser is: the string value being read, else the object or array being read. Jackson's own
     * context names the previous member while a member name is being read, which is wrong for bytes that
     * break inside that name.
     */
    private String position;

    JsonTreeReader(JsonParser parser, String root, ValidationErrors errors) {
        this.parser = parser;
        this.errors = errors;
        this.position = root;
    }

    /** The pointer of the value the parser was reading when it stopped. */
    String position() {
        return position;
    }

    /** The next token of the object or array at {@code container}. */
    JsonToken next(String container) throws IOException {
        position = container;
        return parser.nextToken();
    }

    /** Reads the value starting at the parser's current token. */
    JsonNode readValue(String pointer) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == null) {
            throw new JsonProcessingException("unexpected end of input", parser.currentLocation()) {};
        }
        switch (token) {
            case START_OBJECT: {
                ObjectNode object = NODES.objectNode();
                while (next(pointer) == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    String childPointer = Pointers.child(pointer, name);
                    checkEncodable(name, childPointer, "the member name ");
                    next(pointer);
                    JsonNode value = readValue(childPointer);
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
                while (next(pointer) != JsonToken.END_ARRAY) {
                    array.add(readValue(Pointers.child(pointer, index++)));
                }
                return array;
            }
            case VALUE_STRING: {
                position = pointer; // the parser decodes a string when its text is asked for
                String text = parser.getText();
                checkEncodable(text, pointer, "");
                return NODES.textNode(text);
            }
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

    /**
     * JSON escapes can spell what no UTF-8 text holds: an unpaired surrogate ({@code "\ud800"}) cannot be encoded
     * at all (Java would write '?'), and U+FFFE and U+FFFF are refused by SQS in a run message. Either would wedge a
     * batch after it was accepted, so both are refused wherever they are.
     */
    private void checkEncodable(String text, String pointer, String what) {
        int at = unencodableAt(text);
        if (at < 0) {
            return;
        }
        char c = text.charAt(at);
        int character = text.codePointCount(0, at) + 1;
        String problem = Character.isSurrogate(c)
                ? String.format("an unpaired surrogate \\u%04x (character %d), which no UTF-8 text can hold", (int) c, character)
                : String.format("U+%04X (character %d), a noncharacter that the run queue (SQS) refuses", (int) c, character);
        errors.add(pointer, Rule.ENCODING, what + "contains " + problem + ": remove it, or write the character it stands for");
    }

    /** The index of the first unpaired surrogate, U+FFFE or U+FFFF in {@code text}, or -1 if there is none. */
    static int unencodableAt(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < Character.MIN_SURROGATE) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c) || c == '\uFFFE' || c == '\uFFFF') {
                return i;
            }
        }
        return -1;
    }
}
