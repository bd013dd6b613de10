package io.omicsbatch.intake;

import io.omicsbatch.batch.S3ObjectRef;

/** The intake queue, as far as anyone but S3 writes to it: asks the intake to handle a settings object again. */
public interface IntakeQueue {

    /**
     * Queues a continuation: the intake handles the object again and resumes its batch where the record says it
     * stands (an interrupted expansion, or a batch the reconciler found stalled).
     */
    void resume(S3ObjectRef settingsObject);
}
