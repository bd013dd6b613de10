package io.omicsbatch.settings;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/** The JSON configuration shared by everything that reads settings. */
public final class SettingsJson {

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    static final JsonFactory FACTORY = MAPPER.getFactory();

    private SettingsJson() {}

    /** The length of {@code node}'s JSON text ({@code toString()}) in UTF-8, in bytes, counted without building it. */
    public static long utf8Length(JsonNode node) {
        Utf8Counter counter = new Utf8Counter();
        try {
            MAPPER.writeValue(counter, node);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a counter cannot fail", e);
        }
        return counter.bytes();
    }

    /** Binds an entry that passed validation. */
    public static RunSetting toRunSetting(JsonNode node) {
        return bind(node, RunSetting.class);
    }

    static <T> T bind(JsonNode node, Class<T> type) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot bind a validated " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    /** A writer that keeps nothing, only the UTF-8 length of what was written to it, as {@code getBytes(UTF_8)} gives it. */
    private static final class Utf8Counter extends Writer {
        private long bytes;

        long bytes() {
            return bytes;
        }

        /** A surrogate counts 2, so a pair counts 4 even when a write splits it. */
        private void count(char c) {
            bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
        }

        @Override
        public void write(char[] chars, int off, int len) {
            for (int i = off; i < off + len; i++) {
                count(chars[i]);
            }
        }

        @Override
        public void write(String text, int off, int len) {
            for (int i = off; i < off + len; i++) {
                count(text.charAt(i));
            }
        }

        @Override
        public void write(int c) {
            count((char) c);
        }

        @Override
        public void flush() {
            // nothing is kept
        }

        @Override
        public void close() {
            // nothing is kept
        }
    }
}
