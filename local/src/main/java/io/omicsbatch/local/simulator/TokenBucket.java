package io.omicsbatch.local.simulator;

import java.util.function.LongSupplier;

/**
 * A token bucket of capacity {@code burst} refilled at {@code ratePerSecond}, kept as the theoretical arrival time of
 * the next call (GCRA) in integer nanoseconds, so that counts are exact under an injected clock: with burst 1, over a
 * span of T seconds of calls arriving faster than the rate, exactly floor(T * rate) + 1 pass. A call is admitted if it
 * arrives no earlier than the theoretical arrival time less (burst - 1) intervals; it moves that time one interval on
 * from the later of itself and the call's arrival.
 */
final class TokenBucket {

    private final long intervalNanos;
    private final long toleranceNanos;
    private final LongSupplier nanoTime;
    private long theoreticalArrivalNanos;
    private long lastArrivalNanos;
    private boolean started;

    TokenBucket(double ratePerSecond, LongSupplier nanoTime) {
        this(ratePerSecond, 1, nanoTime);
    }

    TokenBucket(double ratePerSecond, int burst, LongSupplier nanoTime) {
        if (!(ratePerSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive");
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be at least 1");
        }
        this.intervalNanos = Math.max(1L, Math.round(1_000_000_000d / ratePerSecond));
        this.toleranceNanos = (burst - 1) * intervalNanos;
        this.nanoTime = nanoTime;
    }

    /** Takes a token now, if there is one. */
    boolean tryAcquire() {
        return tryAcquire(nanoTime.getAsLong());
    }

    /**
     * Takes a token for a call that arrived at {@code arrivalNanos} (of the same nanoTime), if there was one. Calls are
     * judged in the order they arrived; one overtaken on its way in by a later call (both arriving within the time
     * the simulator takes to serve one) is judged as arriving now.
     */
    synchronized boolean tryAcquire(long arrivalNanos) {
        if (!started) {
            started = true;
            theoreticalArrivalNanos = arrivalNanos;
            lastArrivalNanos = arrivalNanos;
        }
        if (arrivalNanos - lastArrivalNanos < 0) {
            arrivalNanos = nanoTime.getAsLong();
        }
        if (arrivalNanos - lastArrivalNanos > 0) {
            lastArrivalNanos = arrivalNanos;
        }
        // Compare as differences: nanoTime values may be negative or wrap.
        if (arrivalNanos - (theoreticalArrivalNanos - toleranceNanos) < 0) {
            return false;
        }
        long from = arrivalNanos - theoreticalArrivalNanos > 0 ? arrivalNanos : theoreticalArrivalNanos;
        theoreticalArrivalNanos = from + intervalNanos;
        return true;
    }

    /** The time source the bucket reads. */
    long now() {
        return nanoTime.getAsLong();
    }

    long intervalNanos() {
        return intervalNanos;
    }
}
