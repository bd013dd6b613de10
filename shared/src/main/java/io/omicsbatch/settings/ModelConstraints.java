package io.omicsbatch.settings;

import com.fasterxml.jackson.databind.JsonNode;
import io.omicsbatch.model.OmicsModel;
import io.omicsbatch.model.OmicsModel.Member;
import io.omicsbatch.model.OmicsModel.Shape;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Checks JSON values against the member constraints of the service model: types, required members, unknown
 * members (with a "did you mean"), lengths, patterns, enums, ranges and list sizes.
 */
final class ModelConstraints {

    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();
    private static final String PRINTABLE = "[\\p{L}||\\p{M}||\\p{Z}||\\p{S}||\\p{N}||\\p{P}]+";
    private static final Map<String, String> PATTERN_DESCRIPTIONS = Map.of(
            "[0-9]+", "must contain only the digits 0-9",
            "[0-9]{12}", "must be a 12-digit AWS account id",
            "arn:.+", "must be an ARN (arn:...)",
            PRINTABLE, "must contain only printable characters (letters, digits, punctuation, symbols, spaces), no control characters",
            "[A-Za-z0-9][A-Za-z0-9\\-\\._]*", "must start with a letter or digit and contain only letters, digits, '-', '.' and '_'");

    private ModelConstraints() {}

    /**
     * Checks an object against a structure shape. Members given as JSON null count as absent. Members of a
     * structure type that the model defines, and list members, are left to the caller, which knows their
     * element rules; everything else is checked here.
     *
     * @param rejectedInBatch members the service has but a batch refuses, mapped to the reason
     * @return false if the node is not an object (nothing else was checked)
     */
    static boolean checkStructure(JsonNode node, String pointer, Shape shape, Iterable<String> required,
                                  Map<String, String> rejectedInBatch, ValidationErrors errors) {
        if (!node.isObject()) {
            errors.add(pointer, Rule.TYPE, "must be an object (" + shape.name() + "), got " + kind(node));
            return false;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            String memberPointer = Pointers.child(pointer, name);
            Optional<Member> member = shape.member(name);
            if (member.isEmpty()) {
                if (rejectedInBatch.containsKey(name)) {
                    errors.add(memberPointer, Rule.NOT_IN_BATCH, rejectedInBatch.get(name));
                } else {
                    errors.add(memberPointer, Rule.UNKNOWN_MEMBER, unknownMemberMessage(name, shape));
                }
                continue;
            }
            if (!field.getValue().isNull()) {
                checkValue(field.getValue(), memberPointer, member.get(), errors);
            }
        }
        for (String name : required) {
            JsonNode value = node.get(name);
            if (value == null || value.isNull()) {
                errors.add(Pointers.child(pointer, name), Rule.REQUIRED, "is required in " + shape.name());
            }
        }
        return true;
    }

    static void checkValue(JsonNode value, String pointer, Member member, ValidationErrors errors) {
        switch (member.type()) {
            case "string":
                if (!value.isTextual()) {
                    errors.add(pointer, Rule.TYPE, "must be a string, got " + kind(value));
                } else {
                    checkString(value.textValue(), pointer, member, "", errors);
                }
                break;
            case "integer":
                checkInteger(value, pointer, member, errors);
                break;
            case "map":
                checkStringMap(value, pointer, member, errors);
                break;
            case "list":
                if (!value.isArray()) {
                    errors.add(pointer, Rule.TYPE, "must be an array, got " + kind(value));
                } else {
                    checkSize(value.size(), pointer, member, errors);
                }
                break;
            case "structure":
                // A structure the model defines is checked member by member by the caller, which reports its type.
                if (!value.isObject() && (member.shape() == null || OmicsModel.get().findShape(member.shape()).isEmpty())) {
                    errors.add(pointer, Rule.TYPE, "must be an object, got " + kind(value));
                }
                break;
            case "boolean":
                if (!value.isBoolean()) {
                    errors.add(pointer, Rule.TYPE, "must be true or false, got " + kind(value));
                }
                break;
            default:
                // Types we do not accept in a settings document (timestamps, blobs) are not in its shapes.
                break;
        }
    }

    /** Length (in characters, as the service counts them), then enum or pattern. */
    static boolean checkString(String text, String pointer, Member member, String what, ValidationErrors errors) {
        long length = text.codePointCount(0, text.length());
        Long min = member.min();
        Long max = member.max();
        if ((min != null && length < min) || (max != null && length > max)) {
            errors.add(pointer, Rule.LENGTH, what + lengthRule(min, max) + ", got " + length);
            return false;
        }
        if (member.enumValues() != null) {
            if (!member.enumValues().contains(text)) {
                String hint = member.enumValues().stream().filter(v -> v.equalsIgnoreCase(text)).findFirst()
                        .map(v -> " (enum values are case-sensitive: did you mean \"" + v + "\"?)").orElse("");
                errors.add(pointer, Rule.ENUM, what + "must be one of " + String.join(", ", member.enumValues())
                        + ", got \"" + text + "\"" + hint);
                return false;
            }
            return true;
        }
        if (member.pattern() != null && !pattern(member.pattern()).matcher(text).matches()) {
            errors.add(pointer, Rule.PATTERN, what + describePattern(member.pattern()));
            return false;
        }
        return true;
    }

    private static void checkInteger(JsonNode value, String pointer, Member member, ValidationErrors errors) {
        if (!value.isIntegralNumber()) {
            errors.add(pointer, Rule.TYPE, "must be a whole number, got " + kind(value));
            return;
        }
        BigInteger number = value.bigIntegerValue();
        Long min = member.min();
        Long max = member.max();
        boolean tooSmall = min != null && number.compareTo(BigInteger.valueOf(min)) < 0;
        boolean tooLarge = max != null && number.compareTo(BigInteger.valueOf(max)) > 0;
        if (tooSmall || tooLarge) {
            errors.add(pointer, Rule.RANGE, "must be between " + (min == null ? "-inf" : min) + " and "
                    + (max == null ? "+inf" : max) + ", got " + number);
        }
    }

    private static void checkStringMap(JsonNode value, String pointer, Member member, ValidationErrors errors) {
        if (!value.isObject()) {
            errors.add(pointer, Rule.TYPE, "must be an object of string keys to string values, got " + kind(value));
            return;
        }
        value.fields().forEachRemaining(entry -> {
            String entryPointer = Pointers.child(pointer, entry.getKey());
            if (member.key() != null) {
                checkString(entry.getKey(), entryPointer, member.key(), "key ", errors);
            }
            JsonNode entryValue = entry.getValue();
            if (!entryValue.isTextual()) {
                errors.add(entryPointer, Rule.TYPE, "value must be a string, got " + kind(entryValue));
            } else if (member.value() != null) {
                checkString(entryValue.textValue(), entryPointer, member.value(), "value ", errors);
            }
        });
    }

    static void checkSize(int size, String pointer, Member member, ValidationErrors errors) {
        Long min = member.min();
        Long max = member.max();
        if ((min != null && size < min) || (max != null && size > max)) {
            errors.add(pointer, Rule.LIST_SIZE, "must have " + (min == null ? 0 : min) + " to " + max
                    + " entries, got " + size);
        }
    }

    private static String lengthRule(Long min, Long max) {
        if (min != null && min.equals(max)) {
            return "must be exactly " + min + " characters long";
        }
        if (min != null && max != null) {
            return "must be " + min + " to " + max + " characters long";
        }
        return min != null ? "must be at least " + min + " characters long" : "must be at most " + max + " characters long";
    }

    static String describePattern(String pattern) {
        return PATTERN_DESCRIPTIONS.getOrDefault(pattern, "must match the pattern " + pattern);
    }

    static Pattern pattern(String regex) {
        return PATTERNS.computeIfAbsent(regex, Pattern::compile);
    }

    static String kind(JsonNode node) {
        if (node.isTextual()) {
            return "a string";
        }
        if (node.isIntegralNumber()) {
            return "an integer";
        }
        if (node.isNumber()) {
            return "a decimal number";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        if (node.isArray()) {
            return "an array";
        }
        if (node.isObject()) {
            return "an object";
        }
        return "null";
    }

    private static String unknownMemberMessage(String name, Shape shape) {
        return suggestion(name, shape.members().keySet())
                .map(s -> "unknown member \"" + name + "\" in " + shape.name() + "; did you mean \"" + s + "\"?")
                .orElse("unknown member \"" + name + "\" in " + shape.name() + " (members: "
                        + String.join(", ", shape.members().keySet()) + ")");
    }

    /** The closest known name: the same ignoring case, or within a small edit distance. */
    static Optional<String> suggestion(String name, Set<String> known) {
        String lower = name.toLowerCase(Locale.ROOT);
        int allowed = name.length() <= 4 ? 1 : name.length() <= 10 ? 2 : 3;
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            // The distance is at least the difference in length: a 40,000-character name costs no table.
            if (Math.abs(lower.length() - candidate.length()) > allowed) {
                continue;
            }
            int distance = editDistance(lower, candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
    static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
