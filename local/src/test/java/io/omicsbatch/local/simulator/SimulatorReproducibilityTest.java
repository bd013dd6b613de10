package io.omicsbatch.local.simulator;

import static io.omicsbatch.local.simulator.SimulatorTestSupport.client;
import static io.omicsbatch.local.simulator.SimulatorTestSupport.startRun;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.local.simulator.SimulatorTestSupport.CollectingPublisher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.omics.OmicsClient;
import software.amazon.awssdk.services.omics.model.OmicsException;

/** The same seed and the same calls give the same ids, uuids, durations, failures and fault decisions. */
class SimulatorReproducibilityTest {

    private static final String CONFIG = """
            {"seed": %d, "startRunTps": 100000, "failRate": 0.4, "runDurationMillis": {"min": 10, "max": 80},
             "faults": {"internalErrorRate": 0.15, "requestTimeoutRate": 0.15, "dropEventRate": 0.2,
                        "duplicateEventRate": 0.2}}
            """;

    record Session(JsonNode truth, List<String> clientOutcomes, Map<String, List<String>> eventsPerRun) {}

    private static Session session(long seed) throws Exception {
        CollectingPublisher events = new CollectingPublisher();
        try (OmicsSimulator simulator = SimulatorTestSupport.start(CONFIG.formatted(seed), events);
             OmicsClient omics = client(simulator.endpoint())) {
            List<String> outcomes = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                // Every fourth call repeats the previous requestId: replays are part of the sequence.
                String requestId = "repro-" + (i % 4 == 3 ? i - 1 : i);
                try {
                    outcomes.add("ok " + omics.startRun(startRun(requestId).build()).id());
                } catch (OmicsException e) {
                    outcomes.add(e.awsErrorDetails().errorCode());
                }
            }
            assertThat(simulator.awaitIdle(Duration.ofSeconds(15))).isTrue();
            ObjectNode truth = simulator.groundTruth();
            Map<String, List<String>> perRun = new TreeMap<>();
            truth.path("runs").forEach(run -> perRun.put(run.path("id").asText(), events.statusesOf(run.path("id").asText())));
            // Arrival times differ from one session to the next; everything else must not.
            truth.path("startRunRequests").forEach(r -> ((ObjectNode) r).remove("receivedAtMillis"));
            return new Session(truth, outcomes, perRun);
        }
    }

    @Test
    void theSameSeedAndCallsGiveTheSameRunsFailuresAndFaults() throws Exception {
        Session first = session(20250602L);
        Session second = session(20250602L);

        assertThat(second.clientOutcomes()).isEqualTo(first.clientOutcomes());
        assertThat(second.truth()).isEqualTo(first.truth());
        assertThat(second.eventsPerRun()).isEqualTo(first.eventsPerRun());

        // The session exercised what it claims to: failures, both API faults, replays and event faults.
        JsonNode truth = first.truth();
        assertThat(truth.path("runs")).anySatisfy(run -> assertThat(run.path("status").asText()).isEqualTo("FAILED"));
        assertThat(truth.path("runs")).anySatisfy(run -> assertThat(run.path("status").asText()).isEqualTo("COMPLETED"));
        assertThat(truth.path("apiFaults").path("internalErrors").asInt()).isPositive();
        assertThat(truth.path("apiFaults").path("requestTimeouts").asInt()).isPositive();
        assertThat(truth.path("startRunRequests")).anySatisfy(r -> assertThat(r.path("outcome").asText()).isEqualTo("REPLAYED"));
        assertThat(truth.path("events").path("dropped").asInt()).isPositive();
        assertThat(truth.path("events").path("duplicated").asInt()).isPositive();
        assertThat(truth.path("runs").findValuesAsText("plannedDurationMillis").stream().distinct().count()).isGreaterThan(1);
    }

    @Test
    void anotherSeedGivesOtherIds() throws Exception {
        Session first = session(1L);
        Session second = session(2L);
        assertThat(second.truth().path("runs").findValuesAsText("id"))
                .doesNotContainAnyElementsOf(first.truth().path("runs").findValuesAsText("id"));
        assertThat(second.truth().path("seed").asLong()).isEqualTo(2L);
    }

    @Test
    void withoutASeedOneIsDrawnAndReported() throws Exception {
        try (OmicsSimulator simulator = SimulatorTestSupport.start("{}", event -> { })) {
            assertThat(simulator.config().seed()).isNotNull().isEqualTo(simulator.seed());
            assertThat(simulator.groundTruth().path("seed").asLong()).isEqualTo(simulator.seed());
        }
    }
}
