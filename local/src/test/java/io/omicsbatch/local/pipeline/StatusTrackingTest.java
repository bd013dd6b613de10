package io.omicsbatch.local.pipeline;

import io.omicsbatch.resources.FunctionEnvironment;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.baseDocument;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.batchIdOf;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.bytes;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.inlineDocument;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.runRecords;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.runSetting;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.batch.AnnouncingBatchStore;
import io.omicsbatch.batch.BatchRecord;
import io.omicsbatch.batch.BatchStatus;
import io.omicsbatch.batch.BatchStore;
import io.omicsbatch.batch.ReconcileService;
import io.omicsbatch.batch.ResultsManifest;
import io.omicsbatch.batch.RunRecord;
import io.omicsbatch.batch.RunStatus;
import io.omicsbatch.batch.S3ObjectRef;
import io.omicsbatch.batch.StartedRun;
import io.omicsbatch.batch.SubmissionStatus;
import io.omicsbatch.functions.FunctionSettings;
import io.omicsbatch.functions.StatusHandler;
import io.omicsbatch.functions.aws.DynamoBatchStore;
import io.omicsbatch.functions.aws.EventBridgeBatchEvents;
import io.omicsbatch.local.TestSupport;
import io.omicsbatch.local.lambda.LambdaEvents;
import io.omicsbatch.local.lambda.LocalContext;
import io.omicsbatch.local.simulator.SimulatorConfig;
import io.omicsbatch.resources.ResourceDefinitions;
import io.omicsbatch.settings.SettingsJson;
import io.omicsbatch.settings.TrackingTags;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * Status tracking on the real stand-ins: HealthOmics events that are duplicated, reordered, delayed and dropped
 * (the simulator's fault injection) still end in records equal to the simulator's own ground truth, with exact
 * counts, a PROCESSED batch, its results manifest and its batch events.
 */
class StatusTrackingTest {

    private static final Duration DEADLINE = Duration.ofSeconds(150);
    private static final String BATCH_EVENTS_PATTERN =
            "{\"source\":[\"omics-batch\"],\"detail-type\":[\"RunBatch Status Change\"]}";

    private static SimulatorConfig simulator(double failRate, SimulatorConfig.Faults faults) {
        SimulatorConfig c = PipelineTestSupport.simulator(200);
        return new SimulatorConfig(7L, 200, 2000, new SimulatorConfig.Range(100, 400), failRate, c.workflows(), faults,
                SimulatorConfig.LambdaFaults.NONE, null);
    }

    private static LocalPipeline.Options options(SimulatorConfig simulator, Duration reconcileEvery) {
        return LocalPipeline.Options.defaults(simulator).withStartRunTps(200)
                .withReconcile(new ReconcileService.Config(Duration.ofSeconds(1), 50,
                        ResourceDefinitions.RUN_QUEUE.retentionPeriod(), LocalPipeline.LOCAL_INTAKE_STALLED_AFTER,
                        ReconcileService.Config.MAX_INTAKE_RESUMES), reconcileEvery)
                .withEnvironment(FunctionEnvironment.RUNS_FILE_LOCATIONS, "s3://lab-inputs/");
    }

    @Test
    void fiveHundredRunsUnderEventFaultsEndExactlyAsTheSimulatorsTruth() throws Exception {
        SimulatorConfig.Faults faults = new SimulatorConfig.Faults(0.05, 0, 0.05, 0.10, true,
                new SimulatorConfig.Range(0, 300));
        try (LocalPipeline pipeline = LocalPipeline.start(options(simulator(0.2, faults), Duration.ofSeconds(1)))) {
            Queue<JsonNode> batchEvents = collectBatchEvents(pipeline);
            ObjectNode doc = baseDocument("fivehundred");
            doc.putObject("batchRunSettings").put("s3UriSettings", "s3://lab-inputs/fivehundred/runs.json");
            ArrayNode runs = SettingsJson.MAPPER.createArrayNode();
            for (int i = 0; i < 500; i++) {
                runs.add(runSetting("fivehundred", i));
            }
            pipeline.put("lab-inputs", "fivehundred/runs.json", bytes(runs));
            String batchId = batchIdOf(pipeline.dropSettings("fivehundred.json", bytes(doc)), null);

            BatchRecord batch = awaitProcessed(pipeline, batchId);

            assertThat(batch.totalRuns()).isEqualTo(500);
            List<RunRecord> records = runRecords(pipeline, batchId);
            assertThat(records).hasSize(500);
            assertEqualToGroundTruth(pipeline, records);
            assertCountsExact(batch, records);
            assertThat(records).filteredOn(r -> r.status() == RunStatus.FAILED).isNotEmpty()
                    .allSatisfy(r -> assertThat(r.failureReason()).isNotBlank());
            assertThat(records).filteredOn(r -> r.status() == RunStatus.COMPLETED).isNotEmpty()
                    .allSatisfy(r -> assertThat(r.runOutputUri()).startsWith("s3://lab-results/fivehundred/"))
                    .allSatisfy(r -> assertThat(r.stopTime()).isAfterOrEqualTo(r.startTime()));
            assertManifestMatches(pipeline, batch, records);
            JsonNode faultsSeen = pipeline.simulator().groundTruth().path("events");
            assertThat(faultsSeen.path("dropped").asLong()).as("events dropped").isPositive();

            TestSupport.await("the PROCESSED event", Duration.ofSeconds(20), () -> statuses(batchEvents, batchId)
                    .contains("PROCESSED"));
            assertThat(statuses(batchEvents, batchId)).containsAll(List.of("CREATING", "PENDING", "SUBMITTING",
                    "INPROGRESS", "PROCESSED"));
            JsonNode processed = batchEvents.stream().filter(e -> e.path("detail").path("batchId").asText().equals(batchId)
                    && e.path("detail").path("status").asText().equals("PROCESSED")).findFirst().orElseThrow();
            // The managed detail's flat string counts, and the batch's ARN as the event's resource.
            assertThat(processed.path("detail").path("completedRunCount").textValue())
                    .isEqualTo(Long.toString(batch.count("completedRunCount")));
            assertThat(processed.path("detail").path("failedRunCount").textValue())
                    .isEqualTo(Long.toString(batch.count("failedRunCount")));
            assertThat(processed.path("resources").get(0).asText()).isEqualTo(processed.path("detail").path("arn").asText())
                    .isEqualTo("arn:aws:s3:::" + ResourceDefinitions.LOCAL_SETTINGS_BUCKET + "/batches/fivehundred.json");
            assertThat(processed.path("detail").path("resultsUri").asText())
                    .isEqualTo("s3://" + ResourceDefinitions.LOCAL_SETTINGS_BUCKET + "/results/" + batchId + "/runs.csv");
            // Batch events name no run parameter or sample.
            assertThat(batchEvents.toString()).doesNotContain("fivehundred-S");
        }
    }

    @Test
    void theReconcilerFinishesABatchWhoseEventsWereAllDropped() throws Exception {
        SimulatorConfig.Faults dropAll = new SimulatorConfig.Faults(0, 0, 1.0, 0, false, new SimulatorConfig.Range(0, 0));
        try (LocalPipeline pipeline = LocalPipeline.start(options(simulator(0.3, dropAll), Duration.ofSeconds(1)))) {
            String batchId = batchIdOf(pipeline.dropSettings("silent.json", bytes(inlineDocument("silent", 40))), null);

            BatchRecord batch = awaitProcessed(pipeline, batchId);

            assertThat(pipeline.simulator().groundTruth().path("events").path("published").asLong()).isZero();
            List<RunRecord> records = runRecords(pipeline, batchId);
            assertEqualToGroundTruth(pipeline, records);
            assertCountsExact(batch, records);
            assertManifestMatches(pipeline, batch, records);
        }
    }

    @Test
    void anEventBeforeTheSubmitRecordIsPlacedByGetRunAndTheTrackingTags() throws Exception {
        try (LocalPipeline pipeline = LocalPipeline.start(options(simulator(0, SimulatorConfig.Faults.NONE), null))) {
            String batchId = "eventfirst0000000001";
            RunRecord pending = pendingBatchOfOne(pipeline, batchId, "early-S0");
            // StartRun succeeded, and the submit function has not written yet (or died before it could).
            ObjectNode body = startRunBody(batchId, pending);
            StartedRun started = pipeline.components().omicsRuns().startRun(body);

            RunRecord adopted = TestSupport.awaitValue("the run recorded from its events", DEADLINE, () ->
                    pipeline.runs().get(batchId, "early-S0").filter(r -> r.status() == RunStatus.COMPLETED));
            assertThat(adopted.submissionStatus()).isEqualTo(SubmissionStatus.SUCCESS);
            assertThat(adopted.runId()).isEqualTo(started.runId());
            assertThat(adopted.uuid()).isEqualTo(started.uuid());
            // The submit function's late write changes nothing: the submission is decided.
            assertThat(pipeline.runs().recordSubmitted(batchId, "early-S0", started)).isFalse();
            BatchRecord batch = awaitProcessed(pipeline, batchId);
            assertThat(batch.count("successfulStartSubmissionCount")).isEqualTo(1);
            assertThat(batch.count("pendingStartSubmissionCount")).isZero();
            assertThat(batch.count("completedRunCount")).isEqualTo(1);
            assertThat(batch.count("pendingRunCount")).isZero();
        }
    }

    @Test
    void eightConcurrentHandlersApplyingShuffledDuplicatedEventsKeepTheCountsExact() throws Exception {
        SimulatorConfig.Faults dropAll = new SimulatorConfig.Faults(0, 0, 1.0, 0, false, new SimulatorConfig.Range(0, 0));
        try (LocalPipeline pipeline = LocalPipeline.start(options(simulator(0.25, dropAll), null))) {
            String batchId = batchIdOf(pipeline.dropSettings("concurrent.json", bytes(inlineDocument("concurrent", 80))), null);
            pipeline.awaitBatch(batchId, b -> b.status() == BatchStatus.INPROGRESS, DEADLINE).orElseThrow();
            assertThat(pipeline.simulator().awaitIdle(DEADLINE)).isTrue();

            // Every status each run went through, each event twice, in random order.
            List<String> events = new ArrayList<>();
            String template = TestSupport.repoFile("events/run-status-change.json");
            for (JsonNode run : pipeline.simulator().groundTruth().path("runs")) {
                RunStatus last = RunStatus.valueOf(run.path("status").asText());
                for (RunStatus status : List.of(RunStatus.PENDING, RunStatus.STARTING, RunStatus.RUNNING,
                        RunStatus.STOPPING, last)) {
                    String event = statusEvent(template, run, status);
                    events.add(event);
                    events.add(event);
                }
            }
            Collections.shuffle(events, new Random(11));
            ExecutorService handlers = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> done = new ArrayList<>();
                List<StatusHandler> instances = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    instances.add(new StatusHandler(pipeline.components().status()));
                }
                for (int i = 0; i < events.size(); i++) {
                    StatusHandler handler = instances.get(i % 8);
                    String json = events.get(i);
                    done.add(handlers.submit(() -> handler.handleRequest(LambdaEvents.fromJson(json, ScheduledEvent.class),
                            new LocalContext("omics-batch-status", Duration.ofSeconds(30)))));
                }
                for (Future<?> future : done) {
                    future.get(60, TimeUnit.SECONDS);
                }
            } finally {
                handlers.shutdownNow();
            }

            BatchRecord batch = awaitProcessed(pipeline, batchId);
            List<RunRecord> records = runRecords(pipeline, batchId);
            assertEqualToGroundTruth(pipeline, records);
            assertCountsExact(batch, records);
            assertManifestMatches(pipeline, batch, records);
        }
    }

    @Test
    void aBatchEventThatCannotBePublishedNeverBlocksTheStatusAndIsPublishedLater() throws Exception {
        try (LocalPipeline pipeline = LocalPipeline.start(options(simulator(0, SimulatorConfig.Faults.NONE), null));
             EventBridgeClient unreachable = pipeline.aws().configure(EventBridgeClient.builder(),
                     URI.create("http://127.0.0.1:1")).overrideConfiguration(o -> o.retryStrategy(
                             software.amazon.awssdk.retries.DefaultRetryStrategy.doNotRetry())).build()) {
            Queue<JsonNode> batchEvents = collectBatchEvents(pipeline);
            DynamoBatchStore table = new DynamoBatchStore(pipeline.aws().dynamoDbClient(),
                    ResourceDefinitions.BATCHES_TABLE.name(), Clock.systemUTC());
            BatchStore outage = new AnnouncingBatchStore(table, new EventBridgeBatchEvents(unreachable, "default", "omics-batch"), "aws");
            String batchId = "unannounced000000001";
            outage.createIfAbsent(newBatch(pipeline, batchId));

            assertThat(outage.markPending(batchId, 1, null)).isTrue();

            BatchRecord stored = table.get(batchId).orElseThrow();
            assertThat(stored.status()).isEqualTo(BatchStatus.PENDING);
            assertThat(stored.unannouncedStatuses()).containsExactlyInAnyOrder(BatchStatus.CREATING, BatchStatus.PENDING);

            pipeline.reconcileNow(); // the reconciler publishes what is left, in lifecycle order

            TestSupport.await("both events", Duration.ofSeconds(20), () -> statuses(batchEvents, batchId).size() == 2);
            assertThat(statuses(batchEvents, batchId)).containsExactly("CREATING", "PENDING");
            assertThat(table.get(batchId).orElseThrow().unannouncedStatuses()).isEmpty();
        }
    }

    // ---- helpers ----

    private static BatchRecord awaitProcessed(LocalPipeline pipeline, String batchId) throws InterruptedException {
        BatchRecord batch = pipeline.awaitBatch(batchId, b -> b.status() == BatchStatus.PROCESSED, DEADLINE).orElseThrow();
        assertThat(batch.status()).as("batch %s: %s", batchId, batch.counts()).isEqualTo(BatchStatus.PROCESSED);
        assertThat(batch.processedTime()).isNotNull();
        return batch;
    }

    /** Every record of a created run equals the simulator's final view of it; no other run exists. */
    private static void assertEqualToGroundTruth(LocalPipeline pipeline, List<RunRecord> records) {
        Map<String, JsonNode> truthByRequest = new HashMap<>();
        for (JsonNode run : pipeline.simulator().groundTruth().path("runs")) {
            truthByRequest.put(run.path("requestId").asText(), run);
        }
        for (RunRecord record : records) {
            JsonNode truth = truthByRequest.get(record.requestId());
            if (record.submissionStatus() == SubmissionStatus.FAILED) {
                assertThat(truth).as("run of a failed submission %s", record.runSettingId()).isNull();
                assertThat(record.submissionFailureReason()).isNotBlank();
                continue;
            }
            assertThat(record.submissionStatus()).as(record.runSettingId()).isEqualTo(SubmissionStatus.SUCCESS);
            assertThat(truth).as("simulator run of %s", record.runSettingId()).isNotNull();
            assertThat(record.runId()).isEqualTo(truth.path("id").asText());
            assertThat(record.uuid()).isEqualTo(truth.path("uuid").asText());
            assertThat(record.arn()).isEqualTo(truth.path("arn").asText());
            assertThat(record.status()).as("status of %s", record.runSettingId())
                    .isEqualTo(RunStatus.valueOf(truth.path("status").asText()));
            assertThat(record.failureReason()).as("failure reason of %s", record.runSettingId())
                    .isEqualTo(truth.path("failureReason").isNull() ? null : truth.path("failureReason").asText());
        }
    }

    /** The batch's counters equal the histogram of its records. */
    private static void assertCountsExact(BatchRecord batch, List<RunRecord> records) {
        assertThat(batch.count("successfulStartSubmissionCount"))
                .isEqualTo(records.stream().filter(r -> r.submissionStatus() == SubmissionStatus.SUCCESS).count());
        assertThat(batch.count("failedStartSubmissionCount"))
                .isEqualTo(records.stream().filter(r -> r.submissionStatus() == SubmissionStatus.FAILED).count());
        assertThat(batch.count("pendingStartSubmissionCount")).isZero();
        Map<RunStatus, Long> histogram = new EnumMap<>(RunStatus.class);
        records.stream().filter(r -> r.status() != null).forEach(r -> histogram.merge(r.status(), 1L, Long::sum));
        for (RunStatus status : RunStatus.values()) {
            assertThat(batch.count(status.countAttribute())).as(status.countAttribute())
                    .isEqualTo(histogram.getOrDefault(status, 0L));
        }
    }

    /** runs.csv and runs.json: one row per run setting, equal to the records. */
    private static void assertManifestMatches(LocalPipeline pipeline, BatchRecord batch, List<RunRecord> records) {
        String bucket = batch.settingsObject().bucket();
        String csv = pipeline.aws().s3Client().getObjectAsBytes(b -> b.bucket(bucket)
                .key(ResultsManifest.key(batch.batchId(), "runs.csv"))).asString(StandardCharsets.UTF_8);
        String[] lines = csv.split("\r\n");
        assertThat(lines[0]).isEqualTo(String.join(",", ResultsManifest.COLUMNS));
        assertThat(lines).hasSize(records.size() + 1);
        Map<String, RunRecord> byId = new HashMap<>();
        records.forEach(r -> byId.put(r.runSettingId(), r));
        for (int i = 1; i < lines.length; i++) {
            String[] cells = lines[i].split(",", -1);
            RunRecord record = byId.get(cells[0]);
            assertThat(record).as("row %d", i).isNotNull();
            assertThat(cells[2]).isEqualTo(record.runId() == null ? "" : record.runId());
            assertThat(cells[4]).isEqualTo(record.submissionStatus().name());
            assertThat(cells[6]).isEqualTo(record.status() == null ? "" : record.status().name());
            assertThat(cells[7]).isEqualTo(record.failureReason() == null ? "" : record.failureReason());
        }
        JsonNode json = readJson(pipeline.aws().s3Client().getObjectAsBytes(b -> b.bucket(bucket)
                .key(ResultsManifest.key(batch.batchId(), "runs.json"))).asByteArray());
        assertThat(json.path("runCount").asInt()).isEqualTo(records.size());
        assertThat(json.path("runs")).hasSize(records.size());
    }

    private static Queue<JsonNode> collectBatchEvents(LocalPipeline pipeline) {
        Queue<JsonNode> events = new ConcurrentLinkedQueue<>();
        pipeline.eventBridge().putRule("user-batch-events", BATCH_EVENTS_PATTERN, json -> events.add(readJson(
                json.getBytes(StandardCharsets.UTF_8))));
        return events;
    }

    private static List<String> statuses(Queue<JsonNode> events, String batchId) {
        return events.stream().filter(e -> e.path("detail").path("batchId").asText().equals(batchId))
                .map(e -> e.path("detail").path("status").asText()).toList();
    }

    private static JsonNode readJson(byte[] bytes) {
        try {
            return SettingsJson.MAPPER.readTree(bytes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String statusEvent(String template, JsonNode run, RunStatus status) {
        ObjectNode event = (ObjectNode) readJson(template.getBytes(StandardCharsets.UTF_8));
        event.put("id", java.util.UUID.randomUUID().toString());
        ObjectNode detail = (ObjectNode) event.get("detail");
        detail.put("arn", run.path("arn").asText());
        detail.put("runId", run.path("id").asText());
        detail.put("uuid", run.path("uuid").asText());
        detail.put("status", status.name());
        detail.remove("runOutputUri");
        return event.toString();
    }

    private static BatchRecord newBatch(LocalPipeline pipeline, String batchId) {
        S3ObjectRef source = new S3ObjectRef(pipeline.aws().settingsBucket(), "batches/" + batchId + ".json", null, "etag");
        return BatchRecord.creating(batchId, batchId, source, null, Instant.now());
    }

    private static RunRecord pendingBatchOfOne(LocalPipeline pipeline, String batchId, String runSettingId) {
        BatchStore batches = pipeline.batches();
        batches.createIfAbsent(newBatch(pipeline, batchId));
        batches.markPending(batchId, 1, null);
        batches.markSubmitting(batchId);
        RunRecord pending = RunRecord.pending(batchId, runSettingId, "ob-" + batchId + "-" + "0".repeat(40), null,
                "s3://lab-results/early/", null, Instant.now());
        pipeline.runs().createPending(List.of(pending));
        batches.acquireExpansionLease(batchId, "test", Instant.now().plusSeconds(60));
        batches.markExpansionComplete(batchId, "test", 1);
        return pending;
    }

    private static ObjectNode startRunBody(String batchId, RunRecord run) {
        ObjectNode body = SettingsJson.MAPPER.createObjectNode();
        body.put("workflowId", "1234567");
        body.put("roleArn", PipelineTestSupport.ROLE);
        body.put("requestId", run.requestId());
        body.put("outputUri", run.outputUri());
        ObjectNode parameters = body.putObject("parameters");
        parameters.put("ref_fasta", "s3://lab-refs/GRCh38.fasta");
        parameters.put("sample_id", "early");
        parameters.put("fastq_r1", "s3://lab-in/early_R1.fastq.gz");
        parameters.put("fastq_r2", "s3://lab-in/early_R2.fastq.gz");
        ObjectNode tags = body.putObject("tags");
        tags.put(TrackingTags.BATCH_ID, batchId);
        tags.put(TrackingTags.RUN_SETTING_ID, run.runSettingId());
        return body;
    }
}
