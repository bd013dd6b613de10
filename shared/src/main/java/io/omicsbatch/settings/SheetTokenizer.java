package io.omicsbatch.settings;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a sample sheet's text into records as RFC 4180 does, one record at a time: fields separated by the
 * delimiter, a field in double quotes may hold the delimiter, line breaks and doubled quotes ({@code ""}), records
 * end at CRLF or LF. Quoted text is kept exactly (a line break inside quotes stays as written). Lines with no
 * character at all are skipped. Only the record being read is in memory, and at most {@link #MAX_RECORD_CHARS} of it.
 *
 * <p>Its bytes come through {@link Utf8Input}, as a JSON runs file's do: malformed UTF-8 ends the text just before
 * it, and is then reported as an encoding problem instead of the end of the sheet.
 */
final class SheetTokenizer {

    /**
     * A record may be this long: twice the largest StartRun request a run message holds, so that a row too large for
     * its run is still read and reported by the request-size rule, as a JSON entry is, while a file with no line break
     * (a binary, a JSON runs file named .csv) cannot fill the memory.
     */
    static final int MAX_RECORD_CHARS = 2 * RunRequestSize.MAX_REQUEST_BYTES;

    /** Why the text stopped being a sheet: the rule, a sentence, and the line it happened on. */
    record Problem(Rule rule, String message, long line) {}

    private static final int EOF = -1;

    private final Utf8Input bytes;
    private final Reader in;
    private final char delimiter;
    private final char[] buffer = new char[1 << 13];
    private int position;
    private int length;
    private long line = 1;
    private long recordLine;
    private int recordChars;
    private boolean done;
    private Problem problem;

    SheetTokenizer(Utf8Input bytes, char delimiter) {
        this.bytes = bytes;
        this.in = new InputStreamReader(bytes, StandardCharsets.UTF_8);
        this.delimiter = delimiter;
    }

    /** The line the record last returned starts on (1 for the first line). */
    long recordLine() {
        return recordLine;
    }

    /** Why the text ended early, or null if it did not (or has not yet). */
    Problem problem() {
        return problem;
    }

    /** The next record's fields, or null at the end of the text or at a problem ({@link #problem()}). */
    List<String> next() throws IOException {
        if (done) {
            return null;
        }
        int c = read();
        while (c == '\n' || c == '\r') { // lines with nothing on them
            if (c == '\r' && !lineFeedFollows()) {
                return null;
            }
            line++;
            c = read();
        }
        if (c == EOF) {
            done = true;
            return null;
        }
        recordLine = line;
        recordChars = 0;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        while (true) {
            if (c == '"') {
                c = quoted(field);
                if (c == EOF && problem != null) {
                    return null;
                }
                if (c != delimiter && c != '\n' && c != '\r' && c != EOF) {
                    return fail(Rule.SHEET_FORMAT, "a quoted field must end at its closing quote, but "
                            + describe(c) + " follows it: write a quote inside a quoted field as two quotes (\"\")");
                }
            } else {
                while (c != delimiter && c != '\n' && c != '\r' && c != EOF) {
                    if (c == '"') {
                        return fail(Rule.SHEET_FORMAT, "a quote inside a field that does not start with one: "
                                + "put the whole field in quotes and double the quote (\"a \"\"b\"\" c\")");
                    }
                    if (!append(field, c)) {
                        return null;
                    }
                    c = read();
                }
            }
            if (problem != null) {
                return null;
            }
            fields.add(field.toString());
            field.setLength(0);
            if (c == delimiter) {
                c = read();
                continue;
            }
            if (c == '\r' && !lineFeedFollows()) {
                return null;
            }
            if (c == EOF) {
                done = true;
            } else {
                line++;
            }
            return fields;
        }
    }

    /** Reads a quoted field's text after its opening quote; returns the character after its closing quote. */
    private int quoted(StringBuilder field) throws IOException {
        long opened = line;
        while (true) {
            int c = read();
            if (c == EOF) {
                if (problem == null) {
                    fail(Rule.SHEET_FORMAT, "the quoted field opened on line " + opened + " is never closed");
                }
                return EOF;
            }
            if (c == '"') {
                int after = read();
                if (after != '"') {
                    return after;
                }
            } else if (c == '\n') {
                line++;
            }
            if (!append(field, c)) {
                return EOF;
            }
        }
    }

    private boolean append(StringBuilder field, int c) {
        if (++recordChars > MAX_RECORD_CHARS) {
            fail(Rule.SHEET_FORMAT, "the row starting on line " + recordLine + " is longer than " + MAX_RECORD_CHARS
                    + " characters, which no run's StartRun request can hold");
            return false;
        }
        field.append((char) c);
        return true;
    }

    /** After a carriage return: true if a line feed follows (and was read), else reports the bare carriage return. */
    private boolean lineFeedFollows() throws IOException {
        int c = read();
        if (c == '\n') {
            return true;
        }
        if (problem == null) {
            fail(Rule.SHEET_FORMAT, "a carriage return not followed by a line feed: lines must end with CRLF or LF");
        }
        return false;
    }

    private List<String> fail(Rule rule, String message) {
        problem = new Problem(rule, message, line);
        done = true;
        return null;
    }

    private static String describe(int c) {
        return c == '\t' ? "a tab" : c == ' ' ? "a space" : "'" + Character.toString(c) + "'";
    }

    private int read() throws IOException {
        if (problem != null) {
            return EOF;
        }
        if (position == length) {
            length = in.read(buffer, 0, buffer.length);
            position = 0;
            if (length <= 0) {
                length = 0;
                if (bytes.malformedAt() >= 0) {
                    fail(Rule.ENCODING, "holds " + bytes.malformedBytes() + " on line " + line + ", which is not UTF-8 "
                            + "(Latin-1 or Windows-1252 text, e.g. Excel's plain \"CSV\"?): save the sheet as UTF-8 "
                            + "(Excel: \"CSV UTF-8\")");
                }
                return EOF;
            }
        }
        return buffer[position++];
    }
}
