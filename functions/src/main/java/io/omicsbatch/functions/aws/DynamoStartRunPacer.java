package io.omicsbatch.functions.aws;

import static io.omicsbatch.functions.aws.Attributes.n;
import static io.omicsbatch.functions.aws.Attributes.s;

import io.omicsbatch.batch.StartRunPacer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * A call schedule shared by every invocation, kept in one DynamoDB item: each call reserves the next free slot with a
 * conditional write (optimistic, versioned), so the configured rate holds for all concurrent invocations together.
 *
 * <p>The quota is a token bucket without burst: a call is admitted only if it arrives at least 1/rate after the last
 * admitted one. Slots are therefore spaced by 1/rate plus a <em>margin</em> for the calls' jitter (how much later one
 * call may reach the service than the one before), and the margin tracks the jitter as a quantile: it grows by
 * {@link #MARGIN_STEP_MICROS} when a call is throttled on its own and shrinks by {@link #TARGET_THROTTLE_SHARE} of that
 * with every slot granted, so that it settles where one call in {@code 1/TARGET_THROTTLE_SHARE} is throttled. A third throttle within {@link #contentionWindowMillis} is not jitter but another
 * client using the same quota: then the rate drops to 3/4 (once a second at most) and recovers by a tenth of the
 * configured rate each second, so it is back within 10 s of the other client stopping.
 */
public final class DynamoStartRunPacer implements StartRunPacer {

    private static final int MAX_CONTENTION_RETRIES = 50;

    /** The margin's floor: above a thread's wake-up and the SDK's jitter. */
    static final long MIN_MARGIN_MICROS = 1_000;
    /** The margin a new schedule starts with: a few milliseconds of network jitter, until throttles say otherwise. */
    static final long INITIAL_MARGIN_MICROS = 4_000;
    /** The margin's ceiling, as a share of the interval. */
    static final double MAX_MARGIN_SHARE = 0.1;
    /** What a throttle on its own adds to the margin: network jitter is milliseconds, whatever the rate. */
    static final long MARGIN_STEP_MICROS = 3_000;
    /** The share of calls the margin lets jitter throttle: half the 1% the pacer promises, the rest for learning. */
    static final double TARGET_THROTTLE_SHARE = 0.005;
    /**
     * An idle schedule's first slot is this far ahead: the caller claims its run between the reservation and the call,
     * and a call that leaves later than its slot's margin makes the next one arrive early.
     */
    static final long LEAD_MICROS = 25_000;
    /** Multiplicative decrease on contention: to this fraction of the current rate. */
    static final double DECREASE = 0.75;
    /** Throttles within this window of the last decrease come from calls already in flight: one decrease covers them. */
    static final long DECREASE_WINDOW_MILLIS = 1_000;
    /** Recovery after a decrease, per second, as a share of the configured rate. */
    static final double RECOVERY_PER_SECOND = 0.1;

    private final DynamoDbClient dynamo;
    private final String table;
    private final String name;
    private final double configuredRate;
    private final double minimumRate;
    private final Clock clock;

    public DynamoStartRunPacer(DynamoDbClient dynamo, String table, String name, double configuredRate, Clock clock) {
        if (configuredRate <= 0) {
            throw new IllegalArgumentException("the call rate must be positive");
        }
        this.dynamo = dynamo;
        this.table = table;
        this.name = name;
        this.configuredRate = configuredRate;
        this.minimumRate = configuredRate * 0.05;
        this.clock = clock;
    }

    /**
     * The schedule's state: the next free slot and the margin added after each slot; the rate after the last decrease
     * and when that was; when the last two throttles were.
     */
    private record State(long version, long nextSlotMicros, long marginMicros, double decreasedRate, long lastDecreaseMillis,
                         long lastThrottleMillis, long previousThrottleMillis) {

        double rateAt(long nowMillis, double configured) {
            if (decreasedRate <= 0 || decreasedRate >= configured) {
                return configured;
            }
            double recovered = decreasedRate + configured * RECOVERY_PER_SECOND * (nowMillis - lastDecreaseMillis) / 1000.0;
            return Math.min(configured, recovered);
        }
    }

    @Override
    public Permit acquire(Duration maxWait) {
        for (int attempt = 0; attempt < MAX_CONTENTION_RETRIES; attempt++) {
            State state = read();
            long now = nowMicros();
            double rate = state.rateAt(now / 1000, configuredRate);
            long slot = Math.max(now + LEAD_MICROS, state.nextSlotMicros);
            if (slot - now > maxWait.toNanos() / 1000) {
                return new Permit(null, Duration.of(slot - now, ChronoUnit.MICROS));
            }
            long margin = state.marginMicros;
            long next = slot + intervalMicros(rate) + margin;
            long relieved = Math.max(MIN_MARGIN_MICROS, margin - Math.round(MARGIN_STEP_MICROS * TARGET_THROTTLE_SHARE));
            State written = new State(state.version, next, relieved, state.decreasedRate, state.lastDecreaseMillis,
                    state.lastThrottleMillis, state.previousThrottleMillis);
            if (write(written)) {
                return new Permit(toInstant(slot), null, Duration.of(margin, ChronoUnit.MICROS));
            }
        }
        // Heavy contention: back off rather than spin.
        return new Permit(null, Duration.of(intervalMicros(configuredRate), ChronoUnit.MICROS));
    }

    @Override
    public void onThrottled() {
        for (int attempt = 0; attempt < MAX_CONTENTION_RETRIES; attempt++) {
            State state = read();
            long nowMicros = nowMicros();
            long now = nowMicros / 1000;
            // The third throttle within the window: the two before it are both recent.
            boolean contention = state.previousThrottleMillis > 0 && now - state.previousThrottleMillis < contentionWindowMillis();
            State updated;
            if (!contention) {
                long margin = Math.min(maxMarginMicros(), state.marginMicros + MARGIN_STEP_MICROS);
                updated = new State(state.version, state.nextSlotMicros, margin, state.decreasedRate, state.lastDecreaseMillis,
                        now, state.lastThrottleMillis);
            } else if (now - state.lastDecreaseMillis >= DECREASE_WINDOW_MILLIS) {
                double rate = Math.max(minimumRate, state.rateAt(now, configuredRate) * DECREASE);
                long next = Math.max(state.nextSlotMicros, nowMicros + intervalMicros(rate));
                updated = new State(state.version, next, state.marginMicros, rate, now, now, state.lastThrottleMillis);
            } else {
                updated = new State(state.version, state.nextSlotMicros, state.marginMicros, state.decreasedRate,
                        state.lastDecreaseMillis, now, state.lastThrottleMillis);
            }
            if (write(updated)) {
                return;
            }
        }
    }

    /** The current rate, for metrics and tests. */
    public double currentRate() {
        return read().rateAt(clock.millis(), configuredRate);
    }

    /** The current margin between slots beyond 1/rate, for tests. */
    public Duration margin() {
        return Duration.of(read().marginMicros, ChronoUnit.MICROS);
    }

    /** Twenty intervals, and at least 2 s: jitter alone rarely throttles three times within it. */
    long contentionWindowMillis() {
        return Math.max(2_000, Math.round(20_000 / configuredRate));
    }

    private long maxMarginMicros() {
        return Math.max(MIN_MARGIN_MICROS, Math.round(intervalMicros(configuredRate) * MAX_MARGIN_SHARE));
    }

    private static long intervalMicros(double rate) {
        return Math.max(1, Math.round(1_000_000.0 / rate));
    }

    private long nowMicros() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    private static Instant toInstant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1_000);
    }

    private State read() {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(Map.of("name", s(name))).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return new State(0, 0, INITIAL_MARGIN_MICROS, 0, 0, 0, 0);
        }
        Double decreased = Attributes.dbl(item, "decreasedRate");
        long margin = Attributes.num(item, "marginMicros");
        return new State(Attributes.num(item, "version"), Attributes.num(item, "nextSlotMicros"),
                margin <= 0 ? INITIAL_MARGIN_MICROS : margin, decreased == null ? 0 : decreased,
                Attributes.num(item, "lastDecreaseMillis"), Attributes.num(item, "lastThrottleMillis"),
                Attributes.num(item, "previousThrottleMillis"));
    }

    private boolean write(State state) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("name", s(name));
        item.put("version", n(state.version + 1));
        item.put("nextSlotMicros", n(state.nextSlotMicros));
        item.put("marginMicros", n(state.marginMicros));
        item.put("decreasedRate", n(state.decreasedRate));
        item.put("lastDecreaseMillis", n(state.lastDecreaseMillis));
        item.put("lastThrottleMillis", n(state.lastThrottleMillis));
        item.put("previousThrottleMillis", n(state.previousThrottleMillis));
        item.put("configuredRate", n(configuredRate));
        boolean first = state.version == 0;
        try {
            dynamo.putItem(b -> b.tableName(table).item(item)
                    .conditionExpression(first ? "attribute_not_exists(#name)" : "version = :version")
                    .expressionAttributeNames(first ? Map.of("#name", "name") : null)
                    .expressionAttributeValues(first ? null : Map.of(":version", n(state.version))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }
}
