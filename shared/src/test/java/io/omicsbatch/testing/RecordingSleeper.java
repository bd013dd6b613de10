package io.omicsbatch.testing;

import io.omicsbatch.batch.SubmitService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Sleeps without waiting: records each sleep and moves the test clock forward by it, as real time would. */
public final class RecordingSleeper implements SubmitService.Sleeper {

    private final MutableClock clock;
    private final List<Duration> sleeps = new ArrayList<>();
    private final java.util.ArrayDeque<Duration> oversleeps = new java.util.ArrayDeque<>();

    public RecordingSleeper(MutableClock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void sleep(Duration duration) {
        sleeps.add(duration);
        Duration over = oversleeps.pollFirst();
        clock.advance(over == null ? duration : duration.plus(over));
    }

    /** The next sleep wakes {@code late} after its time, as a thread of a busy machine does. */
    public synchronized void oversleepNext(Duration late) {
        oversleeps.addLast(late);
    }

    public synchronized List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }
}
