package io.omicsbatch.local.cli;

import io.omicsbatch.cli.Cli;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.batch.RunStatus;
import io.omicsbatch.local.TestSupport;
import io.omicsbatch.local.simulator.Account;
import io.omicsbatch.local.simulator.SimulatorConfig;
import io.omicsbatch.settings.SettingsJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The local runner end to end, as a user runs it: the command line in, exit code, report and manifest out. */
class RunCommandTest {

    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        CommandLine cli = LocalCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private static JsonNode json(Path file) throws Exception {
        return SettingsJson.MAPPER.readTree(Files.readAllBytes(file));
    }

    @Test
    void theExampleBatchEndsProcessedWithEveryRunAccountedFor() throws Exception {
        Path report = dir.resolve("out/report.json");

        Result result = run("run", TestSupport.repoPath("events/batch-settings.json").toString(),
                "--config", TestSupport.repoPath("events/sim.json").toString(),
                "--report", report.toString(), "--progress", "lines", "--timeout", "120");

        assertThat(result.code()).as(result.out() + result.err()).isZero();
        assertThat(result.out()).contains("PROCESSED", "submissions  successful 24", "results      s3://");
        JsonNode json = json(report);
        JsonNode batch = json.path("batch");
        assertThat(batch.path("status").asText()).isEqualTo("PROCESSED");
        assertThat(batch.path("totalRuns").asInt()).isEqualTo(24);
        assertThat(batch.path("submissionSummary").path("successfulStartSubmissionCount").asInt()).isEqualTo(24);
        assertThat(batch.path("submissionSummary").path("pendingStartSubmissionCount").asInt()).isZero();
        assertThat(json.path("runs")).hasSize(24).allSatisfy(run -> {
            assertThat(run.path("submissionStatus").asText()).isEqualTo("SUCCESS");
            assertThat(RunStatus.valueOf(run.path("status").asText()).isTerminal()).isTrue();
            assertThat(run.path("runId").asText()).isNotEmpty();
            assertThat(run.path("requestId").asText()).startsWith("ob-" + batch.path("id").asText() + "-");
        });
        assertThat(json.path("simulator").path("runsCreated").asInt()).isEqualTo(24);
        assertThat(json.path("simulator").path("startRunRequests").get(0).path("body").path("workflowId").asText())
                .isEqualTo("1234567");
        assertRunsMatchTruth(json);
        assertThat(Files.readAllLines(dir.resolve("out/report.runs.csv"))).hasSize(25);
        assertThat(json(dir.resolve("out/report.runs.json")).path("runCount").asInt()).isEqualTo(24);
        assertThat(result.out()).contains("manifest     " + dir.resolve("out/report.runs.csv"));

        // The report page beside it, well-formed, its counts the batch's.
        Path page = dir.resolve("out/report.html");
        assertThat(result.out()).contains("report page  " + page);
        org.w3c.dom.Document html = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(page.toFile());
        Map<String, String> counts = new HashMap<>();
        org.w3c.dom.NodeList cells = html.getElementsByTagName("td");
        for (int i = 0; i < cells.getLength(); i++) {
            org.w3c.dom.Element cell = (org.w3c.dom.Element) cells.item(i);
            if (cell.getAttribute("id").startsWith("count-")) {
                counts.put(cell.getAttribute("id"), cell.getTextContent());
            }
        }
        assertThat(counts).containsEntry("count-total", "24").containsEntry("count-submission-SUCCESS", "24");
        assertThat(Integer.parseInt(counts.get("count-run-COMPLETED")) + Integer.parseInt(counts.get("count-run-FAILED")))
                .isEqualTo(24);
        // The message a deployed stack would e-mail, from the final batch event, naming no sample.
        String notification = Files.readString(dir.resolve("out/report.notification.txt"));
        assertThat(notification).contains("is PROCESSED\"", "\"Runs: 24. Submissions: 24 started, 0 failed to start",
                "/results/" + batch.path("id").asText() + "/report.html");
        assertThat(notification).doesNotContain("NA12878");
        assertThat(result.out()).contains("notification (the e-mail a stack deployed with notifyEmail sends):");
    }

    @Test
    void cancelAfterCancelsThroughACancelRequestAndTheRunEndsCancelledWithExitOne() throws Exception {
        ObjectNode config = (ObjectNode) json(TestSupport.repoPath("events/sim.json"));
        config.putObject("runDurationMillis").put("min", 60_000).put("max", 60_000); // nothing ends on its own
        Path configFile = Files.writeString(dir.resolve("long-runs.json"), config.toString());
        Path report = dir.resolve("cancelled/report.json");

        Result result = run("run", TestSupport.repoPath("events/batch-settings.json").toString(),
                "--config", configFile.toString(), "--start-run-tps", "4", "--cancel-after", "3",
                "--report", report.toString(), "--progress", "none", "--timeout", "120");

        assertThat(result.code()).as(result.out() + result.err()).isEqualTo(1);
        assertThat(result.out()).contains("cancel requested after", "s3://omics-batch-settings/cancel/batch-settings.json",
                "CANCELLED");
        JsonNode batch = json(report).path("batch");
        assertThat(batch.path("status").asText()).isEqualTo("CANCELLED");
        JsonNode submissions = batch.path("submissionSummary");
        int started = submissions.path("successfulStartSubmissionCount").asInt();
        assertThat(started).isBetween(3, 23);
        assertThat(started + submissions.path("failedStartSubmissionCount").asInt()).isEqualTo(24);
        assertThat(submissions.path("successfulCancelSubmissionCount").asInt()).isEqualTo(started);
        assertThat(batch.path("runSummary").path("cancelledRunCount").asInt()).isEqualTo(started);
        assertThat(json(report).path("simulator").path("runsCreated").asInt()).isEqualTo(started);
    }

    @Test
    void aRunsFileNextToTheReportStaysUntouched() throws Exception {
        // The user keeps the runs file as out/runs.json, the name the manifest once had, and the report beside it.
        Path runsFile = dir.resolve("out/runs.json");
        Files.createDirectories(runsFile.getParent());
        Files.copy(TestSupport.repoPath("events/runs.json"), runsFile);
        byte[] runsBefore = Files.readAllBytes(runsFile);
        ObjectNode settings = (ObjectNode) json(TestSupport.repoPath("events/batch-settings-s3.json"));
        ((ObjectNode) settings.path("batchRunSettings")).put("s3UriSettings", "s3://omics-batch-settings/runs/cohort-b.json");
        Path settingsFile = Files.writeString(dir.resolve("out/settings.json"), settings.toString());
        Path report = dir.resolve("out/report.json");

        Result result = run("run", settingsFile.toString(), "--put", "s3://omics-batch-settings/runs/cohort-b.json=" + runsFile,
                "--config", TestSupport.repoPath("events/sim.json").toString(),
                "--report", report.toString(), "--progress", "none", "--timeout", "120");

        assertThat(result.code()).as(result.out() + result.err()).isZero();
        assertThat(Files.readAllBytes(runsFile)).as("the runs file").isEqualTo(runsBefore);
        int runs = SettingsJson.MAPPER.readTree(runsBefore).size();
        assertThat(json(dir.resolve("out/report.runs.json")).path("runCount").asInt()).isEqualTo(runs);
        assertThat(Files.readAllLines(dir.resolve("out/report.runs.csv"))).hasSize(runs + 1);
    }

    @Test
    void anOutputThatWouldReplaceAnInputIsRefusedBeforeAnythingRuns() throws Exception {
        Path settings = dir.resolve("settings.json");
        Files.copy(TestSupport.repoPath("events/batch-settings.json"), settings);
        Path config = dir.resolve("sim.runs.json");
        Files.copy(TestSupport.repoPath("events/sim.json"), config);
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), settings);
        byte[] settingsBefore = Files.readAllBytes(settings);
        byte[] configBefore = Files.readAllBytes(config);

        Result sameAsSettings = run("run", settings.toString(), "--report", dir.resolve(".").resolve("settings.json").toString());
        Result throughALink = run("run", settings.toString(), "--report", link.toString());
        // The manifest of report sim.json would be sim.runs.json: the config.
        Result manifestOnConfig = run("run", settings.toString(), "--config", config.toString(),
                "--report", dir.resolve("sim.json").toString());

        for (Result refused : List.of(sameAsSettings, throughALink, manifestOnConfig)) {
            assertThat(refused.code()).as(refused.out() + refused.err()).isEqualTo(2);
            assertThat(refused.out()).doesNotContain("omics-batch local run");
        }
        assertThat(sameAsSettings.err()).contains("which is the input file " + settings);
        assertThat(throughALink.err()).contains("would write " + link + ", which is the input file " + settings);
        assertThat(manifestOnConfig.err()).contains("would write " + config + ", which is the input file " + config);
        assertThat(Files.readAllBytes(settings)).isEqualTo(settingsBefore);
        assertThat(Files.readAllBytes(config)).isEqualTo(configBefore);
    }

    @Test
    void manifestsAreNamedAfterTheReport() {
        assertThat(RunCommand.manifestCopy(Path.of("out/report.json"), "runs.csv")).isEqualTo(Path.of("out/report.runs.csv"));
        assertThat(RunCommand.manifestCopy(Path.of("report"), "runs.json")).isEqualTo(Path.of("report.runs.json"));
        assertThat(RunCommand.manifestCopy(Path.of("a.b/.report"), "runs.json")).isEqualTo(Path.of("a.b/.report.runs.json"));
    }

    @Test
    void aDocumentWhoseRoleIsInAnotherAccountIsRehearsedInThatAccountAndEveryRunStarts() throws Exception {
        ObjectNode settings = (ObjectNode) json(TestSupport.repoPath("events/batch-settings.json"));
        ((ObjectNode) settings.path("defaultRunSetting")).put("roleArn", "arn:aws:iam::210987654321:role/omics-batch-rehearsal");
        Path settingsFile = Files.writeString(dir.resolve("own-account.json"), settings.toString());
        Path report = dir.resolve("own-account-report.json");

        Result result = run("run", settingsFile.toString(), "--config", TestSupport.repoPath("events/sim.json").toString(),
                "--report", report.toString(), "--progress", "none", "--timeout", "120");

        assertThat(result.code()).as(result.out() + result.err()).isZero();
        assertThat(result.out()).contains("account 210987654321");
        JsonNode json = json(report);
        assertThat(json.path("batch").path("submissionSummary").path("successfulStartSubmissionCount").asInt()).isEqualTo(24);
        assertThat(json.path("runs")).hasSize(24)
                .allSatisfy(run -> assertThat(run.path("submissionStatus").asText()).isEqualTo("SUCCESS"));
        assertThat(json.path("simulator").path("account").asText()).isEqualTo("210987654321");
        assertThat(json.path("simulator").path("runs")).hasSize(24)
                .allSatisfy(run -> assertThat(run.path("arn").asText()).contains(":210987654321:run/"));
    }

    @Test
    void theConfigsAccountWinsOverTheDocumentsAndAnUnreadableDocumentKeepsTheDefault() {
        byte[] chinaRole = "{\"defaultRunSetting\": {\"roleArn\": \"arn:aws-cn:iam::210987654321:role/R\"}}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        SimulatorConfig configured = SimulatorConfig.parse("{\"account\": \"111122223333\"}");

        assertThat(RunCommand.rehearsedAccount(SimulatorConfig.defaults(), chinaRole))
                .isEqualTo(new Account("aws-cn", "210987654321"));
        assertThat(RunCommand.rehearsedAccount(configured, chinaRole)).isEqualTo(new Account("aws", "111122223333"));
        assertThat(RunCommand.rehearsedAccount(SimulatorConfig.defaults(), "{\"defaultRunSetting\": ".getBytes(
                java.nio.charset.StandardCharsets.UTF_8))).isEqualTo(Account.DEFAULT);
        assertThat(RunCommand.rehearsedAccount(SimulatorConfig.defaults(), "{\"defaultRunSetting\": {\"roleArn\": 7}}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEqualTo(Account.DEFAULT);
    }

    @Test
    void anInvalidDocumentEndsFailedWithItsErrorsAndNoStartRun() throws Exception {
        Path settings = dir.resolve("broken.json");
        Files.writeString(settings, "{\"batchName\": \"broken\", \"defaultRunSetting\": {\"workflowId\": \"12ab\","
                + " \"roleArn\": \"arn:aws:iam::123456789012:role/R\"}, \"batchRunSettings\": {\"inlineSettings\": "
                + "[{\"runSettingId\": \"a\", \"outputUri\": \"s3://b/o/\"}]}}");
        Path report = dir.resolve("broken-report.json");

        Result result = run("run", settings.toString(), "--report", report.toString(), "--progress", "none",
                "--timeout", "60");

        assertThat(result.code()).as(result.out() + result.err()).isEqualTo(1);
        assertThat(result.out()).contains("FAILED", "/defaultRunSetting/workflowId");
        JsonNode json = json(report);
        assertThat(json.path("batch").path("status").asText()).isEqualTo("FAILED");
        assertThat(json.path("batch").path("failureReason").asText()).isNotBlank();
        assertThat(json.path("batch").path("errors")).isNotEmpty()
                .anySatisfy(e -> assertThat(e.path("pointer").asText()).isEqualTo("/defaultRunSetting/workflowId"));
        assertThat(json.path("runs")).isEmpty();
        assertThat(json.path("simulator").path("startRunCalls").asInt()).isZero();
        assertThat(dir.resolve("runs.csv")).doesNotExist();
    }

    @Test
    void aChaosRunCreatesEveryRunOnceAndEndsEqualToTheSimulatorsTruth() throws Exception {
        int runs = 500;
        ObjectNode settings = SettingsJson.MAPPER.createObjectNode();
        settings.put("batchName", "chaos");
        ObjectNode defaults = settings.putObject("defaultRunSetting");
        defaults.put("workflowId", "7654321");
        defaults.put("roleArn", "arn:aws:iam::123456789012:role/OmicsWorkflowServiceRole");
        defaults.put("outputUri", "s3://lab-results/chaos/");
        defaults.putObject("parameters").put("ref", "s3://lab-refs/GRCh38.fasta");
        settings.putObject("batchRunSettings").put("s3UriSettings", "s3://lab-inputs/chaos/runs.json");
        ArrayNode entries = SettingsJson.MAPPER.createArrayNode();
        for (int i = 0; i < runs; i++) {
            entries.addObject().put("runSettingId", "C" + i).putObject("parameters").put("sample", "C" + i);
        }
        Path settingsFile = dir.resolve("chaos.json");
        Path runsFile = dir.resolve("runs.json");
        Files.writeString(settingsFile, settings.toString());
        Files.writeString(runsFile, entries.toString());
        Path report = dir.resolve("chaos-report.json");

        // 5% internal errors, 10% duplicated and 5% dropped events, reordered and delayed, 5% submit crashes after
        // StartRun, and a submit rate twice the account's quota (throttling).
        Result result = run("run", settingsFile.toString(), "--put", "s3://lab-inputs/chaos/runs.json=" + runsFile,
                "--config", TestSupport.repoPath("events/sim-chaos.json").toString(), "--start-run-tps", "50",
                "--report", report.toString(), "--progress", "lines", "--timeout", "300");

        assertThat(result.code()).as(result.out() + result.err()).isZero();
        JsonNode json = json(report);
        JsonNode simulator = json.path("simulator");
        assertThat(simulator.path("runsCreated").asInt()).as("runs created = run settings").isEqualTo(runs);
        assertThat(simulator.path("throttledCalls").asInt()).as("throttled calls").isPositive();
        assertThat(simulator.path("apiFaults").path("internalErrors").asInt()).isPositive();
        assertThat(simulator.path("events").path("dropped").asInt()).isPositive();
        assertThat(result.out()).contains("PROCESSED");
        assertThat(json.path("runs")).hasSize(runs)
                .allSatisfy(run -> assertThat(run.path("submissionStatus").asText()).isEqualTo("SUCCESS"));
        assertRunsMatchTruth(json);
    }

    /**
     * The intake killed mid-expansion (30% of chunks, between records and messages, mid-send or after the checkpoint)
     * while every notification arrives three times at once, together with the event faults and submit crashes of a
     * chaos run: every run setting is started exactly once and every status and count is exact.
     */
    @Test
    void anIntakeKilledMidExpansionWithEveryNotificationTripledStillStartsEachRunOnceWithExactCounts() throws Exception {
        int runs = 2000;
        ObjectNode settings = SettingsJson.MAPPER.createObjectNode();
        settings.put("batchName", "intake-faults");
        // A requestId makes the batch id, and with it every injected crash, the same on every run of this test.
        settings.put("requestId", "intake-faults-2026");
        ObjectNode defaults = settings.putObject("defaultRunSetting");
        defaults.put("workflowId", "7654321");
        defaults.put("roleArn", "arn:aws:iam::123456789012:role/omics-batch-rehearsal");
        defaults.put("outputUri", "s3://lab-results/intake-faults/");
        settings.putObject("batchRunSettings").put("s3UriSettings", "s3://omics-batch-settings/runs/intake-faults.json");
        ArrayNode entries = SettingsJson.MAPPER.createArrayNode();
        for (int i = 0; i < runs; i++) {
            entries.addObject().put("runSettingId", "F" + i).putObject("parameters").put("sample", "F" + i);
        }
        Path settingsFile = Files.writeString(dir.resolve("intake-faults.json"), settings.toString());
        Path runsFile = Files.writeString(dir.resolve("intake-faults-runs.json"), entries.toString());
        // With seed 2026 the first expansion dies at the latest when it saves its first checkpoint (IntakeCrashes draws
        // from the seed, the chunk and its attempt): crashes are injected whatever the timing.
        Path config = Files.writeString(dir.resolve("sim-intake-faults.json"), """
                {"seed": 2026, "startRunTps": 100, "maxActiveRuns": 5000, "runDurationMillis": {"min": 200, "max": 1500},
                 "failRate": 0.1,
                 "faults": {"internalErrorRate": 0.02, "dropEventRate": 0.02, "duplicateEventRate": 0.05,
                            "reorderEvents": true, "eventDelayMillis": {"min": 0, "max": 300}},
                 "lambdaFaults": {"crashAfterStartRunRate": 0.01, "intakeCrashRate": 0.3, "duplicateNotifications": 3}}
                """);
        Path report = dir.resolve("intake-faults-report.json");

        Result result = run("run", settingsFile.toString(), "--put", "s3://omics-batch-settings/runs/intake-faults.json=" + runsFile,
                "--config", config.toString(), "--report", report.toString(), "--progress", "lines", "--timeout", "600");

        assertThat(result.code()).as(result.out()).isZero();
        JsonNode json = json(report);
        assertThat(json.path("runner").path("intakeCrashes").asLong()).as("intake crashes injected").isPositive();
        assertThat(json.path("runner").path("duplicateNotifications").asLong()).as("duplicates delivered").isEqualTo(2);
        JsonNode batch = json.path("batch");
        assertThat(batch.path("totalRuns").asInt()).isEqualTo(runs);
        JsonNode submissions = batch.path("submissionSummary");
        assertThat(submissions.path("successfulStartSubmissionCount").asInt()).isEqualTo(runs);
        assertThat(submissions.path("failedStartSubmissionCount").asInt()).isZero();
        assertThat(submissions.path("pendingStartSubmissionCount").asInt()).isZero();
        List<String> runSettingIds = new java.util.ArrayList<>();
        json.path("runs").forEach(run -> runSettingIds.add(run.path("runSettingId").asText()));
        assertThat(runSettingIds).as("one record per run setting").hasSize(runs).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, runs).mapToObj(i -> "F" + i).toList());
        assertThat(json.path("runs")).allSatisfy(run -> assertThat(run.path("submissionStatus").asText()).isEqualTo("SUCCESS"));
        // None started twice, none missing: one created run per run setting, each the one its record names. Failure
        // reasons are not compared: a submit retried after its run failed may record FAILED from StartRun's answer,
        // which has no reason (docs/reliability.md, what is not covered).
        assertThat(json.path("simulator").path("runsCreated").asInt()).as("runs created").isEqualTo(runs);
        assertStatusesMatchTruth(json);
    }

    @Test
    void keepRunningLeavesTheTablesUpForStatusQueriesUntilInterrupted() throws Exception {
        StringWriter out = new StringWriter();
        int[] code = {-1};
        Thread runner = new Thread(() -> {
            CommandLine cli = LocalCli.commandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(new StringWriter()));
            code[0] = cli.execute("run", TestSupport.repoPath("events/batch-settings.json").toString(),
                    "--config", TestSupport.repoPath("events/sim.json").toString(), "--progress", "none",
                    "--keep-running", "--timeout", "120");
        }, "run-keep-running");
        runner.start();
        try {
            String hint = TestSupport.awaitValue("the keep-running hint", java.time.Duration.ofSeconds(120), () ->
                    out.toString().lines().filter(l -> l.startsWith("stand-ins kept running")).findFirst());
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("status (\\w+) --endpoint-url (\\S+)").matcher(hint);
            assertThat(m.find()).as(hint).isTrue();
            assertThat(out.toString().lines()).contains("endpoint-url " + m.group(2));

            Result status = run("status", m.group(1), "--endpoint-url", m.group(2), "--json");

            assertThat(status.code()).isZero();
            assertThat(SettingsJson.MAPPER.readTree(status.out()).path("status").asText()).isEqualTo("PROCESSED");
        } finally {
            runner.interrupt();
            runner.join(30_000);
        }
        assertThat(runner.isAlive()).isFalse();
        assertThat(code[0]).isZero();
    }

    @Test
    void usageErrorsAreExit2() {
        assertThat(run("run", dir.resolve("missing.json").toString()).code()).isEqualTo(2);
        Result badPut = run("run", TestSupport.repoPath("events/batch-settings.json").toString(), "--put", "nonsense");
        assertThat(badPut.code()).isEqualTo(2);
        assertThat(badPut.err()).contains("--put must be s3://bucket/key=<local file>");
        assertThat(run("run").code()).isEqualTo(2);
    }

    /** Every run equals the simulator's truth for its requestId, and the batch's counts are the runs' histogram. */
    private static void assertRunsMatchTruth(JsonNode report) {
        assertStatusesMatchTruth(report);
        Map<String, JsonNode> truth = new HashMap<>();
        report.path("simulator").path("runs").forEach(run -> truth.put(run.path("requestId").asText(), run));
        for (JsonNode run : report.path("runs")) {
            assertThat(run.path("failureReason")).as("failure reason of %s", run.path("runSettingId").asText())
                    .isEqualTo(truth.get(run.path("requestId").asText()).path("failureReason"));
        }
    }

    /**
     * Every run is the simulator's run for its requestId (ids and uuid) in the simulator's status, and the batch's
     * counts are the runs' histogram.
     */
    private static void assertStatusesMatchTruth(JsonNode report) {
        Map<String, JsonNode> truth = new HashMap<>();
        report.path("simulator").path("runs").forEach(run -> truth.put(run.path("requestId").asText(), run));
        Map<String, Long> histogram = new HashMap<>();
        for (JsonNode run : report.path("runs")) {
            JsonNode simulated = truth.get(run.path("requestId").asText());
            assertThat(simulated).as("simulator run of %s", run.path("runSettingId").asText()).isNotNull();
            assertThat(run.path("runId").asText()).isEqualTo(simulated.path("id").asText());
            assertThat(run.path("uuid").asText()).isEqualTo(simulated.path("uuid").asText());
            assertThat(run.path("status").asText()).as("status of %s", run.path("runSettingId").asText())
                    .isEqualTo(simulated.path("status").asText());
            histogram.merge(RunStatus.valueOf(run.path("status").asText()).countAttribute(), 1L, Long::sum);
        }
        JsonNode summary = report.path("batch").path("runSummary");
        for (RunStatus status : RunStatus.values()) {
            assertThat(summary.path(status.countAttribute()).asLong()).as(status.countAttribute())
                    .isEqualTo(histogram.getOrDefault(status.countAttribute(), 0L));
        }
        assertThat(report.path("simulator").path("runsCreated").asInt()).isEqualTo(report.path("runs").size());
    }
}
