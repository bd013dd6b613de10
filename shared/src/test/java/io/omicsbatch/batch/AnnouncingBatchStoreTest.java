package io.omicsbatch.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.testing.RecordingBatchEvents;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Batch events published by the transitions themselves, on the in-memory ports. */
class AnnouncingBatchStoreTest {

    private final InMemoryDeployment world = new InMemoryDeployment();

    @Test
    void everyTransitionPublishesItsStatusOnceAndClearsItFromTheOutbox() {
        world.submittingBatch("b1", 1, true);
        world.submitted("b1", "S0");
        world.batches.markInProgressIfAllSubmitted("b1");
        RunRecord run = world.run("b1", "S0");
        world.runs.applyChange(run, new RunChange(RunStatus.COMPLETED, null, null, null, null, null, null, null, null));
        world.completion.check("b1");

        assertThat(world.events.statuses("b1"))
                .containsExactly("CREATING", "PENDING", "SUBMITTING", "INPROGRESS", "PROCESSED");
        assertThat(world.batch("b1").unannouncedStatuses()).isEmpty();
        ObjectNode processed = world.events.published().get(4).detail();
        assertThat(processed.path("totalRuns").textValue()).isEqualTo("1");
        assertThat(processed.path("successfulStartSubmissionCount").textValue()).isEqualTo("1");
        assertThat(processed.path("completedRunCount").textValue()).isEqualTo("1");
        assertThat(processed.path("resultsUri").asText())
                .isEqualTo("s3://" + InMemoryDeployment.SETTINGS_BUCKET + "/results/b1/runs.csv");
        assertThat(processed.has("currentStatus")).isFalse();
    }

    @Test
    void aFailedBatchsEventCarriesItsReasonAndMessage() {
        world.createdBatch("b1");

        world.batches.markFailed("b1", List.of(BatchStatus.CREATING), "ValidationFailed", "3 errors", List.of(), 3);

        RecordingBatchEvents.Published failed = world.events.published().get(1);
        assertThat(failed.status()).isEqualTo("FAILED");
        assertThat(failed.detail().path("failureReason").asText()).isEqualTo("ValidationFailed");
        assertThat(failed.detail().path("failureMessage").asText()).isEqualTo("3 errors");
    }

    @Test
    void aRefusedTransitionOrARepeatedCreatePublishesNothing() {
        world.createdBatch("b1");
        world.batches.markPending("b1", 1, null);

        assertThat(world.batches.markPending("b1", 1, null)).isFalse();
        assertThat(world.batches.markProcessed("b1")).isFalse();
        world.createdBatch("b1");

        assertThat(world.events.statuses("b1")).containsExactly("CREATING", "PENDING");
    }

    @Test
    void checkpointsAreNotStatusesAndPublishNothing() {
        world.submittingBatch("b1", 2, false);
        int published = world.events.published().size();

        world.batches.acquireExpansionLease("b1", "intake-2", world.clock.instant().plusSeconds(60));
        world.batches.saveCheckpoint("b1", "intake-2", 2, world.clock.instant().plusSeconds(60));
        world.batches.markExpansionComplete("b1", "intake-2", 2);

        assertThat(world.events.published()).hasSize(published);
    }

    @Test
    void aPublishThatFailsNeverFailsTheTransitionAndGoesOutWithTheNextOne() {
        world.createdBatch("b1");
        world.events.failNext(1);

        assertThat(world.batches.markPending("b1", 1, null)).isTrue();
        assertThat(world.batch("b1").status()).isEqualTo(BatchStatus.PENDING);
        assertThat(world.batch("b1").unannouncedStatuses()).containsExactly(BatchStatus.PENDING);

        world.batches.markSubmitting("b1");

        assertThat(world.events.statuses("b1")).containsExactly("CREATING", "PENDING", "SUBMITTING");
        // Published late: the event says where the batch is now.
        assertThat(world.events.published().get(1).detail().path("currentStatus").asText()).isEqualTo("SUBMITTING");
        assertThat(world.batch("b1").unannouncedStatuses()).isEmpty();
    }

    @Test
    void aRepeatedCreateAnnouncesWhatTheFirstCouldNot() {
        world.events.failNext(1);
        world.createdBatch("b1");
        assertThat(world.events.published()).isEmpty();

        world.createdBatch("b1");

        assertThat(world.events.statuses("b1")).containsExactly("CREATING");
    }
}
