package io.omicsbatch.operations;

import io.omicsbatch.batch.S3ObjectRef;

/** Resubmit: a new batch of the chosen runs of a batch. */
public final class ResubmitService {

    public OperationResult resubmit(OperationRequest.Resubmit request, S3ObjectRef requestObject) {
        return OperationResult.refused(request.batchId(), "resubmit is not available yet");
    }
}
