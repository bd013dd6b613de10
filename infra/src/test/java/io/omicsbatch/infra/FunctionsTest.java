package io.omicsbatch.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Map;
import java.util.zip.ZipFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every function: java21 on the shaded jar, SnapStart behind the alias 'live', its own log group, JSON logs, no tracing claimed. */
class FunctionsTest {

    private final Synth synth = Synth.DEFAULT;

    private static final Map<String, Long> TIMEOUTS = Map.of(
            OmicsBatchStack.INTAKE, 900L, OmicsBatchStack.SUBMIT, 60L, OmicsBatchStack.RUN_DLQ, 30L,
            OmicsBatchStack.STATUS, 30L, OmicsBatchStack.RECONCILE, 300L);
    private static final Map<String, String> HANDLERS = Map.of(
            OmicsBatchStack.INTAKE, "IntakeHandler", OmicsBatchStack.SUBMIT, "SubmitHandler",
            OmicsBatchStack.RUN_DLQ, "RunDeadLetterHandler", OmicsBatchStack.STATUS, "StatusHandler",
            OmicsBatchStack.RECONCILE, "ReconcileHandler");

    @ParameterizedTest
    @ValueSource(strings = {"intake", "submit", "run-dlq", "status", "reconcile"})
    void runsJava21OnTheJarWithSnapStartAndJsonLogsWithoutActiveTracing(String name) {
        OmicsBatchFunction fn = synth.stack().functions().get(name);
        String id = synth.logicalId(fn.function());
        JsonNode props = synth.resource(id).path("Properties");
        assertThat(props.path("FunctionName").asText()).isEqualTo("omics-batch-" + name);
        assertThat(props.path("Runtime").asText()).isEqualTo("java21");
        assertThat(props.path("Handler").asText()).isEqualTo("io.omicsbatch.functions." + HANDLERS.get(name) + "::handleRequest");
        assertThat(props.path("Code").path("S3Key").asText()).endsWith(".jar");
        assertThat(props.path("Timeout").asLong()).isEqualTo(TIMEOUTS.get(name));
        assertThat(props.path("SnapStart").path("ApplyOn").asText()).isEqualTo("PublishedVersions");
        // Nothing in the functions is instrumented for X-Ray: active tracing would only claim what is not there.
        assertThat(props.has("TracingConfig")).isFalse();
        assertThat(props.path("LoggingConfig").path("LogFormat").asText()).isEqualTo("JSON");
        assertThat(props.path("Environment").path("Variables").path("POWERTOOLS_SERVICE_NAME").asText())
                .isEqualTo("omics-batch-" + name);

        // Its own log group: the one the function logs to, kept a year, encrypted with the data key.
        String logGroup = Synth.target(props.path("LoggingConfig").path("LogGroup"));
        assertThat(logGroup).isEqualTo(synth.logicalId(fn.logGroup()));
        JsonNode group = synth.resource(logGroup);
        assertThat(group.path("Properties").path("RetentionInDays").asInt()).isEqualTo(365);
        assertThat(Synth.target(group.path("Properties").path("KmsKeyId"))).isEqualTo(synth.logicalId(synth.stack().dataKey().key()));
        assertThat(group.path("DeletionPolicy").asText()).isEqualTo("Retain");

        // A published version behind the alias 'live'.
        JsonNode alias = synth.resource(synth.logicalId(fn.alias()));
        assertThat(alias.path("Properties").path("Name").asText()).isEqualTo("live");
        assertThat(Synth.target(alias.path("Properties").path("FunctionName"))).isEqualTo(id);
        JsonNode version = synth.resource(Synth.target(alias.path("Properties").path("FunctionVersion")));
        assertThat(version.path("Type").asText()).isEqualTo("AWS::Lambda::Version");
        assertThat(Synth.target(version.path("Properties").path("FunctionName"))).isEqualTo(id);

        // Its own role, no managed policies.
        JsonNode role = synth.resource(Synth.target(props.path("Role")));
        assertThat(role.path("Properties").path("ManagedPolicyArns").isMissingNode()).isTrue();
        assertThat(role.path("Properties").path("AssumeRolePolicyDocument").toString()).contains("lambda.amazonaws.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"intake", "submit", "run-dlq", "status", "reconcile"})
    void theHandlerClassIsInTheJar(String name) throws IOException {
        String entry = "io/omicsbatch/functions/" + HANDLERS.get(name) + ".class";
        try (ZipFile jar = new ZipFile(FunctionsJar.locate().toFile())) {
            assertThat(jar.getEntry(entry)).as(entry).isNotNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"intake", "submit", "run-dlq", "status", "reconcile"})
    void onlyTheReconcilerReservesConcurrencyAndOnlyTheStatusFunctionHasAnAsyncDeadLetterQueue(String name) {
        JsonNode props = synth.resource(synth.logicalId(synth.stack().functions().get(name).function())).path("Properties");
        if (name.equals(OmicsBatchStack.RECONCILE)) {
            assertThat(props.path("ReservedConcurrentExecutions").asInt()).isEqualTo(1);
        } else {
            assertThat(props.has("ReservedConcurrentExecutions")).isFalse();
        }
        if (name.equals(OmicsBatchStack.STATUS)) {
            assertThat(Synth.target(props.path("DeadLetterConfig").path("TargetArn")))
                    .isEqualTo(synth.logicalId(synth.stack().statusDeadLetterQueue()));
        } else {
            assertThat(props.has("DeadLetterConfig")).isFalse();
        }
    }
}
