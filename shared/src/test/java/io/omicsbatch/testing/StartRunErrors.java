package io.omicsbatch.testing;

import io.omicsbatch.batch.OmicsRuns.ErrorKind;
import io.omicsbatch.batch.OmicsRuns.StartRunException;

/** StartRun's errors exactly as SdkOmicsRuns classifies and names them. */
public final class StartRunErrors {

    private StartRunErrors() {}

    public static StartRunException throttling() {
        return error(ErrorKind.THROTTLED, "ThrottlingException", "Rate exceeded");
    }

    public static StartRunException quotaExceeded() {
        return error(ErrorKind.QUOTA, "ServiceQuotaExceededException", "The maximum number of active runs was reached");
    }

    public static StartRunException requestTimeout() {
        return error(ErrorKind.RETRYABLE, "RequestTimeoutException", "The request timed out");
    }

    public static StartRunException internalServerError() {
        return error(ErrorKind.RETRYABLE, "InternalServerException", "An internal error occurred");
    }

    /** No answer at all (connection reset, read timeout): the run may or may not exist. */
    public static StartRunException noAnswer() {
        return error(ErrorKind.RETRYABLE, "SdkClientException", "Unable to execute HTTP request: Read timed out");
    }

    /** An error the SDK does not model: retryable from status 500 on, final below. */
    public static StartRunException unmodeled(int statusCode) {
        return error(statusCode >= 500 ? ErrorKind.RETRYABLE : ErrorKind.FINAL, "OmicsException",
                "Service returned HTTP status code " + statusCode);
    }

    public static StartRunException validation(String message) {
        return error(ErrorKind.FINAL, "ValidationException", message);
    }

    public static StartRunException accessDenied(String message) {
        return error(ErrorKind.FINAL, "AccessDeniedException", message);
    }

    public static StartRunException resourceNotFound(String message) {
        return error(ErrorKind.FINAL, "ResourceNotFoundException", message);
    }

    public static StartRunException conflict(String message) {
        return error(ErrorKind.CONFLICT, "ConflictException", message);
    }

    private static StartRunException error(ErrorKind kind, String name, String message) {
        return new StartRunException(kind, name, message, null);
    }
}
