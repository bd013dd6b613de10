package io.omicsbatch.batch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The outbox of batch events, published in order and never in the way, on the in-memory ports. */
class BatchAnnouncerTest {

    private final InMemoryDeployment world = new InMemoryDeployment();
    private final BatchAnnouncer announcer = world.batches.announcer();

    /** A batch that reached SUBMITTING while the event bus was down: every status is still unannounced. */
    private void submittingWhileTheBusIsDown() {
        world.events.failNext(3);
        world.submittingBatch("b1", 1, true);
        assertThat(world.events.published()).isEmpty();
    }

    @Test
    void pendingStatusesArePublishedInLifecycleOrderAndClearedOneByOne() {
        submittingWhileTheBusIsDown();

        announcer.announce("b1");

        assertThat(world.events.statuses("b1")).containsExactly("CREATING", "PENDING", "SUBMITTING");
        assertThat(world.batch("b1").unannouncedStatuses()).isEmpty();
        assertThat(world.events.published()).extracting(p -> p.detail().path("currentStatus").asText())
                .containsExactly("SUBMITTING", "SUBMITTING", "");
    }

    @Test
    void aFailureStopsTheAnnouncementSoNoStatusOvertakesAnEarlierOne() {
        submittingWhileTheBusIsDown();
        world.events.failNext(1);

        announcer.announce("b1");

        assertThat(world.events.published()).isEmpty();
        assertThat(world.batch("b1").unannouncedStatuses())
                .containsExactlyInAnyOrder(BatchStatus.CREATING, BatchStatus.PENDING, BatchStatus.SUBMITTING);
    }

    @Test
    void aFailureHalfwayKeepsTheStatusesNotPublishedForTheNextAnnouncement() {
        submittingWhileTheBusIsDown();
        world.events.acceptNext(1);
        world.events.failNext(1);

        announcer.announce("b1");

        assertThat(world.events.statuses("b1")).containsExactly("CREATING");
        assertThat(world.batch("b1").unannouncedStatuses())
                .containsExactlyInAnyOrder(BatchStatus.PENDING, BatchStatus.SUBMITTING);
        announcer.announce(world.batch("b1"));
        assertThat(world.events.statuses("b1")).containsExactly("CREATING", "PENDING", "SUBMITTING");
    }

    @Test
    void anUnknownBatchIsNothingToAnnounce() {
        announcer.announce("unknown");

        assertThat(world.events.published()).isEmpty();
    }
}
