package io.omicsbatch.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.omicsbatch.resources.FunctionJvm;
import io.omicsbatch.resources.ResourceDefinitions;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

/** The functions' environment: what FunctionSettings reads is what the stack sets, from the same resources. */
class EnvironmentTest {

    @Test
    void everyVariableTheFunctionsReadIsSetOnSomeFunction() throws Exception {
        Set<String> declared = new HashSet<>();
        for (Field field : io.omicsbatch.resources.FunctionEnvironment.class.getFields()) {
            declared.add((String) field.get(null));
        }
        assertThat(Class.forName("io.omicsbatch.functions.FunctionSettings").getField("DEFAULT_EVENT_SOURCE").get(null))
                .as("the source events:PutEvents is conditioned on").isEqualTo(OmicsBatchStack.BATCH_EVENT_SOURCE_NAME);
        assertThat(declared).contains("BATCHES_TABLE", "RUN_QUEUE_URL", "START_RUN_TPS");
        Set<String> set = new HashSet<>();
        environments(Synth.CONFIGURED).values().forEach(env -> set.addAll(env.keySet()));
        assertThat(set).containsAll(declared);
    }

    @Test
    void eachFunctionGetsItsVariables() {
        Synth synth = Synth.CONFIGURED;
        Map<String, Map<String, JsonNode>> env = environments(synth);
        String batches = synth.logicalId(synth.stack().tables().get(ResourceDefinitions.BATCHES_TABLE.name()));
        String runs = synth.logicalId(synth.stack().tables().get(ResourceDefinitions.RUNS_TABLE.name()));
        String pacing = synth.logicalId(synth.stack().tables().get(ResourceDefinitions.PACING_TABLE.name()));
        String runQueue = synth.logicalId(synth.stack().runQueues().queue());
        String intakeQueue = synth.logicalId(synth.stack().intakeQueues().queue());
        for (Map<String, JsonNode> variables : env.values()) {
            assertThat(Synth.target(variables.get("BATCHES_TABLE"))).isEqualTo(batches);
            assertThat(Synth.target(variables.get("RUNS_TABLE"))).isEqualTo(runs);
            assertThat(variables.get("BATCH_EVENT_BUS").asText()).isEqualTo("genomics-events");
            assertThat(variables.get("BATCH_EVENT_SOURCE").asText()).isEqualTo("omics-batch");
            // The JVM options the handler-start benchmark measures with, from the same constant.
            assertThat(variables.get(FunctionJvm.VARIABLE).asText()).isEqualTo(FunctionJvm.OPTIONS)
                    .contains("-XX:TieredStopAtLevel=1");
            // Every function may announce a batch, whose ARN names the partition.
            assertThat(variables.get("STACK_PARTITION").toString()).isEqualTo("{\"Ref\":\"AWS::Partition\"}");
        }
        Map<String, JsonNode> intake = env.get(OmicsBatchStack.INTAKE);
        assertThat(intake.keySet()).containsExactlyInAnyOrder("BATCHES_TABLE", "RUNS_TABLE", "BATCH_EVENT_BUS",
                "BATCH_EVENT_SOURCE", "RUN_QUEUE_URL", "INTAKE_QUEUE_URL", "START_RUN_TPS", "STACK_PARTITION",
                "STACK_ACCOUNT_ID", "OMICS_ROLE_ARNS", "RUNS_FILE_LOCATIONS", "POWERTOOLS_SERVICE_NAME", "JAVA_TOOL_OPTIONS");
        assertThat(Synth.target(intake.get("RUN_QUEUE_URL"))).isEqualTo(runQueue);
        assertThat(Synth.target(intake.get("INTAKE_QUEUE_URL"))).isEqualTo(intakeQueue);
        assertThat(intake.get("START_RUN_TPS").asText()).isEqualTo("0.5");

        Map<String, JsonNode> submit = env.get(OmicsBatchStack.SUBMIT);
        assertThat(submit.keySet()).containsExactlyInAnyOrder("BATCHES_TABLE", "RUNS_TABLE", "PACING_TABLE",
                "BATCH_EVENT_BUS", "BATCH_EVENT_SOURCE", "STACK_PARTITION", "RUN_QUEUE_URL", "START_RUN_TPS", "MAX_ATTEMPTS",
                "MAX_QUOTA_WAIT_HOURS", "POWERTOOLS_SERVICE_NAME", "JAVA_TOOL_OPTIONS");
        assertThat(Synth.target(submit.get("PACING_TABLE"))).isEqualTo(pacing);
        assertThat(submit.get("START_RUN_TPS").asText()).isEqualTo("0.5");
        assertThat(submit.get("MAX_ATTEMPTS").asText()).isEqualTo("30");
        assertThat(submit.get("MAX_QUOTA_WAIT_HOURS").asText()).isEqualTo("12");
        assertThat(environments(Synth.DEFAULT).get(OmicsBatchStack.SUBMIT).get("MAX_QUOTA_WAIT_HOURS").asText()).isEqualTo("48");

        // Every function may settle a batch's last run and write its report page, whose quota line is START_RUN_TPS.
        assertThat(env.get(OmicsBatchStack.RUN_DLQ).keySet()).containsExactlyInAnyOrder("BATCHES_TABLE", "RUNS_TABLE",
                "BATCH_EVENT_BUS", "BATCH_EVENT_SOURCE", "START_RUN_TPS", "STACK_PARTITION", "POWERTOOLS_SERVICE_NAME",
                "JAVA_TOOL_OPTIONS");
        assertThat(env.get(OmicsBatchStack.STATUS).keySet()).containsExactlyInAnyOrder("BATCHES_TABLE", "RUNS_TABLE",
                "BATCH_EVENT_BUS", "BATCH_EVENT_SOURCE", "START_RUN_TPS", "STACK_PARTITION", "POWERTOOLS_SERVICE_NAME",
                "JAVA_TOOL_OPTIONS");
        assertThat(env.get(OmicsBatchStack.STATUS).get("START_RUN_TPS").asText()).isEqualTo("0.5");
        Map<String, JsonNode> reconcile = env.get(OmicsBatchStack.RECONCILE);
        assertThat(reconcile.keySet()).containsExactlyInAnyOrder("BATCHES_TABLE", "RUNS_TABLE", "BATCH_EVENT_BUS",
                "BATCH_EVENT_SOURCE", "START_RUN_TPS", "STACK_PARTITION", "INTAKE_QUEUE_URL", "STALE_RUN_MINUTES", "GET_RUN_TPS",
                "POWERTOOLS_SERVICE_NAME", "JAVA_TOOL_OPTIONS");
        // The reconciler restarts stalled intakes through the intake queue.
        assertThat(Synth.target(reconcile.get("INTAKE_QUEUE_URL"))).isEqualTo(intakeQueue);
        assertThat(reconcile.get("STALE_RUN_MINUTES").asText()).isEqualTo("15");
        assertThat(reconcile.get("GET_RUN_TPS").asText()).isEqualTo("5");

        assertThat(environments(Synth.DEFAULT).get(OmicsBatchStack.SUBMIT).get("START_RUN_TPS").asText()).isEqualTo("1");
    }

    @Test
    void theIntakeJudgesRolesAndRunsFilesByWhatTheStackGrants() {
        // The stack's own account and partition, resolved by CloudFormation; the passable roles and runs-file
        // locations are the PassRole statement's resources and the runs-file read grants (IamTest).
        Synth.CONFIGURED.template().hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "FunctionName", "omics-batch-" + OmicsBatchStack.INTAKE,
                "Environment", Map.of("Variables", Match.objectLike(Map.of(
                        "STACK_PARTITION", Map.of("Ref", "AWS::Partition"),
                        "STACK_ACCOUNT_ID", Map.of("Ref", "AWS::AccountId"),
                        "OMICS_ROLE_ARNS", "arn:aws:iam::123456789012:role/OmicsServiceRole,"
                                + "arn:aws:iam::123456789012:role/lab/omics-*",
                        "RUNS_FILE_LOCATIONS", "s3://lab-cohorts/runs/,s3://lab-archive/"))))));
        Synth.DEFAULT.template().hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "FunctionName", "omics-batch-" + OmicsBatchStack.INTAKE,
                "Environment", Map.of("Variables", Match.objectLike(Map.of(
                        "OMICS_ROLE_ARNS", Map.of("Fn::Join", List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"),
                                ":iam::", Map.of("Ref", "AWS::AccountId"), ":role/omics-batch-*"))),
                        "STACK_ACCOUNT_ID", Map.of("Ref", "AWS::AccountId")))))));
        assertThat(environments(Synth.DEFAULT).get(OmicsBatchStack.INTAKE)).doesNotContainKey("RUNS_FILE_LOCATIONS");
        for (String other : List.of(OmicsBatchStack.SUBMIT, OmicsBatchStack.RUN_DLQ, OmicsBatchStack.STATUS,
                OmicsBatchStack.RECONCILE)) {
            assertThat(environments(Synth.CONFIGURED).get(other)).as(other)
                    .doesNotContainKeys("STACK_ACCOUNT_ID", "OMICS_ROLE_ARNS", "RUNS_FILE_LOCATIONS");
        }
    }

    @Test
    void tablesAndQueuesKeepTheSharedPhysicalNames() {
        Synth synth = Synth.DEFAULT;
        synth.stack().tables().forEach((name, table) ->
                assertThat(synth.resource(synth.logicalId(table)).path("Properties").path("TableName").asText()).isEqualTo(name));
        assertThat(synth.resource(synth.logicalId(synth.stack().runQueues().queue())).path("Properties").path("QueueName").asText())
                .isEqualTo(ResourceDefinitions.RUN_QUEUE.name());
        assertThat(synth.resource(synth.logicalId(synth.stack().intakeQueues().queue())).path("Properties").path("QueueName").asText())
                .isEqualTo(ResourceDefinitions.INTAKE_QUEUE.name());
    }

    private static Map<String, Map<String, JsonNode>> environments(Synth synth) {
        Map<String, Map<String, JsonNode>> out = new TreeMap<>();
        synth.stack().functions().forEach((name, fn) -> {
            JsonNode variables = synth.resource(synth.logicalId(fn.function())).path("Properties").path("Environment").path("Variables");
            Map<String, JsonNode> env = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = variables.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                env.put(entry.getKey(), entry.getValue());
            }
            out.put(name, env);
        });
        return out;
    }
}
