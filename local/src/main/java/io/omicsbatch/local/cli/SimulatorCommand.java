package io.omicsbatch.local.cli;

import io.omicsbatch.cli.Cli;
import io.omicsbatch.local.events.EventPublisher;
import io.omicsbatch.local.simulator.OmicsSimulator;
import io.omicsbatch.local.simulator.SimulatorConfig;
import io.omicsbatch.local.simulator.SimulatorConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code simulator --port <port> [--config <sim.json>] [--print-events]}: serves the HealthOmics simulator on
 * {@code http://127.0.0.1:<port>} until interrupted (Ctrl-C, SIGTERM, or an interrupt of the calling thread).
 * The first line on stdout is the endpoint. Exit 2 on usage errors, a bad config or a port that cannot be bound.
 */
@Command(name = "simulator", mixinStandardHelpOptions = true,
        description = {"Run the HealthOmics simulator alone until interrupted.",
                "Prints its endpoint, http://127.0.0.1:<port>, on the first line of stdout.",
                "Point an OmicsClient at it with endpointOverride and host-prefix injection disabled.",
                "Exit 2: usage error, bad config or port unavailable."})
final class SimulatorCommand implements Callable<Integer> {

    @Option(names = "--port", required = true, paramLabel = "<port>",
            description = "The port on 127.0.0.1; 0 lets the system choose (the endpoint line tells which).")
    int port;

    @Option(names = "--config", paramLabel = "<sim.json>",
            description = "Simulator config (seed, quotas, durations, workflows, faults); every key optional.")
    Path config;

    @Option(names = "--print-events",
            description = "Print each \"Run Status Change\" event, one JSON line, on stdout (they may name samples).")
    boolean printEvents;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (port < 0 || port > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port must be 0 to 65535, got " + port);
        }
        SimulatorConfig simConfig;
        try {
            simConfig = config == null ? SimulatorConfig.defaults() : SimulatorConfig.load(config);
        } catch (SimulatorConfigException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return Cli.EXIT_USAGE;
        }
        EventPublisher publisher = printEvents ? event -> {
            synchronized (out) {
                out.println(event);
                out.flush();
            }
        } : event -> { };
        OmicsSimulator simulator;
        try {
            simulator = OmicsSimulator.builder().config(simConfig).port(port).publisher(publisher).start();
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return Cli.EXIT_USAGE;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            simulator.close();
            stopped.countDown();
        }, "omics-simulator-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        synchronized (out) {
            out.println(simulator.endpoint());
            out.flush();
        }
        err.println("HealthOmics simulator serving on " + simulator.endpoint() + " (seed " + simulator.seed()
                + "); Ctrl-C to stop");
        err.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            simulator.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is exiting: the hook is running or has run.
            }
        }
        return Cli.EXIT_OK;
    }
}
