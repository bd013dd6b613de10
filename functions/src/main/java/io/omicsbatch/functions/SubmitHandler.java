package io.omicsbatch.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.omicsbatch.batch.PipelineMetrics;
import io.omicsbatch.batch.RunMessage;
import io.omicsbatch.batch.RunQueue;
import io.omicsbatch.batch.SubmitService;
import io.omicsbatch.functions.aws.SqsRunQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * Consumes the run queue: one paced StartRun per message, reported as partial batch failures. A retryable
 * error returns the message with a longer visibility timeout (one receive per attempt); a wait (pacing, the
 * quota) sends the message again with a delay, and so does an invocation out of time for the messages it did not
 * reach, so neither counts towards the dead-letter redrive.
 */
public final class SubmitHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private static final Logger LOG = LoggerFactory.getLogger(SubmitHandler.class);
    /** Time kept in reserve for one StartRun and its write. */
    static final long RESERVE_MILLIS = 15_000;
    /** The longest one message waits in the function for its StartRun slot. */
    static final Duration MAX_SLOT_WAIT = Duration.ofSeconds(30);

    private final SubmitService submit;
    private final RunQueue runQueue;
    private final SqsClient sqs;
    private final String runQueueUrl;
    private final PipelineMetrics metrics;
    private final DoubleSupplier startRunPace;

    public SubmitHandler() {
        this(Components.fromEnvironment());
    }

    SubmitHandler(Components components) {
        this(components.submit(), new SqsRunQueue(components.sqs(), components.settings().runQueueUrl(), 1),
                components.sqs(), components.settings().runQueueUrl(), components.metrics(), components.startRunPace());
    }

    /** For tests and the local runner: the domain service and the run queue it returns messages to. */
    public SubmitHandler(SubmitService submit, RunQueue runQueue, SqsClient sqs, String runQueueUrl) {
        this(submit, runQueue, sqs, runQueueUrl, PipelineMetrics.NONE, null);
    }

    /**
     * @param metrics      the metrics {@code submit} records, flushed once per invocation
     * @param startRunPace the shared StartRun pace, sampled once per invocation for the metrics; null for none
     */
    public SubmitHandler(SubmitService submit, RunQueue runQueue, SqsClient sqs, String runQueueUrl,
                         PipelineMetrics metrics, DoubleSupplier startRunPace) {
        this.submit = submit;
        this.runQueue = runQueue;
        this.sqs = sqs;
        this.runQueueUrl = runQueueUrl;
        this.metrics = metrics;
        this.startRunPace = startRunPace;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return PowertoolsLogging.withLogging(context, () -> {
            try {
                return handle(event, context);
            } finally {
                samplePace(event);
                metrics.flush();
            }
        });
    }

    private void samplePace(SQSEvent event) {
        if (startRunPace == null || event.getRecords() == null || event.getRecords().isEmpty()) {
            return;
        }
        try {
            metrics.pace(startRunPace.getAsDouble());
        } catch (RuntimeException e) {
            LOG.warn("StartRun pace not sampled: {}", e.toString());
        }
    }

    private SQSBatchResponse handle(SQSEvent event, Context context) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            long remaining = context == null ? Long.MAX_VALUE : context.getRemainingTimeInMillis();
            if (remaining < RESERVE_MILLIS) {
                handBack(message, failures);
                continue;
            }
            try {
                RunMessage run = RunMessage.fromJson(message.getBody());
                Duration maxWait = min(MAX_SLOT_WAIT, Duration.ofMillis(remaining - RESERVE_MILLIS));
                SubmitService.Outcome outcome = submit.submit(run, maxWait);
                if (outcome instanceof SubmitService.Outcome.RetryAfter retry) {
                    retryAfter(message, retry.delay(), failures);
                } else if (outcome instanceof SubmitService.Outcome.WaitAndRequeue wait) {
                    runQueue.sendDelayed(wait.message() != null ? wait.message() : run, wait.delay());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add(failure(message));
            } catch (RuntimeException e) {
                LOG.error("run message {} failed; it will be retried", message.getMessageId(), e);
                failures.add(failure(message));
            }
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    /**
     * Out of time: the message is sent again at once (a fresh receive count) and this copy acknowledged, so running
     * out of time never counts towards the dead-letter redrive. If it cannot be sent, it is returned instead.
     */
    private void handBack(SQSEvent.SQSMessage message, List<SQSBatchResponse.BatchItemFailure> failures) {
        try {
            runQueue.sendDelayed(RunMessage.fromJson(message.getBody()), Duration.ZERO);
        } catch (RuntimeException e) {
            LOG.warn("could not send run message {} again; returning it", message.getMessageId(), e);
            retryAfter(message, Duration.ZERO, failures);
        }
    }

    private void retryAfter(SQSEvent.SQSMessage message, Duration delay, List<SQSBatchResponse.BatchItemFailure> failures) {
        int seconds = (int) Math.min(43_200, Math.max(0, (delay.toMillis() + 999) / 1000));
        try {
            sqs.changeMessageVisibility(b -> b.queueUrl(runQueueUrl).receiptHandle(message.getReceiptHandle())
                    .visibilityTimeout(seconds));
        } catch (RuntimeException e) {
            LOG.warn("could not change the visibility of run message {}; it returns after the queue's timeout",
                    message.getMessageId(), e);
        }
        failures.add(failure(message));
    }

    private static SQSBatchResponse.BatchItemFailure failure(SQSEvent.SQSMessage message) {
        return SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(message.getMessageId()).build();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
