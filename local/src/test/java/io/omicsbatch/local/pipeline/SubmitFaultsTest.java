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
import io.omicsbatch.local.simulator.OmicsSimulator;
import io.omicsbatch.local.simulator.SimulatorConfig;
import io.omicsbatch.resources.ResourceDefinitions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Submission under the faults that matter: crashes between StartRun and the write, throttling storms, pacing. */
class SubmitFaultsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(90);

    /**
     * Crashes after StartRun, and every run status event dropped: otherwise the status function may record a crashed
     * submission from the run's first event (by its tracking tags) before the retry, which then has nothing to do.
     */
    private static SimulatorConfig withCrashes(SimulatorConfig c, double rate) {
        return new SimulatorConfig(42L, c.startRunTps(), c.maxActiveRuns(), c.runDurationMillis(), c.failRate(), c.workflows(),
                new SimulatorConfig.Faults(0, 0, 1.0, 0, false, new SimulatorConfig.Range(0, 0)),
                new SimulatorConfig.LambdaFaults(rate, 0, 1), null);
    }

    private static void shortenRunQueueVisibility(LocalPipeline pipeline) {
        // A crashed invocation's messages come back after the visibility timeout: scaled down from 6 minutes.
        pipeline.aws().sqsClient().setQueueAttributes(b -> b.queueUrl(pipeline.aws().queueUrl(ResourceDefinitions.RUN_QUEUE.name()))
                .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "2")));
    }

    @Test
    void aSubmitKilledAfterStartRunFindsTheSameRunOnRetry() throws Exception {
        SimulatorConfig simulator = withCrashes(PipelineTestSupport.simulator(200), 0.2);
        try (LocalPipeline pipeline = LocalPipeline.start(LocalPipeline.Options.defaults(simulator).withStartRunTps(200))) {
            shortenRunQueueVisibility(pipeline);
            String batchId = batchIdOf(pipeline.dropSettings("crash.json", bytes(inlineDocument("crash", 40))), null);

            BatchRecord batch = pipeline.awaitBatch(batchId, b -> PipelineTestSupport.reached(b, BatchStatus.INPROGRESS), DEADLINE).orElseThrow();
            assertThat(batch.status()).isIn(BatchStatus.INPROGRESS, BatchStatus.PROCESSED);
            assertThat(pipeline.submitCrashes()).as("crashes injected").isPositive();
            awaitDrained(pipeline, DEADLINE);

            List<OmicsSimulator.StartRunCallRecord> calls = startRunCalls(pipeline, batchId);
            assertThat(outcomes(calls, "CREATED")).as("runs created = runs asked for").isEqualTo(40);
            assertThat(outcomes(calls, "REPLAYED")).as("retries found the run by its requestId").isGreaterThanOrEqualTo(pipeline.submitCrashes());
            List<RunRecord> records = runRecords(pipeline, batchId);
            assertThat(records).hasSize(40).allSatisfy(r -> assertThat(r.submissionStatus()).isEqualTo(SubmissionStatus.SUCCESS));
            // Every record holds the run HealthOmics created for its requestId, not another.
            Map<String, String> createdRunByRequest = calls.stream().filter(c -> c.outcome().equals("CREATED"))
                    .collect(java.util.stream.Collectors.toMap(OmicsSimulator.StartRunCallRecord::requestId, OmicsSimulator.StartRunCallRecord::runId));
            assertThat(records).allSatisfy(r -> assertThat(r.runId()).isEqualTo(createdRunByRequest.get(r.requestId())));
            BatchRecord after = pipeline.batches().get(batchId).orElseThrow();
            assertThat(after.count("successfulStartSubmissionCount")).isEqualTo(40);
            assertThat(after.count("pendingStartSubmissionCount")).isZero();
        }
    }

    @Test
    void aThrottlingStormSlowsThePaceAndLosesNoRun() throws Exception {
        // The account's quota (10/s) is far below the configured rate (40/s): other tools share it.
        SubmitService.Config patient = new SubmitService.Config(30, Duration.ofMillis(200), Duration.ofSeconds(2),
                Duration.ofSeconds(1), Duration.ofSeconds(1));
        LocalPipeline.Options options = LocalPipeline.Options.defaults(PipelineTestSupport.simulator(10)).withStartRunTps(40).withSubmit(patient);
        try (LocalPipeline pipeline = LocalPipeline.start(options)) {
            shortenRunQueueVisibility(pipeline);
            String batchId = batchIdOf(pipeline.dropSettings("storm.json", bytes(inlineDocument("storm", 60))), null);

            BatchRecord batch = pipeline.awaitBatch(batchId, b -> PipelineTestSupport.reached(b, BatchStatus.INPROGRESS), DEADLINE).orElseThrow();
            assertThat(batch.status()).isIn(BatchStatus.INPROGRESS, BatchStatus.PROCESSED);
            assertThat(batch.count("successfulStartSubmissionCount")).isEqualTo(60);
            List<OmicsSimulator.StartRunCallRecord> calls = startRunCalls(pipeline, batchId);
            assertThat(outcomes(calls, "THROTTLED")).as("the storm happened").isPositive();
            assertThat(outcomes(calls, "CREATED")).isEqualTo(60);
            assertThat(runRecords(pipeline, batchId)).allSatisfy(r -> assertThat(r.submissionStatus()).isEqualTo(SubmissionStatus.SUCCESS));
        }
    }

    @Test
    void theRateHoldsForAllConcurrentInvocationsTogether() throws Exception {
        double rate = 20;
        LocalPipeline.Options base = LocalPipeline.Options.defaults(PipelineTestSupport.simulator(1000)).withStartRunTps(rate);
        int pollers = 4;
        LocalPipeline.Options options = new LocalPipeline.Options(base.simulator(), rate, pollers, 5, base.submit(), base.omicsDecorator());
        try (LocalPipeline pipeline = LocalPipeline.start(options)) {
            String batchId = batchIdOf(pipeline.dropSettings("paced.json", bytes(inlineDocument("paced", 60))), null);
            BatchRecord batch = pipeline.awaitBatch(batchId, b -> PipelineTestSupport.reached(b, BatchStatus.INPROGRESS), DEADLINE).orElseThrow();
            assertThat(batch.status()).isIn(BatchStatus.INPROGRESS, BatchStatus.PROCESSED);

            List<Long> accepted = startRunCalls(pipeline, batchId).stream().filter(c -> c.outcome().equals("CREATED"))
                    .map(OmicsSimulator.StartRunCallRecord::receivedAtMillis).sorted().toList();
            assertThat(accepted).hasSize(60);
            // Four pollers, one schedule: 60 calls at 20/s are granted 59 intervals of 50 ms apart (2,950 ms). A call
            // never leaves before its slot but may leave after it (a new connection, a busy CPU): 250 ms of slack
            // for the first one. Pacing per poller instead (80/s) would span about 740 ms.
            long span = accepted.get(accepted.size() - 1) - accepted.get(0);
            assertThat(span).isGreaterThanOrEqualTo((long) (59 * 1000 / rate) - 250);
            // And no window of one second holds more than the rate allows: its own slots (+1 for the window's edge)
            // and at most one late call per other poller, granted just before the window.
            for (int i = 0; i < accepted.size(); i++) {
                long start = accepted.get(i);
                long inWindow = accepted.stream().filter(t -> t >= start && t < start + 1000).count();
                assertThat(inWindow).isLessThanOrEqualTo((long) rate + pollers);
            }
        }
    }

    /**
     * A batch of 100 runs at the quota the pacer is configured for, 2 per second, against the simulator's strict
     * bucket (burst 1): the loose bounds of what bench/pacing measures precisely (docs/performance.md), loose because
     * the build machine may be busy.
     */
    @Test
    void aHundredRunsAtAStrictQuotaOfTwoPerSecondGetMostOfItWithFewThrottles() throws Exception {
        double quota = 2;
        LocalPipeline.Options base = LocalPipeline.Options.defaults(PipelineTestSupport.simulator(quota)).withStartRunTps(quota);
        LocalPipeline.Options options = new LocalPipeline.Options(base.simulator(), quota, 8, 10, base.submit(), base.omicsDecorator());
        try (LocalPipeline pipeline = LocalPipeline.start(options)) {
            String batchId = batchIdOf(pipeline.dropSettings("quota.json", bytes(inlineDocument("quota", 100))), null);
            BatchRecord batch = pipeline.awaitBatch(batchId, b -> PipelineTestSupport.reached(b, BatchStatus.INPROGRESS),
                    Duration.ofSeconds(180)).orElseThrow();
            assertThat(batch.status()).isIn(BatchStatus.INPROGRESS, BatchStatus.PROCESSED);

            List<OmicsSimulator.StartRunCallRecord> calls = startRunCalls(pipeline, batchId);
            List<Long> accepted = calls.stream().filter(c -> c.outcome().equals("CREATED"))
                    .map(OmicsSimulator.StartRunCallRecord::receivedAtMillis).sorted().toList();
            assertThat(accepted).hasSize(100);
            double acceptedPerSecond = 99 * 1000.0 / (accepted.get(99) - accepted.get(0));
            assertThat(acceptedPerSecond / quota).as("accepted / quota").isGreaterThan(0.85).isLessThanOrEqualTo(1.0);
            assertThat(outcomes(calls, "THROTTLED")).as("throttled calls").isLessThanOrEqualTo(10);
        }
    }
}
