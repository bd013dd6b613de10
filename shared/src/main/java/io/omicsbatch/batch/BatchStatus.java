package io.omicsbatch.batch;

/** A batch's status, as the managed run batch names them. */
public enum BatchStatus {
    CREATING, PENDING, SUBMITTING, INPROGRESS, STOPPING, CANCELLED, FAILED, PROCESSED,
    RUNS_DELETING, RUNS_DELETED, RUNS_DELETE_FAILED;

    /** No run of the batch will be submitted any more. */
    public boolean stopsSubmission() {
        return this == STOPPING || this == CANCELLED || this == FAILED;
    }
}
