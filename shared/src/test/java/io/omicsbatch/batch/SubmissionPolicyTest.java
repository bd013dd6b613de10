package io.omicsbatch.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The numbers behind intake's feasibility check and submit's retry backoff. */
class SubmissionPolicyTest {

    private static IntakeService intakeAt(double tps) {
        return new IntakeService(null, null, null, null, null, null, IntakeService.Config.defaults(tps), Clock.systemUTC());
    }

    @Test
    void aBatchThatFitsInTheRunQueuesRetentionIsFeasible() {
        // 100,000 runs at 1/s take ~27.8 h, well within 14 days.
        assertThat(intakeAt(1.0).feasibilityProblem(100_000)).isEmpty();
        // At 0.1/s, 100,000 runs take 11.6 days: still within 14.
        assertThat(intakeAt(0.1).feasibilityProblem(100_000)).isEmpty();
        // The boundary: exactly 14 days of submissions.
        assertThat(intakeAt(0.1).feasibilityProblem(120_960)).isEmpty();
    }

    @Test
    void anInfeasibleBatchIsRefusedWithTheNumbers() {
        assertThat(intakeAt(0.05).feasibilityProblem(100_000)).hasValueSatisfying(reason -> assertThat(reason)
                .contains("0.050 StartRun calls per second")
                .contains("100000 runs need 23.1 days")
                .contains("14.0-day")
                .contains("at most 60480 runs"));
        assertThat(intakeAt(0.1).feasibilityProblem(120_961)).isPresent();
    }

    @Test
    void backoffGrowsExponentiallyWithFullJitterWithinItsBounds() {
        SubmitService.Config config = new SubmitService.Config(8, Duration.ofSeconds(2), Duration.ofSeconds(60),
                Duration.ofMinutes(1), Duration.ofSeconds(5));
        Random random = new Random(7);
        SubmitService submit = new SubmitService(null, null, null, null, config, Clock.systemUTC(), d -> { }, random::nextLong, null);
        for (int attempt = 1; attempt <= 10; attempt++) {
            long cap = Math.min(60_000, 2_000L << (attempt - 1));
            long max = 0;
            long min = Long.MAX_VALUE;
            for (int i = 0; i < 200; i++) {
                long millis = submit.backoff(attempt).toMillis();
                assertThat(millis).isBetween(2_000L, cap);
                max = Math.max(max, millis);
                min = Math.min(min, millis);
            }
            if (attempt > 1) {
                // Jittered, not fixed: retries of many runs spread out instead of arriving together.
                assertThat(max - min).isGreaterThan((cap - 2_000) / 2);
            }
        }
        assertThat(submit.backoff(1)).isEqualTo(Duration.ofSeconds(2));
    }
}
