package io.omicsbatch.local.pipeline;

import io.omicsbatch.resources.FunctionEnvironment;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.awaitDrained;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.baseDocument;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.batchIdOf;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.bytes;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.inlineDocument;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.runRecords;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.runSettings;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.startRunCalls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.batch.BatchRecord;
import io.omicsbatch.batch.BatchStatus;
import io.omicsbatch.batch.S3ObjectRef;
import io.omicsbatch.functions.FunctionSettings;
import io.omicsbatch.local.simulator.OmicsSimulator;
import io.omicsbatch.local.simulator.SimulatorConfig;
import io.omicsbatch.settings.SettingsJson;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pre-flight of the batch-level fields on the real stand-ins: a role the stack cannot pass, a runs file where
 * the intake may not read one, a runs file S3 refuses, a Nextflow run without its profile's parameters. Each fails
 * the batch with a pointer and a rule before any run record or message exists.
 */
class IntakePreflightTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    /** As a stack deployed with context omicsRoleArns would pass: the default pattern and the tests' role. */
    private static final String PASSABLE = "arn:aws:iam::123456789012:role/omics-batch-*," + PipelineTestSupport.ROLE;
    private static final String NEXTFLOW_WORKFLOW = "7777777";
    private static final String SIMULATOR = """
            {"seed": 11, "startRunTps": 200, "runDurationMillis": {"min": 100, "max": 300},
             "workflows": {
               "1234567": {"parameterTemplate": {"ref_fasta": {}, "sample_id": {}, "fastq_r1": {}, "fastq_r2": {},
                                                 "intervals": {"optional": true}}},
               "7777777": {"parameterTemplate": {"ref_fasta": {}, "sample_id": {}, "fastq_r1": {}, "fastq_r2": {}},
                           "profiles": ["standard", "highmem"],
                           "profileParameterTemplates": {
                             "highmem": {"ref_fasta": {}, "sample_id": {}, "fastq_r1": {}, "fastq_r2": {},
                                         "memory_gb": {"description": "task memory"}}}}}}""";

    private static LocalPipeline pipeline;

    @BeforeAll
    static void start() {
        pipeline = LocalPipeline.start(LocalPipeline.Options.defaults(SimulatorConfig.parse(SIMULATOR)).withStartRunTps(200)
                .withEnvironment(FunctionEnvironment.OMICS_ROLE_ARNS, PASSABLE)
                .withEnvironment(FunctionEnvironment.RUNS_FILE_LOCATIONS, "s3://lab-inputs/"));
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    /** Drops the document, awaits FAILED, and checks that nothing reached the run table, the queue or StartRun. */
    private static BatchRecord awaitRejected(String name, ObjectNode doc) throws Exception {
        String batchId = batchIdOf(pipeline.dropSettings(name + ".json", bytes(doc)), null);
        BatchRecord batch = pipeline.awaitBatch(batchId, b -> b.status() == BatchStatus.FAILED, DEADLINE).orElseThrow();
        assertThat(batch.status()).as("batch %s (%s)", name, batch.failureMessage()).isEqualTo(BatchStatus.FAILED);
        awaitDrained(pipeline, DEADLINE);
        assertThat(runRecords(pipeline, batchId)).isEmpty();
        assertThat(startRunCalls(pipeline, batchId)).isEmpty();
        return batch;
    }

    private static ObjectNode withRunsFile(String name, String runsFileUri) {
        ObjectNode doc = baseDocument(name);
        doc.putObject("batchRunSettings").put("s3UriSettings", runsFileUri);
        return doc;
    }

    @Test
    void aRoleOfAnotherAccountFailsTheBatchAtItsRoleArn() throws Exception {
        ObjectNode doc = inlineDocument("other-account", 3);
        ((ObjectNode) doc.get("defaultRunSetting")).put("roleArn", "arn:aws:iam::210987654321:role/OmicsWorkflowServiceRole");

        BatchRecord batch = awaitRejected("other-account", doc);
        assertThat(batch.failureReason()).isEqualTo("ValidationFailed");
        assertThat(batch.errors()).singleElement().satisfies(error -> {
            assertThat(error.pointer()).isEqualTo("/defaultRunSetting/roleArn");
            assertThat(error.rule()).isEqualTo("role-account");
            assertThat(error.message()).contains("account 210987654321", "runs in account 123456789012");
        });
        JsonNode report = SettingsJson.MAPPER.readTree(pipeline.aws().s3Client().getObjectAsBytes(b -> b
                .bucket(pipeline.aws().settingsBucket()).key("reports/" + batch.batchId() + "/errors.json")).asByteArray());
        assertThat(report.path("errors").get(0).path("rule").asText()).isEqualTo("role-account");
    }

    @Test
    void aRoleOutsideOmicsRoleArnsFailsTheBatchAsNotPassable() throws Exception {
        ObjectNode doc = inlineDocument("not-passable", 3);
        ((ObjectNode) doc.get("defaultRunSetting")).put("roleArn", "arn:aws:iam::123456789012:role/LabAdmin");

        BatchRecord batch = awaitRejected("not-passable", doc);
        assertThat(batch.errors()).extracting(BatchRecord.ErrorEntry::pointer, BatchRecord.ErrorEntry::rule)
                .containsExactly(tuple("/defaultRunSetting/roleArn", "role-not-passable"));
        assertThat(batch.errors().get(0).message()).contains("arn:aws:iam::123456789012:role/omics-batch-*");
    }

    @Test
    void aRunsFileUnderTheSettingsBucketsResultsIsNeverRead() throws Exception {
        // A perfectly valid runs file: only where it lies is wrong.
        String key = "results/0123456789abcdef0123/runs.json";
        pipeline.put(pipeline.aws().settingsBucket(), key, bytes(runSettings("under-results", 3)));

        BatchRecord batch = awaitRejected("under-results",
                withRunsFile("under-results", "s3://" + pipeline.aws().settingsBucket() + "/" + key));
        assertThat(batch.failureReason()).isEqualTo("ValidationFailed");
        assertThat(batch.errors()).singleElement().satisfies(error -> {
            assertThat(error.pointer()).isEqualTo("/batchRunSettings/s3UriSettings");
            assertThat(error.rule()).isEqualTo("runs-file-location");
            assertThat(error.message()).startsWith("lies under s3://" + pipeline.aws().settingsBucket() + "/results/");
        });
    }

    @Test
    void aRunsFileOutsideTheRunsFileLocationsIsRefused() throws Exception {
        pipeline.put("lab-elsewhere", "runs.json", bytes(runSettings("elsewhere", 3)));

        BatchRecord batch = awaitRejected("elsewhere", withRunsFile("elsewhere", "s3://lab-elsewhere/runs.json"));
        assertThat(batch.errors()).extracting(BatchRecord.ErrorEntry::pointer, BatchRecord.ErrorEntry::rule)
                .containsExactly(tuple("/batchRunSettings/s3UriSettings", "runs-file-location"));
    }

    @Test
    void aRunsFileThatAnswers403FailsTheBatchInsteadOfWedgingIt() throws Exception {
        pipeline.put("lab-inputs", "denied/runs.json", bytes(runSettings("denied", 3)));
        pipeline.aws().s3().denyReads("lab-inputs", "denied/");

        BatchRecord batch = awaitRejected("denied", withRunsFile("denied", "s3://lab-inputs/denied/runs.json"));
        assertThat(batch.failureReason()).isEqualTo("RunsFileAccessDenied");
        assertThat(batch.errors()).singleElement().satisfies(error -> {
            assertThat(error.pointer()).isEqualTo("/batchRunSettings/s3UriSettings");
            assertThat(error.rule()).isEqualTo("runs-file-unreadable");
            assertThat(error.message()).contains("s3://lab-inputs/denied/runs.json", "403 Access Denied");
        });
    }

    @Test
    void aRunsFileThatAnswers404FailsTheBatchAtTheSamePointer() throws Exception {
        BatchRecord batch = awaitRejected("absent", withRunsFile("absent", "s3://lab-inputs/absent/runs.json"));
        assertThat(batch.failureReason()).isEqualTo("RunsFileNotFound");
        assertThat(batch.errors()).extracting(BatchRecord.ErrorEntry::pointer, BatchRecord.ErrorEntry::rule)
                .containsExactly(tuple("/batchRunSettings/s3UriSettings", "runs-file-unreadable"));
    }

    @Test
    void aNextflowRunIsCheckedAgainstItsProfilesParameterTemplate() throws Exception {
        ObjectNode doc = nextflowDocument("profile-missing");
        ArrayNode inline = (ArrayNode) doc.get("batchRunSettings").get("inlineSettings");
        ((ObjectNode) inline.get(1)).putObject("engineSettings").put("profile", "highmem"); // lacks memory_gb

        BatchRecord batch = awaitRejected("profile-missing", doc);
        assertThat(batch.failureReason()).isEqualTo("ValidationFailed");
        assertThat(batch.errors()).singleElement().satisfies(error -> {
            assertThat(error.pointer()).isEqualTo("/batchRunSettings/inlineSettings/1/parameters");
            assertThat(error.rule()).isEqualTo("workflow-parameters");
            assertThat(error.message()).contains("lacks required parameter \"memory_gb\" of workflow 7777777 with profile \"highmem\"");
        });
    }

    @Test
    void aNextflowBatchWhoseRunsFitTheirProfilesStartsEveryRun() throws Exception {
        ObjectNode doc = nextflowDocument("profile-ok");
        ArrayNode inline = (ArrayNode) doc.get("batchRunSettings").get("inlineSettings");
        ObjectNode highmem = (ObjectNode) inline.get(1);
        highmem.putObject("engineSettings").put("profile", "highmem");
        ((ObjectNode) highmem.get("parameters")).put("memory_gb", 64);
        S3ObjectRef dropped = pipeline.dropSettings("profile-ok.json", bytes(doc));
        String batchId = batchIdOf(dropped, null);

        BatchRecord batch = pipeline.awaitBatch(batchId, b -> PipelineTestSupport.reached(b, BatchStatus.INPROGRESS),
                DEADLINE).orElseThrow();
        assertThat(PipelineTestSupport.reached(batch, BatchStatus.INPROGRESS)).as("%s (%s)", batch.status(),
                batch.failureMessage()).isTrue();
        assertThat(batch.count("successfulStartSubmissionCount")).isEqualTo(3);
        // The simulator's StartRun checked the highmem run against the highmem template too.
        List<OmicsSimulator.StartRunCallRecord> created = startRunCalls(pipeline, batchId).stream()
                .filter(call -> call.outcome().equals("CREATED")).toList();
        assertThat(created).hasSize(3).anySatisfy(call -> assertThat(SettingsJson.MAPPER.readTree(call.rawBody())
                .path("engineSettings").path("profile").asText()).isEqualTo("highmem"));
    }

    /** Three runs of the Nextflow workflow; without a profile they use "standard" (no template: the workflow's). */
    private static ObjectNode nextflowDocument(String name) {
        ObjectNode doc = inlineDocument(name, 3);
        ((ObjectNode) doc.get("defaultRunSetting")).put("workflowId", NEXTFLOW_WORKFLOW);
        return doc;
    }
}
