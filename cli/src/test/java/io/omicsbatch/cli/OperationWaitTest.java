package io.omicsbatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.omicsbatch.batch.BatchRecord;
import io.omicsbatch.batch.BatchStatus;
import io.omicsbatch.batch.S3ObjectRef;
import io.omicsbatch.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@code --wait} on a clock that only the sleeper moves: each operation's end states, refusals, and the deadline with
 * its backoff, without waiting for real.
 */
class OperationWaitTest {

    private final MutableClock clock = MutableClock.atStartOfDay();
    private final List<Duration> sleeps = new ArrayList<>();
    private final OperationWait waiting = new OperationWait(clock, duration -> {
        sleeps.add(duration);
        clock.advance(duration);
    });

    @Test
    void cancelEndsCancelledAndFailsWhenTheBatchEndsOtherwise() {
        assertThat(OperationWait.CANCELLED.of(batch(BatchStatus.STOPPING))).isInstanceOf(OperationWait.Waiting.class);
        assertThat(OperationWait.CANCELLED.of(batch(BatchStatus.INPROGRESS))).isInstanceOf(OperationWait.Waiting.class);
        assertThat(OperationWait.CANCELLED.of(batch(BatchStatus.CANCELLED, Map.of("successfulCancelSubmissionCount", 7L,
                "failedCancelSubmissionCount", 1L)))).isEqualTo(new OperationWait.Succeeded(
                "CANCELLED (CancelRun: 7 succeeded, 1 failed)"));
        assertThat(OperationWait.CANCELLED.of(batch(BatchStatus.PROCESSED))).isInstanceOf(OperationWait.Failed.class);
        assertThat(OperationWait.CANCELLED.of(batch(BatchStatus.FAILED))).isInstanceOf(OperationWait.Failed.class);
        assertThat(OperationWait.CANCELLED.of(Optional.empty())).isInstanceOf(OperationWait.Failed.class);
    }

    @Test
    void deleteRunsEndsRunsDeletedAndRunsDeleteFailedIsAFailure() {
        for (BatchStatus passing : List.of(BatchStatus.PROCESSED, BatchStatus.CANCELLED, BatchStatus.RUNS_DELETING)) {
            assertThat(OperationWait.RUNS_DELETED.of(batch(passing))).isInstanceOf(OperationWait.Waiting.class);
        }
        assertThat(OperationWait.RUNS_DELETED.of(batch(BatchStatus.RUNS_DELETED, Map.of("successfulDeleteSubmissionCount", 12L))))
                .isEqualTo(new OperationWait.Succeeded("RUNS_DELETED (DeleteRun: 12 succeeded, 0 failed)"));
        OperationWait.State failed = OperationWait.RUNS_DELETED.of(batch(BatchStatus.RUNS_DELETE_FAILED,
                Map.of("successfulDeleteSubmissionCount", 9L, "failedDeleteSubmissionCount", 3L)));
        assertThat(failed).isInstanceOf(OperationWait.Failed.class);
        assertThat(failed.description()).startsWith("RUNS_DELETE_FAILED (DeleteRun: 9 succeeded, 3 failed)");
        assertThat(OperationWait.RUNS_DELETED.of(Optional.empty())).isInstanceOf(OperationWait.Failed.class);
    }

    @Test
    void deleteEndsWhenThereIsNoSuchBatchAndAResubmitWhenItsNewBatchExists() {
        assertThat(OperationWait.DELETED.of(batch(BatchStatus.PROCESSED))).isEqualTo(new OperationWait.Waiting("PROCESSED"));
        assertThat(OperationWait.DELETED.of(Optional.empty())).isInstanceOf(OperationWait.Succeeded.class);
        assertThat(OperationWait.CREATED.of(Optional.empty())).isInstanceOf(OperationWait.Waiting.class);
        assertThat(OperationWait.CREATED.of(Optional.of(batch(BatchStatus.CREATING).orElseThrow().withResubmitOf("b0"))))
                .isEqualTo(new OperationWait.Succeeded("created, CREATING, a resubmit of b0"));
    }

    @Test
    void aRefusalEndsTheWaitUnlessTheEndStateIsAlreadyReached() {
        Supplier<Optional<String>> refused = () -> Optional.of("the batch is INPROGRESS [batch-status]");
        assertThat(OperationWait.poll(() -> batch(BatchStatus.INPROGRESS), OperationWait.DELETED, refused))
                .isEqualTo(new OperationWait.Failed("refused: the batch is INPROGRESS [batch-status]"));
        assertThat(OperationWait.poll(() -> batch(BatchStatus.INPROGRESS), OperationWait.DELETED, Optional::empty))
                .isEqualTo(new OperationWait.Waiting("INPROGRESS"));
        assertThat(OperationWait.poll(Optional::empty, OperationWait.DELETED, refused))
                .isInstanceOf(OperationWait.Succeeded.class);
    }

    @Test
    void pollsBackOffToFiveSecondsReportEachNewStatusAndEndAtTheEnd() throws Exception {
        Deque<OperationWait.State> answers = new ArrayDeque<>(List.of(
                new OperationWait.Waiting("INPROGRESS"), new OperationWait.Waiting("STOPPING"),
                new OperationWait.Waiting("STOPPING"), new OperationWait.Waiting("STOPPING"),
                new OperationWait.Waiting("STOPPING"), new OperationWait.Waiting("STOPPING"),
                new OperationWait.Waiting("STOPPING"), new OperationWait.Succeeded("CANCELLED")));
        List<String> progress = new ArrayList<>();

        OperationWait.State end = waiting.await(answers::poll, Duration.ofMinutes(10), progress::add);

        assertThat(end).isEqualTo(new OperationWait.Succeeded("CANCELLED"));
        assertThat(progress).containsExactly("INPROGRESS", "STOPPING");
        assertThat(sleeps).containsExactly(Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
                Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    @Test
    void aWaitThatOutlastsTheTimeoutEndsAtTheDeadlineWithTheLastStatus() throws Exception {
        OperationWait.State end = waiting.await(() -> new OperationWait.Waiting("RUNS_DELETING"), Duration.ofSeconds(12),
                status -> { });

        assertThat(end).isEqualTo(new OperationWait.TimedOut("RUNS_DELETING", Duration.ofSeconds(12)));
        assertThat(sleeps.stream().reduce(Duration.ZERO, Duration::plus)).isEqualTo(Duration.ofSeconds(12));
        assertThat(sleeps.get(sleeps.size() - 1)).as("the last sleep is cut to the deadline")
                .isEqualTo(Duration.ofMillis(12_000 - 250 - 500 - 1000 - 2000 - 4000));
    }

    @Test
    void aTimeoutOfZeroPollsOnce() throws Exception {
        List<String> polls = new ArrayList<>();
        OperationWait.State end = waiting.await(() -> {
            polls.add("poll");
            return new OperationWait.Waiting("STOPPING");
        }, Duration.ZERO, status -> { });

        assertThat(end).isInstanceOf(OperationWait.TimedOut.class);
        assertThat(polls).hasSize(1);
        assertThat(sleeps).isEmpty();
    }

    private Optional<BatchRecord> batch(BatchStatus status) {
        return batch(status, Map.of());
    }

    private Optional<BatchRecord> batch(BatchStatus status, Map<String, Long> counts) {
        return Optional.of(new BatchRecord("b1", "cohort", status, new S3ObjectRef("bucket", "batches/b1.json", null, "e"),
                null, null, 12, 12, true, null, null, List.of(), 0, counts, clock.instant(), null, null, null,
                java.util.Set.of(), clock.instant(), null, 0, 0, null));
    }
}
