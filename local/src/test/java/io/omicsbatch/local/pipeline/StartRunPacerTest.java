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

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
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
            // The margin starts at 4 ms and every slot granted without a throttle takes 15 us off it.
            assertThat(permit.lateness()).isEqualTo(Duration.ofNanos((4_000 - 15 * i) * 1_000L));
            slots.add(micros(permit.grantedAt()));
        }
        // An idle schedule's first slot leaves time for the claim before it.
        assertThat(slots.get(0)).isEqualTo(clock.millis.get() * 1_000 + 25_000);
        for (int i = 1; i < slots.size(); i++) {
            // 10 per second for both together: 100 ms apart, plus the margin for jitter.
            assertThat(slots.get(i) - slots.get(i - 1)).isEqualTo(100_000 + 4_000 - 15 * (i - 1));
        }
    }

    @Test
    void aSlotBeyondTheWaitIsNotReserved() {
        ManualClock clock = new ManualClock();
        DynamoStartRunPacer pacer = pacer("bounded-wait", 1, clock);
        Instant first = clock.instant().plusMillis(25);
        assertThat(pacer.acquire(Duration.ofSeconds(2)).grantedAt()).isEqualTo(first);
        assertThat(pacer.acquire(Duration.ofSeconds(2)).grantedAt()).isEqualTo(first.plusMillis(1004));
        StartRunPacer.Permit refused = pacer.acquire(Duration.ofMillis(500));
        assertThat(refused.granted()).isFalse();
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofNanos(2_032_985_000L));
        // Nothing was reserved by the refusal: the next caller willing to wait gets that very slot.
        assertThat(pacer.acquire(Duration.ofSeconds(5)).grantedAt()).isEqualTo(first.plusNanos(2_007_985_000L));
    }

    @Test
    void aThrottleOnItsOwnWidensTheMarginAndSlotsWithoutThrottlesNarrowItAgain() {
        ManualClock clock = new ManualClock();
        DynamoStartRunPacer pacer = pacer("margin", 1, clock);
        pacer.onThrottled();
        assertThat(pacer.margin()).isEqualTo(Duration.ofMillis(7));
        assertThat(pacer.currentRate()).isEqualTo(1.0); // jitter, not contention: the rate stays
        clock.millis.addAndGet(60_000);
        pacer.onThrottled(); // a minute later: on its own again
        assertThat(pacer.margin()).isEqualTo(Duration.ofMillis(10));
        assertThat(pacer.currentRate()).isEqualTo(1.0);

        long firstSlot = micros(pacer.acquire(Duration.ofMinutes(5)).grantedAt());
        for (int i = 2; i < 100; i++) {
            pacer.acquire(Duration.ofMinutes(5));
        }
        long hundredth = micros(pacer.acquire(Duration.ofMinutes(5)).grantedAt());
        // 99 intervals of 1 s, plus margins of 10 ms less 15 us per slot granted.
        assertThat(hundredth - firstSlot).isEqualTo(99 * 1_000_000L + 99 * 10_000L - 15L * (98 * 99 / 2));
        assertThat(pacer.margin()).isEqualTo(Duration.ofNanos(8_500_000L));
    }

    @Test
    void theMarginNeverExceedsATenthOfTheInterval() {
        ManualClock clock = new ManualClock();
        DynamoStartRunPacer pacer = pacer("margin-cap", 10, clock);
        for (int i = 0; i < 10; i++) {
            clock.millis.addAndGet(60_000);
            pacer.onThrottled();
        }
        assertThat(pacer.margin()).isEqualTo(Duration.ofMillis(10));
    }

    @Test
    void aThirdThrottleWithinTheWindowIsContentionItSlowsThePaceOnceASecondAndItRecovers() {
        ManualClock clock = new ManualClock();
        DynamoStartRunPacer pacer = pacer("contention", 20, clock);
        assertThat(pacer.currentRate()).isEqualTo(20.0);
        pacer.onThrottled();
        clock.millis.addAndGet(100);
        pacer.onThrottled();
        assertThat(pacer.currentRate()).isEqualTo(20.0); // two may still be jitter
        clock.millis.addAndGet(100);
        pacer.onThrottled();
        assertThat(pacer.currentRate()).isCloseTo(15.0, within(1e-9));
        pacer.onThrottled(); // the same second's throttles come from calls already in flight
        assertThat(pacer.currentRate()).isCloseTo(15.0, within(1e-9));
        clock.millis.addAndGet(1_000);
        assertThat(pacer.currentRate()).isCloseTo(17.0, within(1e-9)); // +10% of 20 per second
        pacer.onThrottled();
        assertThat(pacer.currentRate()).isCloseTo(12.75, within(1e-9));
        clock.millis.addAndGet(10_000);
        assertThat(pacer.currentRate()).isEqualTo(20.0);
    }
}
