package io.omicsbatch.functions.aws;

import io.omicsbatch.batch.ObjectStore;
import io.omicsbatch.batch.S3ObjectRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Settings, runs files, reports and manifests in S3. */
public final class S3ObjectStore implements ObjectStore {

    private final Supplier<S3Client> s3;

    public S3ObjectStore(S3Client s3) {
        this(() -> s3);
    }

    /** Over the client {@code s3} gives when the store is first used (a function that seldom needs S3 builds it then). */
    public S3ObjectStore(Supplier<S3Client> s3) {
        this.s3 = s3;
    }

    @Override
    public Optional<S3ObjectRef> head(String bucket, String key) {
        try {
            HeadObjectResponse head = s3.get().headObject(b -> b.bucket(bucket).key(key));
            return Optional.of(new S3ObjectRef(bucket, key, head.versionId(), unquote(head.eTag())));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            if (e.statusCode() == 403) {
                throw new AccessDeniedException("s3://" + bucket + "/" + key + ": 403 Access Denied");
            }
            throw e;
        }
    }

    @Override
    public InputStream open(S3ObjectRef object) {
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(object.bucket()).key(object.key());
        if (object.versionId() != null) {
            request.versionId(object.versionId());
        } else if (object.eTag() != null) {
            request.ifMatch("\"" + object.eTag() + "\"");
        }
        try {
            return s3.get().getObject(request.build());
        } catch (NoSuchKeyException e) {
            throw new ObjectMissingException(object.uri() + " does not exist");
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                throw new ObjectChangedException(object.uri() + " no longer has ETag " + object.eTag());
            }
            if (e.statusCode() == 404) {
                throw new ObjectMissingException(object.uri() + " (version " + object.versionId() + ") does not exist");
            }
            if (e.statusCode() == 403) {
                throw new AccessDeniedException(object.uri() + ": 403 Access Denied");
            }
            throw e;
        }
    }

    /**
     * No encryption header: the bucket's default encryption applies, which the stack sets to its customer-managed
     * KMS key (the functions hold GenerateDataKey on it), so reports and manifests are under the same key as the
     * settings they describe.
     */
    @Override
    public void put(String bucket, String key, byte[] content, String contentType) {
        s3.get().putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(content));
    }

    /** Spooled to a temporary file (Lambda's /tmp), so that the content's size is known and never all in the heap. */
    @Override
    public void write(String bucket, String key, String contentType, ContentWriter content) throws IOException {
        Path spool = Files.createTempFile("omics-batch-object-", ".part");
        try {
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(spool))) {
                content.writeTo(out);
            }
            s3.get().putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromFile(spool));
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    private static String unquote(String eTag) {
        return eTag == null ? null : eTag.replace("\"", "");
    }
}
