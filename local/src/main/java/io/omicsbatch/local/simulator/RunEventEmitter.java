package io.omicsbatch.local.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.local.events.EventPublisher;
import io.omicsbatch.local.simulator.SimulatorConfig.Faults;
import io.omicsbatch.local.simulator.SimulatorConfig.Range;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns run transitions into EventBridge "Run Status Change" events and delivers them to the
 * {@link EventPublisher}, through the event faults of the config:
 * <ul>
 *   <li>{@code dropEventRate}: the event is never delivered;</li>
 *   <li>{@code duplicateEventRate}: the event is delivered twice, as EventBridge's at-least-once delivery does
 *       (same event id, same content; each copy has its own delay);</li>
 *   <li>{@code eventDelayMillis}: each delivery waits a uniformly drawn delay, so events with different delays
 *       can overtake one another;</li>
 *   <li>{@code reorderEvents}: each event is, with probability 1/2, held back and delivered right after the next
 *       event delivered (or after {@link #MAX_HOLD_MILLIS} if none comes), so consecutive events swap, including
 *       two events of the same run.</li>
 * </ul>
 * Every decision is drawn, at emission, from the run's own seeded stream (a fixed number of draws per event),
 * so it does not depend on how the transitions of different runs interleave. Deliveries happen on one daemon
 * thread, in emission order when no delay or reordering applies.
 */
final class RunEventEmitter implements AutoCloseable {

    static final long MAX_HOLD_MILLIS = 200;
    static final String OMICS_VERSION = "1.0.0";
    private static final Logger LOG = LoggerFactory.getLogger(RunEventEmitter.class);
    private static final DateTimeFormatter EVENT_TIME = DateTimeFormatter.ISO_INSTANT;

    private final EventPublisher publisher;
    private final Faults faults;
    private final String account;
    private final String region;
    private final ObjectMapper mapper;
    private final ScheduledExecutorService delivery;

    private final AtomicLong emitted = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong duplicated = new AtomicLong();
    private final AtomicLong reordered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong pending = new AtomicLong();

    // Confined to the delivery thread.
    private String held;
    private ScheduledFuture<?> heldFlush;

    RunEventEmitter(EventPublisher publisher, Faults faults, String account, String region, ObjectMapper mapper,
                    ThreadFactory threads) {
        this.publisher = publisher;
        this.faults = faults;
        this.account = account;
        this.region = region;
        this.mapper = mapper;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, threads);
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.delivery = executor;
    }

    /** Emits the event of a transition; called under the engine's lock, in transition order. */
    void emit(SimRun run, RunStatus status, Instant time) {
        SplittableRandom random = run.eventRandom;
        // Always the same draws per event, whatever the decisions, so each run's stream stays aligned.
        double dropRoll = random.nextDouble();
        double duplicateRoll = random.nextDouble();
        double holdRoll = random.nextDouble();
        double secondHoldRoll = random.nextDouble();
        long delay = draw(random, faults.eventDelayMillis());
        long secondDelay = draw(random, faults.eventDelayMillis());
        String eventId = Seeds.uuid(random).toString();
        emitted.incrementAndGet();
        if (dropRoll < faults.dropEventRate()) {
            dropped.incrementAndGet();
            LOG.trace("event dropped (fault injection): run {} {}", run.id, status);
            return;
        }
        String json = envelope(run, status, time, eventId);
        schedule(json, delay, faults.reorderEvents() && holdRoll < 0.5);
        if (duplicateRoll < faults.duplicateEventRate()) {
            duplicated.incrementAndGet();
            LOG.trace("event duplicated (fault injection): run {} {}", run.id, status);
            schedule(json, secondDelay, faults.reorderEvents() && secondHoldRoll < 0.5);
        }
    }

    String envelope(SimRun run, RunStatus status, Instant time, String eventId) {
        ObjectNode event = mapper.createObjectNode();
        event.put("version", "0");
        event.put("id", eventId);
        event.put("detail-type", "Run Status Change");
        event.put("source", "aws.omics");
        event.put("account", account);
        event.put("time", EVENT_TIME.format(time.truncatedTo(ChronoUnit.SECONDS)));
        event.put("region", region);
        event.putArray("resources").add(run.arn);
        ObjectNode detail = event.putObject("detail");
        detail.put("omicsVersion", OMICS_VERSION);
        detail.put("arn", run.arn);
        detail.put("status", status.name());
        detail.put("uuid", run.uuid);
        detail.put("runId", run.id);
        if (run.name != null) {
            detail.put("runName", run.name);
        }
        detail.put("runOutputUri", run.runOutputUri);
        detail.put("workflowId", run.workflowId);
        detail.put("workflowName", run.workflowName);
        return event.toString();
    }

    private static long draw(SplittableRandom random, Range range) {
        long value = random.nextLong(range.max() - range.min() + 1);
        return range.min() + value;
    }

    private void schedule(String json, long delayMillis, boolean hold) {
        pending.incrementAndGet();
        try {
            delivery.schedule(() -> deliver(json, hold), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            pending.decrementAndGet();
        }
    }

    private void deliver(String json, boolean hold) {
        if (hold && held == null) {
            held = json;
            reordered.incrementAndGet();
            heldFlush = delivery.schedule(this::flushHeld, MAX_HOLD_MILLIS, TimeUnit.MILLISECONDS);
            return;
        }
        publish(json);
        if (held != null) {
            heldFlush.cancel(false);
            flushHeld();
        }
    }

    private void flushHeld() {
        if (held != null) {
            String json = held;
            held = null;
            publish(json);
        }
    }

    private void publish(String json) {
        try {
            publisher.publish(json);
            published.incrementAndGet();
        } catch (RuntimeException e) {
            failed.incrementAndGet();
            // The event itself may carry sample identifiers (run name, output URI): never logged here.
            LOG.warn("the event publisher failed: {}", e.getClass().getName());
            LOG.debug("the event publisher failed", e);
        } finally {
            pending.decrementAndGet();
        }
    }

    long emitted() {
        return emitted.get();
    }

    long published() {
        return published.get();
    }

    long dropped() {
        return dropped.get();
    }

    long duplicated() {
        return duplicated.get();
    }

    long reordered() {
        return reordered.get();
    }

    long failed() {
        return failed.get();
    }

    /** Events scheduled or held back but not yet handed to the publisher. */
    long pending() {
        return pending.get();
    }

    @Override
    public void close() {
        delivery.shutdownNow();
        try {
            delivery.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
