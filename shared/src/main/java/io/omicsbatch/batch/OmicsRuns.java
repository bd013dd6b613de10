package io.omicsbatch.batch;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** HealthOmics StartRun, as the submit function needs it. */
public interface OmicsRuns {

    /**
     * Starts the run described by the complete StartRun body (its requestId makes retries safe).
     *
     * @throws StartRunException for every modeled error, classified
     */
    StartedRun startRun(ObjectNode startRunBody);

    /** How the managed batch treats each StartRun error. */
    enum ErrorKind {
        /** ThrottlingException: retried with backoff, and the pace slows down. */
        THROTTLED,
        /** RequestTimeoutException, InternalServerException (and transport failures): retried with backoff. */
        RETRYABLE,
        /** ServiceQuotaExceededException (too many active runs): wait, without spending an attempt. */
        QUOTA,
        /**
         * ConflictException: the requestId is in use by a creation still in progress (a duplicate delivery, a replay
         * right after a crash), which resolves on its own, or by another request: retried a few times, then final.
         */
        CONFLICT,
        /** ValidationException, AccessDeniedException, ResourceNotFoundException: fail now. */
        FINAL
    }

    final class StartRunException extends RuntimeException {
        private final ErrorKind kind;
        private final String errorName;

        public StartRunException(ErrorKind kind, String errorName, String message, Throwable cause) {
            super(message, cause);
            this.kind = kind;
            this.errorName = errorName;
        }

        public ErrorKind kind() {
            return kind;
        }

        /** The exception's name, e.g. ValidationException: the submission failure reason. */
        public String errorName() {
            return errorName;
        }
    }
}
