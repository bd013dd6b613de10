package io.omicsbatch.intake;

import com.fasterxml.jackson.core.JsonGenerator;
import io.omicsbatch.settings.ErrorListing;
import io.omicsbatch.settings.SettingsJson;
import io.omicsbatch.settings.ValidationError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The errors of a rejected batch, taken as the validator finds them: every error counted; the first
 * {@link ErrorListing#MAX_LISTED}, bounded, written straight into the JSON of {@code reports/<batchId>/errors.json};
 * the first few, bounded tighter, kept for the batch record. However many errors there are and however large, it
 * holds at most the listed errors' JSON and the record's few.
 *
 * <p>The report: {@code {"batchId", "source", "errorCount" (every error), "errorsNotListed" (counted beyond the
 * list), "errors": [{"pointer", "rule", "message"}, ...]}}.
 */
public final class ErrorReport {

    /** The errors the record can keep at most; the intake's configuration chooses how many it does. */
    static final int MAX_ON_RECORD = 100;
    /** How much of one error the record keeps. */
    static final int RECORD_POINTER_CHARS = 256;
    static final int RECORD_MESSAGE_CHARS = 512;
    /**
     * The record's errors together, in UTF-8: a DynamoDB item holds 400 KB, and the rest of the batch record (ids,
     * the settings object's key, counters, the failure message) is a few KB.
     */
    static final int RECORD_ERRORS_BYTES = 64 * 1024;
    /** What DynamoDB adds to an error besides its strings: the attribute names and the map around them. */
    private static final int RECORD_ENTRY_OVERHEAD_BYTES = 32;

    private final ByteArrayOutputStream listed = new ByteArrayOutputStream();
    private final JsonGenerator generator;
    private final ErrorListing listing = new ErrorListing(this::write);
    private final List<ValidationError> first = new ArrayList<>();

    public ErrorReport() {
        try {
            generator = SettingsJson.MAPPER.getFactory().createGenerator(listed);
            generator.writeStartArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Takes one error as it is found. */
    public void add(ValidationError error) {
        if (first.size() < MAX_ON_RECORD) {
            first.add(error.bounded(RECORD_POINTER_CHARS, RECORD_MESSAGE_CHARS));
        }
        listing.add(error);
    }

    private void write(ValidationError error) {
        try {
            generator.writeStartObject();
            generator.writeStringField("pointer", error.pointer());
            generator.writeStringField("rule", error.rule().id());
            generator.writeStringField("message", error.message());
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every error taken. */
    public long count() {
        return listing.total();
    }

    /** The first errors for the batch record: at most {@code n}, each bounded, together within an item's means. */
    public List<ValidationError> first(int n) {
        List<ValidationError> kept = new ArrayList<>();
        long bytes = 0;
        for (ValidationError error : first.subList(0, Math.min(n, first.size()))) {
            bytes += utf8(error.pointer()) + utf8(error.rule().id()) + utf8(error.message()) + RECORD_ENTRY_OVERHEAD_BYTES;
            if (bytes > RECORD_ERRORS_BYTES) {
                break;
            }
            kept.add(error);
        }
        return kept;
    }

    private static int utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The report, complete; no error may be added after. */
    public byte[] toJson(String batchId, String source) {
        try {
            generator.writeEndArray();
            generator.close();
            String head = "{\"batchId\":" + SettingsJson.MAPPER.writeValueAsString(batchId)
                    + ",\"source\":" + SettingsJson.MAPPER.writeValueAsString(source)
                    + ",\"errorCount\":" + listing.total() + ",\"errorsNotListed\":" + listing.unlisted() + ",\"errors\":";
            ByteArrayOutputStream report = new ByteArrayOutputStream(listed.size() + head.length() * 3 + 1);
            report.write(head.getBytes(StandardCharsets.UTF_8));
            listed.writeTo(report);
            report.write('}');
            return report.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
