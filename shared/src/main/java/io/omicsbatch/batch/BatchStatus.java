package io.omicsbatch.batch;

/** A batch's status, as the managed run batch names them. */
public enum BatchStatus {
    CREATING, PENDING, SUBMITTING, INPROGRESS, STOPPING, CANCELLED, FAILED, PROCESSED,
    RUNS_DELETING, RUNS_DELETED, RUNS_DELETE_FAILED;

    /** No work of the batch follows: it may be deleted, and its runs deleted (from PROCESSED or CANCELLED). */
    public boolean isTerminal() {
        return this == PROCESSED || this == FAILED || this == CANCELLED || this == RUNS_DELETED
                || this == RUNS_DELETE_FAILED;
    }

    /** A cancel request moves the batch to STOPPING from these. */
    public boolean isCancellable() {
        return this == PENDING || this == SUBMITTING || this == INPROGRESS;
    }

    /** Its runs may be deleted (DeleteRunBatch) from these. */
    public boolean allowsRunDeletion() {
        return this == PROCESSED || this == CANCELLED;
    }

    /** No run of the batch will be submitted any more. */
    public boolean stopsSubmission() {
        return this == STOPPING || this == CANCELLED || this == FAILED;
    }
}
