package io.omicsbatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.omicsbatch.settings.ErrorListing;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ValidateCommandTest {

    @TempDir
    Path tmp;

    record Outcome(int exitCode, List<String> out, String err) {}

    static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Cli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Outcome(code, out.toString().lines().toList(), err.toString());
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(tmp.resolve(name), content);
    }

    private static final String S3_DOCUMENT = """
            {"batchName": "cohort-7",
             "defaultRunSetting": {"workflowId": "1234567",
               "roleArn": "arn:aws:iam::123456789012:role/OmicsWorkflowServiceRole",
               "outputUri": "s3://lab-results/wgs/"},
             "batchRunSettings": {"s3UriSettings": "s3://lab-batches/cohort-7/runs.json"}}
            """;

    @Test
    void theInlineExampleIsValidWithASummaryLine() {
        Outcome outcome = run("validate", RepoFiles.resolve("events/batch-settings.json").toString());
        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.out()).singleElement().satisfies(line ->
                assertThat(line).startsWith("valid: batch ").contains("24 runs of workflow 1234567").contains("inline"));
    }

    @Test
    void theS3ExampleIsValidWithItsRunsFile() {
        Outcome outcome = run("validate", RepoFiles.resolve("events/batch-settings-s3.json").toString(),
                "--runs", RepoFiles.resolve("events/runs.json").toString());
        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.out()).singleElement().satisfies(line -> assertThat(line).matches("valid: batch .*, \\d+ runs of workflow .*"));
    }

    @Test
    void withoutItsRunsFileTheSummarySaysItWasNotChecked() throws IOException {
        Outcome outcome = run("validate", write("s.json", S3_DOCUMENT).toString());
        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.out()).singleElement().satisfies(line -> assertThat(line).contains("runs file not checked"));
    }

    @Test
    void anInvalidDocumentPrintsOneLinePerErrorAndExitsOne() throws IOException {
        Path doc = write("bad.json", """
                {"defaultRunSetting": {"workflowId": "wf-1", "roleArn": "arn:aws:s3:::bucket", "runtags": {}},
                 "batchRunSettings": {"inlineSettings": [{"runSettingId": "a", "outputUri": "s3://lab-results/a/"}]}}
                """);
        Outcome outcome = run("validate", doc.toString());
        assertThat(outcome.exitCode()).isEqualTo(Cli.EXIT_INVALID);
        assertThat(outcome.out()).containsExactly(
                "/defaultRunSetting/workflowId: must contain only the digits 0-9 [pattern]",
                "/defaultRunSetting/runtags: unknown member \"runtags\" in DefaultRunSetting; did you mean \"runTags\"? [unknown-member]",
                "/defaultRunSetting/roleArn: must be an IAM role ARN, arn:aws:iam::<12-digit account id>:role/<name>, got \"arn:aws:s3:::bucket\" [iam-role-arn]");
        assertThat(outcome.err()).contains("invalid: 3 errors");
    }

    @Test
    void runsFileErrorsArePointedUnderRuns() throws IOException {
        Path doc = write("s.json", S3_DOCUMENT);
        Path runs = write("runs.json", "[{\"runSettingId\": \"NA12878\"}, {\"runSettingId\": \"NA12878\", \"priority\": \"high\"}]");
        Outcome outcome = run("validate", doc.toString(), "--runs", runs.toString());
        assertThat(outcome.exitCode()).isEqualTo(Cli.EXIT_INVALID);
        assertThat(outcome.out()).containsExactly(
                "/runs/1/priority: must be a whole number, got a string [type]",
                "/runs/1/runSettingId: runSettingId \"NA12878\" is already used at /runs/0/runSettingId; runSettingIds must be unique within a batch [duplicate-run-setting-id]");
    }

    @Test
    void aSyntaxErrorNamesLineAndColumn() throws IOException {
        Outcome outcome = run("validate", write("broken.json", "{\n  \"batchName\": \"x\",\n}").toString());
        assertThat(outcome.exitCode()).isEqualTo(Cli.EXIT_INVALID);
        assertThat(outcome.out()).singleElement().satisfies(line ->
                assertThat(line).startsWith("/batchName: invalid JSON at line 3, column 1: ").endsWith("[json-syntax]"));
    }

    @Test
    void usageAndIoErrorsExitTwo() throws IOException {
        assertThat(run("validate").exitCode()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(run("validate", "a.json", "--bogus").exitCode()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(run().exitCode()).isEqualTo(Cli.EXIT_USAGE);
        Outcome missing = run("validate", tmp.resolve("nope.json").toString());
        assertThat(missing.exitCode()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(missing.err()).contains("no such file");
        assertThat(missing.out()).isEmpty();
        Outcome directory = run("validate", tmp.toString());
        assertThat(directory.exitCode()).isEqualTo(Cli.EXIT_USAGE);
        Outcome runsForInline = run("validate", RepoFiles.resolve("events/batch-settings.json").toString(),
                "--runs", write("r.json", "[]").toString());
        assertThat(runsForInline.exitCode()).isEqualTo(Cli.EXIT_USAGE);
    }

    @Test
    void theOutputListsTheFirstThousandErrorsBoundedAndCountsTheRest() throws IOException {
        Path doc = write("s.json", S3_DOCUMENT);
        StringBuilder runs = new StringBuilder("[");
        for (int i = 0; i < 1_500; i++) {
            runs.append(i == 0 ? "" : ",").append("{\"runSettingId\": \"S").append(i).append("\", \"priority\": -1}");
        }
        Outcome outcome = run("validate", doc.toString(), "--runs", write("runs.json", runs.append("]").toString()).toString());
        assertThat(outcome.exitCode()).isEqualTo(Cli.EXIT_INVALID);
        assertThat(outcome.out()).hasSize(ErrorListing.MAX_LISTED + 1);
        assertThat(outcome.out().get(999)).isEqualTo("/runs/999/priority: must be between 0 and 100000, got -1 [range]");
        assertThat(outcome.out().get(1000)).isEqualTo("... and 500 more errors");
        assertThat(outcome.err()).contains("invalid: 1500 errors");
    }

    @Test
    void anErrorQuotingAHugeNameIsPrintedBounded() throws IOException {
        String name = "x".repeat(40_000);
        Path doc = write("huge.json", S3_DOCUMENT.replace("\"batchName\"", "\"" + name + "\": 1, \"batchName\""));
        Outcome outcome = run("validate", doc.toString());
        assertThat(outcome.exitCode()).isEqualTo(Cli.EXIT_INVALID);
        assertThat(outcome.out()).singleElement().satisfies(line -> {
            assertThat(line).startsWith("/xxx").endsWith("[unknown-member]").contains("...: unknown member \"xxx");
            assertThat(line.length()).isLessThanOrEqualTo(ErrorListing.MAX_POINTER_CHARS + ErrorListing.MAX_MESSAGE_CHARS + 30);
        });
    }

    @Test
    void aRunsFileIsCheckedOnlyOnceTheDocumentIsValidAsAtIntake() throws IOException {
        Path doc = write("s.json", S3_DOCUMENT.replace("\"cohort-7\"", "\"cohort 7\\u0000\""));
        Path runs = write("runs.json", "[{\"runSettingId\": \"a\", \"priority\": -1}]");
        Outcome outcome = run("validate", doc.toString(), "--runs", runs.toString());
        assertThat(outcome.exitCode()).isEqualTo(Cli.EXIT_INVALID);
        assertThat(outcome.out()).singleElement().satisfies(line -> assertThat(line).startsWith("/batchName: "));
        assertThat(outcome.err()).contains("runs file not checked: the document has errors");
    }

    @Test
    void withTheDeploymentValidateMakesTheIntakesPreflightBeforeTheRunsFile() throws IOException {
        Path document = write("foreign.json", S3_DOCUMENT.replace("123456789012", "210987654321"));
        Path runsFile = write("runs.json", "[{\"runSettingId\": \"S1\"}, {\"runSettingId\": \"S1\"}]");

        Outcome preflight = run("validate", document.toString(), "--runs", runsFile.toString(), "--account", "123456789012",
                "--settings-bucket", "omics-batch-settings-abc", "--omics-role-arns", "arn:aws:iam::123456789012:role/Omics*");

        assertThat(preflight.exitCode()).isEqualTo(1);
        // The role is of another account, and the runs file lies outside the deployment's locations; its own
        // duplicate is never read, as the intake never reads it.
        assertThat(preflight.out()).containsExactly(
                "/defaultRunSetting/roleArn: is a role of account 210987654321 in partition aws; omics-batch runs in "
                        + "account 123456789012 in partition aws and can pass HealthOmics only a role of its own account [role-account]",
                "/batchRunSettings/s3UriSettings: is not in a location runs files may be read from: "
                        + "s3://omics-batch-settings-abc/runs/ (the settings bucket's runs/ and the stack's context "
                        + "runsFileLocations) [runs-file-location]");

        Outcome withoutDeployment = run("validate", document.toString());
        assertThat(withoutDeployment.exitCode()).isZero();
        assertThat(withoutDeployment.out()).singleElement().satisfies(line ->
                assertThat(line).endsWith("pre-flight not checked: pass --account and --settings-bucket"));
    }

    @Test
    void aDocumentThatPassesThePreflightSaysSo() throws IOException {
        Path document = write("own.json", S3_DOCUMENT.replace("OmicsWorkflowServiceRole", "omics-batch-wgs"));
        Outcome outcome = run("validate", document.toString(), "--account", "123456789012",
                "--settings-bucket", "omics-batch-settings-abc", "--runs-file-locations", "s3://lab-batches/");
        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.out()).singleElement().satisfies(line -> assertThat(line).endsWith("; pre-flight passed"));

        assertThat(run("validate", document.toString(), "--account", "123456789012").exitCode()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(run("validate", document.toString(), "--settings-bucket", "b").exitCode()).isEqualTo(Cli.EXIT_USAGE);
    }
}
