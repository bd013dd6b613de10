package io.omicsbatch.settings;

/**
 * One broken rule: where (an RFC 6901 JSON pointer into the settings document, or {@code /runs/<index>...}
 * into a runs file), which rule, and a sentence for a person.
 */
public record ValidationError(String pointer, Rule rule, String message) {

    /** Marks where {@link #bounded(int, int)} cut a pointer or a message. */
    public static final String CUT = "...";

    /** The CLI's line format: {@code <pointer>: <message> [<rule>]}. */
    public String toLine() {
        return pointer + ": " + message + " [" + rule.id() + "]";
    }

    /**
     * This error as a report, a record or a terminal can hold it: the pointer and the message cut to at most the
     * given number of characters (ending in {@link #CUT} where cut), and unpaired surrogates, which the document
     * may hold and no UTF-8 output can, shown as U+FFFD.
     */
    public ValidationError bounded(int pointerChars, int messageChars) {
        return new ValidationError(bound(pointer, pointerChars), rule, bound(message, messageChars));
    }

    private static String bound(String text, int chars) {
        String kept = text;
        if (text.length() > chars) {
            int end = chars - CUT.length();
            if (Character.isLowSurrogate(text.charAt(end)) && Character.isHighSurrogate(text.charAt(end - 1))) {
                end--; // never split a pair
            }
            kept = text.substring(0, end) + CUT;
        }
        if (JsonTreeReader.unencodableAt(kept) < 0) {
            return kept;
        }
        StringBuilder shown = new StringBuilder(kept.length());
        // A code point in the surrogate range is an unpaired surrogate: pairs come out as one supplementary code point.
        kept.codePoints().forEach(c -> shown.appendCodePoint(c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE ? 0xFFFD : c));
        return shown.toString();
    }

    @Override
    public String toString() {
        return toLine();
    }
}
