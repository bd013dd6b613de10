package io.omicsbatch.testing;

import io.omicsbatch.batch.S3ObjectRef;
import io.omicsbatch.intake.IntakeQueue;
import java.util.ArrayList;
import java.util.List;

/** The intake queue as a list of the continuations asked for. */
public final class RecordingIntakeQueue implements IntakeQueue {

    private final List<S3ObjectRef> resumed = new ArrayList<>();

    @Override
    public synchronized void resume(S3ObjectRef settingsObject) {
        resumed.add(settingsObject);
    }

    public synchronized List<S3ObjectRef> resumed() {
        return List.copyOf(resumed);
    }

    /** Takes the continuations asked for so far, as a queue consumer would. */
    public synchronized List<S3ObjectRef> drain() {
        List<S3ObjectRef> taken = List.copyOf(resumed);
        resumed.clear();
        return taken;
    }
}
