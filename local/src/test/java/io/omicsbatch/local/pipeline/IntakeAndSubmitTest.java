package io.omicsbatch.local.pipeline;

import io.omicsbatch.resources.FunctionEnvironment;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.awaitDrained;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.baseDocument;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.batchIdOf;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.bytes;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.inlineDocument;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.outcomes;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.runRecords;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.runSetting;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.runSettings;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.startRunCalls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.batch.BatchRecord;
import io.omicsbatch.batch.BatchStatus;
import io.omicsbatch.intake.IntakeService;
import io.omicsbatch.batch.RunMessage;
import io.omicsbatch.batch.RunRecord;
import io.omicsbatch.batch.S3ObjectRef;
import io.omicsbatch.batch.SubmissionStatus;
import io.omicsbatch.functions.FunctionSettings;
import io.omicsbatch.local.TestSupport;
import io.omicsbatch.local.simulator.OmicsSimulator;
import io.omicsbatch.resources.ResourceDefinitions;
import io.omicsbatch.settings.BatchSettings;
import io.omicsbatch.settings.BatchSettingsValidator;
import io.omicsbatch.settings.RunRequestMerger;
import io.omicsbatch.settings.SettingsJson;
import io.omicsbatch.settings.BatchIdentity;
import io.omicsbatch.settings.RunsFileFormat;
import io.omicsbatch.settings.SampleSheets;
import io.omicsbatch.settings.TrackingTags;
import io.omicsbatch.settings.ValidationErrors;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Intake and submission end to end on the real stand-ins and the simulator, through the production handlers
 * driven with Lambda's SQS semantics.
 */
class IntakeAndSubmitTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static LocalPipeline pipeline;

    @BeforeAll
    static void start() {
        pipeline = LocalPipeline.start(LocalPipeline.Options.defaults(PipelineTestSupport.simulator(200)).withStartRunTps(200)
                .withEnvironment(FunctionEnvironment.RUNS_FILE_LOCATIONS, "s3://lab-inputs/"));
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    /** Awaits the status; INPROGRESS also accepts PROCESSED (short simulated runs may finish the batch at once). */
    private static BatchRecord awaitStatus(String batchId, BatchStatus status) throws InterruptedException {
        BatchRecord batch = pipeline.awaitBatch(batchId, b -> PipelineTestSupport.reached(b, status), DEADLINE).orElseThrow();
        assertThat(PipelineTestSupport.reached(batch, status)).as("status of batch %s: %s (%s)", batchId, batch.status(),
                batch.failureMessage()).isTrue();
        return batch;
    }

    /** Once every queue is drained: the batch has no run record and made no StartRun call. */
    private void assertNothingSubmitted(String batchId) throws Exception {
        awaitDrained(pipeline, DEADLINE);
        assertThat(runRecords(pipeline, batchId)).isEmpty();
        assertThat(startRunCalls(pipeline, batchId)).isEmpty();
    }

    @Test
    void theExampleBatchIsSubmittedOnceWithEveryMemberOnTheWire() throws Exception {
        byte[] document = TestSupport.repoFile("events/batch-settings.json").getBytes(StandardCharsets.UTF_8);
        S3ObjectRef dropped = pipeline.dropSettings("example.json", document);
        String batchId = batchIdOf(dropped, null);

        BatchRecord batch = awaitStatus(batchId, BatchStatus.INPROGRESS);
        assertThat(batch.totalRuns()).isEqualTo(24);
        assertThat(batch.count("successfulStartSubmissionCount")).isEqualTo(24);
        assertThat(batch.count("failedStartSubmissionCount")).isZero();
        assertThat(batch.count("pendingStartSubmissionCount")).isZero();
        assertThat(batch.settingsObject()).isEqualTo(dropped);

        List<RunRecord> runs = runRecords(pipeline, batchId);
        assertThat(runs).hasSize(24).allSatisfy(run -> {
            assertThat(run.submissionStatus()).isEqualTo(SubmissionStatus.SUCCESS);
            assertThat(run.runId()).isNotBlank();
            assertThat(run.uuid()).isNotBlank();
            assertThat(run.arn()).endsWith("run/" + run.runId());
        });
        List<OmicsSimulator.StartRunCallRecord> calls = startRunCalls(pipeline, batchId);
        assertThat(outcomes(calls, "CREATED")).isEqualTo(24);
        assertThat(calls.stream().filter(c -> c.outcome().equals("CREATED")).map(OmicsSimulator.StartRunCallRecord::runId))
                .containsExactlyInAnyOrderElementsOf(runs.stream().map(RunRecord::runId).toList());

        // The wire body is the merged request, member for member, including what SDK 2.40.2 cannot model.
        BatchSettings settings = new BatchSettingsValidator().validateDocument(new String(document, StandardCharsets.UTF_8)).settings();
        RunRequestMerger merger = new RunRequestMerger(batchId, settings.defaultRunSetting());
        for (var runSetting : settings.batchRunSettings().inlineSettings()) {
            var expected = merger.merge(runSetting).toStartRunBody();
            var received = calls.stream().filter(c -> c.requestId().equals(expected.get("requestId").asText())
                    && c.outcome().equals("CREATED")).findFirst().orElseThrow();
            assertThat(SettingsJson.MAPPER.readTree(received.rawBody())).isEqualTo(expected);
        }
    }

    @Test
    void unmodeledMembersReachTheWire() throws Exception {
        ObjectNode doc = inlineDocument("unmodeled", 2);
        ObjectNode defaults = (ObjectNode) doc.get("defaultRunSetting");
        defaults.put("configurationName", "lab-vpc-config");
        defaults.put("networkingMode", "VPC");
        defaults.putObject("engineSettings").put("profile", "standard");
        ((ObjectNode) doc.get("batchRunSettings").get("inlineSettings").get(1)).putObject("engineSettings").put("profile", "highmem");
        String batchId = batchIdOf(pipeline.dropSettings("unmodeled.json", bytes(doc)), null);
        awaitStatus(batchId, BatchStatus.INPROGRESS);
        Set<String> profiles = new HashSet<>();
        for (OmicsSimulator.StartRunCallRecord call : startRunCalls(pipeline, batchId)) {
            JsonNode body = SettingsJson.MAPPER.readTree(call.rawBody());
            assertThat(body.get("configurationName").asText()).isEqualTo("lab-vpc-config");
            assertThat(body.get("networkingMode").asText()).isEqualTo("VPC");
            assertThat(body.get("scratchStorageMode").asText()).isEqualTo("LOCAL");
            profiles.add(body.get("engineSettings").get("profile").asText());
        }
        assertThat(profiles).containsExactlyInAnyOrder("standard", "highmem");
    }

    @Test
    void aDuplicateNotificationCreatesNothingNew() throws Exception {
        S3ObjectRef dropped = pipeline.dropSettings("twice.json", bytes(inlineDocument("twice", 12)));
        String batchId = batchIdOf(dropped, null);
        awaitStatus(batchId, BatchStatus.INPROGRESS);
        // The same notification again, as S3 and SQS may deliver it.
        String notification = "{\"Records\":[{\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"" + dropped.bucket()
                + "\"},\"object\":{\"key\":\"" + dropped.key() + "\",\"eTag\":\"" + dropped.eTag() + "\""
                + (dropped.versionId() == null ? "" : ",\"versionId\":\"" + dropped.versionId() + "\"") + "}}}]}";
        pipeline.aws().sqsClient().sendMessage(b -> b.queueUrl(pipeline.aws().queueUrl(ResourceDefinitions.INTAKE_QUEUE.name()))
                .messageBody(notification));
        awaitDrained(pipeline, DEADLINE);

        assertThat(runRecords(pipeline, batchId)).hasSize(12);
        List<OmicsSimulator.StartRunCallRecord> calls = startRunCalls(pipeline, batchId);
        assertThat(outcomes(calls, "CREATED")).isEqualTo(12);
        assertThat(calls.stream().map(OmicsSimulator.StartRunCallRecord::requestId).distinct().count()).isEqualTo(12);
        BatchRecord batch = pipeline.batches().get(batchId).orElseThrow();
        assertThat(batch.count("successfulStartSubmissionCount")).isEqualTo(12);
    }

    @Test
    void aRunMessageDeliveredTwiceStartsOneRun() throws Exception {
        ObjectNode doc = inlineDocument("redelivered", 3);
        String batchId = batchIdOf(pipeline.dropSettings("redelivered.json", bytes(doc)), null);
        awaitStatus(batchId, BatchStatus.INPROGRESS);
        RunRecord before = pipeline.runs().get(batchId, "redelivered-S1").orElseThrow();

        BatchSettings settings = new BatchSettingsValidator().validateDocument(doc.toString()).settings();
        var request = new RunRequestMerger(batchId, settings.defaultRunSetting()).merge(settings.batchRunSettings().inlineSettings().get(1));
        String message = new RunMessage(batchId, request.runSettingId(), request.toStartRunBody()).toJson();
        for (int i = 0; i < 2; i++) {
            pipeline.aws().sqsClient().sendMessage(b -> b.queueUrl(pipeline.aws().queueUrl(ResourceDefinitions.RUN_QUEUE.name()))
                    .messageBody(message));
        }
        awaitDrained(pipeline, DEADLINE);

        assertThat(outcomes(startRunCalls(pipeline, batchId), "CREATED")).isEqualTo(3);
        // The submission is as recorded the first time (its status may have moved on since, by events).
        RunRecord after = pipeline.runs().get(batchId, "redelivered-S1").orElseThrow();
        assertThat(after).extracting(RunRecord::submissionStatus, RunRecord::runId, RunRecord::uuid, RunRecord::submittedAt,
                        RunRecord::attempts)
                .containsExactly(before.submissionStatus(), before.runId(), before.uuid(), before.submittedAt(), before.attempts());
        assertThat(pipeline.batches().get(batchId).orElseThrow().count("successfulStartSubmissionCount")).isEqualTo(3);
    }

    @Test
    void aRunRejectedByValidationFailsAloneWithItsReason() throws Exception {
        ObjectNode doc = inlineDocument("rejected", 5);
        // A named version's template is StartRun's to check (GetWorkflow describes the default version), and the
        // simulator's template has no such parameter: StartRun answers ValidationException for that run alone.
        ((ObjectNode) doc.get("defaultRunSetting")).put("workflowVersionName", "v2");
        ((ObjectNode) doc.get("batchRunSettings").get("inlineSettings").get(2).get("parameters")).put("unknown_param", "x");
        String batchId = batchIdOf(pipeline.dropSettings("rejected.json", bytes(doc)), null);

        BatchRecord batch = awaitStatus(batchId, BatchStatus.INPROGRESS);
        assertThat(batch.count("successfulStartSubmissionCount")).isEqualTo(4);
        assertThat(batch.count("failedStartSubmissionCount")).isEqualTo(1);
        assertThat(batch.count("pendingStartSubmissionCount")).isZero();
        RunRecord rejected = pipeline.runs().get(batchId, "rejected-S2").orElseThrow();
        assertThat(rejected.submissionStatus()).isEqualTo(SubmissionStatus.FAILED);
        assertThat(rejected.submissionFailureReason()).isEqualTo("ValidationException");
        assertThat(rejected.submissionFailureMessage()).contains("unknown_param");
        assertThat(rejected.runId()).isNull();
        assertThat(outcomes(startRunCalls(pipeline, batchId), "REJECTED")).isEqualTo(1);
    }

    @Test
    void runsThatDoNotFitTheWorkflowsParameterTemplateFailTheBatchBeforeAnyRunIsSubmitted() throws Exception {
        ObjectNode doc = inlineDocument("template", 6);
        ArrayNode inline = (ArrayNode) doc.get("batchRunSettings").get("inlineSettings");
        ((ObjectNode) inline.get(1).get("parameters")).put("fastq_r3", "s3://lab-inputs/x.fq.gz");
        ((ObjectNode) inline.get(3).get("parameters")).remove("fastq_r2");
        ((ObjectNode) inline.get(4).get("parameters")).putNull("sample_id");
        ((ObjectNode) doc.get("defaultRunSetting").get("parameters")).put("reference", "GRCh38");
        S3ObjectRef dropped = pipeline.dropSettings("template.json", bytes(doc));
        String batchId = batchIdOf(dropped, null);

        BatchRecord batch = awaitStatus(batchId, BatchStatus.FAILED);
        assertThat(batch.failureReason()).isEqualTo("ValidationFailed");
        assertThat(batch.errors()).extracting(BatchRecord.ErrorEntry::pointer, BatchRecord.ErrorEntry::rule)
                .containsExactlyInAnyOrder(
                        tuple("/defaultRunSetting/parameters/reference", "workflow-parameters"),
                        tuple("/batchRunSettings/inlineSettings/1/parameters/fastq_r3", "workflow-parameters"),
                        tuple("/batchRunSettings/inlineSettings/3/parameters", "workflow-parameters"),
                        tuple("/batchRunSettings/inlineSettings/4/parameters", "workflow-parameters"));
        assertThat(batch.errors()).filteredOn(e -> e.pointer().endsWith("/3/parameters")).singleElement()
                .extracting(BatchRecord.ErrorEntry::message).asString()
                .contains("lacks required parameter \"fastq_r2\" of workflow 1234567");
        assertNothingSubmitted(batchId);
    }

    @Test
    void aRunsFilesEntriesAreCheckedAgainstTheParameterTemplateToo() throws Exception {
        ObjectNode doc = baseDocument("template-file");
        doc.putObject("batchRunSettings").put("s3UriSettings", "s3://lab-inputs/template-file/runs.json");
        ArrayNode runs = runSettings("template-file", 300);
        ((ObjectNode) runs.get(257).get("parameters")).put("intervalz", "s3://lab-refs/wgs.bed");
        pipeline.put("lab-inputs", "template-file/runs.json", bytes(runs));
        String batchId = batchIdOf(pipeline.dropSettings("template-file.json", bytes(doc)), null);

        BatchRecord batch = awaitStatus(batchId, BatchStatus.FAILED);
        assertThat(batch.errors()).singleElement().satisfies(error -> {
            assertThat(error.pointer()).isEqualTo("/runs/257/parameters/intervalz");
            assertThat(error.rule()).isEqualTo("workflow-parameters");
            assertThat(error.message()).contains("is not a parameter of workflow 1234567").contains("\"intervals\"");
        });
        assertNothingSubmitted(batchId);
    }

    @Test
    void aSampleSheetBatchStartsExactlyTheRunsOfItsJsonRunsFile() throws Exception {
        ArrayNode runs = runSettings("sheet", 12);
        for (int i = 0; i < runs.size(); i++) {
            ObjectNode run = (ObjectNode) runs.get(i);
            run.put("priority", i % 7);
            run.putObject("runTags").put("cohort", "c" + i % 3).put("note", "a, \"quoted\" välue");
            if (i % 2 == 0) {
                run.put("outputUri", "s3://lab-results/sheet/" + i + "/");
            }
            if (i % 4 == 0) {
                ((ObjectNode) run.get("parameters")).putArray("intervals").add("chr1").add("chr2");
            }
        }
        ValidationErrors errors = new ValidationErrors();
        StringWriter sheet = new StringWriter();
        SampleSheets.fromJson(() -> new ByteArrayInputStream(bytes(runs)), RunsFileFormat.CSV, sheet, errors);
        assertThat(errors.list()).isEmpty();
        assertThat(sheet.toString()).startsWith("runSettingId,name,outputUri,priority,sample_id,fastq_r1,fastq_r2,json:intervals,");
        pipeline.put("lab-inputs", "sheet/runs.json", bytes(runs));
        pipeline.put("lab-inputs", "sheet/samples.csv", sheet.toString().getBytes(StandardCharsets.UTF_8));
        ObjectNode fromJson = baseDocument("sheet");
        fromJson.putObject("batchRunSettings").put("s3UriSettings", "s3://lab-inputs/sheet/runs.json");
        ObjectNode fromSheet = baseDocument("sheet");
        fromSheet.putObject("batchRunSettings").put("s3UriSettings", "s3://lab-inputs/sheet/samples.csv");
        String jsonBatch = batchIdOf(pipeline.dropSettings("sheet-json.json", bytes(fromJson)), null);
        String sheetBatch = batchIdOf(pipeline.dropSettings("sheet-csv.json", bytes(fromSheet)), null);
        // Two batches' submissions on a loaded machine: a generous deadline, the assertions are on what was sent.
        for (String batchId : List.of(jsonBatch, sheetBatch)) {
            BatchRecord batch = pipeline.awaitBatch(batchId, b -> PipelineTestSupport.reached(b, BatchStatus.INPROGRESS),
                    Duration.ofSeconds(180)).orElseThrow();
            assertThat(batch.status()).as("batch %s (%s)", batchId, batch.failureMessage())
                    .isIn(BatchStatus.INPROGRESS, BatchStatus.PROCESSED);
        }

        var jsonBodies = bodiesByRunSettingId(jsonBatch);
        var sheetBodies = bodiesByRunSettingId(sheetBatch);
        assertThat(sheetBodies).hasSize(12);
        assertThat(sheetBodies.keySet()).isEqualTo(jsonBodies.keySet());
        sheetBodies.forEach((id, body) -> {
            JsonNode same = jsonBodies.get(id);
            // Member by member: only what names the batch differs (its id in a tag, the requestId derived from it).
            assertThat(body.fieldNames()).toIterable().containsExactlyInAnyOrderElementsOf(() -> same.fieldNames());
            body.fieldNames().forEachRemaining(member -> {
                if (member.equals("requestId")) {
                    assertThat(body.get(member).asText()).isEqualTo(BatchIdentity.runRequestId(sheetBatch, id));
                } else {
                    assertThat(body.get(member).toString().replace(sheetBatch, "<batch>")).as("%s of %s", member, id)
                            .isEqualTo(same.get(member).toString().replace(jsonBatch, "<batch>"));
                }
            });
        });
        assertThat(sheetBodies.get("sheet-S4").get("parameters").get("intervals").toString()).isEqualTo("[\"chr1\",\"chr2\"]");
        assertThat(sheetBodies.get("sheet-S5").get("priority").asInt()).isEqualTo(5);
    }

    /** The CREATED StartRun calls' bodies of a batch, by the runSettingId their tracking tag names. */
    private static java.util.Map<String, JsonNode> bodiesByRunSettingId(String batchId) throws Exception {
        java.util.Map<String, JsonNode> bodies = new java.util.HashMap<>();
        for (OmicsSimulator.StartRunCallRecord call : startRunCalls(pipeline, batchId)) {
            if (call.outcome().equals("CREATED")) {
                JsonNode body = SettingsJson.MAPPER.readTree(call.rawBody());
                bodies.put(body.get("tags").get(TrackingTags.RUN_SETTING_ID).asText(), body);
            }
        }
        return bodies;
    }

    @Test
    void aWorkflowTheAccountDoesNotHaveFailsTheBatchAtItsWorkflowId() throws Exception {
        ObjectNode doc = inlineDocument("no-workflow", 3);
        ((ObjectNode) doc.get("defaultRunSetting")).put("workflowId", "7654321");
        String batchId = batchIdOf(pipeline.dropSettings("no-workflow.json", bytes(doc)), null);

        BatchRecord batch = awaitStatus(batchId, BatchStatus.FAILED);
        assertThat(batch.errors()).singleElement().satisfies(error -> {
            assertThat(error.pointer()).isEqualTo("/defaultRunSetting/workflowId");
            assertThat(error.rule()).isEqualTo("workflow-not-found");
            assertThat(error.message()).contains("workflow 7654321 does not exist");
        });
        assertNothingSubmitted(batchId);
    }

    @Test
    void anInvalidDocumentFailsWithEveryErrorAndSubmitsNothing() throws Exception {
        ObjectNode doc = inlineDocument("invalid", 3);
        ((ObjectNode) doc.get("defaultRunSetting")).put("roleArn", "arn:aws:s3:::not-a-role");
        ((ObjectNode) doc.get("defaultRunSetting")).putObject("runtags");
        ((ObjectNode) doc.get("batchRunSettings").get("inlineSettings").get(2)).put("runSettingId", "invalid-S0");
        S3ObjectRef dropped = pipeline.dropSettings("invalid.json", bytes(doc));
        String batchId = batchIdOf(dropped, null);

        BatchRecord batch = awaitStatus(batchId, BatchStatus.FAILED);
        assertThat(batch.failureReason()).isEqualTo("ValidationFailed");
        assertThat(batch.errorCount()).isEqualTo(3);
        assertThat(batch.errors()).extracting(BatchRecord.ErrorEntry::rule)
                .containsExactlyInAnyOrder("iam-role-arn", "unknown-member", "duplicate-run-setting-id");
        assertThat(batch.failureMessage()).contains("reports/" + batchId + "/errors.json");

        JsonNode report = SettingsJson.MAPPER.readTree(pipeline.aws().s3Client().getObjectAsBytes(b -> b
                .bucket(dropped.bucket()).key("reports/" + batchId + "/errors.json")).asByteArray());
        assertThat(report.get("errorCount").asInt()).isEqualTo(3);
        assertThat(report.get("errors")).hasSize(3);
        assertThat(report.get("errors").get(0).has("pointer")).isTrue();

        assertNothingSubmitted(batchId);
    }

    @Test
    void aRunsFileReplacedMidBatchFailsTheBatchAndStopsItsRuns() throws Exception {
        ObjectNode doc = baseDocument("replaced");
        doc.putObject("batchRunSettings").put("s3UriSettings", "s3://lab-inputs/replaced/runs.json");
        ArrayNode runs = runSettings("replaced", 250);
        pipeline.put("lab-inputs", "replaced/runs.json", bytes(runs));
        // Outside batches/: no notification, the intake is driven by hand to stop after one chunk.
        S3ObjectRef settings = pipeline.put(pipeline.aws().settingsBucket(), "manual/replaced.json", bytes(doc));
        String batchId = batchIdOf(settings, null);
        AtomicInteger chunks = new AtomicInteger();
        IntakeService intake = pipeline.intake(new IntakeService.Config(200, ResourceDefinitions.RUN_QUEUE.retentionPeriod(), 100, 20));
        IntakeService.Result first = intake.handle(settings, () -> chunks.getAndIncrement() < 1);
        assertThat(first.outcome()).isEqualTo(IntakeService.Outcome.INTERRUPTED);
        assertThat(pipeline.batches().get(batchId).orElseThrow().expandedRuns()).isEqualTo(100);

        runs.remove(249);
        pipeline.put("lab-inputs", "replaced/runs.json", bytes(runs));
        IntakeService.Result resumed = intake.handle(settings, () -> true);
        assertThat(resumed.outcome()).isEqualTo(IntakeService.Outcome.FAILED);
        BatchRecord batch = awaitStatus(batchId, BatchStatus.FAILED);
        assertThat(batch.failureReason()).isEqualTo("RunsFileChanged");

        awaitDrained(pipeline, DEADLINE);
        List<RunRecord> records = runRecords(pipeline, batchId);
        assertThat(records).hasSize(100).allSatisfy(r -> assertThat(r.submissionStatus()).isNotEqualTo(SubmissionStatus.PENDING));
        // Runs created (a throttled attempt before the batch failed created nothing).
        Set<String> started = startRunCalls(pipeline, batchId).stream().filter(c -> c.outcome().equals("CREATED"))
                .map(OmicsSimulator.StartRunCallRecord::requestId).collect(Collectors.toSet());
        assertThat(records.stream().filter(r -> r.submissionStatus() == SubmissionStatus.FAILED))
                .allSatisfy(r -> {
                    assertThat(r.submissionFailureReason()).isEqualTo("BatchFailed");
                    assertThat(started).doesNotContain(r.requestId());
                });
        BatchRecord after = pipeline.batches().get(batchId).orElseThrow();
        assertThat(after.count("successfulStartSubmissionCount") + after.count("failedStartSubmissionCount")).isEqualTo(100);
    }

    @Test
    void aSettingsObjectReplacedBeforeTheExpansionEndsFailsTheBatch() throws Exception {
        ObjectNode doc = inlineDocument("resettled", 5);
        S3ObjectRef settings = pipeline.put(pipeline.aws().settingsBucket(), "manual/resettled.json", bytes(doc));
        String batchId = batchIdOf(settings, null);
        IntakeService intake = pipeline.intake(new IntakeService.Config(200, ResourceDefinitions.RUN_QUEUE.retentionPeriod(), 2, 20));
        AtomicInteger chunks = new AtomicInteger();
        assertThat(intake.handle(settings, () -> chunks.getAndIncrement() < 1).outcome()).isEqualTo(IntakeService.Outcome.INTERRUPTED);

        ((ObjectNode) doc.get("defaultRunSetting")).put("priority", 5);
        pipeline.put(pipeline.aws().settingsBucket(), "manual/resettled.json", bytes(doc));
        assertThat(intake.handle(settings, () -> true).outcome()).isEqualTo(IntakeService.Outcome.FAILED);
        BatchRecord batch = pipeline.batches().get(batchId).orElseThrow();
        assertThat(batch.status()).isEqualTo(BatchStatus.FAILED);
        assertThat(batch.failureReason()).isEqualTo("SettingsChanged");
        awaitDrained(pipeline, DEADLINE);
        assertThat(runRecords(pipeline, batchId)).hasSize(2);
    }

    @Test
    void noSampleIdentifierOrParameterIsLoggedAboveDebug() throws Exception {
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender = new ch.qos.logback.core.read.ListAppender<>();
        appender.start();
        root.addAppender(appender);
        try {
            // Sample ids and parameter values carry a marker; one run is rejected by StartRun (a named workflow
            // version is not checked at intake), one batch by the parameter template, one document is invalid.
            ObjectNode doc = inlineDocument("PHIMARK", 4);
            ((ObjectNode) doc.get("defaultRunSetting")).put("workflowVersionName", "v2");
            ((ObjectNode) doc.get("batchRunSettings").get("inlineSettings").get(1).get("parameters")).put("PHIMARK_param", "PHIMARK-value");
            String batchId = batchIdOf(pipeline.dropSettings("PHIMARK-cohort.json", bytes(doc)), null);
            awaitStatus(batchId, BatchStatus.INPROGRESS);
            ((ObjectNode) doc.get("defaultRunSetting")).remove("workflowVersionName");
            awaitStatus(batchIdOf(pipeline.dropSettings("PHIMARK-template.json", bytes(doc)), null), BatchStatus.FAILED);
            ObjectNode invalid = inlineDocument("PHIMARK-bad", 2);
            ((ObjectNode) invalid.get("batchRunSettings").get("inlineSettings").get(1)).put("runSettingId", "PHIMARK-bad-S0");
            awaitStatus(batchIdOf(pipeline.dropSettings("PHIMARK-bad.json", bytes(invalid)), null), BatchStatus.FAILED);
            awaitDrained(pipeline, DEADLINE);
        } finally {
            root.detachAppender(appender);
        }
        assertThat(appender.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.INFO))
                .allSatisfy(e -> {
                    assertThat(e.getFormattedMessage()).doesNotContain("PHIMARK");
                    if (e.getThrowableProxy() != null) {
                        assertThat(e.getThrowableProxy().getMessage()).doesNotContain("PHIMARK");
                    }
                });
        assertThat(appender.list).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getLoggerName)
                .as("the test saw the handlers' logs").anySatisfy(name -> assertThat(name).startsWith("io.omicsbatch"));
    }

    @Test
    void anIntakeOutOfTimeQueuesItsContinuationAndTheNextInvocationFinishes() throws Exception {
        S3ObjectRef settings = pipeline.put(pipeline.aws().settingsBucket(), "manual/continued.json", bytes(inlineDocument("continued", 6)));
        String batchId = batchIdOf(settings, null);
        var handler = new io.omicsbatch.functions.IntakeHandler(pipeline.intake(), pipeline.components().intakeQueue());
        // The intake queue carries either a notification of batches/*.json or a continuation like this one.
        String continuation = io.omicsbatch.batch.S3Notifications.continuation(settings);
        var event = io.omicsbatch.local.lambda.LambdaEvents.fromJson("{\"Records\":[{\"messageId\":\"m1\",\"receiptHandle\":\"r1\","
                + "\"body\":" + SettingsJson.MAPPER.writeValueAsString(continuation) + ",\"attributes\":{},\"messageAttributes\":{},"
                + "\"eventSource\":\"aws:sqs\",\"awsRegion\":\"us-east-1\"}]}", com.amazonaws.services.lambda.runtime.events.SQSEvent.class);

        // 30 s left is below the intake's one-minute reserve: it stops before the first chunk and queues its continuation.
        var response = handler.handleRequest(event, new io.omicsbatch.local.lambda.LocalContext("intake", Duration.ofSeconds(30)));
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(pipeline.batches().get(batchId).orElseThrow().expandedRuns()).isZero();

        // The pipeline's intake (a fresh invocation with its full timeout) picks the continuation up and finishes.
        BatchRecord batch = awaitStatus(batchId, BatchStatus.INPROGRESS);
        assertThat(batch.expandedRuns()).isEqualTo(6);
        assertThat(batch.count("successfulStartSubmissionCount")).isEqualTo(6);
    }

    @Test
    void aThousandRunBatchFromARunsFileIsAccountedForExactly() throws Exception {
        ObjectNode doc = baseDocument("thousand");
        doc.put("requestId", "thousand-2026-11-21");
        doc.putObject("batchRunSettings").put("s3UriSettings", "s3://lab-inputs/thousand/runs.json");
        ArrayNode runs = runSettings("thousand", 1000);
        pipeline.put("lab-inputs", "thousand/runs.json", bytes(runs));
        S3ObjectRef dropped = pipeline.dropSettings("thousand.json", bytes(doc));
        String batchId = batchIdOf(dropped, "thousand-2026-11-21");

        BatchRecord batch = pipeline.awaitBatch(batchId, b -> PipelineTestSupport.reached(b, BatchStatus.INPROGRESS),
                Duration.ofSeconds(120)).orElseThrow();
        assertThat(batch.status()).isIn(BatchStatus.INPROGRESS, BatchStatus.PROCESSED);
        assertThat(batch.totalRuns()).isEqualTo(1000);
        assertThat(batch.count("successfulStartSubmissionCount")).isEqualTo(1000);
        assertThat(batch.count("pendingStartSubmissionCount")).isZero();
        List<RunRecord> records = runRecords(pipeline, batchId);
        assertThat(records).hasSize(1000).allSatisfy(r -> assertThat(r.submissionStatus()).isEqualTo(SubmissionStatus.SUCCESS));
        assertThat(records.stream().map(RunRecord::runId).distinct().count()).isEqualTo(1000);
        List<OmicsSimulator.StartRunCallRecord> calls = startRunCalls(pipeline, batchId);
        assertThat(outcomes(calls, "CREATED")).isEqualTo(1000);
        assertThat(calls.stream().filter(c -> c.outcome().equals("CREATED")).map(OmicsSimulator.StartRunCallRecord::requestId).distinct().count())
                .isEqualTo(1000);
    }

    @Test
    void aMissingRunsFileFailsTheBatch() throws Exception {
        ObjectNode doc = baseDocument("missing");
        doc.putObject("batchRunSettings").put("s3UriSettings", "s3://lab-inputs/missing/runs.json");
        String batchId = batchIdOf(pipeline.dropSettings("missing.json", bytes(doc)), null);
        BatchRecord batch = awaitStatus(batchId, BatchStatus.FAILED);
        assertThat(batch.failureReason()).isEqualTo("RunsFileNotFound");
        assertThat(batch.failureMessage()).contains("s3://lab-inputs/missing/runs.json");
    }

    @Test
    void aDeadLetteredRunMessageBecomesAFailedSubmissionOnce() throws Exception {
        // A batch whose one run was expanded but never submitted: its message went to the dead-letter queue.
        String batchId = "deadletter0000000001";
        S3ObjectRef source = new S3ObjectRef(pipeline.aws().settingsBucket(), "batches/deadletter.json", null, "etag");
        pipeline.batches().createIfAbsent(BatchRecord.creating(batchId, "deadletter", source, null, java.time.Instant.now()));
        pipeline.batches().markPending(batchId, 1, null);
        pipeline.batches().markSubmitting(batchId);
        pipeline.runs().createPending(List.of(RunRecord.pending(batchId, "dl-S0", "ob-" + batchId + "-x", null,
                "s3://lab-results/dl/", null, java.time.Instant.now())));
        pipeline.batches().acquireExpansionLease(batchId, "test", java.time.Instant.now().plusSeconds(60));
        pipeline.batches().markExpansionComplete(batchId, "test", 1);

        ObjectNode body = SettingsJson.MAPPER.createObjectNode().put("requestId", "ob-" + batchId + "-x");
        String message = new RunMessage(batchId, "dl-S0", body).toJson();
        String deadLetterQueue = pipeline.aws().queueUrl(ResourceDefinitions.RUN_QUEUE.deadLetterQueueName());
        pipeline.aws().sqsClient().sendMessage(b -> b.queueUrl(deadLetterQueue).messageBody(message));

        BatchRecord batch = awaitStatus(batchId, BatchStatus.INPROGRESS);
        RunRecord run = pipeline.runs().get(batchId, "dl-S0").orElseThrow();
        assertThat(run.submissionStatus()).isEqualTo(SubmissionStatus.FAILED);
        assertThat(run.submissionFailureReason()).isEqualTo("MessageDeadLettered");
        assertThat(batch.count("failedStartSubmissionCount")).isEqualTo(1);
        assertThat(batch.count("pendingStartSubmissionCount")).isZero();

        // A second copy changes nothing: the outcome is recorded once.
        pipeline.aws().sqsClient().sendMessage(b -> b.queueUrl(deadLetterQueue).messageBody(message));
        awaitDrained(pipeline, DEADLINE);
        assertThat(pipeline.batches().get(batchId).orElseThrow().counts()).isEqualTo(batch.counts());
        assertThat(startRunCalls(pipeline, batchId)).isEmpty();
    }
}
