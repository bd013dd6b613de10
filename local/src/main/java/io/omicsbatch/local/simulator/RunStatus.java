package io.omicsbatch.local.simulator;

/** HealthOmics run statuses (the model's RunStatus enum). */
public enum RunStatus {
    PENDING, STARTING, RUNNING, STOPPING, COMPLETED, DELETED, CANCELLED, FAILED;

    /** COMPLETED, FAILED, CANCELLED and DELETED: the run no longer counts against maxActiveRuns. */
    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED || this == DELETED;
    }
}
