package io.omicsbatch.local.simulator;

import static io.omicsbatch.local.simulator.SimulatorTestSupport.await;
import static io.omicsbatch.local.simulator.SimulatorTestSupport.client;
import static io.omicsbatch.local.simulator.SimulatorTestSupport.startRun;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omicsbatch.local.simulator.SimulatorTestSupport.FakeTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.omics.OmicsClient;
import software.amazon.awssdk.services.omics.model.ServiceQuotaExceededException;
import software.amazon.awssdk.services.omics.model.ThrottlingException;

/** The StartRun rate quota (token bucket, burst 1) and the active-runs quota, counted under injected time. */
class SimulatorQuotaTest {

    @Test
    void theTokenBucketAdmitsExactlyTheRateOverTime() {
        FakeTime time = new FakeTime();
        TokenBucket bucket = new TokenBucket(2.5, time::nanoTime);
        int admitted = 0;
        // 1,000 calls, one every 30 ms: 30 s of calls at 2.5 per second.
        for (int i = 0; i < 1000; i++) {
            if (bucket.tryAcquire()) {
                admitted++;
            }
            time.advanceMillis(30);
        }
        // A token is ready 400 ms after the last admitted call; the first call at or after that comes 420 ms
        // after it (calls are 30 ms apart): admitted at 0, 420, ..., 29,820 ms.
        assertThat(admitted).isEqualTo(72);
        // Burst 1: after a long idle, only one call passes before the next token.
        time.advanceMillis(60_000);
        assertThat(bucket.tryAcquire()).isTrue();
        assertThat(bucket.tryAcquire()).isFalse();
    }

    @Test
    void aBurstAdmitsThatManyCallsBackToBackAfterAPauseAndThenTheRate() {
        FakeTime time = new FakeTime();
        TokenBucket bucket = new TokenBucket(2, 3, time::nanoTime);
        int backToBack = 0;
        while (bucket.tryAcquire()) {
            backToBack++;
        }
        assertThat(backToBack).isEqualTo(3);
        time.advanceMillis(499);
        assertThat(bucket.tryAcquire()).isFalse();
        time.advanceMillis(1);
        assertThat(bucket.tryAcquire()).isTrue();
        assertThat(bucket.tryAcquire()).isFalse();
        // A long pause refills the bucket to its capacity, not beyond.
        time.advanceMillis(60_000);
        backToBack = 0;
        while (bucket.tryAcquire()) {
            backToBack++;
        }
        assertThat(backToBack).isEqualTo(3);
    }

    @Test
    void theBucketJudgesACallAtItsArrivalNotWhenItIsServed() {
        FakeTime time = new FakeTime();
        TokenBucket bucket = new TokenBucket(10, time::nanoTime);
        long first = time.nanoTime();
        assertThat(bucket.tryAcquire(first)).isTrue();
        time.advanceMillis(250);
        // Two calls that arrived 100 ms apart are both admitted though both are served only now.
        assertThat(bucket.tryAcquire(first + 100_000_000L)).isTrue();
        assertThat(bucket.tryAcquire(first + 200_000_000L)).isTrue();
        assertThat(bucket.tryAcquire(first + 299_000_000L)).isFalse();
        // A call overtaken by a later one is judged as arriving now (250 ms in): a token is ready only at 300 ms.
        assertThat(bucket.tryAcquire(first + 150_000_000L)).isFalse();
        time.advanceMillis(50);
        assertThat(bucket.tryAcquire(first + 200_000_000L)).isTrue();
    }

    @Test
    void theTokenBucketAtExactMultiplesAdmitsOnePerInterval() {
        FakeTime time = new FakeTime();
        TokenBucket bucket = new TokenBucket(10, time::nanoTime);
        int admitted = 0;
        for (int i = 0; i < 300; i++) {
            admitted += bucket.tryAcquire() ? 1 : 0;
            time.advanceMillis(10);
        }
        // Calls at 0, 10, ..., 2990 ms; tokens at 0, 100, ..., 2900 ms.
        assertThat(admitted).isEqualTo(30);
    }

    @Test
    void startRunIsThrottledAtTheConfiguredRateOverAFewHundredCalls() throws Exception {
        FakeTime time = new FakeTime();
        try (OmicsSimulator simulator = OmicsSimulator.builder()
                .config(SimulatorConfig.parse("{\"startRunTps\": 5.0, \"runDurationMillis\": {\"min\": 600000, \"max\": 600000}}"))
                .clock(time.clock()).nanoTime(time::nanoTime).start();
             OmicsClient omics = client(simulator.endpoint())) {
            int created = 0;
            int throttled = 0;
            // 300 calls, 50 ms apart in simulated time: 15 s at 20 calls per second against a quota of 5.
            for (int i = 0; i < 300; i++) {
                try {
                    omics.startRun(startRun("tps-" + i).build());
                    created++;
                } catch (ThrottlingException e) {
                    throttled++;
                }
                time.advanceMillis(50);
            }
            assertThat(created).isEqualTo(75);
            assertThat(throttled).isEqualTo(225);
            var truth = simulator.groundTruth();
            assertThat(truth.path("startRunCalls").asInt()).isEqualTo(300);
            assertThat(truth.path("throttledCalls").asInt()).isEqualTo(225);
            assertThat(truth.path("runsCreated").asInt()).isEqualTo(75);
            // Admitted calls are exactly 200 ms apart: the configured rate, never above it.
            List<Long> admittedAt = new ArrayList<>();
            truth.path("startRunRequests").forEach(r -> {
                if (r.path("outcome").asText().equals("CREATED")) {
                    admittedAt.add(r.path("receivedAtMillis").asLong());
                }
            });
            for (int i = 1; i < admittedAt.size(); i++) {
                assertThat(admittedAt.get(i) - admittedAt.get(i - 1)).isEqualTo(200);
            }
        }
    }

    @Test
    void maxActiveRunsIsExhaustedThenRecoversWhenRunsEnd() throws Exception {
        try (OmicsSimulator simulator = SimulatorTestSupport.start(
                "{\"startRunTps\": 100000, \"maxActiveRuns\": 3, \"runDurationMillis\": {\"min\": 600000, \"max\": 600000}}",
                event -> { });
             OmicsClient omics = client(simulator.endpoint())) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ids.add(omics.startRun(startRun("active-" + i).build()).id());
            }
            assertThatThrownBy(() -> omics.startRun(startRun("active-3").build()))
                    .isInstanceOf(ServiceQuotaExceededException.class);
            assertThat(simulator.activeRuns()).isEqualTo(3);

            omics.cancelRun(r -> r.id(ids.get(1)));
            // A STOPPING run is still active; once CANCELLED its slot is free.
            SimulatorTestSupport.await("the cancelled run's slot free", java.time.Duration.ofSeconds(5),
                    () -> simulator.activeRuns() == 2);
            String fourth = omics.startRun(startRun("active-3").build()).id();
            assertThat(fourth).isNotIn(ids);
            assertThatThrownBy(() -> omics.startRun(startRun("active-4").build()))
                    .isInstanceOf(ServiceQuotaExceededException.class);
            assertThat(simulator.groundTruth().path("quotaExceededCalls").asInt()).isEqualTo(2);
        }
    }

    @Test
    void runsThatCompleteFreeTheirSlots() throws Exception {
        try (OmicsSimulator simulator = SimulatorTestSupport.start(
                "{\"startRunTps\": 100000, \"maxActiveRuns\": 2, \"runDurationMillis\": {\"min\": 1500, \"max\": 1500}}",
                event -> { });
             OmicsClient omics = client(simulator.endpoint())) {
            omics.getWorkflow(r -> r.id("1234567")); // warms the client up: the next calls take milliseconds
            omics.startRun(startRun("slot-0").build());
            omics.startRun(startRun("slot-1").build());
            assertThatThrownBy(() -> omics.startRun(startRun("slot-2").build()))
                    .isInstanceOf(ServiceQuotaExceededException.class);

            await("a run to complete", Duration.ofSeconds(10), () -> simulator.activeRuns() < 2);
            String third = omics.startRun(startRun("slot-2").build()).id();
            assertThat(simulator.runStatus(third)).contains(RunStatus.PENDING);
            assertThat(simulator.startRunCalls()).extracting(OmicsSimulator.StartRunCallRecord::outcome)
                    .containsExactly("CREATED", "CREATED", "QUOTA_EXCEEDED", "CREATED");
            assertThat(simulator.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(simulator.groundTruth().path("runs")).allSatisfy(run ->
                    assertThat(run.path("status").asText()).isEqualTo("COMPLETED"));
        }
    }
}
