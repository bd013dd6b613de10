package io.omicsbatch.functions.aws;

import io.omicsbatch.operations.RunControl;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.omics.OmicsClient;
import software.amazon.awssdk.services.omics.model.InternalServerException;
import software.amazon.awssdk.services.omics.model.RequestTimeoutException;
import software.amazon.awssdk.services.omics.model.ThrottlingException;

/**
 * CancelRun and DeleteRun through the SDK. The client should not retry: the operations pace these calls and retry
 * them themselves, so an SDK retry would spend the quota behind the pacer's back.
 */
public final class SdkRunControl implements RunControl {

    private final OmicsClient omics;

    public SdkRunControl(OmicsClient omics) {
        this.omics = omics;
    }

    @Override
    public void cancelRun(String runId) {
        try {
            omics.cancelRun(b -> b.id(runId));
        } catch (SdkServiceException | SdkClientException e) {
            throw classified(e);
        }
    }

    @Override
    public void deleteRun(String runId) {
        try {
            omics.deleteRun(b -> b.id(runId));
        } catch (SdkServiceException | SdkClientException e) {
            throw classified(e);
        }
    }

    private static RunControlException classified(RuntimeException e) {
        if (e instanceof SdkClientException) {
            return new RunControlException(ErrorKind.RETRYABLE, "SdkClientException", e.getMessage(), e);
        }
        SdkServiceException service = (SdkServiceException) e;
        ErrorKind kind = e instanceof ThrottlingException || service.isThrottlingException() ? ErrorKind.THROTTLED
                : e instanceof InternalServerException || e instanceof RequestTimeoutException || service.statusCode() >= 500
                ? ErrorKind.RETRYABLE : ErrorKind.FINAL;
        String message = e instanceof AwsServiceException aws && aws.awsErrorDetails() != null
                && aws.awsErrorDetails().errorMessage() != null ? aws.awsErrorDetails().errorMessage() : e.getMessage();
        return new RunControlException(kind, e.getClass().getSimpleName(), message, e);
    }
}
