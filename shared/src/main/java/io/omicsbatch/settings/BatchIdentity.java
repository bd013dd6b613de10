package io.omicsbatch.settings;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic identities, so that every retry of every step lands on the same batch and the same runs.
 *
 * <p><b>Batch id</b>: 20 lowercase hex characters, the start of a SHA-256 over
 * <ul>
 *   <li>{@code "request\0" + requestId} when the document has a requestId: the managed API's idempotency
 *       token, so the same document uploaded again (even to another key) is the same batch; otherwise</li>
 *   <li>{@code "object\0" + bucket + "\0" + key + "\0" + version}, where version is the S3 versionId, or the
 *       ETag (quotes removed) in an unversioned bucket: a duplicate notification of one upload is the same
 *       batch, while a new upload (a new version) is a new batch.</li>
 * </ul>
 *
 * <p><b>Run requestId</b> (StartRun's idempotency token): {@code "ob-" + batchId + "-" + } 40 hex characters
 * of SHA-256 over {@code batchId + "\0" + runSettingId}. It is the same on every retry of a run, distinct
 * across batches (the batch id is in it, and in the hash), 64 characters long whatever the runSettingId
 * (within the model's 1..128), and only letters, digits and '-', which the model's pattern accepts.
 */
public final class BatchIdentity {

    public static final int BATCH_ID_LENGTH = 20;
    private static final int RUN_HASH_LENGTH = 40;

    private BatchIdentity() {}

    public static String batchIdForRequestId(String requestId) {
        return hex("request\0" + requestId, BATCH_ID_LENGTH);
    }

    public static String batchIdForObject(String bucket, String key, String versionId, String eTag) {
        String version = versionId == null || versionId.isEmpty() || "null".equals(versionId)
                ? stripQuotes(eTag) : versionId;
        if (version == null || version.isEmpty()) {
            throw new IllegalArgumentException("a settings object needs a versionId or an ETag to be identified");
        }
        return hex("object\0" + bucket + "\0" + key + "\0" + version, BATCH_ID_LENGTH);
    }

    /** The batch id of a dropped document: its requestId when it has one, else its S3 object version. */
    public static String batchId(String requestId, String bucket, String key, String versionId, String eTag) {
        return requestId != null ? batchIdForRequestId(requestId) : batchIdForObject(bucket, key, versionId, eTag);
    }

    /**
     * The id of the batch a resubmit request makes: like {@link #batchId}, in a namespace of its own, so that the
     * same request (its requestId, else its object version) delivered twice makes one batch, and a resubmit
     * request never lands on a batch started from a settings document.
     */
    public static String resubmitBatchId(String requestId, String bucket, String key, String versionId, String eTag) {
        return hex("resubmit\0" + batchId(requestId, bucket, key, versionId, eTag), BATCH_ID_LENGTH);
    }

    /**
     * The batch's ARN: that of the settings object which started it, {@code arn:<partition>:s3:::<bucket>/<key>}. It
     * names a real resource the batch came from (we create no HealthOmics batch, so no omics ARN would be honest);
     * a later upload to the same key makes another batch with the same ARN but another id and uuid.
     */
    public static String batchArn(String partition, String bucket, String key) {
        return "arn:" + partition + ":s3:::" + bucket + "/" + key;
    }

    /** The batch's uuid: a name-based (version 3) UUID of its id, so the same on every read and in every event. */
    public static String batchUuid(String batchId) {
        return java.util.UUID.nameUUIDFromBytes(("omics-batch\0" + batchId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    public static String runRequestId(String batchId, String runSettingId) {
        return "ob-" + batchId + "-" + hex(batchId + "\0" + runSettingId, RUN_HASH_LENGTH);
    }

    private static String stripQuotes(String eTag) {
        if (eTag != null && eTag.length() >= 2 && eTag.startsWith("\"") && eTag.endsWith("\"")) {
            return eTag.substring(1, eTag.length() - 1);
        }
        return eTag;
    }

    private static String hex(String input, int length) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(input.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, length);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
