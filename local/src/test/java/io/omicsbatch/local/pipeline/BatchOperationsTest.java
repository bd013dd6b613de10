package io.omicsbatch.local.pipeline;

import static io.omicsbatch.local.pipeline.PipelineTestSupport.baseDocument;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.batchIdOf;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.bytes;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.inlineDocument;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.runRecords;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.runSettings;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.startRunCalls;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.settings.SettingsJson;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import io.omicsbatch.batch.BatchRecord;
import io.omicsbatch.batch.BatchStatus;
import io.omicsbatch.batch.ResultsManifest;
import io.omicsbatch.batch.RunRecord;
import io.omicsbatch.batch.RunStatus;
import io.omicsbatch.batch.SubmissionStatus;
import io.omicsbatch.batch.SubmitService;
import io.omicsbatch.local.TestSupport;
import io.omicsbatch.local.simulator.OmicsSimulator;
import io.omicsbatch.local.simulator.SimulatorConfig;
import io.omicsbatch.resources.FunctionEnvironment;
import io.omicsbatch.resources.ResourceDefinitions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Cancel, delete runs and delete batch on the stand-ins and the simulator, through the path a user takes: a request
 * document put under its prefix, its notification on the operations queue, the operations function.
 */
class BatchOperationsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(120);

    /** Runs that last ten minutes (nothing ends on its own during a test), at the given StartRun rate. */
    private static SimulatorConfig longRuns(double startRunTps, double crashAfterStartRunRate) {
        SimulatorConfig c = PipelineTestSupport.simulator(startRunTps);
        return new SimulatorConfig(c.seed(), startRunTps, 10_000, new SimulatorConfig.Range(600_000, 600_000), 0,
                c.workflows(), new SimulatorConfig.Faults(0, 0, 0, 0, false, new SimulatorConfig.Range(0, 0)),
                new SimulatorConfig.LambdaFaults(crashAfterStartRunRate, 0, 1), c.account());
    }

    @Test
    void cancelWhileSubmittingWithSubmitCrashesStartsNoRunAfterItAndEndsCancelledWithExactCounts() throws Exception {
        LocalPipeline.Options options = LocalPipeline.Options.defaults(longRuns(4, 0.4)).withStartRunTps(4)
                .withRunQueueVisibility(Duration.ofSeconds(2));
        try (LocalPipeline pipeline = LocalPipeline.start(options)) {
            Queue<JsonNode> events = collectBatchEvents(pipeline);
            String batchId = batchIdOf(pipeline.dropSettings("cancel-me.json", bytes(inlineDocument("cancel-me", 60))), null);
            TestSupport.await("some runs submitted and a submit crash", DEADLINE, () -> pipeline.submitCrashes() > 0
                    && pipeline.batches().get(batchId).map(b -> b.count("successfulStartSubmissionCount") >= 4).orElse(false));

            cancel(pipeline, "stop-cancel-me.json", batchId);

            BatchRecord batch = pipeline.awaitBatch(batchId, b -> b.status() == BatchStatus.CANCELLED, DEADLINE).orElseThrow();
            assertThat(batch.status()).isEqualTo(BatchStatus.CANCELLED);
            long started = batch.count("successfulStartSubmissionCount");
            assertThat(started + batch.count("failedStartSubmissionCount")).isEqualTo(60);
            assertThat(started).isLessThan(60);
            assertThat(batch.count("pendingStartSubmissionCount")).isZero();
            assertThat(batch.count("successfulCancelSubmissionCount") + batch.count("failedCancelSubmissionCount"))
                    .isEqualTo(started);
            assertThat(batch.count("cancelledRunCount")).isEqualTo(started);

            List<RunRecord> records = runRecords(pipeline, batchId);
            assertThat(records).hasSize(60);
            assertThat(records).filteredOn(r -> r.submissionStatus() == SubmissionStatus.FAILED)
                    .allSatisfy(r -> assertThat(r.submissionFailureReason()).isEqualTo(SubmitService.NOT_SUBMITTED_CANCELLED));
            // No run was ever started for a run setting the cancel kept back: every StartRun was of a claimed run.
            Set<String> submitted = records.stream().filter(r -> r.submissionStatus() == SubmissionStatus.SUCCESS)
                    .map(RunRecord::requestId).collect(Collectors.toSet());
            List<OmicsSimulator.StartRunCallRecord> created = startRunCalls(pipeline, batchId).stream()
                    .filter(c -> c.outcome().equals("CREATED")).toList();
            assertThat(created).hasSize((int) started)
                    .allSatisfy(c -> assertThat(submitted).contains(c.requestId()));
            // Every run HealthOmics started is CANCELLED there too, through STOPPING.
            assertThat(created).allSatisfy(c ->
                    assertThat(pipeline.simulator().runStatus(c.runId())).contains(io.omicsbatch.local.simulator.RunStatus.CANCELLED));
            assertThat(pipeline.simulator().activeRuns()).isZero();
            assertThat(statuses(events, batchId, "CANCELLED")).containsSubsequence("SUBMITTING", "STOPPING", "CANCELLED")
                    .doesNotContain("INPROGRESS");
        }
    }

    @Test
    void cancelWhileExpandingGivesEveryRunSettingItsFinalState() throws Exception {
        LocalPipeline.Options options = LocalPipeline.Options.defaults(longRuns(2, 0)).withStartRunTps(2)
                .withEnvironment(FunctionEnvironment.RUNS_FILE_LOCATIONS, "s3://lab-inputs/");
        try (LocalPipeline pipeline = LocalPipeline.start(options)) {
            Queue<JsonNode> events = collectBatchEvents(pipeline);
            ObjectNode doc = baseDocument("expanding");
            doc.putObject("batchRunSettings").put("s3UriSettings", "s3://lab-inputs/expanding/runs.json");
            pipeline.put("lab-inputs", "expanding/runs.json", bytes(runSettings("expanding", 2000)));
            String batchId = batchIdOf(pipeline.dropSettings("expanding.json", bytes(doc)), null);
            // The cancel goes in at once: it meets the batch CREATING (and waits), PENDING or SUBMITTING mid-expansion.
            cancel(pipeline, "stop-expanding.json", batchId);

            BatchRecord batch = pipeline.awaitBatch(batchId, b -> b.status() == BatchStatus.CANCELLED, DEADLINE).orElseThrow();
            assertThat(batch.status()).isEqualTo(BatchStatus.CANCELLED);
            assertThat(batch.expandedRuns()).isEqualTo(2000);
            assertThat(batch.count("successfulStartSubmissionCount") + batch.count("failedStartSubmissionCount")).isEqualTo(2000);
            assertThat(batch.count("failedStartSubmissionCount")).isGreaterThan(1900);
            assertThat(batch.count("cancelledRunCount")).isEqualTo(batch.count("successfulStartSubmissionCount"));
            assertThat(runRecords(pipeline, batchId)).hasSize(2000).allSatisfy(r -> assertThat(r.isSettled()).isTrue());
            assertThat(statuses(events, batchId, "CANCELLED")).contains("STOPPING", "CANCELLED").doesNotContain("INPROGRESS");
        }
    }

    @Test
    void cancelWhileRunningThenDeleteTheRunsThenTheBatch() throws Exception {
        try (LocalPipeline pipeline = LocalPipeline.start(LocalPipeline.Options.defaults(longRuns(50, 0)).withStartRunTps(50))) {
            Queue<JsonNode> events = collectBatchEvents(pipeline);
            String batchId = batchIdOf(pipeline.dropSettings("running.json", bytes(inlineDocument("running", 8))), null);
            pipeline.awaitBatch(batchId, b -> b.status() == BatchStatus.INPROGRESS, DEADLINE).orElseThrow();

            // Refused while INPROGRESS: delete runs and delete batch leave a report and change nothing.
            pipeline.dropRequest(ResourceDefinitions.DELETE_BATCH_PREFIX, "too-early.json", request(batchId));
            TestSupport.await("the refusal report", DEADLINE, () -> pipeline.objects()
                    .head(pipeline.aws().settingsBucket(), "reports/delete-batch/too-early.errors.json").isPresent());
            assertThat(pipeline.batches().get(batchId)).hasValueSatisfying(b -> assertThat(b.status()).isEqualTo(BatchStatus.INPROGRESS));

            cancel(pipeline, "stop-running.json", batchId);
            BatchRecord cancelled = pipeline.awaitBatch(batchId, b -> b.status() == BatchStatus.CANCELLED, DEADLINE).orElseThrow();
            assertThat(cancelled.status()).isEqualTo(BatchStatus.CANCELLED);
            assertThat(cancelled.count("successfulCancelSubmissionCount")).isEqualTo(8);
            assertThat(cancelled.count("cancelledRunCount")).isEqualTo(8);
            assertThat(pipeline.objects().head(pipeline.aws().settingsBucket(), ResultsManifest.key(batchId, "runs.csv"))).isPresent();

            pipeline.dropRequest(ResourceDefinitions.DELETE_RUNS_PREFIX, "clean-running.json", request(batchId));
            BatchRecord deleted = pipeline.awaitBatch(batchId, b -> b.status() == BatchStatus.RUNS_DELETED, DEADLINE).orElseThrow();
            assertThat(deleted.status()).isEqualTo(BatchStatus.RUNS_DELETED);
            assertThat(deleted.count("successfulDeleteSubmissionCount")).isEqualTo(8);
            assertThat(deleted.count("failedDeleteSubmissionCount")).isZero();
            // A deleted run keeps the outcome it was recorded with (docs/status.md); the deletion is its deleteStatus.
            assertThat(runRecords(pipeline, batchId)).allSatisfy(r -> {
                assertThat(r.deleteStatus()).isEqualTo(SubmissionStatus.DELETE_SUCCESS);
                assertThat(r.status()).isEqualTo(RunStatus.CANCELLED);
                assertThat(pipeline.simulator().runStatus(r.runId())).as("gone from HealthOmics").isEmpty();
            });
            assertThat(statuses(events, batchId, "RUNS_DELETED")).containsSubsequence("STOPPING", "CANCELLED", "RUNS_DELETING", "RUNS_DELETED");

            pipeline.dropRequest(ResourceDefinitions.DELETE_BATCH_PREFIX, "forget-running.json", request(batchId));
            TestSupport.await("the batch deleted", DEADLINE, () -> pipeline.batches().get(batchId).isEmpty());
            assertThat(runRecords(pipeline, batchId)).isEmpty();
            assertThat(pipeline.objects().head(pipeline.aws().settingsBucket(), ResultsManifest.key(batchId, "runs.csv"))).isPresent();
        }
    }

    @Test
    void deleteRunsWhereSomeDeleteRunCallsAreDeniedEndsRunsDeleteFailedWithExactCounts() throws Exception {
        SimulatorConfig c = PipelineTestSupport.simulator(50);
        // Half the runs (by the seed, the same every time) are refused DeleteRun with AccessDeniedException, as an
        // explicit deny would: a final answer, not retried.
        SimulatorConfig denying = new SimulatorConfig(c.seed(), 50, 10_000, new SimulatorConfig.Range(50, 100), 0,
                c.workflows(), new SimulatorConfig.Faults(0, 0, 0, 0, false, new SimulatorConfig.Range(0, 0), 0, 0.5),
                new SimulatorConfig.LambdaFaults(0, 0, 1), c.account());
        try (LocalPipeline pipeline = LocalPipeline.start(LocalPipeline.Options.defaults(denying).withStartRunTps(50))) {
            Queue<JsonNode> events = collectBatchEvents(pipeline);
            String batchId = batchIdOf(pipeline.dropSettings("denied.json", bytes(inlineDocument("denied", 12))), null);
            pipeline.awaitBatch(batchId, b -> b.status() == BatchStatus.PROCESSED, DEADLINE).orElseThrow();

            pipeline.dropRequest(ResourceDefinitions.DELETE_RUNS_PREFIX, "clean-denied.json", request(batchId));
            BatchRecord ended = pipeline.awaitBatch(batchId, b -> b.status() == BatchStatus.RUNS_DELETE_FAILED
                    || b.status() == BatchStatus.RUNS_DELETED, DEADLINE).orElseThrow();

            List<RunRecord> runs = runRecords(pipeline, batchId);
            long failed = runs.stream().filter(r -> r.deleteStatus() == SubmissionStatus.DELETE_FAILED).count();
            long succeeded = runs.stream().filter(r -> r.deleteStatus() == SubmissionStatus.DELETE_SUCCESS).count();
            assertThat(ended.status()).isEqualTo(BatchStatus.RUNS_DELETE_FAILED);
            assertThat(failed).as("the seed denies some runs and allows others").isBetween(1L, 11L);
            assertThat(failed + succeeded).isEqualTo(12);
            assertThat(ended.count("failedDeleteSubmissionCount")).isEqualTo(failed);
            assertThat(ended.count("successfulDeleteSubmissionCount")).isEqualTo(succeeded);
            // The simulator still holds exactly the denied runs; every record keeps its outcome.
            assertThat(runs).allSatisfy(r -> {
                assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
                assertThat(pipeline.simulator().runStatus(r.runId()).isPresent())
                        .as("run %s still in HealthOmics", r.runId())
                        .isEqualTo(r.deleteStatus() == SubmissionStatus.DELETE_FAILED);
            });
            assertThat(statuses(events, batchId, "RUNS_DELETE_FAILED")).containsSubsequence("PROCESSED", "RUNS_DELETING",
                    "RUNS_DELETE_FAILED");
        }
    }

    private static void cancel(LocalPipeline pipeline, String name, String batchId) {
        pipeline.dropRequest(ResourceDefinitions.CANCEL_PREFIX, name, request(batchId));
    }

    private static byte[] request(String batchId) {
        return ("{\"batchId\": \"" + batchId + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** The batch events a user's rule receives. */
    private static Queue<JsonNode> collectBatchEvents(LocalPipeline pipeline) {
        Queue<JsonNode> events = new ConcurrentLinkedQueue<>();
        pipeline.eventBridge().putRule("user-batch-events",
                "{\"source\":[\"omics-batch\"],\"detail-type\":[\"RunBatch Status Change\"]}", json -> {
                    try {
                        events.add(SettingsJson.MAPPER.readTree(json));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
        return events;
    }

    /** The statuses announced for the batch, once {@code last} has been. */
    private static List<String> statuses(Queue<JsonNode> events, String batchId, String last) {
        TestSupport.await("the " + last + " event", DEADLINE, () -> statusesNow(events, batchId).contains(last));
        return statusesNow(events, batchId);
    }

    private static List<String> statusesNow(Queue<JsonNode> events, String batchId) {
        return events.stream().filter(e -> e.path("detail").path("batchId").asText().equals(batchId))
                .map(e -> e.path("detail").path("status").asText()).toList();
    }
}
