package io.omicsbatch.operations;

/** HealthOmics CancelRun and DeleteRun, as the batch operations need them. */
public interface RunControl {

    /** Cancels a run that has not finished (it goes STOPPING, then CANCELLED). */
    void cancelRun(String runId);

    /** Deletes a run that has finished (COMPLETED, FAILED or CANCELLED). */
    void deleteRun(String runId);

    /** How an operation treats an error. */
    enum ErrorKind {
        /** ThrottlingException: slow down and try again. */
        THROTTLED,
        /** InternalServerException, RequestTimeoutException, no answer: try again. */
        RETRYABLE,
        /** Every other error (ConflictException: the run's status does not allow it; not found; access): final. */
        FINAL
    }

    final class RunControlException extends RuntimeException {
        private final ErrorKind kind;
        private final String errorName;

        public RunControlException(ErrorKind kind, String errorName, String message, Throwable cause) {
            super(message, cause);
            this.kind = kind;
            this.errorName = errorName;
        }

        public ErrorKind kind() {
            return kind;
        }

        /** The exception's name, e.g. ConflictException: recorded with a failed outcome. */
        public String errorName() {
            return errorName;
        }
    }
}
