package io.omicsbatch.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.omicsbatch.resources.ResourceDefinitions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Event source mappings, the run-status rule and the reconcile schedule, all on the 'live' aliases. */
class TriggersTest {

    private final Synth synth = Synth.DEFAULT;

    @Test
    void eachQueueFeedsItsFunctionsAliasWithPartialBatchResponsesAndBoundedConcurrency() {
        OmicsBatchStack stack = synth.stack();
        Map<String, JsonNode> mappings = synth.resources("AWS::Lambda::EventSourceMapping");
        assertThat(mappings).hasSize(4);
        expectMapping(mappings, stack.intakeQueues().queue(), OmicsBatchStack.INTAKE, 1, 2);
        expectMapping(mappings, stack.runQueues().queue(), OmicsBatchStack.SUBMIT, 10, 2);
        expectMapping(mappings, stack.runQueues().deadLetterQueue(), OmicsBatchStack.RUN_DLQ, 10, 2);
        expectMapping(mappings, stack.operationQueues().queue(), OmicsBatchStack.OPERATIONS, 1, 2);

        JsonNode configured = Synth.CONFIGURED.resources("AWS::Lambda::EventSourceMapping").values().stream()
                .filter(m -> Synth.target(m.path("Properties").path("EventSourceArn"))
                        .equals(Synth.CONFIGURED.logicalId(Synth.CONFIGURED.stack().runQueues().queue())))
                .findFirst().orElseThrow();
        assertThat(configured.path("Properties").path("ScalingConfig").path("MaximumConcurrency").asInt()).isEqualTo(4);
    }

    @Test
    void everyConsumedQueueHidesAMessageAtLeastSixTimesItsConsumersTimeout() {
        for (JsonNode mapping : synth.resources("AWS::Lambda::EventSourceMapping").values()) {
            JsonNode queue = synth.resource(Synth.target(mapping.path("Properties").path("EventSourceArn")));
            JsonNode function = synth.resource(aliasedFunction(mapping));
            long visibility = queue.path("Properties").path("VisibilityTimeout").asLong(30);
            long timeout = function.path("Properties").path("Timeout").asLong();
            assertThat(visibility).as(queue.path("Properties").path("QueueName").asText())
                    .isGreaterThanOrEqualTo(6 * timeout);
        }
    }

    @Test
    void theRunStatusRuleIsTheSharedPatternToTheStatusAliasWithRetriesAndADeadLetterQueue() throws Exception {
        JsonNode rule = synth.resource(synth.logicalId(synth.stack().runStatusRule().rule()));
        JsonNode props = rule.path("Properties");
        assertThat(props.path("EventBusName").isMissingNode()).as("the default bus").isTrue();
        assertThat(props.path("EventPattern"))
                .isEqualTo(new ObjectMapper().readTree(ResourceDefinitions.RUN_STATUS_CHANGE_PATTERN));
        assertThat(props.path("Targets")).hasSize(1);
        JsonNode target = props.path("Targets").get(0);
        assertThat(Synth.target(target.path("Arn"))).isEqualTo(synth.logicalId(synth.stack().functions().get(OmicsBatchStack.STATUS).alias()));
        assertThat(target.path("RetryPolicy").path("MaximumEventAgeInSeconds").asInt()).isEqualTo(24 * 3600);
        assertThat(target.path("RetryPolicy").path("MaximumRetryAttempts").asInt()).isEqualTo(185);
        assertThat(Synth.target(target.path("DeadLetterConfig").path("Arn")))
                .isEqualTo(synth.logicalId(synth.stack().statusDeadLetterQueue()));
        // EventBridge may invoke the alias, and send to the DLQ (only from this rule).
        assertPermission(synth.logicalId(synth.stack().functions().get(OmicsBatchStack.STATUS).alias()), "events.amazonaws.com");
    }

    @Test
    void theReconcileScheduleInvokesTheReconcileAliasEveryPeriodAndDropsTicksItCannotRun() {
        for (Synth s : List.of(Synth.DEFAULT, Synth.CONFIGURED)) {
            int minutes = s.stack().config().reconcileMinutes();
            JsonNode props = s.resource(s.logicalId(s.stack().reconcileSchedule().rule())).path("Properties");
            assertThat(props.path("ScheduleExpression").asText()).isEqualTo("rate(" + minutes + " minutes)");
            JsonNode target = props.path("Targets").get(0);
            String alias = s.logicalId(s.stack().functions().get(OmicsBatchStack.RECONCILE).alias());
            assertThat(Synth.target(target.path("Arn"))).isEqualTo(alias);
            assertThat(target.path("RetryPolicy").path("MaximumEventAgeInSeconds").asInt()).isEqualTo(minutes * 60);
            JsonNode asyncConfig = s.resources("AWS::Lambda::EventInvokeConfig").values().iterator().next().path("Properties");
            assertThat(asyncConfig.path("MaximumRetryAttempts").asInt()).isZero();
            assertThat(asyncConfig.path("MaximumEventAgeInSeconds").asInt()).isEqualTo(Math.min(minutes, 360) * 60);
            assertThat(Synth.references(asyncConfig.path("Qualifier"))).containsExactly(alias);
        }
        assertThat(Synth.DEFAULT.stack().config().reconcileMinutes()).isEqualTo(5);
    }

    @Test
    void aDailyReconcileKeepsItsAsynchronousEventsNoLongerThanLambdaAllows() {
        software.amazon.awscdk.Stack stack = new software.amazon.awscdk.Stack(new software.amazon.awscdk.App(), "Daily");
        software.amazon.awscdk.services.lambda.Function fn = software.amazon.awscdk.services.lambda.Function.Builder.create(stack, "Fn")
                .runtime(software.amazon.awscdk.services.lambda.Runtime.PYTHON_3_12).handler("index.handler")
                .code(software.amazon.awscdk.services.lambda.Code.fromInline("def handler(e, c): pass")).build();
        software.amazon.awscdk.services.lambda.Alias alias = software.amazon.awscdk.services.lambda.Alias.Builder.create(stack, "Live")
                .aliasName("live").version(fn.getCurrentVersion()).build();
        new ReconcileSchedule(stack, "Schedule", alias, 1440);
        software.amazon.awscdk.assertions.Template template = software.amazon.awscdk.assertions.Template.fromStack(stack);
        template.hasResourceProperties("AWS::Lambda::EventInvokeConfig", Map.of(
                "MaximumEventAgeInSeconds", 6 * 3600, "MaximumRetryAttempts", 0));
        template.hasResourceProperties("AWS::Events::Rule", Map.of("ScheduleExpression", "rate(1 day)"));
    }

    @Test
    void noTriggerInvokesAnUnqualifiedFunction() {
        Map<String, JsonNode> functions = synth.resources("AWS::Lambda::Function");
        for (JsonNode permission : synth.resources("AWS::Lambda::Permission").values()) {
            String target = Synth.target(permission.path("Properties").path("FunctionName"));
            assertThat(synth.resource(target).path("Type").asText()).as("permission on " + target).isEqualTo("AWS::Lambda::Alias");
        }
        for (JsonNode mapping : synth.resources("AWS::Lambda::EventSourceMapping").values()) {
            assertThat(Synth.references(mapping.path("Properties").path("FunctionName")))
                    .allMatch(id -> synth.resource(id).path("Type").asText().equals("AWS::Lambda::Alias"));
        }
        for (JsonNode rule : synth.resources("AWS::Events::Rule").values()) {
            for (JsonNode target : rule.path("Properties").path("Targets")) {
                assertThat(functions).doesNotContainKey(Synth.target(target.path("Arn")));
            }
        }
    }

    private void expectMapping(Map<String, JsonNode> mappings, software.constructs.IConstruct queue, String function,
                               int batchSize, int maxConcurrency) {
        String queueId = synth.logicalId(queue);
        JsonNode mapping = mappings.values().stream()
                .filter(m -> Synth.target(m.path("Properties").path("EventSourceArn")).equals(queueId))
                .findFirst().orElseThrow(() -> new AssertionError("no mapping from " + queueId));
        JsonNode props = mapping.path("Properties");
        assertThat(props.path("BatchSize").asInt()).isEqualTo(batchSize);
        assertThat(Synth.strings(props.path("FunctionResponseTypes"))).containsExactly("ReportBatchItemFailures");
        assertThat(props.path("ScalingConfig").path("MaximumConcurrency").asInt()).isEqualTo(maxConcurrency);
        assertThat(Synth.references(props.path("FunctionName")))
                .containsExactly(synth.logicalId(synth.stack().functions().get(function).alias()));
    }

    private String aliasedFunction(JsonNode mapping) {
        List<String> refs = Synth.references(mapping.path("Properties").path("FunctionName"));
        assertThat(refs).hasSize(1);
        JsonNode alias = synth.resource(refs.get(0));
        return Synth.target(alias.path("Properties").path("FunctionName"));
    }

    private void assertPermission(String aliasId, String principal) {
        assertThat(synth.resources("AWS::Lambda::Permission").values()).anySatisfy(p -> {
            assertThat(Synth.target(p.path("Properties").path("FunctionName"))).isEqualTo(aliasId);
            assertThat(p.path("Properties").path("Principal").asText()).isEqualTo(principal);
        });
    }
}
