package io.omicsbatch.testing;

import io.omicsbatch.batch.BatchStatus;
import io.omicsbatch.batch.PipelineMetrics;
import java.util.ArrayList;
import java.util.List;

/** Pipeline metrics recorded in memory, in order, with the flushes between them. */
public final class RecordingMetrics implements PipelineMetrics {

    private final List<Submission> submissions = new ArrayList<>();
    private final List<BatchStatus> transitions = new ArrayList<>();
    private final List<Double> paces = new ArrayList<>();
    private int throttled;
    private int flushes;

    @Override
    public synchronized void submission(Submission outcome) {
        submissions.add(outcome);
    }

    @Override
    public synchronized void startRunThrottled() {
        throttled++;
    }

    @Override
    public synchronized void pace(double callsPerSecond) {
        paces.add(callsPerSecond);
    }

    @Override
    public synchronized void batchTransition(BatchStatus to) {
        transitions.add(to);
    }

    @Override
    public synchronized void flush() {
        flushes++;
    }

    public synchronized List<Submission> submissions() {
        return List.copyOf(submissions);
    }

    public synchronized List<BatchStatus> transitions() {
        return List.copyOf(transitions);
    }

    public synchronized List<Double> paces() {
        return List.copyOf(paces);
    }

    public synchronized int throttled() {
        return throttled;
    }

    public synchronized int flushes() {
        return flushes;
    }

    /** Forgets what was recorded (e.g. a batch's setup) so a test sees only what follows. */
    public synchronized void clear() {
        submissions.clear();
        transitions.clear();
        paces.clear();
        throttled = 0;
        flushes = 0;
    }
}
