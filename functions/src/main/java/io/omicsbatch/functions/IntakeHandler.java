package io.omicsbatch.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.omicsbatch.intake.IntakeQueue;
import io.omicsbatch.intake.IntakeService;
import io.omicsbatch.batch.PipelineMetrics;
import io.omicsbatch.batch.S3Notifications;
import io.omicsbatch.batch.S3ObjectRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * Consumes the intake queue: S3 ObjectCreated notifications of {@code batches/*.json} (the s3:TestEvent is
 * acknowledged and ignored) and the intake's own continuation messages. An expansion that runs short of time
 * queues a continuation and stops; the next invocation resumes from the checkpoint. A delivery that finds another
 * invocation expanding the batch (BUSY) is acknowledged: that invocation finishes, or its own message comes back
 * after the visibility timeout, when its lease has lapsed.
 */
public final class IntakeHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private static final Logger LOG = LoggerFactory.getLogger(IntakeHandler.class);
    /** Time kept in reserve to finish a chunk and queue the continuation. */
    static final long RESERVE_MILLIS = 60_000;

    private final IntakeService intake;
    private final IntakeQueue intakeQueue;
    private final PipelineMetrics metrics;

    public IntakeHandler() {
        this(Components.fromEnvironment());
    }

    IntakeHandler(Components components) {
        this(components.intake(), components.intakeQueue(), components.metrics());
    }

    /** For tests and the local runner: the domain service and where continuations go. */
    public IntakeHandler(IntakeService intake, IntakeQueue intakeQueue) {
        this(intake, intakeQueue, PipelineMetrics.NONE);
    }

    /** @param metrics the metrics {@code intake} records (batch transitions), flushed once per invocation */
    public IntakeHandler(IntakeService intake, IntakeQueue intakeQueue, PipelineMetrics metrics) {
        this.intake = intake;
        this.intakeQueue = intakeQueue;
        this.metrics = metrics;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return PowertoolsLogging.withLogging(context, () -> {
            try {
                return handle(event, context);
            } finally {
                metrics.flush();
            }
        });
    }

    private SQSBatchResponse handle(SQSEvent event, Context context) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        // The expansion lease lapses when this invocation must have ended, even if a timeout kills it first.
        Instant invocationEnd = context == null ? null : Instant.now().plusMillis(context.getRemainingTimeInMillis());
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            try {
                for (S3ObjectRef object : S3Notifications.settingsObjects(message.getBody())) {
                    IntakeService.Result result = context == null
                            ? intake.handle(object, () -> true)
                            : intake.handle(object, () -> context.getRemainingTimeInMillis() > RESERVE_MILLIS,
                                    invocationEnd);
                    LOG.info("batch {}: {}", result.batchId(), result.outcome());
                    if (result.outcome() == IntakeService.Outcome.INTERRUPTED) {
                        intakeQueue.resume(object);
                    }
                }
            } catch (RuntimeException e) {
                LOG.error("intake message {} failed; it will be retried", message.getMessageId(), e);
                failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(message.getMessageId()).build());
            }
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }
}
