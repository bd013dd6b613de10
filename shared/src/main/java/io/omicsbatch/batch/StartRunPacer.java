package io.omicsbatch.batch;

import java.time.Duration;
import java.time.Instant;

/**
 * Paces StartRun for all submit invocations together (SQS maximumConcurrency limits concurrency, not rate).
 * Each call reserves the next free slot of the shared schedule; the rate drops on throttling and recovers
 * gradually, because other tools in the account share the quota.
 */
public interface StartRunPacer {

    /**
     * Reserves a slot no later than {@code now + maxWait}.
     *
     * @return the granted slot, or the wait before one could be had (nothing reserved)
     */
    Permit acquire(Duration maxWait);

    /** StartRun answered ThrottlingException: slow down (the pace recovers with time on its own). */
    void onThrottled();

    /** A reserved slot ({@code grantedAt} non-null) or the time to wait before asking again. */
    record Permit(Instant grantedAt, Duration retryAfter) {
        public boolean granted() {
            return grantedAt != null;
        }
    }
}
