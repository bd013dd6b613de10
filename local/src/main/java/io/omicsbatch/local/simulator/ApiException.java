package io.omicsbatch.local.simulator;

import io.omicsbatch.model.OmicsModel;

/**
 * A modeled HealthOmics error: its shape name (sent as {@code x-amzn-ErrorType}), its HTTP status code, read
 * from the model's error shape, and a message (sent as {@code {"message": ...}}).
 */
final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    static final String VALIDATION = "ValidationException";
    static final String THROTTLING = "ThrottlingException";
    static final String SERVICE_QUOTA_EXCEEDED = "ServiceQuotaExceededException";
    static final String CONFLICT = "ConflictException";
    static final String RESOURCE_NOT_FOUND = "ResourceNotFoundException";
    static final String ACCESS_DENIED = "AccessDeniedException";
    static final String INTERNAL_SERVER = "InternalServerException";
    static final String REQUEST_TIMEOUT = "RequestTimeoutException";

    private final String errorType;
    private final int httpStatus;

    ApiException(String errorType, String message) {
        super(message, null, false, false);
        this.errorType = errorType;
        Integer status = OmicsModel.get().shape(errorType).httpStatusCode();
        if (status == null) {
            throw new IllegalArgumentException(errorType + " is not an error shape");
        }
        this.httpStatus = status;
    }

    /** An error the model does not define (an unknown route); never counted as a modeled error. */
    private ApiException(String errorType, int httpStatus, String message) {
        super(message, null, false, false);
        this.errorType = errorType;
        this.httpStatus = httpStatus;
    }

    static ApiException unknownOperation(String method, String path) {
        return new ApiException("UnknownOperationException", 404, "no HealthOmics operation at " + method + " " + path
                + " in the simulator");
    }

    static ApiException validation(String message) {
        return new ApiException(VALIDATION, message);
    }

    static ApiException notFound(String message) {
        return new ApiException(RESOURCE_NOT_FOUND, message);
    }

    static ApiException accessDenied(String message) {
        return new ApiException(ACCESS_DENIED, message);
    }

    static ApiException conflict(String message) {
        return new ApiException(CONFLICT, message);
    }

    String errorType() {
        return errorType;
    }

    int httpStatus() {
        return httpStatus;
    }
}
