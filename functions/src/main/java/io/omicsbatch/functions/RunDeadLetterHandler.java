package io.omicsbatch.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.omicsbatch.batch.BatchCompletion;
import io.omicsbatch.batch.PipelineMetrics;
import io.omicsbatch.batch.RunMessage;
import io.omicsbatch.batch.RunStore;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * Consumes the run queue's dead-letter queue: a run message that could not be handled after the redrive
 * limit becomes a recorded FAILED submission, so no run is silently lost. A run already decided is left as it is.
 */
public final class RunDeadLetterHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private static final Logger LOG = LoggerFactory.getLogger(RunDeadLetterHandler.class);
    public static final String REASON = "MessageDeadLettered";

    private final RunStore runs;
    private final BatchCompletion completion;
    private final PipelineMetrics metrics;

    public RunDeadLetterHandler() {
        this(Components.fromEnvironment());
    }

    RunDeadLetterHandler(Components components) {
        this(components.runs(), components.completion(), components.metrics());
    }

    /** For tests and the local runner. */
    public RunDeadLetterHandler(RunStore runs, BatchCompletion completion) {
        this(runs, completion, PipelineMetrics.NONE);
    }

    /** @param metrics the metrics the completion check records (batch transitions), flushed once per invocation */
    public RunDeadLetterHandler(RunStore runs, BatchCompletion completion, PipelineMetrics metrics) {
        this.runs = runs;
        this.completion = completion;
        this.metrics = metrics;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return PowertoolsLogging.withLogging(context, () -> {
            try {
                return handle(event);
            } finally {
                metrics.flush();
            }
        });
    }

    private SQSBatchResponse handle(SQSEvent event) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            try {
                RunMessage run = RunMessage.fromJson(message.getBody());
                String receives = message.getAttributes() == null ? null : message.getAttributes().get("ApproximateReceiveCount");
                boolean recorded = runs.recordSubmissionFailed(run.batchId(), run.runSettingId(), REASON,
                        "the run message was dead-lettered after " + (receives == null ? "repeated" : receives)
                                + " deliveries without a submission outcome; see the submit function's logs");
                if (recorded) {
                    LOG.warn("a run of batch {} was dead-lettered and recorded as a failed submission", run.batchId());
                }
                completion.check(run.batchId()); // also on a redelivery: the first check may have failed
            } catch (IllegalArgumentException e) {
                LOG.error("dead-lettered message {} is not a run message; dropping it", message.getMessageId());
            } catch (RuntimeException e) {
                LOG.error("dead-lettered message {} could not be recorded; it will be retried", message.getMessageId(), e);
                failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(message.getMessageId()).build());
            }
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }
}
