package io.omicsbatch.batch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/** The S3 objects the batch reads (settings, runs files) and writes (reports, manifests). */
public interface ObjectStore {

    /**
     * The current version of an object, or empty if there is none.
     *
     * @throws AccessDeniedException if we may not read it
     */
    Optional<S3ObjectRef> head(String bucket, String key);

    /**
     * Opens exactly the given version (by versionId, else by ETag).
     *
     * @throws ObjectChangedException if the object no longer has that ETag
     * @throws ObjectMissingException if there is no such object
     * @throws AccessDeniedException if we may not read it
     */
    InputStream open(S3ObjectRef object);

    void put(String bucket, String key, byte[] content, String contentType);

    /**
     * Writes an object whose content is produced as it is written, e.g. a runs file of any size: the content is never
     * held whole in memory by an adapter that can avoid it (this default buffers it; S3's spools it to a temporary
     * file). If {@code content} throws, nothing is written.
     */
    default void write(String bucket, String key, String contentType, ContentWriter content) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        content.writeTo(buffer);
        put(bucket, key, buffer.toByteArray(), contentType);
    }

    /** Produces an object's content. */
    @FunctionalInterface
    interface ContentWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    final class ObjectChangedException extends RuntimeException {
        public ObjectChangedException(String message) {
            super(message);
        }
    }

    final class ObjectMissingException extends RuntimeException {
        public ObjectMissingException(String message) {
            super(message);
        }
    }

    /**
     * S3 answered 403: no permission to read the object (IAM, a bucket policy, its KMS key), or a missing object in a
     * bucket we may not list. Not transient: retrying cannot help.
     */
    final class AccessDeniedException extends RuntimeException {
        public AccessDeniedException(String message) {
            super(message);
        }
    }
}
