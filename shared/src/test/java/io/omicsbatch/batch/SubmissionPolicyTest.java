package io.omicsbatch.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The numbers behind submit's retry backoff. */
class SubmissionPolicyTest {

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
