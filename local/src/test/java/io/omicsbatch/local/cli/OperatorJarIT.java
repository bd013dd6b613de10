package io.omicsbatch.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.omicsbatch.settings.SettingsJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged operator CLI, {@code java -jar cli/target/omics-batch-cli.jar ...}, against the packaged local runner
 * started as a user starts it ({@code run --keep-running}), through the {@code endpoint-url} it prints.
 */
class OperatorJarIT {

    /** The operator jar's budget: a deployed stack's operator needs none of the stand-ins. */
    private static final long MAX_JAR_BYTES = 30L * 1024 * 1024;

    private static Process runner;
    private static String endpointUrl;
    private static final List<String> runnerOutput = Collections.synchronizedList(new ArrayList<>());

    record Result(int exitCode, String out, String err) {}

    private static Path jar(String property, String fallback) {
        Path jar = Path.of(System.getProperty(property, fallback));
        assertThat(jar).exists();
        return jar;
    }

    private static Path operatorJar() {
        return jar("operator.jar", "../cli/target/omics-batch-cli.jar");
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @BeforeAll
    static void startTheLocalRunner() throws Exception {
        List<String> command = List.of(javaBin(), "-jar", jar("cli.jar", "target/omics-batch-local.jar").toString(),
                "run", RepoFiles.resolve("events/batch-settings.json").toString(), "--keep-running", "--progress", "none");
        runner = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(runner.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    runnerOutput.add(line);
                    lines.add(line);
                }
            } catch (IOException e) {
                // the runner was stopped
            }
        }, "local-runner-output");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (endpointUrl == null && System.nanoTime() < deadline && runner.isAlive()) {
            String line = lines.poll(1, TimeUnit.SECONDS);
            if (line != null && line.startsWith("endpoint-url ")) {
                endpointUrl = line.substring("endpoint-url ".length()).trim();
            }
        }
        assertThat(endpointUrl).as("the runner prints its endpoint-url; it printed: %s", runnerOutput).isNotNull();
    }

    @AfterAll
    static void stopTheLocalRunner() throws Exception {
        if (runner != null) {
            runner.destroy();
            if (!runner.waitFor(30, TimeUnit.SECONDS)) {
                runner.destroyForcibly();
            }
        }
    }

    private static Result operator(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(javaBin(), "-Xmx128m", "-jar", operatorJar().toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--endpoint-url", endpointUrl));
        Path out = Files.createTempFile("operator", ".out");
        Path err = Files.createTempFile("operator", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the CLI finishes").isTrue();
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void theOperatorJarIsSmallAndCarriesNoStandIn() throws IOException {
        assertThat(Files.size(operatorJar())).isLessThanOrEqualTo(MAX_JAR_BYTES);
        try (JarFile jar = new JarFile(operatorJar().toFile())) {
            assertThat(jar.stream().map(java.util.zip.ZipEntry::getName)
                    .filter(name -> name.startsWith("io/omicsbatch/local/") || name.startsWith("org/elasticmq/")
                            || name.startsWith("org/gaul/s3proxy/") || name.startsWith("com/amazonaws/services/dynamodbv2/local/"))
                    .toList()).isEmpty();
        }
    }

    @Test
    void listStatusRunsAndResubmitReachTheLocalRunnerThroughItsEndpointUrl() throws Exception {
        Result list = operator("list", "--json");
        assertThat(list.exitCode()).as(list.err()).isZero();
        JsonNode items = SettingsJson.MAPPER.readTree(list.out()).path("items");
        assertThat(items).hasSize(1);
        String batchId = items.get(0).path("id").asText();
        assertThat(items.get(0).path("status").asText()).isEqualTo("PROCESSED");

        Result status = operator("status", batchId, "--json");
        assertThat(status.exitCode()).as(status.err()).isZero();
        JsonNode batch = SettingsJson.MAPPER.readTree(status.out());
        assertThat(batch.path("totalRuns").asInt()).isEqualTo(24);
        assertThat(batch.path("arn").asText()).startsWith("arn:aws:s3:::");
        assertThat(batch.path("defaultRunSetting").path("workflowId").asText()).isEqualTo("1234567");

        Result runs = operator("runs", batchId, "--json");
        assertThat(runs.exitCode()).as(runs.err()).isZero();
        JsonNode rows = SettingsJson.MAPPER.readTree(runs.out()).path("runs");
        assertThat(rows).hasSize(24);
        assertThat(rows.get(0).path("runInternalUuid").asText()).isNotBlank();

        Result resubmit = operator("resubmit", batchId);
        assertThat(resubmit.exitCode()).as(resubmit.err()).isZero();
        assertThat(resubmit.out().lines().findFirst().orElseThrow()).matches("[0-9a-f]{20}");

        Result missing = operator("cancel", "00000000000000000000");
        assertThat(missing.exitCode()).isEqualTo(1);
    }
}
