package io.omicsbatch.local.pipeline;

import static io.omicsbatch.local.pipeline.PipelineTestSupport.awaitDrained;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.batchIdOf;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.bytes;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.inlineDocument;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.outcomes;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.runRecords;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.startRunCalls;
import static org.assertj.core.api.Assertions.assertThat;

import io.omicsbatch.batch.BatchRecord;
import io.omicsbatch.batch.BatchStatus;
import io.omicsbatch.batch.RunRecord;
import io.omicsbatch.batch.SubmissionStatus;
import io.omicsbatch.batch.SubmitService;
import io.omicsbatch.local.simulator.SimulatorConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A quota that does not clear: the submissions beyond the active-runs quota wait, through delayed messages that
 * carry the start of their wait, and fail with ServiceQuotaExceededException once the bound has passed.
 */
class QuotaWaitTest {

    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @Test
    void submissionsBeyondAQuotaThatDoesNotClearFailAfterTheBoundedWait() throws Exception {
        SimulatorConfig base = PipelineTestSupport.simulator(200);
        // Three active runs at most, and runs that last ten minutes: the quota does not clear during the test.
        // The StartRun quota well above our pace: no throttle spends an attempt, so attempts count only real failures.
        SimulatorConfig simulator = new SimulatorConfig(base.seed(), 1000, 3,
                new SimulatorConfig.Range(600_000, 600_000), 0, base.workflows(), base.faults(), base.lambdaFaults(),
                base.account());
        SubmitService.Config config = new SubmitService.Config(8, Duration.ofMillis(500), Duration.ofSeconds(5),
                Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(4));
        LocalPipeline.Options options = LocalPipeline.Options.defaults(simulator).withStartRunTps(200).withSubmit(config);
        try (LocalPipeline pipeline = LocalPipeline.start(options)) {
            String batchId = batchIdOf(pipeline.dropSettings("quota.json", bytes(inlineDocument("quota", 5))), null);

            BatchRecord batch = pipeline.awaitBatch(batchId, b -> PipelineTestSupport.reached(b, BatchStatus.INPROGRESS), DEADLINE).orElseThrow();
            assertThat(batch.status()).isIn(BatchStatus.INPROGRESS, BatchStatus.PROCESSED);
            awaitDrained(pipeline, DEADLINE);

            List<RunRecord> records = runRecords(pipeline, batchId);
            assertThat(records.stream().filter(r -> r.submissionStatus() == SubmissionStatus.SUCCESS)).hasSize(3);
            List<RunRecord> failed = records.stream().filter(r -> r.submissionStatus() == SubmissionStatus.FAILED).toList();
            assertThat(failed).hasSize(2).allSatisfy(r -> {
                assertThat(r.submissionFailureReason()).isEqualTo("ServiceQuotaExceededException");
                assertThat(r.submissionFailureMessage()).contains("for the quota");
                assertThat(r.attempts()).isZero();
            });
            // Each waited, more than once, through delayed messages, and not past the bound and one more wait.
            assertThat(outcomes(startRunCalls(pipeline, batchId), "QUOTA_EXCEEDED")).isGreaterThanOrEqualTo(2 * 3);
            BatchRecord after = pipeline.batches().get(batchId).orElseThrow();
            assertThat(after.count("successfulStartSubmissionCount")).isEqualTo(3);
            assertThat(after.count("failedStartSubmissionCount")).isEqualTo(2);
            assertThat(after.count("pendingStartSubmissionCount")).isZero();
        }
    }
}
