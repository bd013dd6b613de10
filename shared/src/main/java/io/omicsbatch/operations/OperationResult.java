package io.omicsbatch.operations;

import java.time.Duration;

/** What came of handling a request document once. */
public record OperationResult(Outcome outcome, String batchId, String detail, Duration retryAfter) {

    public enum Outcome {
        /** The operation is done (now or before): nothing more to do for this request. */
        DONE,
        /** Not finished (runs in flight, time ran out): handle the request again after {@code retryAfter}. */
        CONTINUE,
        /** The batch's status does not allow the operation (or there is no such batch): reported in reports/. */
        REFUSED,
        /** The request is not valid: its errors are reported in reports/. */
        INVALID,
        /** Not a request document, or a version that no longer exists. */
        IGNORED
    }

    public static OperationResult done(String batchId, String detail) {
        return new OperationResult(Outcome.DONE, batchId, detail, null);
    }

    public static OperationResult continueAfter(String batchId, String detail, Duration delay) {
        return new OperationResult(Outcome.CONTINUE, batchId, detail, delay);
    }

    public static OperationResult refused(String batchId, String detail) {
        return new OperationResult(Outcome.REFUSED, batchId, detail, null);
    }
}
