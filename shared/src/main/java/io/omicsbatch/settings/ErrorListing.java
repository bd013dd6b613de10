package io.omicsbatch.settings;

import java.util.function.Consumer;

/**
 * How errors are listed for a person, the same in {@code validate}'s output and in the intake's error report: the
 * first {@link #MAX_LISTED} errors, each {@linkplain ValidationError#bounded(int, int) bounded}, then only counted.
 * A runs file with millions of errors, or errors that quote 40,000-character member names, list in bounded space.
 */
public final class ErrorListing {

    public static final int MAX_LISTED = 1_000;
    public static final int MAX_POINTER_CHARS = 512;
    public static final int MAX_MESSAGE_CHARS = 1_024;

    private final Consumer<ValidationError> listed;
    private long total;

    /** @param listed receives each listed error, bounded, as it is found */
    public ErrorListing(Consumer<ValidationError> listed) {
        this.listed = listed;
    }

    public void add(ValidationError error) {
        total++;
        if (total <= MAX_LISTED) {
            listed.accept(error.bounded(MAX_POINTER_CHARS, MAX_MESSAGE_CHARS));
        }
    }

    /** Every error counted, listed or not. */
    public long total() {
        return total;
    }

    /** The errors counted beyond {@link #MAX_LISTED}. */
    public long unlisted() {
        return Math.max(0, total - MAX_LISTED);
    }
}
