package io.omicsbatch.local.simulator;

import static io.omicsbatch.local.simulator.SimulatorTestSupport.await;
import static io.omicsbatch.local.simulator.SimulatorTestSupport.client;
import static io.omicsbatch.local.simulator.SimulatorTestSupport.startRun;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.omicsbatch.local.simulator.SimulatorTestSupport.CollectingPublisher;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.omics.OmicsClient;
import software.amazon.awssdk.services.omics.model.GetRunResponse;
import software.amazon.awssdk.services.omics.model.RunStatus;
import software.amazon.awssdk.services.omics.model.StartRunResponse;

/** "Run Status Change" events: shape, one per transition, and the event faults. */
class SimulatorEventsTest {

    private static final List<String> LIFECYCLE = List.of("PENDING", "STARTING", "RUNNING", "STOPPING", "COMPLETED");
    private static final String SHORT_RUNS = "\"startRunTps\": 100000, \"runDurationMillis\": {\"min\": 30, \"max\": 60}";

    @Test
    void eventsHaveTheShapeOfTheExampleEventFieldByField() throws Exception {
        JsonNode example = SimulatorTestSupport.readJson(Files.readString(SimulatorTestSupport.repoFile("events/run-status-change.json")));
        CollectingPublisher events = new CollectingPublisher();
        try (OmicsSimulator simulator = SimulatorTestSupport.start("{" + SHORT_RUNS + "}", events);
             OmicsClient omics = client(simulator.endpoint())) {
            StartRunResponse started = omics.startRun(startRun("shape").name("wgs-germline-NA12878").build());
            assertThat(simulator.awaitIdle(Duration.ofSeconds(10))).isTrue();
            GetRunResponse run = omics.getRun(r -> r.id(started.id()));

            List<JsonNode> received = events.parsed();
            assertThat(received).hasSize(5);
            for (JsonNode event : received) {
                assertSameShape(event, example, "");
                assertThat(event.path("version").asText()).isEqualTo("0");
                assertThat(event.path("detail-type").asText()).isEqualTo("Run Status Change");
                assertThat(event.path("source").asText()).isEqualTo("aws.omics");
                assertThat(event.path("account").asText()).isEqualTo("123456789012");
                assertThat(event.path("region").asText()).isEqualTo("us-east-1");
                assertThat(event.path("time").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
                assertThat(Instant.parse(event.path("time").asText())).isNotNull();
                assertThat(event.path("id").asText()).matches("[0-9a-f-]{36}");
                assertThat(event.path("resources")).hasSize(1);
                assertThat(event.path("resources").get(0).asText()).isEqualTo(run.arn());
                JsonNode detail = event.path("detail");
                assertThat(detail.path("omicsVersion").asText()).isEqualTo(example.path("detail").path("omicsVersion").asText());
                assertThat(detail.path("arn").asText()).isEqualTo(run.arn());
                assertThat(detail.path("uuid").asText()).isEqualTo(run.uuid());
                assertThat(detail.path("runId").asText()).isEqualTo(run.id());
                assertThat(detail.path("runName").asText()).isEqualTo("wgs-germline-NA12878");
                assertThat(detail.path("runOutputUri").asText()).isEqualTo(run.runOutputUri());
                assertThat(detail.path("workflowId").asText()).isEqualTo(run.workflowId());
                assertThat(detail.path("workflowName").asText()).isNotBlank();
            }
            assertThat(received).extracting(e -> e.path("detail").path("status").asText()).containsExactlyElementsOf(LIFECYCLE);
            assertThat(received).extracting(e -> e.path("id").asText()).doesNotHaveDuplicates();
            assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(run.startTime()).isNotNull();
            assertThat(run.stopTime()).isAfterOrEqualTo(run.startTime());
        }
    }

    /** Same keys, recursively, and the same JSON types as the example. */
    private static void assertSameShape(JsonNode actual, JsonNode expected, String path) {
        assertThat(actual.getNodeType()).as("type of %s", path.isEmpty() ? "/" : path).isEqualTo(expected.getNodeType());
        if (expected.isObject()) {
            Set<String> actualKeys = new TreeSet<>();
            actual.fieldNames().forEachRemaining(actualKeys::add);
            Set<String> expectedKeys = new TreeSet<>();
            expected.fieldNames().forEachRemaining(expectedKeys::add);
            assertThat(actualKeys).as("keys of %s", path.isEmpty() ? "/" : path).isEqualTo(expectedKeys);
            Iterator<String> names = expected.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                assertSameShape(actual.get(name), expected.get(name), path + "/" + name);
            }
        } else if (expected.isArray()) {
            for (JsonNode element : actual) {
                assertSameShape(element, expected.get(0), path + "/*");
            }
        }
    }

    @Test
    void failedRunsCarryAFailureReasonAndStatusMessage() throws Exception {
        CollectingPublisher events = new CollectingPublisher();
        try (OmicsSimulator simulator = SimulatorTestSupport.start("{" + SHORT_RUNS + ", \"failRate\": 1.0}", events);
             OmicsClient omics = client(simulator.endpoint())) {
            String id = omics.startRun(startRun("fails").build()).id();
            assertThat(simulator.awaitIdle(Duration.ofSeconds(10))).isTrue();
            GetRunResponse run = omics.getRun(r -> r.id(id));
            assertThat(run.status()).isEqualTo(RunStatus.FAILED);
            assertThat(run.failureReason()).isNotBlank();
            assertThat(run.statusMessage()).isNotBlank();
            assertThat(run.stopTime()).isNotNull();
            assertThat(events.statusesOf(id)).containsExactly("PENDING", "STARTING", "RUNNING", "STOPPING", "FAILED");
            JsonNode truthRun = simulator.groundTruth().path("runs").get(0);
            assertThat(truthRun.path("status").asText()).isEqualTo("FAILED");
            assertThat(truthRun.path("failureReason").asText()).isEqualTo(run.failureReason());
        }
    }

    @Test
    void droppedEventsAreNeverDelivered() throws Exception {
        CollectingPublisher events = new CollectingPublisher();
        try (OmicsSimulator simulator = SimulatorTestSupport.start("{" + SHORT_RUNS + ", \"faults\": {\"dropEventRate\": 1.0}}", events);
             OmicsClient omics = client(simulator.endpoint())) {
            omics.startRun(startRun("dropped").build());
            assertThat(simulator.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(events.events()).isEmpty();
            JsonNode counts = simulator.groundTruth().path("events");
            assertThat(counts.path("emitted").asInt()).isEqualTo(5);
            assertThat(counts.path("dropped").asInt()).isEqualTo(5);
            assertThat(counts.path("published").asInt()).isZero();
        }
    }

    @Test
    void duplicatedEventsArriveTwiceWithTheSameId() throws Exception {
        CollectingPublisher events = new CollectingPublisher();
        try (OmicsSimulator simulator = SimulatorTestSupport.start("{" + SHORT_RUNS + ", \"faults\": {\"duplicateEventRate\": 1.0}}", events);
             OmicsClient omics = client(simulator.endpoint())) {
            String id = omics.startRun(startRun("twice").build()).id();
            assertThat(simulator.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(events.statusesOf(id)).containsExactly("PENDING", "PENDING", "STARTING", "STARTING", "RUNNING",
                    "RUNNING", "STOPPING", "STOPPING", "COMPLETED", "COMPLETED");
            List<String> ids = events.parsed().stream().map(e -> e.path("id").asText()).toList();
            assertThat(new TreeSet<>(ids)).hasSize(5);
            assertThat(simulator.groundTruth().path("events").path("duplicated").asInt()).isEqualTo(5);
        }
    }

    @Test
    void reorderedEventsOvertakeEachOtherButAllArrive() throws Exception {
        CollectingPublisher events = new CollectingPublisher();
        try (OmicsSimulator simulator = SimulatorTestSupport.start(
                "{\"seed\": 3, " + SHORT_RUNS + ", \"faults\": {\"reorderEvents\": true}}", events);
             OmicsClient omics = client(simulator.endpoint())) {
            List<String> ids = new ArrayList<>();
            // One run at a time, so that a held-back event can only be overtaken by its own run's next event.
            for (int i = 0; i < 6; i++) {
                ids.add(omics.startRun(startRun("reorder-" + i).build()).id());
                assertThat(simulator.awaitIdle(Duration.ofSeconds(10))).isTrue();
            }
            long outOfOrder = ids.stream().filter(id -> !events.statusesOf(id).equals(LIFECYCLE)).count();
            assertThat(outOfOrder).isPositive();
            for (String id : ids) {
                assertThat(events.statusesOf(id)).containsExactlyInAnyOrderElementsOf(LIFECYCLE);
            }
            assertThat(simulator.groundTruth().path("events").path("reordered").asInt()).isPositive();
        }
    }

    @Test
    void delayedEventsArriveLater() throws Exception {
        CollectingPublisher events = new CollectingPublisher();
        try (OmicsSimulator simulator = SimulatorTestSupport.start("{\"startRunTps\": 100000, "
                + "\"runDurationMillis\": {\"min\": 600000, \"max\": 600000}, "
                + "\"faults\": {\"eventDelayMillis\": {\"min\": 400, \"max\": 500}}}", events);
             OmicsClient omics = client(simulator.endpoint())) {
            String id = omics.startRun(startRun("late").build()).id();
            // Right after StartRun returned the PENDING event is still waiting its delay.
            assertThat(simulator.pendingEvents()).isEqualTo(1);
            assertThat(events.events()).isEmpty();
            await("the delayed PENDING event", Duration.ofSeconds(5), () -> events.size() == 1);
            assertThat(events.statusesOf(id)).containsExactly("PENDING");
            assertThat(simulator.pendingEvents()).isZero();
        }
    }
}
