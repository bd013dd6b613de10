package io.omicsbatch.testing;

import io.omicsbatch.batch.SubmitService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Sleeps without waiting: records each sleep and moves the test clock forward by it, as real time would. */
public final class RecordingSleeper implements SubmitService.Sleeper {

    private final MutableClock clock;
    private final List<Duration> sleeps = new ArrayList<>();

    public RecordingSleeper(MutableClock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void sleep(Duration duration) {
        sleeps.add(duration);
        clock.advance(duration);
    }

    public synchronized List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }
}
