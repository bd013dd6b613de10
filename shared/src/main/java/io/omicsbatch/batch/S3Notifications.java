package io.omicsbatch.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.omicsbatch.resources.ResourceDefinitions;
import io.omicsbatch.settings.SettingsJson;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the S3 event notifications the intake queue receives (the notification JSON is the message body),
 * and the intake's own continuation messages. Only ObjectCreated events for {@code batches/*.json} count.
 */
public final class S3Notifications {

    private S3Notifications() {}

    /** The settings objects a message asks the intake to handle; empty for the s3:TestEvent and other events. */
    public static List<S3ObjectRef> settingsObjects(String body) {
        return objects(body, key -> key.startsWith(ResourceDefinitions.BATCHES_PREFIX)
                && key.endsWith(ResourceDefinitions.BATCHES_SUFFIX));
    }

    /**
     * The request documents a message of the operations queue names: ObjectCreated under an operation's prefix
     * ({@link ResourceDefinitions#OPERATION_PREFIXES}, {@code .json}), or an operation's continuation.
     */
    public static List<S3ObjectRef> requestObjects(String body) {
        return objects(body, key -> key.endsWith(ResourceDefinitions.BATCHES_SUFFIX)
                && ResourceDefinitions.OPERATION_PREFIXES.stream().anyMatch(key::startsWith));
    }

    private static List<S3ObjectRef> objects(String body, java.util.function.Predicate<String> wanted) {
        JsonNode root;
        try {
            root = SettingsJson.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the intake message is not JSON: " + e.getOriginalMessage(), e);
        }
        List<S3ObjectRef> objects = new ArrayList<>();
        JsonNode continuation = root.get("continueBatch");
        if (continuation != null) {
            objects.add(new S3ObjectRef(continuation.path("bucket").asText(), continuation.path("key").asText(),
                    textOrNull(continuation.get("versionId")), continuation.path("eTag").asText()));
            return objects;
        }
        for (JsonNode record : root.path("Records")) {
            if (!record.path("eventName").asText().startsWith("ObjectCreated:")) {
                continue;
            }
            JsonNode s3 = record.path("s3");
            // S3 URL-encodes keys in notifications, with '+' for spaces, as form encoding does.
            String key = URLDecoder.decode(s3.path("object").path("key").asText(), StandardCharsets.UTF_8);
            if (!wanted.test(key)) {
                continue;
            }
            String eTag = s3.path("object").path("eTag").asText();
            objects.add(new S3ObjectRef(s3.path("bucket").path("name").asText(), key,
                    textOrNull(s3.path("object").get("versionId")), eTag.replace("\"", "")));
        }
        return objects;
    }

    /** The message that resumes an interrupted expansion: the same object, handled again. */
    public static String continuation(S3ObjectRef object) {
        var node = SettingsJson.MAPPER.createObjectNode();
        var ref = node.putObject("continueBatch");
        ref.put("bucket", object.bucket());
        ref.put("key", object.key());
        if (object.versionId() != null) {
            ref.put("versionId", object.versionId());
        }
        ref.put("eTag", object.eTag());
        return node.toString();
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() || node.asText().isEmpty() ? null : node.asText();
    }
}
