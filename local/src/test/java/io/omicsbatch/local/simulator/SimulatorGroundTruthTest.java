package io.omicsbatch.local.simulator;

import static io.omicsbatch.local.simulator.SimulatorTestSupport.OTHER_ACCOUNT_ROLE;
import static io.omicsbatch.local.simulator.SimulatorTestSupport.client;
import static io.omicsbatch.local.simulator.SimulatorTestSupport.startRun;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import io.omicsbatch.local.simulator.SimulatorTestSupport.FakeTime;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.omics.OmicsClient;

/** groundTruth() is the report's {@code simulator} object (docs/local.md, "The run report"), field names fixed. */
class SimulatorGroundTruthTest {

    /** The {@code simulator} object of the report contract, verbatim. */
    private static final String CONTRACT = """
            {"startRunCalls": 0, "throttledCalls": 0, "runsCreated": 0,
             "startRunRequests": [{"receivedAtMillis": 0, "requestId": "", "outcome": "CREATED", "body": {}}],
             "runs": [{"id": "", "uuid": "", "requestId": "", "status": "COMPLETED", "failureReason": null}]}
            """;

    @Test
    void everyFieldOfTheContractIsThereWithItsType() throws Exception {
        FakeTime time = new FakeTime();
        try (OmicsSimulator simulator = OmicsSimulator.builder()
                .config(SimulatorConfig.parse("{\"startRunTps\": 1, \"maxActiveRuns\": 1, \"runDurationMillis\": {\"min\": 600000, \"max\": 600000}}"))
                .clock(time.clock()).nanoTime(time::nanoTime).start();
             OmicsClient omics = client(simulator.endpoint())) {
            String id = omics.startRun(startRun("gt-1").build()).id();
            catchThrowable(() -> omics.startRun(startRun("gt-2").build())); // THROTTLED
            time.advanceMillis(1000);
            omics.startRun(startRun("gt-1").build()); // REPLAYED
            time.advanceMillis(1000);
            catchThrowable(() -> omics.startRun(startRun("gt-3").build())); // QUOTA_EXCEEDED
            time.advanceMillis(1000);
            catchThrowable(() -> omics.startRun(startRun("gt-4").roleArn(OTHER_ACCOUNT_ROLE).build())); // REJECTED
            omics.cancelRun(r -> r.id(id));
            SimulatorTestSupport.await("the cancelled run CANCELLED", java.time.Duration.ofSeconds(5),
                    () -> simulator.groundTruth().path("runs").get(0).path("status").asText().equals("CANCELLED"));

            JsonNode truth = simulator.groundTruth();
            assertContractShape(truth, SimulatorTestSupport.readJson(CONTRACT), "");
            assertThat(truth.path("startRunCalls").asInt()).isEqualTo(5);
            assertThat(truth.path("throttledCalls").asInt()).isEqualTo(1);
            assertThat(truth.path("runsCreated").asInt()).isEqualTo(1);
            assertThat(truth.path("startRunRequests").findValuesAsText("outcome"))
                    .containsExactly("CREATED", "THROTTLED", "REPLAYED", "QUOTA_EXCEEDED", "REJECTED");
            assertThat(truth.path("startRunRequests").findValuesAsText("receivedAtMillis").stream().map(Long::parseLong).toList())
                    .containsExactly(1748869200000L, 1748869200000L, 1748869201000L, 1748869202000L, 1748869203000L);
            assertThat(truth.path("startRunRequests").get(0).path("body").path("requestId").asText()).isEqualTo("gt-1");
            JsonNode run = truth.path("runs").get(0);
            assertThat(run.path("id").asText()).isEqualTo(id);
            assertThat(run.path("requestId").asText()).isEqualTo("gt-1");
            assertThat(run.path("status").asText()).isEqualTo("CANCELLED");
            assertThat(run.path("failureReason").isNull()).isTrue();
        }
    }

    /** Every contract field is present; non-null contract values keep their JSON type (more fields allowed). */
    private static void assertContractShape(JsonNode actual, JsonNode contract, String path) {
        if (contract.isObject()) {
            assertThat(actual.isObject()).as("%s is an object", path).isTrue();
            Iterator<Map.Entry<String, JsonNode>> fields = contract.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                assertThat(actual.has(field.getKey())).as("%s/%s is present", path, field.getKey()).isTrue();
                assertContractShape(actual.get(field.getKey()), field.getValue(), path + "/" + field.getKey());
            }
        } else if (contract.isArray()) {
            assertThat(actual.isArray()).as("%s is an array", path).isTrue();
            assertThat(actual).as("%s has entries", path).isNotEmpty();
            actual.forEach(element -> assertContractShape(element, contract.get(0), path + "/*"));
        } else if (contract.getNodeType() != JsonNodeType.NULL) {
            assertThat(actual.getNodeType()).as("type of %s", path).isEqualTo(contract.getNodeType());
        }
    }
}
