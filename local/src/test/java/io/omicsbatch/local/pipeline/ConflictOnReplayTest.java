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
import io.omicsbatch.local.simulator.OmicsSimulator;
import io.omicsbatch.local.simulator.SimulatorConfig;
import io.omicsbatch.resources.ResourceDefinitions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * ConflictException on same-requestId replays, together with submit crashes after StartRun: the replay that
 * follows each crash may be answered Conflict, which the submit function retries with the same requestId until
 * it gets the run. Every run setting gets exactly one run, and no submission is recorded FAILED.
 */
class ConflictOnReplayTest {

    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final int RUNS = 40;

    @Test
    void conflictsOnReplayAfterSubmitCrashesEndInOneRunPerRunSettingAndNoFailedSubmission() throws Exception {
        SimulatorConfig base = PipelineTestSupport.simulator(200);
        // Run events are dropped: otherwise the status function may record a crashed submission from the run's
        // first event before the retry, and the retry would have no StartRun to make.
        SimulatorConfig simulator = new SimulatorConfig(42L, base.startRunTps(), base.maxActiveRuns(),
                base.runDurationMillis(), base.failRate(), base.workflows(),
                new SimulatorConfig.Faults(0, 0, 1.0, 0, false, new SimulatorConfig.Range(0, 0), 0.7),
                new SimulatorConfig.LambdaFaults(0.3, 0, 1), null);
        try (LocalPipeline pipeline = LocalPipeline.start(LocalPipeline.Options.defaults(simulator).withStartRunTps(200))) {
            // A crashed invocation's messages come back after the visibility timeout: scaled down from 6 minutes.
            pipeline.aws().sqsClient().setQueueAttributes(b -> b.queueUrl(pipeline.aws().queueUrl(ResourceDefinitions.RUN_QUEUE.name()))
                    .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "2")));
            String batchId = batchIdOf(pipeline.dropSettings("conflict.json", bytes(inlineDocument("conflict", RUNS))), null);

            BatchRecord batch = pipeline.awaitBatch(batchId, b -> PipelineTestSupport.reached(b, BatchStatus.INPROGRESS), DEADLINE).orElseThrow();
            assertThat(batch.status()).isIn(BatchStatus.INPROGRESS, BatchStatus.PROCESSED);
            awaitDrained(pipeline, DEADLINE);

            assertThat(pipeline.submitCrashes()).as("crashes injected").isPositive();
            List<OmicsSimulator.StartRunCallRecord> calls = startRunCalls(pipeline, batchId);
            assertThat(outcomes(calls, "CONFLICT")).as("replays answered with a conflict").isPositive();
            assertThat(outcomes(calls, "CREATED")).as("exactly one run per run setting").isEqualTo(RUNS);
            assertThat(calls.stream().filter(c -> c.outcome().equals("CREATED")).map(OmicsSimulator.StartRunCallRecord::requestId).distinct())
                    .hasSize(RUNS);
            List<RunRecord> records = runRecords(pipeline, batchId);
            assertThat(records).hasSize(RUNS).allSatisfy(r -> assertThat(r.submissionStatus()).isEqualTo(SubmissionStatus.SUCCESS));
            Map<String, String> createdRunByRequest = calls.stream().filter(c -> c.outcome().equals("CREATED"))
                    .collect(Collectors.toMap(OmicsSimulator.StartRunCallRecord::requestId, OmicsSimulator.StartRunCallRecord::runId));
            assertThat(records).allSatisfy(r -> assertThat(r.runId()).isEqualTo(createdRunByRequest.get(r.requestId())));
            BatchRecord after = pipeline.batches().get(batchId).orElseThrow();
            assertThat(after.count("successfulStartSubmissionCount")).isEqualTo(RUNS);
            assertThat(after.count("failedStartSubmissionCount")).isZero();
            assertThat(after.count("pendingStartSubmissionCount")).isZero();
        }
    }
}
