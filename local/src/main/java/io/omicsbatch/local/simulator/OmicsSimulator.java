package io.omicsbatch.local.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.omicsbatch.local.events.EventPublisher;
import io.omicsbatch.local.simulator.SimulatorEngine.StartRunCall;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local AWS HealthOmics endpoint: a real HTTP server on 127.0.0.1 speaking the Omics REST-JSON protocol,
 * so that the unchanged SDK {@code OmicsClient} talks to it through {@code endpointOverride(endpoint())} with
 * host-prefix injection disabled. It implements StartRun, GetRun, ListRuns, CancelRun, DeleteRun and
 * GetWorkflow, emits "Run Status Change" events through the given {@link EventPublisher}, and records the
 * ground truth of every StartRun call and every run ({@link #groundTruth()}). See docs/local.md.
 *
 * <pre>{@code
 * try (OmicsSimulator sim = OmicsSimulator.builder().config(SimulatorConfig.load(path)).publisher(bus).start()) {
 *     OmicsClient omics = OmicsClient.builder().endpointOverride(sim.endpoint())...build();
 * }
 * }</pre>
 */
public final class OmicsSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OmicsSimulator.class);

    static {
        // The JDK server writes a response's headers and body separately; with Nagle's algorithm on, the body
        // waits for the client's delayed ACK, ~40 ms per call. Read once, when the first HttpServer is created.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final SimulatorEngine engine;
    private final HttpServer server;
    private final ExecutorService httpThreads;
    private final URI endpoint;
    private final SimulatorConfig config;
    private final Account account;
    private boolean closed;

    private OmicsSimulator(SimulatorEngine engine, HttpServer server, ExecutorService httpThreads,
                           SimulatorConfig config, Account account) {
        this.engine = engine;
        this.account = account;
        this.server = server;
        this.httpThreads = httpThreads;
        this.config = config;
        this.endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return endpoint;
    }

    public int port() {
        return endpoint.getPort();
    }

    /** The configuration in force; its seed is the one drawn when none was configured. */
    public SimulatorConfig config() {
        return config;
    }

    public long seed() {
        return engine.seed();
    }

    /** The account it plays: its ARNs' partition and account, the only one whose roles StartRun may pass. */
    public Account account() {
        return account;
    }

    /**
     * The simulator's own view, shaped as the {@code simulator} object of the run report (docs/local.md):
     * {@code startRunCalls, throttledCalls, runsCreated, startRunRequests[], runs[]}, plus {@code seed},
     * {@code account}, {@code partition},
     * {@code quotaExceededCalls}, {@code apiFaults} and {@code events} counters. Each request entry also has
     * {@code runId}, {@code errorType} and {@code injectedFault}; each run entry also has {@code arn} and
     * {@code plannedDurationMillis}.
     */
    public ObjectNode groundTruth() {
        return engine.groundTruth();
    }

    /** Every StartRun call in arrival order, with its body exactly as received. */
    public List<StartRunCallRecord> startRunCalls() {
        return engine.startRunCalls().stream().map(StartRunCallRecord::of).toList();
    }

    /** The current status of a run the simulator created. */
    public Optional<RunStatus> runStatus(String runId) {
        return engine.status(runId);
    }

    /** Runs not yet COMPLETED, FAILED, CANCELLED or DELETED. */
    public int activeRuns() {
        return engine.activeRuns();
    }

    /** Events emitted but not yet handed to the publisher (delayed or held back). */
    public long pendingEvents() {
        return engine.pendingEvents();
    }

    /** Waits until every run is terminal and every event has been delivered; false if the timeout passed first. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return engine.awaitIdle(timeout.toMillis());
    }

    /** Stops the server and every thread of the simulator; events not yet delivered are lost. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.stop(0);
        httpThreads.shutdownNow();
        engine.close();
        try {
            httpThreads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.debug("HealthOmics simulator on {} stopped", endpoint);
    }

    /** One StartRun call; {@code rawBody} is the request body exactly as received. */
    public record StartRunCallRecord(long receivedAtMillis, String requestId, String outcome, String rawBody,
                                     String runId, String errorType, String injectedFault) {
        static StartRunCallRecord of(StartRunCall call) {
            return new StartRunCallRecord(call.receivedAtMillis(), call.requestId(), call.outcome().name(),
                    call.rawBody(), call.runId(), call.errorType(), call.injectedFault());
        }
    }

    public static final class Builder {
        private SimulatorConfig config = SimulatorConfig.defaults();
        private int port;
        private EventPublisher publisher = event -> { };
        private Clock clock = Clock.systemUTC();
        private LongSupplier nanoTime = System::nanoTime;
        private String partition = Account.DEFAULT.partition();
        private String region = SimulatorEngine.DEFAULT_REGION;
        private int httpThreads = 4;

        private Builder() {}

        public Builder config(SimulatorConfig config) {
            this.config = Objects.requireNonNull(config);
            return this;
        }

        /** The port to listen on, 0 (the default) for one chosen by the system. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0 to 65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** Where "Run Status Change" events go; by default nowhere. */
        public Builder publisher(EventPublisher publisher) {
            this.publisher = Objects.requireNonNull(publisher);
            return this;
        }

        /** The clock of timestamps (creationTime, event time, receivedAtMillis). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** The monotonic time source of the StartRun token bucket. */
        public Builder nanoTime(LongSupplier nanoTime) {
            this.nanoTime = Objects.requireNonNull(nanoTime);
            return this;
        }

        /**
         * The simulated account's partition (ARNs, and the roleArn check); default aws. The account id is the
         * config's {@code account}.
         */
        public Builder partition(String partition) {
            this.partition = Objects.requireNonNull(partition);
            return this;
        }

        /** The simulated region (ARNs, events); default us-east-1. */
        public Builder region(String region) {
            this.region = Objects.requireNonNull(region);
            return this;
        }

        public OmicsSimulator start() throws IOException {
            SimulatorConfig effective = config.configuredSeed().isPresent() ? config
                    : config.withSeed(new SecureRandom().nextLong());
            ThreadFactory threads = daemonThreads("omics-simulator");
            Account account = new Account(partition, effective.accountOrDefault());
            SimulatorEngine engine = new SimulatorEngine(effective, effective.seed(), account, region, clock, nanoTime,
                    publisher, threads);
            HttpServer server;
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
            } catch (IOException e) {
                engine.close();
                throw new IOException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
            }
            ExecutorService executor = Executors.newFixedThreadPool(httpThreads, daemonThreads("omics-simulator-http"));
            server.createContext("/", new OmicsRestHandler(engine));
            server.setExecutor(executor);
            server.start();
            // Nothing is logged here: without a logging configuration logback writes to stdout, and the
            // simulator command's first stdout line must be its endpoint. Callers say where they listen.
            return new OmicsSimulator(engine, server, executor, effective, account);
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
