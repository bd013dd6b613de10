package io.omicsbatch.local.pipeline;

import static io.omicsbatch.local.pipeline.PipelineTestSupport.batchIdOf;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.bytes;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.inlineDocument;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.batch.BatchRecord;
import io.omicsbatch.batch.BatchStatus;
import io.omicsbatch.local.cli.LocalCli;
import io.omicsbatch.local.simulator.SimulatorConfig;
import io.omicsbatch.resources.ResourceDefinitions;
import io.omicsbatch.settings.BatchIdentity;
import io.omicsbatch.settings.SettingsJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

/**
 * The operator commands against the local runner, through its endpoint-url (the discovery document) and the SDK:
 * status, runs and list with the managed shapes, and the request documents cancel and resubmit write.
 */
class OperatorCommandsTest {

    private static LocalPipeline pipeline;
    private static String batchId;
    private static BatchRecord batch;
    private static final List<String> smallBatches = new ArrayList<>();

    private record Result(int code, String out, String err) {}

    @BeforeAll
    static void processABatchWithFailuresAndTwoSmallOnes() throws Exception {
        SimulatorConfig c = PipelineTestSupport.simulator(200);
        SimulatorConfig simulator = new SimulatorConfig(3L, 200, 1000, new SimulatorConfig.Range(50, 150), 0.5,
                c.workflows(), SimulatorConfig.Faults.NONE, SimulatorConfig.LambdaFaults.NONE, null);
        pipeline = LocalPipeline.start(LocalPipeline.Options.defaults(simulator).withStartRunTps(200));
        ObjectNode document = inlineDocument("cli", 12);
        document.putObject("tags").put("project", "cli-test");
        batchId = batchIdOf(pipeline.dropSettings("cli.json", bytes(document)), null);
        for (String name : List.of("small-a", "small-b")) {
            smallBatches.add(batchIdOf(pipeline.dropSettings(name + ".json", bytes(inlineDocument(name, 2))), null));
        }
        batch = pipeline.awaitBatch(batchId, b -> b.status() == BatchStatus.PROCESSED, Duration.ofSeconds(120)).orElseThrow();
        assertThat(batch.status()).isEqualTo(BatchStatus.PROCESSED);
        for (String id : smallBatches) {
            assertThat(pipeline.awaitBatch(id, BatchRecord::isFinal, Duration.ofSeconds(120)).orElseThrow().status())
                    .isEqualTo(BatchStatus.PROCESSED);
        }
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    private static Result cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--endpoint-url", pipeline.endpointUrl().toString()));
        CommandLine cli = LocalCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(all.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void statusPrintsTheBatchAndItsCounts() {
        Result result = cli("status", batchId);

        assertThat(result.code()).isZero();
        assertThat(result.out()).contains("Status       PROCESSED", "Total runs   12",
                "completed " + batch.count("completedRunCount"), "failed " + batch.count("failedRunCount"),
                "results/" + batchId + "/runs.csv");
    }

    @Test
    void statusJsonIsTheGetBatchResponseWithTheDocumentsTagsAndDefaultRunSetting() throws Exception {
        Result result = cli("status", batchId, "--json");

        JsonNode json = SettingsJson.MAPPER.readTree(result.out());
        assertThat(result.err()).isEmpty();
        assertThat(json.path("id").asText()).isEqualTo(batchId);
        assertThat(json.path("arn").asText()).isEqualTo("arn:aws:s3:::" + ResourceDefinitions.LOCAL_SETTINGS_BUCKET
                + "/batches/cli.json");
        assertThat(json.path("uuid").asText()).isEqualTo(BatchIdentity.batchUuid(batchId));
        assertThat(json.path("name").asText()).isEqualTo("cli");
        assertThat(json.path("status").asText()).isEqualTo("PROCESSED");
        assertThat(json.path("tags").path("project").asText()).isEqualTo("cli-test");
        assertThat(json.path("defaultRunSetting").path("workflowId").asText()).isEqualTo("1234567");
        assertThat(json.path("totalRuns").asInt()).isEqualTo(12);
        assertThat(json.path("submissionSummary").size()).isEqualTo(7);
        assertThat(json.path("submissionSummary").path("successfulStartSubmissionCount").asInt()).isEqualTo(12);
        assertThat(json.path("submissionSummary").path("successfulCancelSubmissionCount").asInt()).isZero();
        assertThat(json.path("runSummary").path("completedRunCount").asLong() + json.path("runSummary")
                .path("failedRunCount").asLong()).isEqualTo(12);
        assertThat(json.path("processedTime").asText()).isNotBlank();
    }

    @Test
    void runsJsonIsTheListRunsInBatchResponseAndFiltersByStatus() throws Exception {
        Result failed = cli("runs", batchId, "--status", "FAILED", "--json");

        JsonNode response = SettingsJson.MAPPER.readTree(failed.out());
        assertThat(failed.code()).isZero();
        assertThat(response.has("nextToken")).isTrue();
        JsonNode rows = response.path("runs");
        assertThat(rows).hasSize((int) batch.count("failedRunCount"));
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.path("runId").asText()).isNotBlank();
            assertThat(row.path("runInternalUuid").asText()).isNotBlank();
            assertThat(row.path("runArn").asText()).startsWith("arn:aws:omics:");
            assertThat(row.path("status").asText()).isEqualTo("FAILED");
            assertThat(row.path("failureReason").asText()).isNotBlank();
            assertThat(row.path("submissionStatus").asText()).isEqualTo("SUCCESS");
        });

        Result table = cli("runs", batchId, "--submission-status", "SUCCESS");
        assertThat(table.out()).contains("RUN SETTING", "cli-S0", "cli-S11", "12 run(s)");
    }

    @Test
    void listFiltersByNameAndStatusAndPagesWithoutRepeatsOrGaps() throws Exception {
        JsonNode byName = SettingsJson.MAPPER.readTree(cli("list", "--name", "small-a", "--json").out());
        assertThat(byName.path("items")).hasSize(1);
        assertThat(byName.path("items").get(0).path("id").asText()).isEqualTo(smallBatches.get(0));
        assertThat(byName.path("items").get(0).path("workflowId").asText()).isEqualTo("1234567");
        assertThat(byName.path("items").get(0).path("totalRuns").asInt()).isEqualTo(2);
        assertThat(byName.path("nextToken").isNull()).isTrue();

        JsonNode failedOnes = SettingsJson.MAPPER.readTree(cli("list", "--status", "FAILED", "--json").out());
        assertThat(failedOnes.path("items")).isEmpty();

        Set<String> seen = new HashSet<>();
        String token = null;
        int pages = 0;
        do {
            List<String> args = new ArrayList<>(List.of("list", "--status", "PROCESSED", "--max-items", "1", "--json"));
            if (token != null) {
                args.addAll(List.of("--starting-token", token));
            }
            Result page = cli(args.toArray(String[]::new));
            assertThat(page.code()).as(page.err()).isZero();
            JsonNode response = SettingsJson.MAPPER.readTree(page.out());
            // A filtered page examines one batch: it holds it, or none if it is not PROCESSED.
            assertThat(response.path("items").size()).isLessThanOrEqualTo(1);
            for (JsonNode item : response.path("items")) {
                assertThat(item.path("status").asText()).isEqualTo("PROCESSED");
                assertThat(seen.add(item.path("id").asText())).isTrue();
            }
            token = response.path("nextToken").isNull() ? null : response.path("nextToken").asText();
            pages++;
        } while (token != null && pages < 20);
        assertThat(seen).containsAll(smallBatches).contains(batchId);

        Result table = cli("list");
        assertThat(table.out()).contains("BATCH", batchId, "small-b", "3 batch(es)");
        assertThat(cli("list", "--starting-token", "not-a-token!").code()).isEqualTo(2);
    }

    @Test
    void cancelAndResubmitWriteTheirRequestDocumentsAndResubmitPrintsTheNewBatchIdFirst() throws Exception {
        Result cancel = cli("cancel", smallBatches.get(1));
        assertThat(cancel.code()).as(cancel.err()).isZero();
        assertThat(onlyRequest(ResourceDefinitions.CANCEL_PREFIX).path("batchId").asText()).isEqualTo(smallBatches.get(1));

        Result resubmit = cli("resubmit", smallBatches.get(0), "--run-setting-ids", "small-a-S1",
                "--cache-behavior", "CACHE_ALWAYS");
        assertThat(resubmit.code()).as(resubmit.err()).isZero();
        String newBatchId = resubmit.out().lines().findFirst().orElseThrow();
        var s3 = pipeline.aws().s3Client();
        ListObjectVersionsResponse versions = s3.listObjectVersions(b -> b.bucket(ResourceDefinitions.LOCAL_SETTINGS_BUCKET)
                .prefix(ResourceDefinitions.RESUBMIT_PREFIX));
        assertThat(versions.versions()).hasSize(1);
        ObjectVersion written = versions.versions().get(0);
        assertThat(newBatchId).isEqualTo(BatchIdentity.resubmitBatchId(null, ResourceDefinitions.LOCAL_SETTINGS_BUCKET,
                written.key(), written.versionId(), written.eTag()));
        JsonNode request = onlyRequest(ResourceDefinitions.RESUBMIT_PREFIX);
        assertThat(request.path("batchId").asText()).isEqualTo(smallBatches.get(0));
        assertThat(request.path("runSettingIds").get(0).asText()).isEqualTo("small-a-S1");
        assertThat(request.path("cacheBehavior").asText()).isEqualTo("CACHE_ALWAYS");

        Result unknown = cli("delete", "00000000000000000000");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(s3.listObjectsV2(b -> b.bucket(ResourceDefinitions.LOCAL_SETTINGS_BUCKET)
                .prefix(ResourceDefinitions.DELETE_BATCH_PREFIX)).contents()).isEmpty();
    }

    private static JsonNode onlyRequest(String prefix) throws Exception {
        var s3 = pipeline.aws().s3Client();
        var objects = s3.listObjectsV2(b -> b.bucket(ResourceDefinitions.LOCAL_SETTINGS_BUCKET).prefix(prefix)).contents();
        assertThat(objects).hasSize(1);
        assertThat(objects.get(0).key()).endsWith(".json");
        return SettingsJson.MAPPER.readTree(s3.getObjectAsBytes(b -> b.bucket(ResourceDefinitions.LOCAL_SETTINGS_BUCKET)
                .key(objects.get(0).key())).asByteArray());
    }

    @Test
    void anUnknownBatchIsExit1AndABadStatusExit2() {
        Result missing = cli("status", "00000000000000000000");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("no batch 00000000000000000000");

        Result bad = cli("runs", batchId, "--status", "DONE");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--status", "DONE");
    }
}
