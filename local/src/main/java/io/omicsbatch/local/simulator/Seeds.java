package io.omicsbatch.local.simulator;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Seeded randomness, one independent stream per concern (run ids, lifecycle, API faults, each run's events),
 * so that a decision in one concern never shifts the draws of another: the same seed and the same sequence of
 * calls give the same ids, uuids, durations, failures and fault decisions. The local runner's own faults draw
 * from streams of the same seed.
 */
public final class Seeds {

    static final String IDS = "ids";
    static final String LIFECYCLE = "lifecycle";
    static final String API_FAULTS = "api-faults";
    static final String EVENTS = "events";
    static final String CONFLICTS = "conflicts";
    static final String DELETE_DENIALS = "delete-denials";

    private Seeds() {}

    static SplittableRandom stream(long seed, String concern) {
        return new SplittableRandom(mix(seed, concern, 0));
    }

    public static SplittableRandom stream(long seed, String concern, long index) {
        return new SplittableRandom(mix(seed, concern, index));
    }

    /** A version-4-shaped UUID from the stream. */
    static UUID uuid(SplittableRandom random) {
        long msb = random.nextLong();
        long lsb = random.nextLong();
        msb = (msb & 0xffffffffffff0fffL) | 0x0000000000004000L;
        lsb = (lsb & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    private static long mix(long seed, String concern, long index) {
        long h = seed;
        for (byte b : concern.getBytes(StandardCharsets.UTF_8)) {
            h = splitMix(h ^ b);
        }
        return splitMix(h ^ splitMix(index + 0x9E3779B97F4A7C15L));
    }

    private static long splitMix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
