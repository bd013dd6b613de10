package io.omicsbatch.local.simulator;

import static io.omicsbatch.local.simulator.SimulatorTestSupport.client;
import static io.omicsbatch.local.simulator.SimulatorTestSupport.startRun;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.omics.OmicsClient;

/** The packaged CLI: {@code java -jar omics-batch-local.jar simulator --port 0}, stopped with SIGTERM. */
class PackagedSimulatorIT {

    @Test
    void theJarServesTheSdkAndStopsOnSigterm() throws Exception {
        Path jar = Path.of(System.getProperty("cli.jar", "target/omics-batch-local.jar"));
        assertThat(jar).exists();
        Path err = Files.createTempFile("simulator", ".err");
        Process process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-jar", jar.toString(), "simulator", "--port", "0",
                "--config", SimulatorTestSupport.repoFile("events/sim.json").toString()))
                .redirectError(err.toFile()).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String first = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).get(30, TimeUnit.SECONDS);
            assertThat(first).as("the first stdout line").matches("http://127\\.0\\.0\\.1:\\d+");
            try (OmicsClient omics = client(URI.create(first))) {
                assertThat(omics.getWorkflow(r -> r.id("1234567")).parameterTemplate()).containsKey("sample_id");
                String id = omics.startRun(startRun("jar-1").parameters(Document.fromMap(Map.of(
                        "ref_fasta", Document.fromString("s3://ref/GRCh38.fa"),
                        "sample_id", Document.fromString("NA12878"),
                        "fastq_r1", Document.fromString("s3://in/r1.fq.gz"),
                        "fastq_r2", Document.fromString("s3://in/r2.fq.gz")))).build()).id();
                assertThat(omics.getRun(r -> r.id(id)).id()).isEqualTo(id);
            }
        } finally {
            process.destroy(); // SIGTERM: the shutdown hook closes the simulator
        }
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("the simulator stops on SIGTERM").isTrue();
        String stderr = Files.readString(err);
        assertThat(stderr).contains("serving on http://127.0.0.1:").doesNotContain("Exception").doesNotContain("NA12878");
    }
}
