package io.omicsbatch.batch;

import static io.omicsbatch.batch.PipelineMetrics.Submission.CONFLICT_RETRIED;
import static io.omicsbatch.batch.PipelineMetrics.Submission.FAILED;
import static io.omicsbatch.batch.PipelineMetrics.Submission.QUOTA_WAIT;
import static io.omicsbatch.batch.PipelineMetrics.Submission.RETRIED;
import static io.omicsbatch.batch.PipelineMetrics.Submission.SUBMITTED;
import static org.assertj.core.api.Assertions.assertThat;

import io.omicsbatch.testing.RecordingSleeper;
import io.omicsbatch.testing.ScriptedPacer;
import io.omicsbatch.testing.StartRunErrors;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the services count for the alarms and the dashboard, on the in-memory ports: each StartRun answer by what
 * became of it, throttling, and batch transitions, each decided outcome once however often a message comes.
 */
class PipelineMetricsTest {

    private static final Duration MAX_PACING_WAIT = Duration.ofSeconds(30);

    private final InMemoryDeployment world = new InMemoryDeployment();
    private final ScriptedPacer pacer = new ScriptedPacer(world.clock);
    private final SubmitService submit = new SubmitService(world.batches, world.runs, world.omics, pacer,
            new SubmitService.Config(2, Duration.ofSeconds(2), Duration.ofMinutes(15), Duration.ofMinutes(1),
                    Duration.ofSeconds(5)),
            world.clock, new RecordingSleeper(world.clock), () -> 123_456L, world.completion, world.metrics);

    @Test
    void aStartedRunCountsAsSubmittedOnceThoughItsMessageComesAgain() throws Exception {
        RunMessage message = world.submittingBatch("b1", 2, true).get(0);
        world.metrics.clear();

        submit.submit(message, MAX_PACING_WAIT);
        submit.submit(message, MAX_PACING_WAIT); // a redelivery: already decided

        assertThat(world.metrics.submissions()).containsExactly(SUBMITTED);
        assertThat(world.metrics.throttled()).isZero();
    }

    @Test
    void aConflictCountsEachRetryAndThenTheSubmission() throws Exception {
        RunMessage message = world.submittingBatch("b1", 2, true).get(0);
        world.omics.failNextStartRunAfterStarting(StartRunErrors.conflict("creation in progress"));
        world.omics.failNextStartRun(StartRunErrors.conflict("creation in progress"));
        world.metrics.clear();

        submit.submit(message, MAX_PACING_WAIT);

        assertThat(world.metrics.submissions()).containsExactly(CONFLICT_RETRIED, CONFLICT_RETRIED, SUBMITTED);
    }

    @Test
    void everyThrottleCountsOnceAndARetryOnlyWhenAnAttemptIsSpent() throws Exception {
        RunMessage message = world.submittingBatch("b1", 2, true).get(0);
        world.metrics.clear();

        world.omics.failNextStartRun(StartRunErrors.throttling());
        submit.submit(message, MAX_PACING_WAIT);
        assertThat(world.metrics.submissions()).containsExactly(SUBMITTED); // retried on the next slot, no attempt spent
        assertThat(world.metrics.throttled()).isEqualTo(1);

        RunMessage other = world.submittingBatch("b2", 2, true).get(0);
        world.metrics.clear();
        for (int call = 0; call <= SubmitService.THROTTLE_RETRIES_IN_INVOCATION; call++) {
            world.omics.failNextStartRun(StartRunErrors.throttling());
        }
        submit.submit(other, MAX_PACING_WAIT);
        assertThat(world.metrics.submissions()).containsExactly(RETRIED);
        assertThat(world.metrics.throttled()).isEqualTo(SubmitService.THROTTLE_RETRIES_IN_INVOCATION + 1);
    }

    @Test
    void aQuotaAnswerCountsAsAQuotaWaitWithoutThrottlingOrFailure() throws Exception {
        RunMessage message = world.submittingBatch("b1", 2, true).get(0);
        world.metrics.clear();
        world.omics.failNextStartRun(StartRunErrors.quotaExceeded());

        submit.submit(message, MAX_PACING_WAIT);

        assertThat(world.metrics.submissions()).containsExactly(QUOTA_WAIT);
        assertThat(world.metrics.throttled()).isZero();
    }

    @Test
    void aQuotaWaitPastItsBoundCountsAsAFailure() throws Exception {
        RunMessage waiting = world.submittingBatch("b1", 2, true).get(0).withQuotaWaitSince(world.clock.instant());
        world.clock.advance(SubmitService.Config.DEFAULT_MAX_QUOTA_WAIT);
        world.metrics.clear();
        world.omics.failNextStartRun(StartRunErrors.quotaExceeded());

        submit.submit(waiting, MAX_PACING_WAIT);

        assertThat(world.metrics.submissions()).containsExactly(FAILED);
    }

    @Test
    void aFinalErrorCountsOneFailureAndARedeliveredMessageNoMore() throws Exception {
        List<RunMessage> messages = world.submittingBatch("b1", 2, true);
        world.metrics.clear();
        world.omics.failNextStartRun(StartRunErrors.validation("bad parameter"));

        submit.submit(messages.get(0), MAX_PACING_WAIT);
        submit.submit(messages.get(0), MAX_PACING_WAIT);

        assertThat(world.metrics.submissions()).containsExactly(FAILED);
    }

    @Test
    void eachBatchTransitionIsCountedOnceByTheWriterThatMadeIt() throws Exception {
        List<RunMessage> messages = world.submittingBatch("b1", 2, true);
        assertThat(world.metrics.transitions()).containsExactly(BatchStatus.PENDING, BatchStatus.SUBMITTING);
        world.metrics.clear();

        submit.submit(messages.get(0), MAX_PACING_WAIT);
        submit.submit(messages.get(1), MAX_PACING_WAIT);
        assertThat(world.metrics.transitions()).containsExactly(BatchStatus.INPROGRESS);
        world.batches.markInProgressIfAllSubmitted("b1"); // a second writer finds it done
        assertThat(world.metrics.transitions()).containsExactly(BatchStatus.INPROGRESS);

        StatusService status = new StatusService(world.runs, world.omics, world.completion);
        for (String runSettingId : List.of("S0", "S1")) {
            RunRecord run = world.run("b1", runSettingId);
            world.omics.advance(run.runId(), RunStatus.COMPLETED);
            status.onEvent(world.event(run, RunStatus.COMPLETED));
            status.onEvent(world.event(run, RunStatus.COMPLETED)); // a duplicate event changes nothing
        }

        assertThat(world.batch("b1").status()).isEqualTo(BatchStatus.PROCESSED);
        assertThat(world.metrics.transitions()).containsExactly(BatchStatus.INPROGRESS, BatchStatus.PROCESSED);
    }

    @Test
    void aFailedBatchIsCountedAsAFailedTransition() {
        world.createdBatch("b2");
        world.batches.markFailed("b2", List.of(BatchStatus.CREATING), "ValidationException", "invalid", List.of(), 1);
        world.batches.markFailed("b2", List.of(BatchStatus.CREATING), "ValidationException", "invalid", List.of(), 1);

        assertThat(world.metrics.transitions()).containsExactly(BatchStatus.FAILED);
    }

    @Test
    void outcomeDimensionValuesAreCamelCase() {
        assertThat(List.of(PipelineMetrics.Submission.values())).extracting(PipelineMetrics.Submission::dimensionValue)
                .containsExactly("Submitted", "Retried", "ConflictRetried", "QuotaWait", "Failed");
    }
}
