package io.omicsbatch.functions.aws;

import io.omicsbatch.batch.S3Notifications;
import io.omicsbatch.batch.S3ObjectRef;
import io.omicsbatch.operations.OperationQueue;
import java.time.Duration;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Continuations go to the operations queue, in the shape {@link S3Notifications#requestObjects} reads back. */
public final class SqsOperationQueue implements OperationQueue {

    /** SQS's longest message delay. */
    private static final long MAX_DELAY_SECONDS = 900;

    private final SqsClient sqs;
    private final String queueUrl;

    public SqsOperationQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void resume(S3ObjectRef request, Duration delay) {
        int seconds = (int) Math.min(MAX_DELAY_SECONDS, Math.max(0, delay.toSeconds()));
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(S3Notifications.continuation(request)).delaySeconds(seconds));
    }
}
