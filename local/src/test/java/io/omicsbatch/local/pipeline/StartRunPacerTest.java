package io.omicsbatch.local.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.omicsbatch.batch.StartRunPacer;
import io.omicsbatch.functions.aws.DynamoStartRunPacer;
import io.omicsbatch.local.standins.LocalStandIns;
import io.omicsbatch.resources.ResourceDefinitions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shared StartRun schedule on DynamoDB Local, with a hand-driven clock: counts and slots, not wall time. */
class StartRunPacerTest {

    private static LocalStandIns aws;

    @BeforeAll
    static void start() {
        aws = LocalStandIns.start();
    }

    @AfterAll
    static void stop() {
        aws.close();
    }

    /** A clock the test moves. */
    static final class ManualClock extends Clock {
        final AtomicLong millis = new AtomicLong(1_800_000_000_000L);

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }
    }

    private static DynamoStartRunPacer pacer(String name, double rate, Clock clock) {
        return new DynamoStartRunPacer(aws.dynamoDbClient(), ResourceDefinitions.PACING_TABLE.name(), name, rate, clock);
    }

    @Test
    void twoFunctionInstancesShareOneSchedule() {
        ManualClock clock = new ManualClock();
        // Two instances of the submit function, as two concurrent Lambda invocations would be.
        DynamoStartRunPacer first = pacer("shared-schedule", 10, clock);
        DynamoStartRunPacer second = pacer("shared-schedule", 10, clock);
        List<Long> slots = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            StartRunPacer.Permit permit = (i % 2 == 0 ? first : second).acquire(Duration.ofSeconds(10));
            assertThat(permit.granted()).isTrue();
            slots.add(permit.grantedAt().toEpochMilli());
        }
        for (int i = 1; i < slots.size(); i++) {
            // 10 per second for both together: 100 ms apart, plus the 5 ms jitter allowance.
            assertThat(slots.get(i) - slots.get(i - 1)).isEqualTo(105);
        }
    }

    @Test
    void aSlotBeyondTheWaitIsNotReserved() {
        ManualClock clock = new ManualClock();
        DynamoStartRunPacer pacer = pacer("bounded-wait", 1, clock);
        assertThat(pacer.acquire(Duration.ofSeconds(2)).grantedAt()).isEqualTo(clock.instant());
        assertThat(pacer.acquire(Duration.ofSeconds(2)).grantedAt()).isEqualTo(clock.instant().plusMillis(1005));
        StartRunPacer.Permit refused = pacer.acquire(Duration.ofMillis(500));
        assertThat(refused.granted()).isFalse();
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofMillis(2010));
        // Nothing was reserved by the refusal: the next caller willing to wait gets that very slot.
        assertThat(pacer.acquire(Duration.ofSeconds(5)).grantedAt()).isEqualTo(clock.instant().plusMillis(2010));
    }

    @Test
    void throttlingSlowsThePaceOnceASecondAndItRecovers() {
        ManualClock clock = new ManualClock();
        DynamoStartRunPacer pacer = pacer("adaptive", 20, clock);
        assertThat(pacer.currentRate()).isEqualTo(20.0);
        pacer.onThrottled();
        assertThat(pacer.currentRate()).isCloseTo(15.0, within(1e-9));
        pacer.onThrottled(); // the same second's throttles come from calls already in flight
        assertThat(pacer.currentRate()).isCloseTo(15.0, within(1e-9));
        clock.millis.addAndGet(1_000);
        assertThat(pacer.currentRate()).isCloseTo(16.0, within(1e-9)); // +5% of 20 per second
        pacer.onThrottled();
        assertThat(pacer.currentRate()).isCloseTo(12.0, within(1e-9));
        clock.millis.addAndGet(60_000);
        assertThat(pacer.currentRate()).isEqualTo(20.0);
    }
}
