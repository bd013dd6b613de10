package io.omicsbatch.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import io.omicsbatch.local.TestSupport;
import io.omicsbatch.local.standins.LocalStandIns;
import io.omicsbatch.resources.ResourceDefinitions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The redelivery delay: a failed invocation's message returns after it, not after the queue's visibility timeout. */
class SqsEventSourceMappingTest {

    @Test
    void aFailedInvocationsMessageReturnsAfterTheRedeliveryDelayDespiteTheQueuesLongVisibilityTimeout() throws Exception {
        try (LocalStandIns aws = LocalStandIns.start()) {
            SqsClient sqs = aws.sqsClient();
            // The intake queue keeps its 90 minutes of visibility timeout.
            String queueName = ResourceDefinitions.INTAKE_QUEUE.name();
            String queueUrl = aws.queueUrl(queueName);
            assertThat(ResourceDefinitions.INTAKE_QUEUE.visibilityTimeout()).isGreaterThan(Duration.ofMinutes(10));
            sqs.purgeQueue(b -> b.queueUrl(queueUrl)); // the s3:TestEvent
            sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("retry me"));
            List<Long> invokedAt = new CopyOnWriteArrayList<>();

            try (SqsEventSourceMapping mapping = new SqsEventSourceMapping(new SqsEventSourceMapping.Config("test",
                    queueName, queueUrl, 1, 1, Duration.ofMinutes(1), Duration.ofSeconds(1)), sqs, (event, context) -> {
                        invokedAt.add(System.nanoTime());
                        if (invokedAt.size() == 1) {
                            throw new IllegalStateException("the first invocation fails");
                        }
                        return SQSBatchResponse.builder().withBatchItemFailures(List.of()).build();
                    })) {
                TestSupport.await("the second invocation", Duration.ofSeconds(30), () -> invokedAt.size() >= 2);
                TestSupport.await("the message deleted", Duration.ofSeconds(10), () -> !mapping.busy()
                        && sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                        .attributes().values().stream().allMatch("0"::equals));
            }
            assertThat(invokedAt).hasSize(2);
            assertThat(Duration.ofNanos(invokedAt.get(1) - invokedAt.get(0))).as("redelivered after the delay")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(900));
        }
    }
}
