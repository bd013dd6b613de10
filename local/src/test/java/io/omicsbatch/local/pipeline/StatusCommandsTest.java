package io.omicsbatch.local.pipeline;

import static io.omicsbatch.local.pipeline.PipelineTestSupport.batchIdOf;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.bytes;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.inlineDocument;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.omicsbatch.batch.BatchRecord;
import io.omicsbatch.batch.BatchStatus;
import io.omicsbatch.cli.Cli;
import io.omicsbatch.local.cli.LocalCli;
import io.omicsbatch.local.simulator.SimulatorConfig;
import io.omicsbatch.settings.SettingsJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code status} and {@code runs} against the local runner's tables, through the SDK and an endpoint override. */
class StatusCommandsTest {

    private static LocalPipeline pipeline;
    private static String batchId;
    private static BatchRecord batch;

    private record Result(int code, String out, String err) {}

    @BeforeAll
    static void processABatchWithFailures() throws Exception {
        SimulatorConfig c = PipelineTestSupport.simulator(200);
        SimulatorConfig simulator = new SimulatorConfig(3L, 200, 1000, new SimulatorConfig.Range(50, 150), 0.5,
                c.workflows(), SimulatorConfig.Faults.NONE, SimulatorConfig.LambdaFaults.NONE, null);
        pipeline = LocalPipeline.start(LocalPipeline.Options.defaults(simulator).withStartRunTps(200));
        batchId = batchIdOf(pipeline.dropSettings("cli.json", bytes(inlineDocument("cli", 12))), null);
        batch = pipeline.awaitBatch(batchId, b -> b.status() == BatchStatus.PROCESSED, Duration.ofSeconds(120)).orElseThrow();
        assertThat(batch.status()).isEqualTo(BatchStatus.PROCESSED);
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    private static Result cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--endpoint-url", pipeline.aws().dynamoDbEndpoint().toString()));
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
    void statusJsonIsTheReportsBatchObject() throws Exception {
        Result result = cli("status", batchId, "--json");

        JsonNode json = SettingsJson.MAPPER.readTree(result.out());
        assertThat(json.path("id").asText()).isEqualTo(batchId);
        assertThat(json.path("status").asText()).isEqualTo("PROCESSED");
        assertThat(json.path("totalRuns").asInt()).isEqualTo(12);
        assertThat(json.path("submissionSummary").path("successfulStartSubmissionCount").asInt()).isEqualTo(12);
        assertThat(json.path("runSummary").path("completedRunCount").asLong() + json.path("runSummary")
                .path("failedRunCount").asLong()).isEqualTo(12);
    }

    @Test
    void runsFiltersByStatusAndPrintsJsonRows() throws Exception {
        Result failed = cli("runs", batchId, "--status", "FAILED", "--json");

        JsonNode rows = SettingsJson.MAPPER.readTree(failed.out());
        assertThat(failed.code()).isZero();
        assertThat(rows).hasSize((int) batch.count("failedRunCount"));
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.path("status").asText()).isEqualTo("FAILED");
            assertThat(row.path("failureReason").asText()).isNotBlank();
            assertThat(row.path("submissionStatus").asText()).isEqualTo("SUCCESS");
        });

        Result table = cli("runs", batchId, "--submission-status", "SUCCESS");
        assertThat(table.out()).contains("RUN SETTING", "cli-S0", "cli-S11", "12 run(s)");
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
