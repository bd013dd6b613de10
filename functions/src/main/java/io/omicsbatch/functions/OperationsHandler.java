package io.omicsbatch.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.omicsbatch.batch.S3Notifications;
import io.omicsbatch.batch.PipelineMetrics;
import io.omicsbatch.batch.S3ObjectRef;
import io.omicsbatch.operations.OperationQueue;
import io.omicsbatch.operations.OperationResult;
import io.omicsbatch.operations.OperationService;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * Consumes the operations queue: S3 ObjectCreated notifications of the request documents under cancel/,
 * delete-runs/, delete-batch/ and resubmit/, and the operations' own continuations. An operation that is not finished
 * (submissions in flight, time running out) queues a continuation and its message is acknowledged; a failure
 * returns the message, which SQS delivers again (every operation is idempotent).
 */
public final class OperationsHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private static final Logger LOG = LoggerFactory.getLogger(OperationsHandler.class);
    /** Time kept in reserve to record the last outcome and queue the continuation. */
    static final long RESERVE_MILLIS = 30_000;

    private final OperationService operations;
    private final OperationQueue queue;
    private final PipelineMetrics metrics;

    public OperationsHandler() {
        this(Components.fromEnvironment());
    }

    OperationsHandler(Components components) {
        this(components.operations(), components.operationQueue(), components.metrics());
    }

    /** For tests and the local runner: the domain service and where continuations go. */
    public OperationsHandler(OperationService operations, OperationQueue queue) {
        this(operations, queue, PipelineMetrics.NONE);
    }

    /** @param metrics the metrics the operations record (batch transitions), flushed once per invocation */
    public OperationsHandler(OperationService operations, OperationQueue queue, PipelineMetrics metrics) {
        this.operations = operations;
        this.queue = queue;
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
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            try {
                for (S3ObjectRef request : S3Notifications.requestObjects(message.getBody())) {
                    OperationResult result = operations.handle(request,
                            () -> context == null || context.getRemainingTimeInMillis() > RESERVE_MILLIS);
                    if (result.outcome() == OperationResult.Outcome.CONTINUE) {
                        queue.resume(request, result.retryAfter());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(message.getMessageId()).build());
            } catch (RuntimeException e) {
                LOG.error("operation message {} failed; it will be retried", message.getMessageId(), e);
                failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(message.getMessageId()).build());
            }
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }
}
