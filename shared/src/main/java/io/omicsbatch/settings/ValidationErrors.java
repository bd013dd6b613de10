package io.omicsbatch.settings;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * Collects errors in document order. It keeps at most {@code limit} of them and counts the rest, so that a
 * runs file of 100,000 broken entries cannot exhaust memory; every error is still counted, and every error
 * is passed to the listener as it is found (the CLI prints them all that way, in constant memory).
 */
public final class ValidationErrors {

    public static final int DEFAULT_LIMIT = 1000;

    private final int limit;
    private final List<ValidationError> kept = new ArrayList<>();
    private final Consumer<ValidationError> listener;
    private long total;

    public ValidationErrors() {
        this(DEFAULT_LIMIT, error -> { });
    }

    public ValidationErrors(int limit, Consumer<ValidationError> listener) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        this.limit = limit;
        this.listener = listener;
    }

    public void add(String pointer, Rule rule, String message) {
        ValidationError error = new ValidationError(pointer, rule, message);
        total++;
        if (kept.size() < limit) {
            kept.add(error);
        }
        listener.accept(error);
    }

    public boolean isEmpty() {
        return total == 0;
    }

    /** Every error counted, including those beyond the limit. */
    public long total() {
        return total;
    }

    /** The errors kept, at most the limit, in the order they were found. */
    public List<ValidationError> list() {
        return Collections.unmodifiableList(kept);
    }

    /** How many errors were counted but not kept. */
    public long omitted() {
        return total - kept.size();
    }
}
