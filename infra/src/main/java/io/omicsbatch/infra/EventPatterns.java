package io.omicsbatch.infra;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.events.EventPattern;

/** EventBridge patterns written as JSON (as in {@code ResourceDefinitions}), turned into CDK's builder. */
final class EventPatterns {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EventPatterns() {}

    /** The pattern as a map, for adding fields (e.g. {@code detail.status}) before building it. */
    static Map<String, Object> parse(String json) {
        try {
            return JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON event pattern: " + json, e);
        }
    }

    static EventPattern fromJson(String json) {
        return from(parse(json));
    }

    @SuppressWarnings("unchecked")
    static EventPattern from(Map<String, Object> pattern) {
        EventPattern.Builder builder = EventPattern.builder();
        pattern.forEach((field, value) -> {
            switch (field) {
                case "source" -> builder.source(strings(field, value));
                case "detail-type" -> builder.detailType(strings(field, value));
                case "account" -> builder.account(strings(field, value));
                case "region" -> builder.region(strings(field, value));
                case "resources" -> builder.resources(strings(field, value));
                case "detail" -> builder.detail((Map<String, Object>) value);
                default -> throw new IllegalArgumentException("unsupported event pattern field " + field);
            }
        });
        return builder.build();
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(String field, Object value) {
        if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            return (List<String>) list;
        }
        throw new IllegalArgumentException("event pattern field " + field + " must be a list of strings");
    }
}
