package io.omicsbatch.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.omicsbatch.batch.PipelineMetrics;
import io.omicsbatch.batch.RunStatusEvent;
import io.omicsbatch.batch.StatusService;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * Target of the EventBridge rule on HealthOmics "Run Status Change" events: one event per invocation, applied
 * to the run's record and its batch's counts. An exception fails the invocation, and EventBridge's retry policy
 * (then its dead-letter queue, then the reconciler) takes over; applying the same event again changes nothing.
 */
public final class StatusHandler implements RequestHandler<ScheduledEvent, String> {

    private static final Logger LOG = LoggerFactory.getLogger(StatusHandler.class);

    private final StatusService status;
    private final PipelineMetrics metrics;

    public StatusHandler() {
        this(Components.fromEnvironment());
    }

    StatusHandler(Components components) {
        this(components.status(), components.metrics());
    }

    /** For tests and the local runner. */
    public StatusHandler(StatusService status) {
        this(status, PipelineMetrics.NONE);
    }

    /** @param metrics the metrics {@code status} records (batch transitions), flushed once per invocation */
    public StatusHandler(StatusService status, PipelineMetrics metrics) {
        this.status = status;
        this.metrics = metrics;
    }

    @Override
    public String handleRequest(ScheduledEvent event, Context context) {
        return PowertoolsLogging.withLogging(context, () -> {
            try {
                return handle(event);
            } finally {
                metrics.flush();
            }
        });
    }

    private String handle(ScheduledEvent event) {
        Optional<RunStatusEvent> run = RunStatusEvent.fromDetail(event.getDetail());
        if (run.isEmpty()) {
            LOG.warn("event {} ({} / {}) names no run; ignored", event.getId(), event.getSource(), event.getDetailType());
            return "IGNORED";
        }
        StatusService.Outcome outcome = status.onEvent(run.get());
        // Run ids and statuses only: no run name, parameter or sample identifier above DEBUG.
        LOG.info("run {} {}: {}", run.get().runId(), run.get().status(), outcome);
        return outcome.name();
    }
}
