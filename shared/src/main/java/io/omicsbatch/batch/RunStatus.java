package io.omicsbatch.batch;

/**
 * A HealthOmics run status with its place in the lifecycle: a run only ever moves to a higher rank, so a
 * late or duplicated event can never move it back. STOPPING is not terminal (outputs are being exported).
 *
 * <p>DELETED ranks below the outcomes: a run is deleted only once it ended, so DELETED means "ended, outcome not
 * learned before the run was deleted". A COMPLETED, FAILED or CANCELLED record keeps its outcome when the run is
 * deleted afterwards (a REMOVE-mode run deleted for the retained-runs quota, or DeleteRun), and an outcome learned
 * late (a delayed event) replaces DELETED.
 */
public enum RunStatus {
    PENDING(0, false, "pendingRunCount"),
    STARTING(1, false, "startingRunCount"),
    RUNNING(2, false, "runningRunCount"),
    STOPPING(3, false, "stoppingRunCount"),
    DELETED(4, true, "deletedRunCount"),
    COMPLETED(5, true, "completedRunCount"),
    FAILED(5, true, "failedRunCount"),
    CANCELLED(5, true, "cancelledRunCount");

    /**
     * The lowest rank of a terminal status: a stored rank below it is a run still open. Stored ranks written before
     * DELETED moved below the outcomes (COMPLETED 4, DELETED 5) compare the same way.
     */
    public static final int LOWEST_TERMINAL_RANK = 4;

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
