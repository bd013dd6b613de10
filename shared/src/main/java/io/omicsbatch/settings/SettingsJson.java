package io.omicsbatch.settings;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The JSON configuration shared by everything that reads settings. */
public final class SettingsJson {

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    static final JsonFactory FACTORY = MAPPER.getFactory();

    private SettingsJson() {}

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
}
