package io.omicsbatch.local.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.batch.OmicsRuns;
import io.omicsbatch.batch.StartedRun;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Kills the submit function between StartRun's answer and the write of its outcome, as a Lambda timeout or
 * crash would: the run exists in HealthOmics, our record does not know it, and the whole invocation fails
 * ({@link SimulatedLambdaCrash}). A fault no stand-in can produce ({@code lambdaFaults.crashAfterStartRunRate}).
 */
public final class CrashingOmicsRuns implements OmicsRuns {

    private final OmicsRuns delegate;
    private final double rate;
    private final Random random;
    private final AtomicLong crashes = new AtomicLong();

    public CrashingOmicsRuns(OmicsRuns delegate, double rate, long seed) {
        this.delegate = delegate;
        this.rate = rate;
        this.random = new Random(seed);
    }

    @Override
    public StartedRun startRun(ObjectNode startRunBody) {
        StartedRun started = delegate.startRun(startRunBody);
        boolean crash;
        synchronized (random) {
            crash = random.nextDouble() < rate;
        }
        if (crash) {
            crashes.incrementAndGet();
            throw new SimulatedLambdaCrash("after StartRun returned");
        }
        return started;
    }

    public long crashes() {
        return crashes.get();
    }
}
