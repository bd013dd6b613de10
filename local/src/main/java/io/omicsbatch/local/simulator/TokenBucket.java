package io.omicsbatch.local.simulator;

import java.util.function.LongSupplier;

/**
 * A token bucket of capacity 1 (burst 1) refilled at {@code ratePerSecond}, kept as the theoretical arrival
 * time of the next allowed call (GCRA) in integer nanoseconds, so that counts are exact under an injected
 * clock: over a span of T seconds of calls arriving faster than the rate, exactly floor(T * rate) + 1 pass.
 */
final class TokenBucket {

    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private long nextAllowedNanos;
    private boolean started;

    TokenBucket(double ratePerSecond, LongSupplier nanoTime) {
        if (!(ratePerSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive");
        }
        this.intervalNanos = Math.max(1L, Math.round(1_000_000_000d / ratePerSecond));
        this.nanoTime = nanoTime;
    }

    /** Takes the token if there is one. */
    synchronized boolean tryAcquire() {
        long now = nanoTime.getAsLong();
        if (!started) {
            started = true;
            nextAllowedNanos = now;
        }
        // Compare as a difference: nanoTime values may be negative or wrap.
        if (now - nextAllowedNanos < 0) {
            return false;
        }
        nextAllowedNanos = now + intervalNanos;
        return true;
    }

    long intervalNanos() {
        return intervalNanos;
    }
}
