package io.omicsbatch.settings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.NoSuchElementException;

/**
 * Streams the entries of a runs file (a JSON array of run settings) one at a time: only the current entry
 * is in memory, however many the file holds. Its bytes are judged as a document's are ({@link JsonSource}).
 * Encoding and syntax errors and members given twice are reported to the error collector with pointers under
 * {@code /runs}; an encoding or syntax error ends the iteration.
 */
public final class RunSettingsReader implements RunEntries {

    /** Pointers into a runs file start here, so they cannot be mistaken for pointers into the settings. */
    public static final String ROOT = "/runs";

    public record Entry(int index, JsonNode node) {}

    private final JsonSource source;
    private final ValidationErrors errors;
    private Entry next;
    private boolean done;
    private int index;

    public RunSettingsReader(InputStream in, ValidationErrors errors) throws IOException {
        this.source = new JsonSource(in, ROOT, "the runs file", errors);
        this.errors = errors;
        if (source.refused()) {
            done = true;
            return;
        }
        try {
            JsonToken first = source.next(ROOT);
            if (first == null) {
                if (!source.reportMalformed()) {
                    errors.add(ROOT, Rule.JSON_SYNTAX, "invalid JSON: the runs file is empty");
                }
                done = true;
            } else if (first != JsonToken.START_ARRAY) {
                errors.add(ROOT, Rule.TYPE, "a runs file must be a JSON array of run settings, got " + kind(first));
                done = true;
            }
        } catch (JsonProcessingException e) {
            syntaxError(e);
        }
    }

    private static String kind(JsonToken token) {
        switch (token) {
            case START_OBJECT:
                return "an object";
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            default:
                return "null";
        }
    }

    /** How many entries have been read so far. */
    @Override
    public int count() {
        return index;
    }

    @Override
    public long line() {
        return 0;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !done) {
            advance();
        }
        return next != null;
    }

    @Override
    public Entry next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Entry entry = next;
        next = null;
        return entry;
    }

    private void advance() {
        try {
            JsonToken token = source.next(ROOT);
            if (token == JsonToken.END_ARRAY) {
                done = true;
                if (source.next(ROOT) != null) {
                    errors.add(ROOT, Rule.JSON_SYNTAX, "invalid JSON at line " + source.location().getLineNr()
                            + ", column " + source.location().getColumnNr() + ": unexpected content after the array");
                } else {
                    source.reportMalformed(); // bytes after the array that are not UTF-8
                }
                return;
            }
            JsonNode node = source.readValue(Pointers.child(ROOT, index));
            next = new Entry(index++, node);
        } catch (JsonProcessingException e) {
            syntaxError(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void syntaxError(JsonProcessingException e) {
        done = true;
        next = null;
        source.reportFailure(e);
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
