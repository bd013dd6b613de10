package io.omicsbatch.infra;

import io.omicsbatch.resources.ResourceDefinitions;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.events.targets.LambdaFunctionProps;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/**
 * HealthOmics "Run Status Change" events on the default bus ({@link ResourceDefinitions#RUN_STATUS_CHANGE_PATTERN})
 * to the status function's alias. EventBridge retries delivery for {@link #MAX_EVENT_AGE} ({@value #RETRY_ATTEMPTS}
 * attempts, its maximum) and then puts the event in the dead-letter queue, from which it can be replayed; the
 * reconciler catches up on any event lost anyway.
 */
public final class RunStatusRule extends Construct {

    public static final Duration MAX_EVENT_AGE = Duration.hours(24);
    public static final int RETRY_ATTEMPTS = 185;

    private final Rule rule;

    public RunStatusRule(Construct scope, String id, IFunction statusFunction, IQueue deadLetterQueue) {
        super(scope, id);
        rule = Rule.Builder.create(this, "Rule")
                .description("omics-batch: HealthOmics run status changes to the status function")
                .eventPattern(EventPatterns.fromJson(ResourceDefinitions.RUN_STATUS_CHANGE_PATTERN))
                .targets(List.of(new LambdaFunction(statusFunction, LambdaFunctionProps.builder()
                        .deadLetterQueue(deadLetterQueue)
                        .maxEventAge(MAX_EVENT_AGE)
                        .retryAttempts(RETRY_ATTEMPTS)
                        .build())))
                .build();
    }

    public Rule rule() {
        return rule;
    }
}
