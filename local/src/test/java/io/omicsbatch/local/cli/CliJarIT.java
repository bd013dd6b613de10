package io.omicsbatch.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar, run as a user runs it: {@code java -jar local/target/omics-batch-local.jar ...}. */
class CliJarIT {

    @TempDir
    Path tmp;

    record Result(int exitCode, String out, String err) {}

    private static Result java(String... args) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("cli.jar", "target/omics-batch-local.jar"));
        assertThat(jar).exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-jar", jar.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("cli", ".out");
        Path err = Files.createTempFile("cli", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the CLI finishes").isTrue();
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void validatesTheExamples() throws Exception {
        Result inline = java("validate", RepoFiles.resolve("events/batch-settings.json").toString());
        assertThat(inline.exitCode()).as(inline.err()).isZero();
        assertThat(inline.out()).startsWith("valid: batch ");
        Result s3 = java("validate", RepoFiles.resolve("events/batch-settings-s3.json").toString(),
                "--runs", RepoFiles.resolve("events/runs.json").toString());
        assertThat(s3.exitCode()).as(s3.err()).isZero();
    }

    @Test
    void exitCodesFollowTheContract() throws Exception {
        Path bad = Files.writeString(tmp.resolve("bad.json"), "{\"defaultRunSetting\": {}}");
        Result invalid = java("validate", bad.toString());
        assertThat(invalid.exitCode()).isEqualTo(1);
        assertThat(invalid.out().lines()).containsExactly(
                "/batchRunSettings: is required in StartRunBatchRequest [required]",
                "/defaultRunSetting/workflowId: is required in DefaultRunSetting [required]",
                "/defaultRunSetting/roleArn: is required in DefaultRunSetting [required]");
        assertThat(java("validate", tmp.resolve("missing.json").toString()).exitCode()).isEqualTo(2);
        assertThat(java("validate").exitCode()).isEqualTo(2);
        assertThat(java("--version").exitCode()).isZero();
    }
}
