package io.omicsbatch.testing;

import io.omicsbatch.batch.StartRunPacer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A StartRun pacer whose answers a test decides: by default every slot is granted at once (now); the next answers
 * can be a slot later on, or no slot within the wait. Records each acquire's wait and the throttling reports.
 */
public final class ScriptedPacer implements StartRunPacer {

    private final Clock clock;
    private final Deque<Duration> grantsIn = new ArrayDeque<>();
    private final Deque<Duration> latenesses = new ArrayDeque<>();
    private final Deque<Duration> refusals = new ArrayDeque<>();
    private final List<Duration> waitsAsked = new ArrayList<>();
    private int throttled;

    public ScriptedPacer(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized Permit acquire(Duration maxWait) {
        waitsAsked.add(maxWait);
        Duration refusal = refusals.pollFirst();
        if (refusal != null) {
            return new Permit(null, refusal);
        }
        Duration later = grantsIn.pollFirst();
        return new Permit(clock.instant().plus(later == null ? Duration.ZERO : later), null, latenesses.pollFirst());
    }

    @Override
    public synchronized void onThrottled() {
        throttled++;
    }

    /** The next granted slot is {@code delay} from the acquire. */
    public synchronized void grantNextIn(Duration delay) {
        grantsIn.addLast(delay);
    }

    /** The next granted slot is {@code delay} from the acquire, and its call may leave at most {@code lateness} late. */
    public synchronized void grantNextIn(Duration delay, Duration lateness) {
        grantsIn.addLast(delay);
        latenesses.addLast(lateness);
    }

    /** The next acquire gets no slot: ask again after {@code retryAfter}. */
    public synchronized void refuseNext(Duration retryAfter) {
        refusals.addLast(retryAfter);
    }

    /** The maximum wait of every acquire, in order. */
    public synchronized List<Duration> waitsAsked() {
        return List.copyOf(waitsAsked);
    }

    public synchronized int throttledReports() {
        return throttled;
    }
}
