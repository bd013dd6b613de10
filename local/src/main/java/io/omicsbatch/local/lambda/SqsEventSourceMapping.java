package io.omicsbatch.local.lambda;

import io.omicsbatch.util.DaemonThreads;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.settings.SettingsJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * Lambda's SQS event source mapping, locally: up to {@code maximumConcurrency} pollers receive batches of up
 * to {@code batchSize} messages, hand them to the handler as the runtime would (AWS-format JSON deserialized
 * by the Lambda serialization library), delete what succeeded, and leave the reported batch item failures
 * (or the whole batch, if the handler throws) to come back after their visibility timeout, until the
 * queue's redrive policy moves them to the dead-letter queue.
 *
 * <p>With a {@code redeliveryDelay}, failed messages come back after that delay instead of the queue's visibility
 * timeout: the cloud's wait scaled down, while a message whose invocation still runs stays hidden as in the cloud
 * (where the visibility timeout is at least the function's timeout).
 */
public final class SqsEventSourceMapping implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SqsEventSourceMapping.class);

    /** @param redeliveryDelay when failed messages are received again; null: after the queue's visibility timeout */
    public record Config(String functionName, String queueName, String queueUrl, int batchSize, int maximumConcurrency,
                         Duration functionTimeout, Duration redeliveryDelay) {

        public Config(String functionName, String queueName, String queueUrl, int batchSize, int maximumConcurrency,
                      Duration functionTimeout) {
            this(functionName, queueName, queueUrl, batchSize, maximumConcurrency, functionTimeout, null);
        }
    }

    private final Config config;
    private final SqsClient sqs;
    private final RequestHandler<SQSEvent, SQSBatchResponse> handler;
    private final ExecutorService pollers;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong invocations = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();

    public SqsEventSourceMapping(Config config, SqsClient sqs, RequestHandler<SQSEvent, SQSBatchResponse> handler) {
        this.config = config;
        this.sqs = sqs;
        this.handler = handler;
        this.pollers = Executors.newFixedThreadPool(config.maximumConcurrency(), DaemonThreads.named(config.functionName() + "-poller"));
        for (int i = 0; i < config.maximumConcurrency(); i++) {
            pollers.submit(this::poll);
        }
    }

    /** Invocations so far. */
    public long invocations() {
        return invocations.get();
    }

    /** Whether an invocation is running now. */
    public boolean busy() {
        return inFlight.get() > 0;
    }

    private void poll() {
        while (running.get()) {
            try {
                ReceiveMessageResponse response = sqs.receiveMessage(b -> b.queueUrl(config.queueUrl())
                        .maxNumberOfMessages(config.batchSize()).waitTimeSeconds(1)
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL));
                if (!response.hasMessages() || response.messages().isEmpty()) {
                    continue;
                }
                invoke(response.messages());
            } catch (RuntimeException e) {
                if (running.get()) {
                    LOG.warn("{}: polling {} failed", config.functionName(), config.queueName(), e);
                    sleepQuietly(Duration.ofMillis(200));
                }
            }
        }
    }

    private void invoke(List<Message> messages) {
        inFlight.incrementAndGet();
        invocations.incrementAndGet();
        try {
            SQSEvent event = LambdaEvents.fromJson(eventJson(messages), SQSEvent.class);
            Set<String> failed = new HashSet<>();
            try {
                SQSBatchResponse response = handler.handleRequest(event, new LocalContext(config.functionName(), config.functionTimeout()));
                if (response != null && response.getBatchItemFailures() != null) {
                    response.getBatchItemFailures().forEach(f -> failed.add(f.getItemIdentifier()));
                }
            } catch (RuntimeException | Error e) {
                // A failed invocation returns the whole batch, as Lambda does.
                if (e.getClass().getSimpleName().startsWith("Simulated")) {
                    // An injected fault: expected, one line is enough.
                    LOG.warn("{}: invocation killed ({}); {} messages return to the queue", config.functionName(),
                            e.getMessage(), messages.size());
                } else {
                    LOG.warn("{}: invocation failed; {} messages return to the queue", config.functionName(),
                            messages.size(), e);
                }
                messages.forEach(m -> failed.add(m.messageId()));
            }
            List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
            List<ChangeMessageVisibilityBatchRequestEntry> retried = new ArrayList<>();
            for (Message message : messages) {
                if (!failed.contains(message.messageId())) {
                    done.add(DeleteMessageBatchRequestEntry.builder().id(message.messageId()).receiptHandle(message.receiptHandle()).build());
                } else if (config.redeliveryDelay() != null) {
                    retried.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(message.messageId())
                            .receiptHandle(message.receiptHandle())
                            .visibilityTimeout((int) config.redeliveryDelay().toSeconds()).build());
                }
            }
            if (!done.isEmpty()) {
                sqs.deleteMessageBatch(b -> b.queueUrl(config.queueUrl()).entries(done));
            }
            if (!retried.isEmpty()) {
                // Should this fail, the messages still come back, after the queue's visibility timeout.
                sqs.changeMessageVisibilityBatch(b -> b.queueUrl(config.queueUrl()).entries(retried));
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** The SQS event exactly as Lambda builds it from received messages. */
    private String eventJson(List<Message> messages) {
        ObjectNode event = SettingsJson.MAPPER.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (Message message : messages) {
            ObjectNode record = records.addObject();
            record.put("messageId", message.messageId());
            record.put("receiptHandle", message.receiptHandle());
            record.put("body", message.body());
            ObjectNode attributes = record.putObject("attributes");
            message.attributesAsStrings().forEach(attributes::put);
            record.putObject("messageAttributes");
            record.put("md5OfBody", message.md5OfBody());
            record.put("eventSource", "aws:sqs");
            record.put("eventSourceARN", "arn:aws:sqs:us-east-1:000000000000:" + config.queueName());
            record.put("awsRegion", "us-east-1");
        }
        return event.toString();
    }

    @Override
    public void close() {
        running.set(false);
        pollers.shutdown();
        try {
            if (!pollers.awaitTermination(config.functionTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
                pollers.shutdownNow();
            }
        } catch (InterruptedException e) {
            pollers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
