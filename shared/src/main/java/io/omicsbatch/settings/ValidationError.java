package io.omicsbatch.settings;

/**
 * One broken rule: where (an RFC 6901 JSON pointer into the settings document, or {@code /runs/<index>...}
 * into a runs file), which rule, and a sentence for a person.
 */
public record ValidationError(String pointer, Rule rule, String message) {

    /** The CLI's line format: {@code <pointer>: <message> [<rule>]}. */
    public String toLine() {
        return pointer + ": " + message + " [" + rule.id() + "]";
    }

    @Override
    public String toString() {
        return toLine();
    }
}
