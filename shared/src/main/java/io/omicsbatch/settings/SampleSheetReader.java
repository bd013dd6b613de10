package io.omicsbatch.settings;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.regex.Pattern;

/**
 * Streams the rows of a CSV or TSV sample sheet as the entries of the equivalent JSON runs file, one at a time, so
 * that they are checked and merged exactly as a runs file's are. The header row names the columns
 * ({@link SheetColumns}); an empty cell leaves the member, tag or parameter out (the default's value stays), a cell of
 * a text column is its text exactly as written, a {@code json:} column's cell is a JSON value, a {@code priority} cell
 * an integer.
 *
 * <p>Errors point into the equivalent runs file ({@code /runs/<row index>/...}, rows counted from 0 after the header)
 * and end with the sheet's line ({@link #atLine}). A broken text (quoting, line endings, encoding) ends the sheet as a
 * JSON syntax error ends a runs file; a row of the wrong width is reported and skipped.
 */
public final class SampleSheetReader implements RunEntries {

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");
    /** The members of an entry in the order a JSON runs file (and {@code sheet to-json}) writes them. */
    private static final List<String> ENTRY_ORDER = List.of("runSettingId", "name", "outputUri", "priority", "parameters",
            "outputBucketOwnerId", "runTags");

    private final Utf8Input bytes;
    private final SheetTokenizer records;
    private final ValidationErrors errors;
    private List<SheetColumns.Column> columns;
    private RunSettingsReader.Entry next;
    private long nextLine;
    private long line;
    private boolean done;
    private int index;

    public SampleSheetReader(InputStream in, RunsFileFormat format, ValidationErrors errors) throws IOException {
        this.bytes = new Utf8Input(in);
        this.records = new SheetTokenizer(bytes, format.delimiter());
        this.errors = errors;
        if (bytes.refusal() != null) {
            errors.add(RunSettingsReader.ROOT, Rule.ENCODING, "the sheet is " + bytes.refusal()
                    + ", not UTF-8: save it as UTF-8 (Excel: \"CSV UTF-8\")");
            done = true;
            return;
        }
        List<String> header = records.next();
        if (header == null) {
            if (!reportProblem()) {
                errors.add(RunSettingsReader.ROOT, Rule.SHEET_FORMAT, "the sheet is empty: its first line must be the "
                        + "header row, naming the columns (runSettingId, ...)");
            }
            done = true;
            return;
        }
        columns = SheetColumns.parseHeader(header, atLine(errors, records.recordLine()));
        done = columns == null;
    }

    /**
     * Errors as they go to {@code target}, each message ending with the sheet's line, e.g. "(sheet line 12)": the
     * checks of an entry from a sheet report through this.
     */
    public static ValidationErrors atLine(ValidationErrors target, long line) {
        return new ValidationErrors(1, e -> target.add(e.pointer(), e.rule(), e.message() + " (sheet line " + line + ")"));
    }

    @Override
    public int count() {
        return index;
    }

    @Override
    public long line() {
        return line;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !done) {
            try {
                advance();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return next != null;
    }

    @Override
    public RunSettingsReader.Entry next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        RunSettingsReader.Entry entry = next;
        line = nextLine;
        next = null;
        return entry;
    }

    private void advance() throws IOException {
        while (true) {
            List<String> cells = records.next();
            if (cells == null) {
                reportProblem();
                done = true;
                return;
            }
            int row = index++;
            String pointer = Pointers.child(RunSettingsReader.ROOT, row);
            ValidationErrors rowErrors = atLine(errors, records.recordLine());
            if (cells.size() != columns.size()) {
                rowErrors.add(pointer, Rule.SHEET_FORMAT, "this row has " + cells.size() + (cells.size() == 1 ? " field" : " fields")
                        + ", the header row " + columns.size() + ": every row has one field per column (an empty one "
                        + "leaves the default in place)");
                continue;
            }
            next = new RunSettingsReader.Entry(row, entry(cells, pointer, rowErrors));
            nextLine = records.recordLine();
            return;
        }
    }

    /** The JSON runs file entry a row stands for. */
    private ObjectNode entry(List<String> cells, String pointer, ValidationErrors rowErrors) throws IOException {
        ObjectNode members = NODES.objectNode();
        ObjectNode parameters = NODES.objectNode();
        ObjectNode tags = NODES.objectNode();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            if (cell.isEmpty()) {
                continue;
            }
            SheetColumns.Column column = columns.get(i);
            String at = column.pointerUnder(pointer);
            if (JsonTreeReader.unencodableAt(cell) >= 0 && column.kind() != SheetColumns.Kind.JSON_PARAMETER) {
                rowErrors.add(at, Rule.ENCODING, "holds U+FFFE or U+FFFF, a noncharacter that the run queue (SQS) refuses: remove it");
                continue;
            }
            switch (column.kind()) {
                case MEMBER -> {
                    if (column.name().equals("priority")) {
                        if (INTEGER.matcher(cell).matches()) {
                            members.set("priority", NODES.numberNode(new BigInteger(cell)));
                        } else {
                            rowErrors.add(at, Rule.SHEET_CELL, "must be an integer (digits, optionally after a minus sign), got \""
                                    + quote(cell) + "\"");
                        }
                    } else {
                        members.put(column.name(), cell);
                    }
                }
                case TAG -> tags.put(column.name(), cell);
                case TEXT_PARAMETER -> parameters.put(column.name(), cell);
                case JSON_PARAMETER -> {
                    JsonNode value = json(cell, at, rowErrors);
                    if (value != null) {
                        parameters.set(column.name(), value);
                    }
                }
            }
        }
        ObjectNode entry = NODES.objectNode();
        for (String member : ENTRY_ORDER) {
            if (member.equals("parameters")) {
                if (!parameters.isEmpty()) {
                    entry.set(member, parameters);
                }
            } else if (member.equals("runTags")) {
                if (!tags.isEmpty()) {
                    entry.set(member, tags);
                }
            } else if (members.has(member)) {
                entry.set(member, members.get(member));
            }
        }
        return entry;
    }

    /** A json: cell's value, read as a runs file's values are (a member given twice, encodability); null if it is none. */
    private static JsonNode json(String cell, String pointer, ValidationErrors rowErrors) throws IOException {
        try (JsonParser parser = SettingsJson.FACTORY.createParser(cell)) {
            JsonTreeReader tree = new JsonTreeReader(parser, pointer, rowErrors);
            tree.next(pointer);
            JsonNode value = tree.readValue(pointer);
            if (tree.next(pointer) != null) {
                rowErrors.add(pointer, Rule.SHEET_CELL, "a json: cell holds one JSON value, but more follows it in \""
                        + quote(cell) + "\" (a string is written in quotes: \"\"\"text\"\"\" in the sheet)");
                return null;
            }
            return value;
        } catch (JsonProcessingException e) {
            rowErrors.add(pointer, Rule.SHEET_CELL, "a json: cell must be a JSON value (a number, [a, list], {an: object}, "
                    + "true, false, null or a \"string\" in quotes), got \"" + quote(cell) + "\": " + firstLine(e.getOriginalMessage()));
            return null;
        }
    }

    /** A cell as a message quotes it: at most 64 characters. */
    private static String quote(String cell) {
        return cell.length() <= 64 ? cell : cell.substring(0, 64) + ValidationError.CUT;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline >= 0 ? message.substring(0, newline) : message;
    }

    /** Reports why the text ended early, if it did, at the row being read; true if it did. */
    private boolean reportProblem() {
        SheetTokenizer.Problem problem = records.problem();
        if (problem == null) {
            return false;
        }
        String pointer = columns == null ? RunSettingsReader.ROOT : Pointers.child(RunSettingsReader.ROOT, index);
        errors.add(pointer, problem.rule(), problem.message() + " (sheet line " + problem.line() + ")");
        return true;
    }

    @Override
    public void close() throws IOException {
        bytes.close();
    }
}
