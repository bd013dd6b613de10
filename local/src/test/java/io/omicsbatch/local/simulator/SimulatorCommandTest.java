package io.omicsbatch.local.simulator;

import static io.omicsbatch.local.simulator.SimulatorTestSupport.await;
import static io.omicsbatch.local.simulator.SimulatorTestSupport.client;
import static io.omicsbatch.local.simulator.SimulatorTestSupport.startRun;
import static org.assertj.core.api.Assertions.assertThat;

import io.omicsbatch.cli.Cli;
import io.omicsbatch.local.cli.LocalCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.services.omics.OmicsClient;
import software.amazon.awssdk.services.omics.model.GetWorkflowResponse;
import software.amazon.awssdk.services.omics.model.StartRunResponse;

/** {@code simulator --port <port> [--config <sim.json>]}, run in process through the CLI's own command line. */
class SimulatorCommandTest {

    @TempDir
    Path tmp;

    record Outcome(int exitCode, String out, String err) {}

    static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = LocalCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }

    @Test
    void theCommandServesTheSdkUntilInterruptedAndPrintsItsEndpoint() throws Exception {
        Path config = Files.writeString(tmp.resolve("sim.json"), """
                {"seed": 5, "startRunTps": 1000, "account": "210987654321",
                 "workflows": {"1234567": {"parameterTemplate": {"input": {"optional": false}}}}}
                """);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = LocalCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        AtomicInteger exitCode = new AtomicInteger(-1);
        Thread serving = new Thread(() -> exitCode.set(cli.execute("simulator", "--port", "0", "--config", config.toString(),
                "--print-events")),
                "simulator-command-test");
        serving.start();
        try {
            await("the endpoint line", Duration.ofSeconds(10), () -> out.toString().contains("\n"));
            String endpointLine = out.toString().lines().findFirst().orElseThrow();
            assertThat(endpointLine).matches("http://127\\.0\\.0\\.1:\\d+");
            URI endpoint = URI.create(endpointLine);
            try (OmicsClient omics = client(endpoint)) {
                GetWorkflowResponse workflow = omics.getWorkflow(r -> r.id("1234567"));
                assertThat(workflow.parameterTemplate()).containsOnlyKeys("input");
                // The config's account: its roles may be passed, and its id is in the run's ARN.
                StartRunResponse started = omics.startRun(startRun("cli-1").roleArn(SimulatorTestSupport.OTHER_ACCOUNT_ROLE).build());
                assertThat(started.arn()).contains(":210987654321:run/");
                assertThat(omics.getRun(r -> r.id(started.id())).uuid()).isEqualTo(started.uuid());
                // --print-events: each event, one JSON line, after the endpoint line.
                await("the PENDING event line", Duration.ofSeconds(5), () -> out.toString().contains("\"PENDING\""));
                String eventLine = out.toString().lines().skip(1).findFirst().orElseThrow();
                assertThat(SimulatorTestSupport.readJson(eventLine).path("detail").path("runId").asText())
                        .isEqualTo(started.id());
            }
        } finally {
            serving.interrupt();
            serving.join(Duration.ofSeconds(10).toMillis());
        }
        assertThat(serving.isAlive()).isFalse();
        assertThat(exitCode.get()).isEqualTo(Cli.EXIT_OK);
        URI endpoint = URI.create(out.toString().lines().findFirst().orElseThrow());
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), endpoint.getPort())) {
            // Linux may connect a loopback socket to itself when its ephemeral port is the closed target port.
            assertThat(socket.getLocalPort()).as("nothing listens on the simulator's port any more").isEqualTo(endpoint.getPort());
        } catch (ConnectException refused) {
            // the port is closed: what the command promises on interrupt
        }
    }

    @Test
    void aBadConfigIsExitTwoWithAMessageNamingTheKey() throws IOException {
        Path config = Files.writeString(tmp.resolve("sim.json"), "{\"faults\": {\"dropEventRat\": 0.1}}");
        Outcome outcome = run("simulator", "--port", "0", "--config", config.toString());
        assertThat(outcome.exitCode()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(outcome.err()).startsWith("error: " + config + ": unknown key \"faults.dropEventRat\"");
        assertThat(outcome.out()).isEmpty();
    }

    @Test
    void aMissingConfigFileIsExitTwo() {
        Outcome outcome = run("simulator", "--port", "0", "--config", tmp.resolve("absent.json").toString());
        assertThat(outcome.exitCode()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(outcome.err()).contains("no such file");
    }

    @Test
    void usageErrorsAreExitTwo() {
        assertThat(run("simulator").exitCode()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(run("simulator", "--port", "http").exitCode()).isEqualTo(Cli.EXIT_USAGE);
        Outcome outOfRange = run("simulator", "--port", "70000");
        assertThat(outOfRange.exitCode()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(outOfRange.err()).contains("--port must be 0 to 65535");
    }

    @Test
    void aPortInUseIsExitTwo() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Outcome outcome = run("simulator", "--port", Integer.toString(taken.getLocalPort()));
            assertThat(outcome.exitCode()).isEqualTo(Cli.EXIT_USAGE);
            assertThat(outcome.err()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void theHelpNamesTheCommand() {
        Outcome outcome = run("simulator", "--help");
        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.out()).contains("--port", "--config");
    }
}
