package io.omicsbatch.settings;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * A settings document or a runs file being parsed, from its bytes: they pass {@link Utf8Input}, so the encoding
 * is judged the same way wherever they come from (a file for {@code validate}, an S3 object at intake), and are
 * parsed as they stream, with no copy of the text in memory. A parse that stops is reported as an encoding error
 * when the parser stopped at malformed bytes, else as a syntax error.
 */
final class JsonSource implements Closeable {

    private final Utf8Input bytes;
    private final JsonParser parser;
    private final JsonTreeReader tree;
    private final String root;
    private final String noun;
    private final ValidationErrors errors;

    /**
     * @param root the pointer of the whole text ({@code ""}, or {@code /runs} for a runs file)
     * @param noun how messages name the text: "the document", "the runs file"
     */
    JsonSource(InputStream in, String root, String noun, ValidationErrors errors) throws IOException {
        this.bytes = new Utf8Input(in);
        this.parser = SettingsJson.FACTORY.createParser(bytes);
        this.tree = new JsonTreeReader(parser, root, errors);
        this.root = root;
        this.noun = noun;
        this.errors = errors;
        if (bytes.refusal() != null) {
            errors.add(root, Rule.ENCODING, noun + " is " + bytes.refusal() + ", not UTF-8: save it as UTF-8");
        }
    }

    /** True when the text is not UTF-8 at all (already reported): there is nothing to parse. */
    boolean refused() {
        return bytes.refusal() != null;
    }

    JsonToken next(String container) throws IOException {
        return tree.next(container);
    }

    JsonNode readValue(String pointer) throws IOException {
        return tree.readValue(pointer);
    }

    JsonLocation location() {
        return parser.currentLocation();
    }

    /**
     * The input ended (the parser saw no further token): reports malformed bytes that cut it short, if any.
     *
     * @return true if it did
     */
    boolean reportMalformed() {
        if (bytes.malformedAt() < 0 || parser.currentLocation().getByteOffset() < bytes.malformedAt()) {
            return false;
        }
        JsonLocation at = parser.currentLocation();
        errors.add(tree.position(), Rule.ENCODING, "holds " + bytes.malformedBytes() + " at line " + at.getLineNr()
                + ", column " + at.getColumnNr() + " of " + noun + ", which is not UTF-8 (Latin-1 or Windows-1252 text?): "
                + "save " + noun + " as UTF-8");
        return true;
    }

    /**
     * The parse stopped: an encoding error if the parser ran into malformed bytes or an unpaired surrogate escape
     * in a member name (which Jackson refuses, while it passes one in a value on to {@link JsonTreeReader}), else a
     * syntax error.
     */
    void reportFailure(JsonProcessingException e) {
        if (reportMalformed()) {
            return;
        }
        String what = firstLine(e.getOriginalMessage());
        if (what.contains("surrogate")) {
            errors.add(tree.position(), Rule.ENCODING, "a member name of this object contains an unpaired surrogate escape, "
                    + "which no UTF-8 text can hold (" + what + ", " + where(e.getLocation()) + "): remove it, or write the "
                    + "character it stands for");
            return;
        }
        errors.add(root + parser.getParsingContext().pathAsPointer(), Rule.JSON_SYNTAX, describeSyntaxError(e));
    }

    /** The syntax error message in the CLI's terms: what went wrong and where, by line and column. */
    private static String describeSyntaxError(JsonProcessingException e) {
        String what = firstLine(e.getOriginalMessage());
        if (e.getLocation() == null) {
            return "invalid JSON: " + what;
        }
        return "invalid JSON at " + where(e.getLocation()) + ": " + what;
    }

    private static String where(JsonLocation location) {
        return location == null ? "at the end" : "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline >= 0 ? message.substring(0, newline) : message;
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
