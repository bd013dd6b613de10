package io.omicsbatch.infra;

import io.omicsbatch.resources.QueueDefinition;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * A queue and its dead-letter queue exactly as a {@link QueueDefinition} describes them (names, visibility,
 * retention, redrive count), both encrypted with the data key and refusing requests without TLS.
 */
public final class QueueWithDeadLetter extends Construct {

    private final Queue queue;
    private final Queue deadLetterQueue;

    /**
     * @param deadLetterVisibility the DLQ's visibility timeout: at least 6× the timeout of the function that
     *                             consumes it, or SQS's default when nothing does
     */
    public QueueWithDeadLetter(Construct scope, String id, QueueDefinition definition, IKey key, java.time.Duration deadLetterVisibility) {
        super(scope, id);
        deadLetterQueue = encrypted(Queue.Builder.create(this, "DeadLetterQueue"), key)
                .queueName(definition.deadLetterQueueName())
                .retentionPeriod(seconds(definition.deadLetterRetentionPeriod()))
                .visibilityTimeout(seconds(deadLetterVisibility))
                .build();
        queue = encrypted(Queue.Builder.create(this, "Queue"), key)
                .queueName(definition.name())
                .visibilityTimeout(seconds(definition.visibilityTimeout()))
                .retentionPeriod(seconds(definition.retentionPeriod()))
                .deadLetterQueue(DeadLetterQueue.builder()
                        .queue(deadLetterQueue)
                        .maxReceiveCount(definition.maxReceiveCount())
                        .build())
                .build();
    }

    /** A queue with our encryption and TLS policy, for queues outside the shared definitions. */
    static Queue.Builder encrypted(Queue.Builder builder, IKey key) {
        return builder.encryption(QueueEncryption.KMS)
                .encryptionMasterKey(key)
                .dataKeyReuse(Duration.minutes(5))
                .enforceSsl(true);
    }

    static Duration seconds(java.time.Duration duration) {
        return Duration.seconds(duration.toSeconds());
    }

    public Queue queue() {
        return queue;
    }

    public Queue deadLetterQueue() {
        return deadLetterQueue;
    }
}
