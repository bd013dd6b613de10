package io.omicsbatch.resources;

import java.time.Duration;

/** An SQS queue with its dead-letter queue, as both the CDK stack and the local stand-ins create it. */
public record QueueDefinition(
        String name,
        String deadLetterQueueName,
        Duration visibilityTimeout,
        Duration retentionPeriod,
        Duration deadLetterRetentionPeriod,
        int maxReceiveCount) {}
