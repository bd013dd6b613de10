package io.omicsbatch.infra;

import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.events.targets.LambdaFunctionProps;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.EventInvokeConfigOptions;
import software.constructs.Construct;

/**
 * Invokes the reconcile function's alias every {@code minutes} minutes. A tick that cannot run (the function
 * is still busy: reserved concurrency 1) is dropped rather than queued: the next tick does the same work, so
 * neither EventBridge nor Lambda's asynchronous queue keeps an invocation longer than one period.
 */
public final class ReconcileSchedule extends Construct {

    /** Lambda keeps an asynchronous event at most 6 hours. */
    static final int MAX_ASYNC_EVENT_AGE_MINUTES = 360;

    private final Rule rule;

    public ReconcileSchedule(Construct scope, String id, Alias reconcileAlias, int minutes) {
        super(scope, id);
        Duration period = Duration.minutes(minutes);
        rule = Rule.Builder.create(this, "Rule")
                .description("omics-batch: reconcile runs every " + minutes + " minute" + (minutes == 1 ? "" : "s"))
                .schedule(Schedule.rate(period))
                .targets(List.of(new LambdaFunction(reconcileAlias, LambdaFunctionProps.builder()
                        .maxEventAge(period)
                        .retryAttempts(2)
                        .build())))
                .build();
        reconcileAlias.configureAsyncInvoke(EventInvokeConfigOptions.builder()
                .maxEventAge(Duration.minutes(Math.min(minutes, MAX_ASYNC_EVENT_AGE_MINUTES)))
                .retryAttempts(0)
                .build());
    }

    public Rule rule() {
        return rule;
    }
}
