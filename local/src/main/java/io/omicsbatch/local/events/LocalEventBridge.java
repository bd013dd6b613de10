package io.omicsbatch.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.event.ruler.Machine;

/**
 * A local event bus: rules with EventBridge event patterns, matched by event-ruler (EventBridge's own matcher), and
 * one target per rule, a {@code Consumer<String>} receiving the event JSON exactly as published.
 *
 * <p>Delivery follows EventBridge's semantics for asynchronous targets: {@link #publish} only matches and enqueues;
 * targets run later on the bus's own threads, concurrently and in no guaranteed order. Delivery is at least once: a
 * target that throws is retried with exponential backoff and jitter until {@link RetryPolicy#maximumRetryAttempts}
 * retries or {@link RetryPolicy#maximumEventAge} are exhausted, and the event then goes to the dead-letter list
 * ({@link #deadLetters()}), as to a rule target's dead-letter queue. {@link #awaitQuiescence} tells when nothing is
 * pending (including retries waiting for their backoff).
 */
public final class LocalEventBridge implements EventPublisher, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalEventBridge.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger BUSES = new AtomicInteger();

    /**
     * The retry policy of every target, as EventBridge's {@code RetryPolicy} (which defaults to 185 retries within
     * 24 h) plus the backoff, which EventBridge does not expose.
     *
     * @param maximumRetryAttempts retries after the first attempt (0 = deliver once)
     * @param maximumEventAge no attempt is started once the event is older than this
     * @param initialBackoff the wait before the first retry; each later wait doubles, up to {@code maximumBackoff}
     */
    public record RetryPolicy(
            int maximumRetryAttempts, Duration maximumEventAge, Duration initialBackoff, Duration maximumBackoff) {

        /** Local defaults: 8 retries (~10 s with the backoff), then the dead-letter list. */
        public static final RetryPolicy DEFAULT =
                new RetryPolicy(8, Duration.ofHours(24), Duration.ofMillis(50), Duration.ofSeconds(2));

        public RetryPolicy {
            if (maximumRetryAttempts < 0) {
                throw new IllegalArgumentException("maximumRetryAttempts must be >= 0");
            }
            Objects.requireNonNull(maximumEventAge, "maximumEventAge");
            Objects.requireNonNull(initialBackoff, "initialBackoff");
            Objects.requireNonNull(maximumBackoff, "maximumBackoff");
            if (initialBackoff.isNegative() || maximumBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("backoff must satisfy 0 <= initialBackoff <= maximumBackoff");
            }
        }

        /** The wait before retry number {@code retry} (1-based): exponential, with full jitter in its upper half. */
        Duration backoff(int retry) {
            long base = initialBackoff.toNanos();
            long cap = maximumBackoff.toNanos();
            long wait = base;
            for (int i = 1; i < retry && wait < cap; i++) {
                wait = Math.min(cap, wait * 2);
            }
            long half = wait / 2;
            return Duration.ofNanos(half + (half > 0 ? ThreadLocalRandom.current().nextLong(half + 1) : 0));
        }
    }

    /**
     * An event given up on.
     *
     * @param attempts how many times the target was called
     * @param error the last failure ({@code Class: message})
     */
    public record DeadLetter(String ruleName, String event, int attempts, String error, Instant failedAt) {}

    private record Rule(String name, String pattern, Consumer<String> target) {}

    private final RetryPolicy retryPolicy;
    private final String threadNamePrefix = "local-eventbridge-" + BUSES.incrementAndGet() + "-";
    private final Machine machine = new Machine();
    private final Map<String, Rule> rules = new ConcurrentHashMap<>();
    private final Object rulesLock = new Object();
    private final ScheduledThreadPoolExecutor executor;
    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private final Object pendingLock = new Object();
    private int pending;
    private volatile boolean closed;

    /** A bus with {@link RetryPolicy#DEFAULT} and 4 delivery threads. */
    public LocalEventBridge() {
        this(RetryPolicy.DEFAULT, 4);
    }

    public LocalEventBridge(RetryPolicy retryPolicy, int deliveryThreads) {
        this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
        if (deliveryThreads < 1) {
            throw new IllegalArgumentException("deliveryThreads must be >= 1");
        }
        AtomicInteger count = new AtomicInteger();
        this.executor = new ScheduledThreadPoolExecutor(deliveryThreads, runnable -> {
            Thread thread = new Thread(runnable, threadNamePrefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
    }

    /**
     * Creates or replaces a rule (as PutRule + PutTargets with one target).
     *
     * @param eventPattern the rule's event pattern JSON, e.g. {@code ResourceDefinitions.RUN_STATUS_CHANGE_PATTERN}
     * @throws IllegalArgumentException if the pattern is not a valid EventBridge pattern
     */
    public void putRule(String name, String eventPattern, Consumer<String> target) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(eventPattern, "eventPattern");
        Objects.requireNonNull(target, "target");
        synchronized (rulesLock) {
            Rule previous = rules.get(name);
            try {
                if (previous != null) {
                    machine.deleteRule(name, previous.pattern());
                }
                machine.addRule(name, eventPattern);
            } catch (IOException | RuntimeException e) {
                if (previous != null) {
                    addQuietly(previous);
                }
                throw new IllegalArgumentException("invalid event pattern for rule " + name + ": " + e.getMessage(), e);
            }
            rules.put(name, new Rule(name, eventPattern, target));
        }
    }

    /** Deletes a rule; events already matched are still delivered. */
    public void removeRule(String name) {
        synchronized (rulesLock) {
            Rule rule = rules.remove(name);
            if (rule != null) {
                try {
                    machine.deleteRule(name, rule.pattern());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private void addQuietly(Rule rule) {
        try {
            machine.addRule(rule.name(), rule.pattern());
        } catch (IOException | RuntimeException ignored) {
            // it was valid when first added
        }
    }

    /**
     * Puts an event on the bus (as PutEvents): matches it against every rule now and schedules one delivery per
     * matching rule, then returns; targets run on the bus's threads.
     *
     * @throws IllegalArgumentException if the event is not a JSON object with {@code source}, {@code detail-type} and
     *     an object {@code detail}, which PutEvents requires
     * @throws IllegalStateException if the bus is closed
     */
    @Override
    public void publish(String eventJson) {
        Objects.requireNonNull(eventJson, "eventJson");
        JsonNode event;
        try {
            event = JSON.readTree(eventJson);
        } catch (IOException e) {
            throw new IllegalArgumentException("the event is not JSON: " + e.getMessage(), e);
        }
        if (event == null || !event.isObject() || !event.path("source").isTextual()
                || !event.path("detail-type").isTextual() || !event.path("detail").isObject()) {
            throw new IllegalArgumentException(
                    "an event needs a JSON object with source, detail-type (strings) and detail (object)");
        }
        List<String> matched;
        try {
            matched = machine.rulesForJSONEvent(event);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the event could not be matched: " + e.getMessage(), e);
        }
        Instant publishedAt = Instant.now();
        for (String ruleName : matched) {
            Rule rule = rules.get(ruleName);
            if (rule != null) {
                schedule(new Delivery(rule, eventJson, publishedAt), Duration.ZERO);
            }
        }
    }

    private final class Delivery implements Runnable {
        private final Rule rule;
        private final String event;
        private final Instant publishedAt;
        private int attempts;

        Delivery(Rule rule, String event, Instant publishedAt) {
            this.rule = rule;
            this.event = event;
            this.publishedAt = publishedAt;
        }

        @Override
        public void run() {
            boolean rescheduled = false;
            try {
                attempts++;
                try {
                    rule.target().accept(event);
                    return;
                } catch (RuntimeException | Error e) {
                    if (e instanceof VirtualMachineError vmError) {
                        throw vmError;
                    }
                    String error = e.getClass().getName() + ": " + e.getMessage();
                    int retry = attempts; // the retry about to be scheduled
                    Duration wait = retryPolicy.backoff(retry);
                    boolean tooOld = Instant.now().plus(wait).isAfter(publishedAt.plus(retryPolicy.maximumEventAge()));
                    if (retry > retryPolicy.maximumRetryAttempts() || tooOld || closed) {
                        deadLetter(error);
                        return;
                    }
                    LOG.debug("rule {}: target failed (attempt {}), retrying in {}", rule.name(), attempts, wait, e);
                    rescheduled = reschedule(this, wait);
                    if (!rescheduled) {
                        deadLetter(error);
                    }
                }
            } finally {
                if (!rescheduled) {
                    done();
                }
            }
        }

        private void deadLetter(String error) {
            LOG.warn("rule {}: event dead-lettered after {} attempts: {}", rule.name(), attempts, error);
            synchronized (deadLetters) {
                deadLetters.add(new DeadLetter(rule.name(), event, attempts, error, Instant.now()));
            }
        }
    }

    private void schedule(Delivery delivery, Duration delay) {
        synchronized (pendingLock) {
            if (closed) {
                throw new IllegalStateException("the event bus is closed");
            }
            pending++;
        }
        try {
            executor.schedule(delivery, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            done();
            throw new IllegalStateException("the event bus is closed", e);
        }
    }

    /** Schedules a retry; the delivery stays pending throughout. False if the bus no longer accepts work. */
    private boolean reschedule(Delivery delivery, Duration delay) {
        try {
            executor.schedule(delivery, delay.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void done() {
        synchronized (pendingLock) {
            pending--;
            if (pending == 0) {
                pendingLock.notifyAll();
            }
        }
    }

    /**
     * Waits until no delivery is pending: every matched event was delivered or dead-lettered, no retry is waiting.
     * Events that targets publish while being delivered count as pending before their parent's delivery ends.
     *
     * @return true if quiescent, false if {@code timeout} passed first
     */
    public boolean awaitQuiescence(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (pendingLock) {
            while (pending > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(pendingLock, left);
            }
            return true;
        }
    }

    /** Delivery threads are named {@code local-eventbridge-<bus number>-<thread number>}. */
    String threadNamePrefix() {
        return threadNamePrefix;
    }

    /** Deliveries matched but not finished yet (running, waiting to run or waiting for a retry). */
    public int pendingDeliveries() {
        synchronized (pendingLock) {
            return pending;
        }
    }

    /** The events given up on so far, oldest first. */
    public List<DeadLetter> deadLetters() {
        synchronized (deadLetters) {
            return List.copyOf(deadLetters);
        }
    }

    /**
     * Stops the bus: no more events are accepted, retries waiting for their backoff are dropped, deliveries running
     * are given a moment to finish, and the delivery threads end.
     */
    @Override
    public void close() {
        synchronized (pendingLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        executor.shutdown();
        // Drop what waits (first attempts and retries alike) and release their pending count.
        for (Runnable task : executor.getQueue().toArray(new Runnable[0])) {
            if (executor.remove(task)) {
                done();
            }
        }
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
