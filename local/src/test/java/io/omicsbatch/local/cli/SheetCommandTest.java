package io.omicsbatch.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.omicsbatch.cli.Cli;
import io.omicsbatch.local.simulator.OmicsSimulator;
import io.omicsbatch.local.simulator.SimulatorConfig;
import io.omicsbatch.settings.SettingsJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SheetCommandTest {

    record Outcome(int exitCode, java.util.List<String> out, String err) {}

    /** The local jar's command line (sheet lives there, beside validate), as a user runs it. */
    static Outcome run(String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cli = LocalCli.commandLine();
        cli.setOut(new java.io.PrintWriter(out));
        cli.setErr(new java.io.PrintWriter(err));
        int code = cli.execute(args);
        return new Outcome(code, out.toString().lines().toList(), err.toString());
    }


    @TempDir
    Path tmp;

    @Test
    void theExampleSheetAndTheExampleRunsFileAreOneAnother() throws IOException {
        Path json = tmp.resolve("runs.json");
        Outcome toJson = run("sheet", "to-json", RepoFiles.resolve("events/samples.csv").toString(), json.toString());
        assertThat(toJson.exitCode()).as(toJson.err()).isZero();
        assertThat(toJson.out()).singleElement().asString().startsWith("wrote " + json + ": ");
        assertThat(SettingsJson.MAPPER.readTree(json.toFile()))
                .isEqualTo(SettingsJson.MAPPER.readTree(RepoFiles.resolve("events/runs.json").toFile()));

        Path sheet = tmp.resolve("samples.csv");
        Outcome fromJson = run("sheet", "from-json", RepoFiles.resolve("events/runs.json").toString(), sheet.toString());
        assertThat(fromJson.exitCode()).as(fromJson.err()).isZero();
        assertThat(Files.readString(sheet)).isEqualTo(Files.readString(RepoFiles.resolve("events/samples.csv")));
    }

    @Test
    void theSheetExampleValidatesAsTheIntakeReadsIt() {
        Outcome outcome = run("validate", RepoFiles.resolve("events/batch-settings-sheet.json").toString(),
                "--runs", RepoFiles.resolve("events/samples.csv").toString());
        assertThat(outcome.exitCode()).as(outcome.err()).isZero();
        assertThat(outcome.out()).singleElement().asString().contains(" runs of workflow 1234567 from s3://")
                .contains("samples.csv");
    }

    @Test
    void aLocalFileOfAnotherFormatThanTheKeyIsAUsageError() {
        Outcome outcome = run("validate", RepoFiles.resolve("events/batch-settings-sheet.json").toString(),
                "--runs", RepoFiles.resolve("events/runs.json").toString());
        assertThat(outcome.exitCode()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(outcome.err()).contains("is a JSON runs file, but the intake reads").contains("as a CSV sample sheet");
    }

    @Test
    void anExistingOutputIsNeverOverwritten() throws IOException {
        Path existing = Files.writeString(tmp.resolve("mine.json"), "keep me");
        Outcome outcome = run("sheet", "to-json", RepoFiles.resolve("events/samples.csv").toString(), existing.toString());
        assertThat(outcome.exitCode()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(outcome.err()).contains("exists; sheet never overwrites a file");
        assertThat(Files.readString(existing)).isEqualTo("keep me");

        Path sheet = Files.writeString(tmp.resolve("in.csv"), "runSettingId\nS1\n");
        Outcome onto = run("sheet", "from-json", RepoFiles.resolve("events/runs.json").toString(), sheet.toString());
        assertThat(onto.exitCode()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(Files.readString(sheet)).isEqualTo("runSettingId\nS1\n");
        // Its own input, too.
        Outcome self = run("sheet", "to-json", sheet.toString(), sheet.toString());
        assertThat(self.exitCode()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(Files.readString(sheet)).isEqualTo("runSettingId\nS1\n");
    }

    @Test
    void aSheetWithErrorsListsThemAndLeavesNoOutput() throws IOException {
        Path sheet = Files.writeString(tmp.resolve("bad.tsv"), "runSettingId\tpriority\nS1\tlow\n");
        Path json = tmp.resolve("out.json");
        Outcome outcome = run("sheet", "to-json", sheet.toString(), json.toString());
        assertThat(outcome.exitCode()).isEqualTo(Cli.EXIT_INVALID);
        assertThat(outcome.out()).containsExactly("/runs/0/priority: must be an integer (digits, optionally after a minus "
                + "sign), got \"low\" (sheet line 2) [sheet-cell]");
        assertThat(outcome.err()).contains("invalid: 1 error in").contains("nothing written");
        assertThat(json).doesNotExist();
    }

    @Test
    void aSheetMustBeNamedCsvOrTsv() {
        Outcome outcome = run("sheet", "from-json", RepoFiles.resolve("events/runs.json").toString(), tmp.resolve("x.txt").toString());
        assertThat(outcome.exitCode()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(outcome.err()).contains("must end in .csv or .tsv");
        assertThat(tmp.resolve("x.txt")).doesNotExist();
    }

    @Test
    void aTemplateComesFromTheWorkflowOnTheSimulator() throws Exception {
        try (OmicsSimulator simulator = OmicsSimulator.builder().config(SimulatorConfig.parse("""
                {"workflows": {"1234567": {"parameterTemplate": {
                    "intervals": {"optional": true}, "sample_id": {"optional": false}, "name": {"optional": true},
                    "fastq_r1": {}}}}}""")).publisher(event -> { }).start()) {
            String endpoint = simulator.endpoint().toString();
            Outcome toStdout = run("sheet", "template", "--workflow", "1234567", "--endpoint-url", endpoint);
            assertThat(toStdout.exitCode()).as(toStdout.err()).isZero();
            assertThat(toStdout.out()).containsExactly("runSettingId,sample_id,fastq_r1,intervals (optional),json:name (optional)");

            Path tsv = tmp.resolve("template.tsv");
            Outcome toFile = run("sheet", "template", "--workflow", "1234567", "--endpoint-url", endpoint, "-o", tsv.toString());
            assertThat(toFile.exitCode()).as(toFile.err()).isZero();
            assertThat(Files.readString(tsv, StandardCharsets.UTF_8))
                    .isEqualTo("runSettingId\tsample_id\tfastq_r1\tintervals (optional)\tjson:name (optional)\n");
            assertThat(run("sheet", "template", "--workflow", "1234567", "--endpoint-url", endpoint, "-o", tsv.toString())
                    .exitCode()).isEqualTo(Cli.EXIT_USAGE);

            Outcome missing = run("sheet", "template", "--workflow", "7654321", "--endpoint-url", endpoint);
            assertThat(missing.exitCode()).isEqualTo(Cli.EXIT_INVALID);
            assertThat(missing.err()).contains("workflow 7654321 does not exist");
        }
    }
}
