package io.omicsbatch.batch;

/**
 * One version of an S3 object, as an ObjectCreated notification names it. {@code versionId} is null in an
 * unversioned bucket; {@code eTag} is without quotes.
 */
public record S3ObjectRef(String bucket, String key, String versionId, String eTag) {

    public String uri() {
        return "s3://" + bucket + "/" + key;
    }
}
