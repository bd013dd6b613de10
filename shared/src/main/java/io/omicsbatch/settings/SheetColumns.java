package io.omicsbatch.settings;

import io.omicsbatch.model.OmicsModel;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a sample sheet's header cell names, and how a column is written back. The grammar, in order:
 * <ul>
 *   <li>a trailing {@value #OPTIONAL_MARK} is a note for people ({@code sheet template} marks optional parameters
 *       with it) and is ignored;</li>
 *   <li>{@code runSettingId}, {@code name}, {@code outputUri}, {@code priority}, {@code outputBucketOwnerId} (exactly
 *       so) are the run setting's members;</li>
 *   <li>{@code tag:<key>} is the run tag {@code <key>};</li>
 *   <li>{@code json:<name>} is the workflow parameter {@code <name>} whose cells are JSON values (a number, a list, an
 *       object, true/false, null, or a "string");</li>
 *   <li>any other name with a colon, or one that differs from a member name of the batch request only in case or
 *       white space ({@code RunSettingId}, {@code runTags}, {@code workflowId}), is refused as a likely mistake: such a
 *       parameter is written {@code json:<name>};</li>
 *   <li>every other name is a workflow parameter whose cells are text.</li>
 * </ul>
 */
final class SheetColumns {

    static final String TAG_PREFIX = "tag:";
    static final String JSON_PREFIX = "json:";
    static final String OPTIONAL_MARK = " (optional)";
    /** The run setting's members a sheet carries, in the model's order. */
    static final List<String> MEMBERS = List.of("runSettingId", "name", "outputUri", "priority", "outputBucketOwnerId");

    /** Names that look like a member of the batch request (any case, spaces aside), to catch them as columns. */
    private static final Map<String, String> RESERVED = reserved();

    enum Kind { MEMBER, TAG, TEXT_PARAMETER, JSON_PARAMETER }

    /** A column: what it fills, and the pointer (under an entry) of the member, tag or parameter it fills. */
    record Column(Kind kind, String name) {
        String pointerUnder(String entry) {
            return switch (kind) {
                case MEMBER -> Pointers.child(entry, name);
                case TAG -> Pointers.child(Pointers.child(entry, "runTags"), name);
                case TEXT_PARAMETER, JSON_PARAMETER -> Pointers.child(Pointers.child(entry, "parameters"), name);
            };
        }
    }

    private SheetColumns() {}

    private static Map<String, String> reserved() {
        Map<String, String> names = new HashMap<>();
        OmicsModel model = OmicsModel.get();
        for (String shape : List.of("StartRunBatchRequest", "DefaultRunSetting", "InlineSetting")) {
            model.shape(shape).members().keySet().forEach(member -> names.put(fold(member), member));
        }
        return names;
    }

    private static String fold(String name) {
        return name.replaceAll("\\s", "").toLowerCase(Locale.ROOT);
    }

    /**
     * Reads a header row; every problem is reported (at {@code /runs/0/...}, the first run's member the column would
     * have filled) and then null is returned.
     */
    static List<Column> parseHeader(List<String> header, ValidationErrors errors) {
        String first = Pointers.child(RunSettingsReader.ROOT, 0);
        long before = errors.total();
        Column[] columns = new Column[header.size()];
        Map<Column, String> seen = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            String cell = header.get(i);
            String name = cell.endsWith(OPTIONAL_MARK) ? cell.substring(0, cell.length() - OPTIONAL_MARK.length()) : cell;
            Column column = column(name);
            String quoted = "column " + (i + 1) + " \"" + cell + "\"";
            if (JsonTreeReader.unencodableAt(cell) >= 0) {
                errors.add(column.pointerUnder(first), Rule.ENCODING, quoted + " holds U+FFFE or U+FFFF, which the run "
                        + "queue (SQS) refuses: remove it");
            } else if (name.isEmpty()) {
                errors.add(column.pointerUnder(first), Rule.SHEET_COLUMN, "column " + (i + 1) + " has no name: every "
                        + "column needs one (runSettingId, a member, tag:<key>, json:<parameter> or a parameter)");
            } else if (column.kind() == Kind.TAG && column.name().isEmpty()) {
                errors.add(column.pointerUnder(first), Rule.SHEET_COLUMN, quoted + " names no tag key: write tag:<key>");
            } else if (column.kind() == Kind.TEXT_PARAMETER && name.indexOf(':') >= 0) {
                errors.add(column.pointerUnder(first), Rule.SHEET_COLUMN, quoted + " has a colon but starts with neither "
                        + TAG_PREFIX + " (a run tag) nor " + JSON_PREFIX + " (a JSON parameter); a parameter whose name "
                        + "holds a colon is written " + JSON_PREFIX + name);
            } else if (column.kind() == Kind.TEXT_PARAMETER && RESERVED.containsKey(fold(name))) {
                String member = RESERVED.get(fold(name));
                String hint = MEMBERS.contains(member) ? "the column is spelled exactly \"" + member + "\""
                        : member + " cannot be given per run in a sheet";
                errors.add(Pointers.child(first, name), Rule.SHEET_COLUMN, quoted + " looks like the member " + member
                        + " of the batch request: " + hint + "; a workflow parameter of this name is written "
                        + JSON_PREFIX + name);
            } else {
                String earlier = seen.putIfAbsent(column, cell);
                if (earlier != null) {
                    errors.add(column.pointerUnder(first), Rule.SHEET_COLUMN, quoted + " fills the same "
                            + (column.kind() == Kind.MEMBER ? "member" : column.kind() == Kind.TAG ? "tag" : "parameter")
                            + " as the earlier column \"" + earlier + "\": give each once");
                }
                columns[i] = column;
            }
        }
        if (!seen.containsKey(new Column(Kind.MEMBER, "runSettingId"))) {
            errors.add(Pointers.child(first, "runSettingId"), Rule.SHEET_COLUMN, "the header row has no runSettingId "
                    + "column; every run needs its runSettingId");
        }
        return errors.total() == before ? List.of(columns) : null;
    }

    /** The column a header cell names (its {@value #OPTIONAL_MARK} taken off); not yet judged. */
    static Column column(String name) {
        if (MEMBERS.contains(name)) {
            return new Column(Kind.MEMBER, name);
        }
        if (name.startsWith(TAG_PREFIX)) {
            return new Column(Kind.TAG, name.substring(TAG_PREFIX.length()));
        }
        if (name.startsWith(JSON_PREFIX)) {
            return new Column(Kind.JSON_PARAMETER, name.substring(JSON_PREFIX.length()));
        }
        return new Column(Kind.TEXT_PARAMETER, name);
    }

    /** The header cell of a column, the inverse of {@link #column(String)}. */
    static String header(Column column) {
        return switch (column.kind()) {
            case MEMBER -> column.name();
            case TAG -> TAG_PREFIX + column.name();
            case JSON_PARAMETER -> JSON_PREFIX + column.name();
            case TEXT_PARAMETER -> column.name();
        };
    }

    /** Whether a parameter of this name can have a text column of its name; if not, it needs {@code json:<name>}. */
    static boolean textColumnPossible(String parameter) {
        return !parameter.isEmpty() && parameter.indexOf(':') < 0 && !MEMBERS.contains(parameter)
                && !RESERVED.containsKey(fold(parameter)) && !parameter.endsWith(OPTIONAL_MARK);
    }
}
