package io.omicsbatch.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.batch.S3ObjectRef;
import io.omicsbatch.settings.SettingsJson;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * Writes batch operation requests: a JSON document {@code {"batchId": ...}} (and, for a resubmit, its options) PUT in
 * the settings bucket at {@code <prefix><batchId>-<UTC time>.json}, one prefix per operation
 * ({@code ResourceDefinitions.CANCEL_PREFIX}, ...); the stack acts on it as on a dropped settings document. The time
 * in the key keeps every request its own object, so no request replaces another.
 */
final class BatchRequests {

    private static final DateTimeFormatter KEY_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

    private BatchRequests() {}

    static ObjectNode body(String batchId) {
        return SettingsJson.MAPPER.createObjectNode().put("batchId", batchId);
    }

    static String key(String prefix, String batchId, Clock clock) {
        return prefix + batchId + "-" + KEY_TIME.format(clock.instant()) + ".json";
    }

    /** PUTs the request; the object version written (its versionId, or its ETag in an unversioned bucket). */
    static S3ObjectRef put(TableConnection.Stores stores, String key, ObjectNode body) {
        String bucket = stores.deployment().settingsBucket();
        byte[] bytes;
        try {
            bytes = SettingsJson.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        PutObjectResponse response = stores.s3().putObject(b -> b.bucket(bucket).key(key).contentType("application/json"),
                RequestBody.fromBytes(bytes));
        String eTag = response.eTag();
        if (eTag != null && eTag.length() >= 2 && eTag.startsWith("\"") && eTag.endsWith("\"")) {
            eTag = eTag.substring(1, eTag.length() - 1);
        }
        return new S3ObjectRef(bucket, key, response.versionId(), eTag);
    }
}
