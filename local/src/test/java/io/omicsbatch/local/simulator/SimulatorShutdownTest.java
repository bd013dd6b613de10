package io.omicsbatch.local.simulator;

import static io.omicsbatch.local.simulator.SimulatorTestSupport.await;
import static io.omicsbatch.local.simulator.SimulatorTestSupport.client;
import static io.omicsbatch.local.simulator.SimulatorTestSupport.startRun;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.omics.OmicsClient;

/** close() stops the server and every thread; concurrent clients see consistent state. */
class SimulatorShutdownTest {

    private static Set<Thread> simulatorThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && (t.getName().startsWith("omics-simulator") || t.getName().startsWith("HTTP-Dispatcher")))
                .collect(Collectors.toSet());
    }

    private static Set<Thread> nonDaemonThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && !t.isDaemon())
                .collect(Collectors.toSet());
    }

    @Test
    void closeStopsTheServerAndEveryThread() throws Exception {
        Set<Thread> nonDaemonBefore = nonDaemonThreads();
        OmicsSimulator simulator = SimulatorTestSupport.start("{\"startRunTps\": 100000, \"runDurationMillis\": {\"min\": 5000, \"max\": 9000}, "
                + "\"faults\": {\"eventDelayMillis\": {\"min\": 2000, \"max\": 3000}}}", event -> { });
        try (OmicsClient omics = client(simulator.endpoint())) {
            for (int i = 0; i < 5; i++) {
                omics.startRun(startRun("bye-" + i).build());
            }
        }
        assertThat(simulatorThreads()).isNotEmpty();
        // Runs in flight and events waiting their delay: close must not wait for them.
        long start = System.nanoTime();
        simulator.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        await("the simulator's threads to end", Duration.ofSeconds(5), () -> simulatorThreads().isEmpty());
        await("no new non-daemon thread", Duration.ofSeconds(5), () -> nonDaemonBefore.containsAll(nonDaemonThreads()));
        simulator.close(); // idempotent
    }

    @Test
    void concurrentClientsGetDistinctRunsAndConsistentCounts() throws Exception {
        // A burst: the quota judges calls at their arrival, and four clients' calls may arrive within the microsecond
        // a strict bucket at this rate allows between them. This test is about runs and counts, not the quota.
        try (OmicsSimulator simulator = SimulatorTestSupport.start("{\"startRunTps\": 1000000, \"startRunBurst\": 10000, \"maxActiveRuns\": 100000, "
                + "\"runDurationMillis\": {\"min\": 5, \"max\": 30}}", event -> { })) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            Set<String> ids = ConcurrentHashMap.newKeySet();
            try (OmicsClient omics = client(simulator.endpoint())) {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int thread = t;
                    futures.add(pool.submit(() -> {
                        for (int i = 0; i < 25; i++) {
                            ids.add(omics.startRun(startRun("c-" + thread + "-" + i).build()).id());
                            omics.startRun(startRun("c-" + thread + "-" + i).build()); // a replay
                        }
                    }));
                }
                for (Future<?> future : futures) {
                    future.get();
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(ids).hasSize(100);
            var truth = simulator.groundTruth();
            assertThat(truth.path("runsCreated").asInt()).isEqualTo(100);
            assertThat(truth.path("startRunCalls").asInt()).isEqualTo(200);
            assertThat(truth.path("startRunRequests").findValuesAsText("outcome").stream().filter("REPLAYED"::equals)).hasSize(100);
            assertThat(simulator.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(simulator.activeRuns()).isZero();
        }
    }
}
