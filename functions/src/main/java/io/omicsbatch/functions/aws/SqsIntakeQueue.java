package io.omicsbatch.functions.aws;

import io.omicsbatch.batch.S3Notifications;
import io.omicsbatch.batch.S3ObjectRef;
import io.omicsbatch.intake.IntakeQueue;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Continuations go to the intake queue, in the shape {@link S3Notifications} reads back. */
public final class SqsIntakeQueue implements IntakeQueue {

    private final SqsClient sqs;
    private final String queueUrl;

    public SqsIntakeQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void resume(S3ObjectRef settingsObject) {
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(S3Notifications.continuation(settingsObject)));
    }
}
