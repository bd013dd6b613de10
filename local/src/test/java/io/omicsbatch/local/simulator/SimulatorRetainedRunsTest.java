package io.omicsbatch.local.simulator;

import static io.omicsbatch.local.simulator.SimulatorTestSupport.await;
import static io.omicsbatch.local.simulator.SimulatorTestSupport.client;
import static io.omicsbatch.local.simulator.SimulatorTestSupport.startRun;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.omicsbatch.local.simulator.SimulatorTestSupport.CollectingPublisher;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.omics.OmicsClient;
import software.amazon.awssdk.services.omics.model.ResourceNotFoundException;
import software.amazon.awssdk.services.omics.model.RunRetentionMode;
import software.amazon.awssdk.services.omics.model.ServiceQuotaExceededException;
import software.amazon.awssdk.services.omics.model.StartRunResponse;

/**
 * The retained-runs quota ({@code maxRetainedRuns}): RETAIN runs count until deleted, so StartRun is
 * ServiceQuotaExceeded until a run is deleted; ended REMOVE runs are deleted, oldest first, to make room, with their
 * DELETED event, and their ids go to the new runs. Runs are long and ended by CancelRun, so the test decides.
 */
class SimulatorRetainedRunsTest {

    private static final String CONFIG = "{\"startRunTps\": 100000, \"maxRetainedRuns\": 3, "
            + "\"runDurationMillis\": {\"min\": 600000, \"max\": 600000}}";

    @Test
    void retainedRunsCountUntilDeletedAndADeletedRunsIdGoesToTheNextRun() throws Exception {
        CollectingPublisher events = new CollectingPublisher();
        try (OmicsSimulator simulator = SimulatorTestSupport.start(CONFIG, events);
             OmicsClient omics = client(simulator.endpoint())) {
            StartRunResponse first = omics.startRun(startRun("keep-0").build()); // RETAIN, the default
            omics.startRun(startRun("keep-1").retentionMode(RunRetentionMode.RETAIN).build());
            omics.startRun(startRun("keep-2").build());
            assertThatThrownBy(() -> omics.startRun(startRun("keep-3").build()))
                    .isInstanceOf(ServiceQuotaExceededException.class).hasMessageContaining("retained runs (3)");

            // Ended is not enough: a RETAIN run counts until it is deleted.
            cancelled(omics, first.id());
            assertThatThrownBy(() -> omics.startRun(startRun("keep-3").build()))
                    .isInstanceOf(ServiceQuotaExceededException.class);
            omics.deleteRun(r -> r.id(first.id()));
            assertThatThrownBy(() -> omics.getRun(r -> r.id(first.id()))).isInstanceOf(ResourceNotFoundException.class);

            StartRunResponse next = omics.startRun(startRun("keep-3").build());
            assertThat(next.id()).isEqualTo(first.id());
            assertThat(next.uuid()).isNotEqualTo(first.uuid());
            assertThat(omics.getRun(r -> r.id(first.id())).uuid()).isEqualTo(next.uuid());
            await("the DELETED event", Duration.ofSeconds(5), () -> events.statusesOf(first.id()).contains("DELETED"));
            assertThat(statusesOfUuid(events, first.uuid())).containsExactly("PENDING", "STOPPING", "CANCELLED", "DELETED");
            assertThat(statusesOfUuid(events, next.uuid())).containsExactly("PENDING");
            JsonNode truth = simulator.groundTruth();
            assertThat(truth.path("quotaExceededCalls").asInt()).isEqualTo(2);
            assertThat(truth.path("retainedRuns").asInt()).isEqualTo(3);
            assertThat(truth.path("runsDeleted").asInt()).isEqualTo(1);
            assertThat(simulator.startRunCalls()).extracting(OmicsSimulator.StartRunCallRecord::outcome)
                    .containsExactly("CREATED", "CREATED", "CREATED", "QUOTA_EXCEEDED", "QUOTA_EXCEEDED", "CREATED");
        }
    }

    @Test
    void theOldestEndedRemoveRunsAreDeletedToMakeRoomAndTheirIdsReused() throws Exception {
        CollectingPublisher events = new CollectingPublisher();
        try (OmicsSimulator simulator = SimulatorTestSupport.start(CONFIG, events);
             OmicsClient omics = client(simulator.endpoint())) {
            StartRunResponse oldest = omics.startRun(remove("r-0"));
            StartRunResponse retained = omics.startRun(startRun("r-1").build());
            StartRunResponse newer = omics.startRun(remove("r-2"));
            // Nothing has ended: nothing can be deleted, REMOVE or not.
            assertThatThrownBy(() -> omics.startRun(remove("r-3"))).isInstanceOf(ServiceQuotaExceededException.class);

            cancelled(omics, newer.id());
            cancelled(omics, retained.id());
            cancelled(omics, oldest.id());
            StartRunResponse third = omics.startRun(remove("r-3")); // the oldest ended REMOVE run makes room
            StartRunResponse fourth = omics.startRun(startRun("r-4").build());

            assertThat(third.id()).isEqualTo(oldest.id());
            assertThat(fourth.id()).isEqualTo(newer.id());
            assertThat(omics.getRun(r -> r.id(oldest.id())).uuid()).isEqualTo(third.uuid());
            assertThat(omics.getRun(r -> r.id(retained.id())).statusAsString()).isEqualTo("CANCELLED");
            // Only the ended RETAIN run is left, and it is not deleted for anyone.
            assertThatThrownBy(() -> omics.startRun(remove("r-5"))).isInstanceOf(ServiceQuotaExceededException.class);
            await("the DELETED events", Duration.ofSeconds(5), () -> statusesOfUuid(events, newer.uuid()).contains("DELETED"));
            for (StartRunResponse deleted : List.of(oldest, newer)) {
                assertThat(statusesOfUuid(events, deleted.uuid())).containsExactly("PENDING", "STOPPING", "CANCELLED", "DELETED");
            }
            assertThat(statusesOfUuid(events, retained.uuid())).containsExactly("PENDING", "STOPPING", "CANCELLED");
            // The deleted run's request is still answered with that run, now DELETED, never with its successor.
            StartRunResponse replay = omics.startRun(remove("r-0"));
            assertThat(replay.uuid()).isEqualTo(oldest.uuid());
            assertThat(replay.statusAsString()).isEqualTo("DELETED");
            assertThat(omics.listRuns(r -> { }).items()).extracting(item -> item.id())
                    .containsExactlyInAnyOrder(retained.id(), third.id(), fourth.id());

            JsonNode truth = simulator.groundTruth();
            assertThat(truth.path("runsDeleted").asInt()).isEqualTo(2);
            assertThat(truth.path("retainedRuns").asInt()).isEqualTo(3);
            assertThat(truth.path("quotaExceededCalls").asInt()).isEqualTo(2);
            JsonNode oldestTruth = run(truth, r -> r.path("uuid").asText().equals(oldest.uuid()));
            assertThat(oldestTruth.path("status").asText()).isEqualTo("DELETED");
            assertThat(oldestTruth.path("statusBeforeDeletion").asText()).isEqualTo("CANCELLED");
            assertThat(run(truth, r -> r.path("uuid").asText().equals(third.uuid())).path("id").asText())
                    .isEqualTo(oldest.id());
        }
    }

    private static software.amazon.awssdk.services.omics.model.StartRunRequest remove(String requestId) {
        return startRun(requestId).retentionMode(RunRetentionMode.REMOVE).build();
    }

    private static List<String> statusesOfUuid(CollectingPublisher events, String uuid) {
        return events.parsed().stream().filter(e -> e.path("detail").path("uuid").asText().equals(uuid))
                .map(e -> e.path("detail").path("status").asText()).toList();
    }

    private static JsonNode run(JsonNode truth, Predicate<JsonNode> which) {
        for (JsonNode run : truth.path("runs")) {
            if (which.test(run)) {
                return run;
            }
        }
        throw new AssertionError("no such run in the ground truth");
    }

    /** CancelRun, then the run's end: STOPPING at once, CANCELLED shortly after, as the service does. */
    private static void cancelled(OmicsClient omics, String runId) {
        omics.cancelRun(r -> r.id(runId));
        await("run " + runId + " CANCELLED", Duration.ofSeconds(5),
                () -> "CANCELLED".equals(omics.getRun(r -> r.id(runId)).statusAsString()));
    }
}
