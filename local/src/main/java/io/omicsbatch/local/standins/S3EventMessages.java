package io.omicsbatch.local.standins;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The JSON bodies S3 sends to a notification destination: the event message (event structure version 2.1, one
 * record per message) and the {@code s3:TestEvent} sent when a notification configuration is set.
 */
final class S3EventMessages {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** S3 writes milliseconds always, e.g. 2025-06-02T09:14:27.510Z ({@link Instant#toString()} would drop zeros). */
    private static final DateTimeFormatter EVENT_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final HexFormat UPPER_HEX = HexFormat.of().withUpperCase();

    private final String region;
    private final String ownerPrincipalId;
    private final String requesterPrincipalId;
    private final SecureRandom random = new SecureRandom();
    /** Sequencers grow with time, like S3's (the first 8 hex digits of S3's are epoch seconds). */
    private final AtomicLong sequencer = new AtomicLong();

    S3EventMessages(String region, String ownerPrincipalId, String requesterPrincipalId) {
        this.region = region;
        this.ownerPrincipalId = ownerPrincipalId;
        this.requesterPrincipalId = requesterPrincipalId;
    }

    /**
     * An {@code ObjectCreated:*} event message.
     *
     * @param eventName e.g. {@code ObjectCreated:Put}
     * @param eTag the object's ETag without quotes
     * @param versionId the version id, or null when the bucket is not versioned (the member is then absent, as in S3)
     */
    String objectCreated(
            String eventName, String configurationId, String bucket, String key, long size, String eTag,
            String versionId) {
        Instant now = Instant.now();
        ObjectNode record = JSON.createObjectNode();
        record.put("eventVersion", "2.1");
        record.put("eventSource", "aws:s3");
        record.put("awsRegion", region);
        record.put("eventTime", EVENT_TIME.format(now));
        record.put("eventName", eventName);
        record.putObject("userIdentity").put("principalId", requesterPrincipalId);
        record.putObject("requestParameters").put("sourceIPAddress", Loopback.HOST);
        ObjectNode response = record.putObject("responseElements");
        response.put("x-amz-request-id", requestId());
        response.put("x-amz-id-2", hostId());
        ObjectNode s3 = record.putObject("s3");
        s3.put("s3SchemaVersion", "1.0");
        s3.put("configurationId", configurationId);
        ObjectNode bucketNode = s3.putObject("bucket");
        bucketNode.put("name", bucket);
        bucketNode.putObject("ownerIdentity").put("principalId", ownerPrincipalId);
        bucketNode.put("arn", "arn:aws:s3:::" + bucket);
        ObjectNode object = s3.putObject("object");
        object.put("key", encodeKey(key));
        object.put("size", size);
        object.put("eTag", eTag);
        if (versionId != null) {
            object.put("versionId", versionId);
        }
        object.put("sequencer", nextSequencer(now));
        ObjectNode message = JSON.createObjectNode();
        message.putArray("Records").add(record);
        return message.toString();
    }

    /** The message S3 sends to a destination when a notification configuration is put on the bucket. */
    String testEvent(String bucket) {
        ObjectNode message = JSON.createObjectNode();
        message.put("Service", "Amazon S3");
        message.put("Event", "s3:TestEvent");
        message.put("Time", EVENT_TIME.format(Instant.now()));
        message.put("Bucket", bucket);
        message.put("RequestId", requestId());
        message.put("HostId", hostId());
        return message.toString();
    }

    /**
     * Keys in event messages are URL-encoded as HTML forms are (a space is {@code +}, {@code +} is {@code %2B}), with
     * the path separator {@code /} left as is.
     */
    static String encodeKey(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
    }

    private String nextSequencer(Instant now) {
        long floor = now.getEpochSecond() << 32;
        long value = sequencer.updateAndGet(previous -> Math.max(previous + 1, floor));
        return "00" + UPPER_HEX.toHexDigits(value); // 18 hex digits, as S3's
    }

    private String requestId() {
        byte[] bytes = new byte[8];
        random.nextBytes(bytes);
        return UPPER_HEX.formatHex(bytes);
    }

    private String hostId() {
        byte[] bytes = new byte[48];
        random.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
