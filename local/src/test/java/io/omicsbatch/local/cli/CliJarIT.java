package io.omicsbatch.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Writer;
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
        return javaWithHeap("-Xmx64m", args);
    }

    private static Result javaWithHeap(String heap, String... args) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("cli.jar", "target/omics-batch-local.jar"));
        assertThat(jar).exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                heap, "-jar", jar.toString()));
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

    @Test
    void overlongRunSettingIdsCostBoundedMemory() throws Exception {
        // 400 ids of 100,000 characters: 40 MB of ids, more than the whole 32 MB heap, were they kept to find duplicates.
        Path runs = tmp.resolve("runs.json");
        try (Writer out = Files.newBufferedWriter(runs, StandardCharsets.UTF_8)) {
            out.write("[");
            String stem = "S".repeat(100_000);
            for (int i = 0; i < 400; i++) {
                out.write((i == 0 ? "" : ",\n") + "{\"runSettingId\": \"" + stem + (i % 200) + "\"}");
            }
            out.write("]");
        }
        Result result = javaWithHeap("-Xmx32m", "validate", RepoFiles.resolve("events/batch-settings-s3.json").toString(),
                "--runs", runs.toString());
        assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
        assertThat(result.err()).contains("invalid: 600 errors"); // 400 over the length limit, 200 repeated
        assertThat(result.out().lines()).filteredOn(line -> line.endsWith("[duplicate-run-setting-id]")).hasSize(200)
                .first().asString().startsWith("/runs/200/runSettingId: runSettingId \"SSS").contains("...\" is already used at /runs/0/");
    }

    @Test
    void aCrashExitsTwoWithOneLineNotOne() throws Exception {
        // One 12-million-character string does not fit a 16 MB heap: validate runs out of memory.
        Path document = tmp.resolve("huge.json");
        try (Writer out = Files.newBufferedWriter(document, StandardCharsets.UTF_8)) {
            out.write("{\"batchName\": \"");
            for (int i = 0; i < 12_000; i++) {
                out.write("x".repeat(1_000));
            }
            out.write("\"}");
        }
        Result result = javaWithHeap("-Xmx16m", "validate", document.toString());
        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.err().lines()).singleElement().asString().startsWith("error: out of memory");
    }
}
