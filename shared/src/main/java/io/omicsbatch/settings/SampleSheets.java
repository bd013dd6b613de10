package io.omicsbatch.settings;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sample sheets and JSON runs files into each other, streaming, so that the two forms of a batch's runs stay
 * interchangeable: {@code toJson} writes the entries a sheet stands for ({@link SampleSheetReader}), {@code fromJson}
 * the sheet that stands for a runs file's entries; {@code toJson(fromJson(f))} holds the same entries as {@code f}.
 * And the header row of a workflow's template sheet.
 */
public final class SampleSheets {

    /** A source that can be read more than once ({@link #fromJson} reads a runs file twice: columns, then rows). */
    @FunctionalInterface
    public interface Source {
        InputStream open() throws IOException;
    }

    private SampleSheets() {}

    /**
     * Writes the JSON runs file a sheet stands for, one entry a line. Nothing is written past the first error; the
     * caller discards the output when {@code errors} is not empty.
     *
     * @return the rows read
     */
    public static int toJson(InputStream sheet, RunsFileFormat format, OutputStream out, ValidationErrors errors)
            throws IOException {
        try (SampleSheetReader reader = new SampleSheetReader(sheet, format, errors);
             JsonGenerator json = SettingsJson.FACTORY.createGenerator(out)) {
            json.setRootValueSeparator(null); // the separators are written here, one entry a line
            json.writeRaw('[');
            boolean first = true;
            while (reader.hasNext() && errors.isEmpty()) {
                json.writeRaw(first ? "\n  " : ",\n  ");
                first = false;
                SettingsJson.MAPPER.writeTree(json, reader.next().node());
            }
            json.writeRaw(first ? "]\n" : "\n]\n");
            return reader.count();
        }
    }

    /**
     * Writes the sheet that stands for a JSON runs file. A parameter becomes a text column when every value of it is a
     * non-empty string and its name can be a column's; otherwise a {@code json:} column, whose cells hold each value as
     * JSON. What a sheet cannot carry (engineSettings, an empty string where an empty cell would mean "absent", a
     * member that is not a run setting's) is reported, with nothing written.
     *
     * @return the rows written, or -1 if there were errors
     */
    public static int fromJson(Source runsFile, RunsFileFormat format, Writer out, ValidationErrors errors)
            throws IOException {
        Set<String> members = new LinkedHashSet<>();
        Map<String, Boolean> textParameters = new LinkedHashMap<>();
        Set<String> tags = new LinkedHashSet<>();
        try (InputStream in = runsFile.open(); RunSettingsReader reader = new RunSettingsReader(in, errors)) {
            while (reader.hasNext()) {
                RunSettingsReader.Entry entry = reader.next();
                collectColumns(entry.node(), Pointers.child(RunSettingsReader.ROOT, entry.index()), members, textParameters,
                        tags, errors);
            }
        }
        if (!errors.isEmpty()) {
            return -1;
        }
        List<SheetColumns.Column> columns = new ArrayList<>();
        columns.add(new SheetColumns.Column(SheetColumns.Kind.MEMBER, "runSettingId"));
        for (String member : SheetColumns.MEMBERS) {
            if (!member.equals("runSettingId") && members.contains(member)) {
                columns.add(new SheetColumns.Column(SheetColumns.Kind.MEMBER, member));
            }
        }
        textParameters.forEach((name, text) -> columns.add(new SheetColumns.Column(
                text ? SheetColumns.Kind.TEXT_PARAMETER : SheetColumns.Kind.JSON_PARAMETER, name)));
        tags.forEach(key -> columns.add(new SheetColumns.Column(SheetColumns.Kind.TAG, key)));

        char delimiter = format.delimiter();
        List<String> header = new ArrayList<>(columns.size());
        columns.forEach(column -> header.add(SheetColumns.header(column)));
        writeRow(out, header, delimiter);
        int rows = 0;
        try (InputStream in = runsFile.open(); RunSettingsReader reader = new RunSettingsReader(in, errors)) {
            List<String> cells = new ArrayList<>(columns.size());
            while (reader.hasNext()) {
                JsonNode entry = reader.next().node();
                cells.clear();
                for (SheetColumns.Column column : columns) {
                    cells.add(cell(entry, column));
                }
                writeRow(out, cells, delimiter);
                rows++;
            }
        }
        if (!errors.isEmpty()) {
            return -1; // the file changed between the two reads
        }
        return rows;
    }

    /**
     * The header row of a sheet for a workflow: runSettingId, then its required parameters, then its optional ones,
     * each marked {@value SheetColumns#OPTIONAL_MARK}, in the template's order. A parameter whose name cannot be a
     * text column's is written {@code json:<name>}.
     */
    public static String templateHeader(Map<String, Boolean> optionalByName, RunsFileFormat format) {
        List<String> header = new ArrayList<>();
        header.add("runSettingId");
        for (boolean optional : new boolean[] {false, true}) {
            optionalByName.forEach((name, isOptional) -> {
                if (isOptional == optional) {
                    String column = SheetColumns.textColumnPossible(name) ? name : SheetColumns.JSON_PREFIX + name;
                    header.add(optional ? column + SheetColumns.OPTIONAL_MARK : column);
                }
            });
        }
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < header.size(); i++) {
            if (i > 0) {
                line.append(format.delimiter());
            }
            line.append(field(header.get(i), format.delimiter()));
        }
        return line.append('\n').toString();
    }

    private static void collectColumns(JsonNode entry, String pointer, Set<String> members,
                                       Map<String, Boolean> textParameters, Set<String> tags, ValidationErrors errors) {
        if (!entry.isObject()) {
            errors.add(pointer, Rule.TYPE, "a run setting must be an object");
            return;
        }
        entry.fields().forEachRemaining(member -> {
            String name = member.getKey();
            JsonNode value = member.getValue();
            String at = Pointers.child(pointer, name);
            if (value.isNull()) {
                return; // as if absent, which an empty cell also means
            }
            if (name.equals("priority")) {
                if (!value.isIntegralNumber()) {
                    errors.add(at, Rule.TYPE, "must be an integer");
                }
                members.add(name);
            } else if (SheetColumns.MEMBERS.contains(name)) {
                if (textCell(value, at, errors)) {
                    members.add(name);
                }
            } else if (name.equals("parameters")) {
                if (!value.isObject()) {
                    errors.add(at, Rule.TYPE, "must be an object");
                    return;
                }
                value.fields().forEachRemaining(parameter -> {
                    JsonNode v = parameter.getValue();
                    boolean text = v.isTextual() && !v.textValue().isEmpty() && SheetColumns.textColumnPossible(parameter.getKey());
                    textParameters.merge(parameter.getKey(), text, Boolean::logicalAnd);
                });
            } else if (name.equals("runTags")) {
                if (!value.isObject()) {
                    errors.add(at, Rule.TYPE, "must be an object");
                    return;
                }
                value.fields().forEachRemaining(tag -> {
                    String tagAt = Pointers.child(at, tag.getKey());
                    if (tag.getKey().isEmpty()) {
                        errors.add(tagAt, Rule.TAG_KEY, "a tag key must not be empty");
                    } else if (textCell(tag.getValue(), tagAt, errors)) {
                        tags.add(tag.getKey());
                    }
                });
            } else if (name.equals("engineSettings")) {
                errors.add(at, Rule.SHEET_COLUMN, "a sample sheet has no engineSettings column: keep these runs in a JSON "
                        + "runs file, or move engineSettings to defaultRunSetting");
            } else {
                errors.add(at, Rule.UNKNOWN_MEMBER, "is not a member of a run setting, so a sample sheet has no column for it");
            }
        });
    }

    /** A member or tag value a text cell can hold: a non-empty string (an empty cell means "absent"). */
    private static boolean textCell(JsonNode value, String at, ValidationErrors errors) {
        if (!value.isTextual()) {
            errors.add(at, Rule.TYPE, "must be a string");
            return false;
        }
        if (value.textValue().isEmpty()) {
            errors.add(at, Rule.SHEET_CELL, "is an empty string, which a sample sheet cannot hold: an empty cell means "
                    + "the value is absent (the default's applies)");
            return false;
        }
        return true;
    }

    private static String cell(JsonNode entry, SheetColumns.Column column) throws JsonProcessingException {
        JsonNode value = switch (column.kind()) {
            case MEMBER -> entry.get(column.name());
            case TAG -> entry.path("runTags").get(column.name());
            case TEXT_PARAMETER, JSON_PARAMETER -> entry.path("parameters").get(column.name());
        };
        if (value == null || (value.isNull() && column.kind() != SheetColumns.Kind.JSON_PARAMETER)) {
            return "";
        }
        if (column.kind() == SheetColumns.Kind.JSON_PARAMETER) {
            return SettingsJson.MAPPER.writeValueAsString(value);
        }
        return value.isTextual() ? value.textValue() : value.toString(); // priority: its digits
    }

    private static void writeRow(Writer out, List<String> cells, char delimiter) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.write(delimiter);
            }
            out.write(field(cells.get(i), delimiter));
        }
        out.write('\n');
    }

    /** A field as RFC 4180 writes it: in quotes, with quotes doubled, when it holds the delimiter, a quote or a line break. */
    private static String field(String text, char delimiter) {
        if (text.indexOf(delimiter) < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }
}
