package io.omicsbatch.local.pipeline;

import static io.omicsbatch.local.pipeline.PipelineTestSupport.awaitDrained;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.batchIdOf;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.bytes;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.inlineDocument;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.outcomes;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.runRecords;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.startRunCalls;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.batch.BatchRecord;
import io.omicsbatch.batch.BatchStatus;
import io.omicsbatch.batch.ResultsManifest;
import io.omicsbatch.batch.RunRecord;
import io.omicsbatch.batch.RunStatus;
import io.omicsbatch.batch.SubmissionStatus;
import io.omicsbatch.batch.SubmitService;
import io.omicsbatch.local.TestSupport;
import io.omicsbatch.local.simulator.SimulatorConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The account's retained-runs quota ({@code maxRetainedRuns} in the simulator), on the real stand-ins. Under RETAIN
 * it never clears by waiting: the submissions beyond it wait their bounded time and fail with the service's reason.
 * Under REMOVE the service deletes ended runs to make room and gives their ids to new runs: the DELETED events and
 * the reused ids leave every record, count and manifest row with its own run's outcome.
 */
class RetainedRunsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(120);

    @Test
    void underRetainTheSubmissionsBeyondTheQuotaWaitTheirBoundedTimeThenFailWithTheReason() throws Exception {
        // Short runs: they end at once, and still count, because RETAIN runs count until deleted.
        SimulatorConfig simulator = PipelineTestSupport.simulator(200).withMaxRetainedRuns(3);
        SubmitService.Config submit = new SubmitService.Config(8, Duration.ofMillis(500), Duration.ofSeconds(5),
                Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(4));
        LocalPipeline.Options options = LocalPipeline.Options.defaults(simulator).withStartRunTps(200).withSubmit(submit);
        try (LocalPipeline pipeline = LocalPipeline.start(options)) {
            ObjectNode doc = inlineDocument("retain", 5);
            ((ObjectNode) doc.get("defaultRunSetting")).put("retentionMode", "RETAIN");
            String batchId = batchIdOf(pipeline.dropSettings("retain.json", bytes(doc)), null);

            BatchRecord batch = pipeline.awaitBatch(batchId, b -> b.status() == BatchStatus.PROCESSED, DEADLINE)
                    .orElseThrow();
            awaitDrained(pipeline, DEADLINE);

            assertThat(batch.status()).as("%s", batch.counts()).isEqualTo(BatchStatus.PROCESSED);
            List<RunRecord> records = runRecords(pipeline, batchId);
            assertThat(records).filteredOn(r -> r.submissionStatus() == SubmissionStatus.SUCCESS).hasSize(3)
                    .allSatisfy(r -> assertThat(r.status()).isEqualTo(RunStatus.COMPLETED));
            assertThat(records).filteredOn(r -> r.submissionStatus() == SubmissionStatus.FAILED).hasSize(2)
                    .allSatisfy(r -> {
                        assertThat(r.submissionFailureReason()).isEqualTo("ServiceQuotaExceededException");
                        assertThat(r.submissionFailureMessage()).contains("retained runs (3)").contains("for the quota");
                    });
            // They waited, more than once each, although no run was active any more.
            assertThat(outcomes(startRunCalls(pipeline, batchId), "QUOTA_EXCEEDED")).isGreaterThanOrEqualTo(2 * 3);
            assertThat(pipeline.simulator().activeRuns()).isZero();
            BatchRecord after = pipeline.batches().get(batchId).orElseThrow();
            assertThat(after.count("successfulStartSubmissionCount")).isEqualTo(3);
            assertThat(after.count("failedStartSubmissionCount")).isEqualTo(2);
            assertThat(after.count("completedRunCount")).isEqualTo(3);
            JsonNode truth = pipeline.simulator().groundTruth();
            assertThat(truth.path("runsDeleted").asInt()).isZero();
            assertThat(truth.path("retainedRuns").asInt()).isEqualTo(3);
        }
    }

    @Test
    void underRemoveDeletedRunsAndTheirReusedIdsLeaveEveryRecordWithItsOwnRunsOutcome() throws Exception {
        int runs = 12;
        int retained = 3;
        SimulatorConfig base = PipelineTestSupport.simulator(200);
        // Events duplicated and delayed (so they overtake one another: a DELETED event may come before its run's
        // COMPLETED one, or a new run's before its predecessor's); a quarter of the runs fail.
        SimulatorConfig.Faults faults = new SimulatorConfig.Faults(0, 0, 0, 0.2, true, new SimulatorConfig.Range(0, 300));
        SimulatorConfig simulator = new SimulatorConfig(7L, 200, base.maxActiveRuns(), new SimulatorConfig.Range(100, 300),
                0.25, base.workflows(), faults, SimulatorConfig.LambdaFaults.NONE, null, retained);
        SubmitService.Config submit = new SubmitService.Config(8, Duration.ofMillis(500), Duration.ofSeconds(5),
                Duration.ofMillis(300), Duration.ofSeconds(1), Duration.ofSeconds(90));
        LocalPipeline.Options options = LocalPipeline.Options.defaults(simulator).withStartRunTps(200).withSubmit(submit);
        try (LocalPipeline pipeline = LocalPipeline.start(options)) {
            ObjectNode doc = inlineDocument("remove", runs);
            ((ObjectNode) doc.get("defaultRunSetting")).put("retentionMode", "REMOVE");
            String batchId = batchIdOf(pipeline.dropSettings("remove.json", bytes(doc)), null);

            pipeline.awaitBatch(batchId, b -> b.status() == BatchStatus.PROCESSED, DEADLINE).orElseThrow();
            assertThat(pipeline.simulator().awaitIdle(DEADLINE)).isTrue();
            Map<String, JsonNode> truth = truthByRequestId(pipeline);
            // A DELETED event that overtook its run's outcome is replaced when the outcome comes: wait for the last.
            TestSupport.await("every record equal to its run's outcome", DEADLINE,
                    () -> runRecords(pipeline, batchId).stream().allMatch(r -> r.status() == outcome(truth.get(r.requestId()))));

            List<RunRecord> records = runRecords(pipeline, batchId);
            assertThat(records).hasSize(runs);
            for (RunRecord record : records) {
                JsonNode run = truth.get(record.requestId());
                assertThat(record.submissionStatus()).isEqualTo(SubmissionStatus.SUCCESS);
                assertThat(record.uuid()).isEqualTo(run.path("uuid").asText());
                assertThat(record.runId()).isEqualTo(run.path("id").asText());
                assertThat(record.status()).as(record.runSettingId()).isIn(RunStatus.COMPLETED, RunStatus.FAILED);
                if (record.failureReason() != null) { // none when the run was deleted before GetRun could read it
                    assertThat(record.failureReason()).isEqualTo(run.path("failureReason").asText());
                }
            }
            // Ids were reused: several records name the same run id, each with its own uuid.
            assertThat(records.stream().map(RunRecord::runId).distinct().count()).isLessThan(runs);
            assertThat(records.stream().map(RunRecord::uuid).distinct().count()).isEqualTo(runs);
            JsonNode groundTruth = pipeline.simulator().groundTruth();
            assertThat(groundTruth.path("runsDeleted").asInt()).isEqualTo(runs - retained);
            assertThat(groundTruth.path("retainedRuns").asInt()).isEqualTo(retained);

            BatchRecord batch = pipeline.batches().get(batchId).orElseThrow();
            assertThat(batch.status()).isEqualTo(BatchStatus.PROCESSED);
            assertThat(batch.count("completedRunCount") + batch.count("failedRunCount")).isEqualTo(runs);
            assertThat(batch.count("completedRunCount"))
                    .isEqualTo(records.stream().filter(r -> r.status() == RunStatus.COMPLETED).count());
            assertThat(batch.count("deletedRunCount")).isZero();
            assertThat(batch.count("successfulStartSubmissionCount")).isEqualTo(runs);
            // The manifest, written again if an outcome came after PROCESSED, has each run's own uuid and outcome.
            TestSupport.await("the manifest equal to the records", DEADLINE, () -> manifestMatches(pipeline, batch, records));
        }
    }

    /** The status a run ended in, deleted since or not. */
    private static RunStatus outcome(JsonNode run) {
        String status = run.hasNonNull("statusBeforeDeletion") ? run.path("statusBeforeDeletion").asText()
                : run.path("status").asText();
        return RunStatus.valueOf(status);
    }

    private static Map<String, JsonNode> truthByRequestId(LocalPipeline pipeline) {
        Map<String, JsonNode> byRequest = new HashMap<>();
        pipeline.simulator().groundTruth().path("runs").forEach(run -> byRequest.put(run.path("requestId").asText(), run));
        return byRequest;
    }

    /** runs.csv: one row per run setting with the record's run id, uuid and status. */
    private static boolean manifestMatches(LocalPipeline pipeline, BatchRecord batch, List<RunRecord> records) {
        String csv = pipeline.aws().s3Client().getObjectAsBytes(b -> b.bucket(batch.settingsObject().bucket())
                .key(ResultsManifest.key(batch.batchId(), "runs.csv"))).asString(StandardCharsets.UTF_8);
        String[] lines = csv.split("\r\n");
        if (lines.length != records.size() + 1) {
            return false;
        }
        Map<String, RunRecord> bySetting = new HashMap<>();
        records.forEach(r -> bySetting.put(r.runSettingId(), r));
        for (int i = 1; i < lines.length; i++) {
            String[] cells = lines[i].split(",", -1);
            RunRecord record = bySetting.get(cells[0]);
            if (record == null || !cells[2].equals(record.runId()) || !cells[3].equals(record.uuid())
                    || !cells[6].equals(record.status().name())) {
                return false;
            }
        }
        return true;
    }
}
