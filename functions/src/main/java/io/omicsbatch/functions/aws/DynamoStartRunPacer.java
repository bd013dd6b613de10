package io.omicsbatch.functions.aws;

import static io.omicsbatch.functions.aws.Attributes.n;
import static io.omicsbatch.functions.aws.Attributes.s;

import io.omicsbatch.batch.StartRunPacer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * A StartRun schedule shared by every submit invocation, kept in one DynamoDB item: each call reserves the
 * next free slot with a conditional write (optimistic, versioned), so the configured rate holds for all
 * concurrent invocations together. On throttling the rate drops to 3/4 (never below a floor; once for all the
 * throttles of one second) and then recovers linearly, by {@code recoveryPerSecond} of the configured rate
 * each second, because other tools in the account may be using the quota for a while.
 */
public final class DynamoStartRunPacer implements StartRunPacer {

    private static final int MAX_CONTENTION_RETRIES = 50;

    private final DynamoDbClient dynamo;
    private final String table;
    private final String name;
    private final double configuredRate;
    private final double minimumRate;
    private final double recoveryPerSecond;
    private final Clock clock;

    /**
     * Added to every slot's interval: calls leave on schedule but reach the service with a few milliseconds of
     * network and scheduling jitter, and a quota enforced as a token bucket without burst throttles a call
     * that arrives early. Jitter is absolute, so the margin is too: 0.5% of a 1-per-second quota.
     */
    static final long JITTER_ALLOWANCE_MILLIS = 5;
    /** Multiplicative decrease on throttling: to this fraction of the current rate. */
    static final double DECREASE = 0.75;
    /** Throttles within this window of the last decrease come from calls already in flight: one decrease covers them. */
    static final long DECREASE_WINDOW_MILLIS = 1_000;

    public DynamoStartRunPacer(DynamoDbClient dynamo, String table, String name, double configuredRate, Clock clock) {
        this(dynamo, table, name, configuredRate, configuredRate * 0.05, 0.05, clock);
    }

    public DynamoStartRunPacer(DynamoDbClient dynamo, String table, String name, double configuredRate,
                               double minimumRate, double recoveryPerSecond, Clock clock) {
        if (configuredRate <= 0) {
            throw new IllegalArgumentException("the StartRun rate must be positive");
        }
        this.dynamo = dynamo;
        this.table = table;
        this.name = name;
        this.configuredRate = configuredRate;
        this.minimumRate = minimumRate;
        this.recoveryPerSecond = recoveryPerSecond;
        this.clock = clock;
    }

    /** The schedule's state: next free slot, and the rate after the last throttle and when that was. */
    private record State(long version, long nextSlotMillis, double throttledRate, long lastThrottleMillis) {
        double rateAt(long now, double configured, double recoveryPerSecond) {
            if (throttledRate <= 0 || throttledRate >= configured) {
                return configured;
            }
            double recovered = throttledRate + configured * recoveryPerSecond * (now - lastThrottleMillis) / 1000.0;
            return Math.min(configured, recovered);
        }
    }

    @Override
    public Permit acquire(Duration maxWait) {
        for (int attempt = 0; attempt < MAX_CONTENTION_RETRIES; attempt++) {
            State state = read();
            long now = clock.millis();
            double rate = state.rateAt(now, configuredRate, recoveryPerSecond);
            long slot = Math.max(now, state.nextSlotMillis);
            if (slot - now > maxWait.toMillis()) {
                return new Permit(null, Duration.ofMillis(slot - now));
            }
            long next = slot + Math.max(1, Math.round(1000.0 / rate)) + JITTER_ALLOWANCE_MILLIS;
            if (write(state, next, state.throttledRate, state.lastThrottleMillis)) {
                return new Permit(Instant.ofEpochMilli(slot), null);
            }
        }
        // Heavy contention: back off rather than spin.
        return new Permit(null, Duration.ofMillis(Math.round(1000.0 / configuredRate)));
    }

    @Override
    public void onThrottled() {
        for (int attempt = 0; attempt < MAX_CONTENTION_RETRIES; attempt++) {
            State state = read();
            long now = clock.millis();
            if (state.lastThrottleMillis > 0 && now - state.lastThrottleMillis < DECREASE_WINDOW_MILLIS) {
                return;
            }
            double rate = Math.max(minimumRate, state.rateAt(now, configuredRate, recoveryPerSecond) * DECREASE);
            long next = Math.max(state.nextSlotMillis, now + Math.round(1000.0 / rate));
            if (write(state, next, rate, now)) {
                return;
            }
        }
    }

    /** The current rate, for metrics and tests. */
    public double currentRate() {
        return read().rateAt(clock.millis(), configuredRate, recoveryPerSecond);
    }

    private State read() {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(Map.of("name", s(name))).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return new State(0, 0, 0, 0);
        }
        Double throttled = Attributes.dbl(item, "throttledRate");
        return new State(Attributes.num(item, "version"), Attributes.num(item, "nextSlotMillis"),
                throttled == null ? 0 : throttled, Attributes.num(item, "lastThrottleMillis"));
    }

    private boolean write(State previous, long nextSlotMillis, double throttledRate, long lastThrottleMillis) {
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .item(Map.of("name", s(name), "version", n(previous.version + 1), "nextSlotMillis", n(nextSlotMillis),
                            "throttledRate", n(throttledRate), "lastThrottleMillis", n(lastThrottleMillis),
                            "configuredRate", n(configuredRate)))
                    .conditionExpression(previous.version == 0 ? "attribute_not_exists(#name)" : "version = :version")
                    .expressionAttributeNames(previous.version == 0 ? Map.of("#name", "name") : null)
                    .expressionAttributeValues(previous.version == 0 ? null : Map.of(":version", n(previous.version))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }
}
