package io.omicsbatch.batch;

import java.io.InputStream;
import java.util.Optional;

/** The S3 objects the batch reads (settings, runs files) and writes (reports, manifests). */
public interface ObjectStore {

    /** The current version of an object, or empty if there is none. */
    Optional<S3ObjectRef> head(String bucket, String key);

    /**
     * Opens exactly the given version (by versionId, else by ETag).
     *
     * @throws ObjectChangedException if the object no longer has that ETag
     * @throws ObjectMissingException if there is no such object
     */
    InputStream open(S3ObjectRef object);

    void put(String bucket, String key, byte[] content, String contentType);

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
}
