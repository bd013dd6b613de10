package io.omicsbatch.intake;

import com.fasterxml.jackson.core.JsonGenerator;
import io.omicsbatch.settings.SettingsJson;
import io.omicsbatch.settings.ValidationError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Every validation error, streamed into the JSON report; the first few are also kept for the record. */
final class ErrorReport {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final JsonGenerator generator;
    private final List<ValidationError> first = new ArrayList<>();
    private long count;

    ErrorReport() {
        try {
            generator = SettingsJson.MAPPER.getFactory().createGenerator(buffer);
            generator.writeStartArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void add(ValidationError error) {
        count++;
        if (first.size() < 100) {
            first.add(error);
        }
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

    long count() {
        return count;
    }

    List<ValidationError> first(int n) {
        return first.subList(0, Math.min(n, first.size()));
    }

    byte[] toJson(String batchId, String source) {
        try {
            generator.writeEndArray();
            generator.close();
            String errors = buffer.toString(StandardCharsets.UTF_8);
            return ("{\"batchId\":" + SettingsJson.MAPPER.writeValueAsString(batchId) + ",\"source\":"
                    + SettingsJson.MAPPER.writeValueAsString(source) + ",\"errorCount\":" + count + ",\"errors\":" + errors + "}")
                    .getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
