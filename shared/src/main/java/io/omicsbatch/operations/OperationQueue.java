package io.omicsbatch.operations;

import io.omicsbatch.batch.S3ObjectRef;
import java.time.Duration;

/** The operations queue, as far as anyone but S3 writes to it: asks for a request document to be handled again. */
public interface OperationQueue {

    /** The operation is not finished (runs still stopping, time ran out): handle the request again after {@code delay}. */
    void resume(S3ObjectRef request, Duration delay);
}
