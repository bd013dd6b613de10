package io.omicsbatch.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.omicsbatch.batch.PipelineMetrics;
import io.omicsbatch.batch.ReconcileService;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * Runs on a schedule (reserved concurrency 1): one reconciliation pass, stopping early enough before the
 * function's timeout; whatever is left is picked up by the next pass.
 */
public final class ReconcileHandler implements RequestHandler<ScheduledEvent, ReconcileService.Report> {

    /** Time kept in reserve to finish the run at hand. */
    static final long RESERVE_MILLIS = 30_000;

    private final ReconcileService reconcile;
    private final PipelineMetrics metrics;

    public ReconcileHandler() {
        this(Components.fromEnvironment());
    }

    ReconcileHandler(Components components) {
        this(components.reconcile(), components.metrics());
    }

    /** For tests and the local runner. */
    public ReconcileHandler(ReconcileService reconcile) {
        this(reconcile, PipelineMetrics.NONE);
    }

    /** @param metrics the metrics {@code reconcile} records (batch transitions), flushed once per invocation */
    public ReconcileHandler(ReconcileService reconcile, PipelineMetrics metrics) {
        this.reconcile = reconcile;
        this.metrics = metrics;
    }

    @Override
    public ReconcileService.Report handleRequest(ScheduledEvent event, Context context) {
        return PowertoolsLogging.withLogging(context, () -> {
            try {
                return reconcile.reconcile(() -> context == null || context.getRemainingTimeInMillis() > RESERVE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("reconciliation interrupted", e);
            } finally {
                metrics.flush();
            }
        });
    }
}
