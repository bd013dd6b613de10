package io.omicsbatch.batch;

import java.time.Duration;
import java.time.Instant;

/**
 * Paces StartRun for all submit invocations together (SQS maximumConcurrency limits concurrency, not rate).
 * Each call reserves the next free slot of the shared schedule. The quota admits no call less than 1/rate after the
 * last one it admitted, so a slot is only as good as the call's punctuality: a call that leaves late makes the next
 * one, leaving on time, arrive early.
 */
public interface StartRunPacer {

    /**
     * Reserves a slot no later than {@code now + maxWait}.
     *
     * @return the granted slot, or the wait before one could be had (nothing reserved)
     */
    Permit acquire(Duration maxWait);

    /** The call answered ThrottlingException: the schedule adapts (a wider margin, or a slower pace). */
    void onThrottled();

    /**
     * A reserved slot ({@code grantedAt} non-null) or the time to wait before asking again. {@code lateness}, when
     * given, is how late the call may still leave: later than that, it would arrive too close to the next slot's
     * call, and the slot should be given up for a new one.
     */
    record Permit(Instant grantedAt, Duration retryAfter, Duration lateness) {
        public Permit(Instant grantedAt, Duration retryAfter) {
            this(grantedAt, retryAfter, null);
        }

        public boolean granted() {
            return grantedAt != null;
        }
    }
}
