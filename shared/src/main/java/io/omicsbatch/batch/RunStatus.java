package io.omicsbatch.batch;

/**
 * A HealthOmics run status with its place in the lifecycle: a run only ever moves to a higher rank, so a
 * late or duplicated event can never move it back. STOPPING is not terminal (outputs are being exported).
 */
public enum RunStatus {
    PENDING(0, false, "pendingRunCount"),
    STARTING(1, false, "startingRunCount"),
    RUNNING(2, false, "runningRunCount"),
    STOPPING(3, false, "stoppingRunCount"),
    COMPLETED(4, true, "completedRunCount"),
    FAILED(4, true, "failedRunCount"),
    CANCELLED(4, true, "cancelledRunCount"),
    DELETED(5, true, "deletedRunCount");

    private final int rank;
    private final boolean terminal;
    private final String countAttribute;

    RunStatus(int rank, boolean terminal, String countAttribute) {
        this.rank = rank;
        this.terminal = terminal;
        this.countAttribute = countAttribute;
    }

    public int rank() {
        return rank;
    }

    public boolean isTerminal() {
        return terminal;
    }

    /** The batch counter of runs in this status, named as in the managed batch's runSummary. */
    public String countAttribute() {
        return countAttribute;
    }
}
