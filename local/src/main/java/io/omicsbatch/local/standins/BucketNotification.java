package io.omicsbatch.local.standins;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * One entry of a bucket's notification configuration, as S3's {@code QueueConfiguration}: every {@code s3:ObjectCreated:*}
 * event on an object whose key starts with {@code prefix} and ends with {@code suffix} (both may be empty) is sent, as
 * the JSON message body S3 would send, to {@code destination} (for the stand-ins: SendMessage to a queue).
 */
public record BucketNotification(
        String bucket, String configurationId, String prefix, String suffix, Consumer<String> destination) {

    public BucketNotification {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(configurationId, "configurationId");
        prefix = prefix == null ? "" : prefix;
        suffix = suffix == null ? "" : suffix;
        Objects.requireNonNull(destination, "destination");
    }

    /** S3's filter rules: a plain, case-sensitive prefix and suffix match on the (unencoded) key. */
    boolean matches(String bucketName, String key) {
        return bucket.equals(bucketName) && key.startsWith(prefix) && key.endsWith(suffix);
    }
}
