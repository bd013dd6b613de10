package io.omicsbatch.local.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.local.TestSupport;
import io.omicsbatch.resources.ResourceDefinitions;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LocalEventBridgeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration QUIET = Duration.ofSeconds(10);
    /** Fast retries so that the dead-letter path takes milliseconds. */
    private static final LocalEventBridge.RetryPolicy FAST_RETRIES =
            new LocalEventBridge.RetryPolicy(3, Duration.ofHours(1), Duration.ofMillis(1), Duration.ofMillis(4));

    private final String runStatusChange = TestSupport.repoFile("events/run-status-change.json");
    private LocalEventBridge bus;

    @BeforeEach
    void startBus() {
        bus = new LocalEventBridge(FAST_RETRIES, 2);
    }

    @AfterEach
    void closeBus() {
        bus.close();
    }

    @Test
    void deliversAnEventMatchingTheRulePatternOfTheDefinitions() throws Exception {
        Queue<String> delivered = new ConcurrentLinkedQueue<>();
        bus.putRule("run-status", ResourceDefinitions.RUN_STATUS_CHANGE_PATTERN, delivered::add);

        bus.publish(runStatusChange);

        assertThat(bus.awaitQuiescence(QUIET)).isTrue();
        assertThat(delivered).containsExactly(runStatusChange);
        assertThat(bus.deadLetters()).isEmpty();
    }

    @Test
    void doesNotDeliverEventsOfAnotherSourceOrDetailType() throws Exception {
        Queue<String> delivered = new ConcurrentLinkedQueue<>();
        bus.putRule("run-status", ResourceDefinitions.RUN_STATUS_CHANGE_PATTERN, delivered::add);
        String otherSource = with(runStatusChange, "source", "aws.batch");
        String otherDetailType = with(runStatusChange, "detail-type", "Run Batch Status Change");
        String batchEvent = with(with(runStatusChange, "source", "omics-batch"), "detail-type",
                "RunBatch Status Change");

        bus.publish(otherSource);
        bus.publish(otherDetailType);
        bus.publish(batchEvent);
        bus.publish(runStatusChange); // control: only this one matches

        assertThat(bus.awaitQuiescence(QUIET)).isTrue();
        assertThat(delivered).containsExactly(runStatusChange);
    }

    @Test
    void deliversToEveryMatchingRuleAndMatchesOnDetailFields() throws Exception {
        Queue<String> all = new ConcurrentLinkedQueue<>();
        Queue<String> completed = new ConcurrentLinkedQueue<>();
        Queue<String> failed = new ConcurrentLinkedQueue<>();
        bus.putRule("all", ResourceDefinitions.RUN_STATUS_CHANGE_PATTERN, all::add);
        bus.putRule("completed", "{\"source\":[\"aws.omics\"],\"detail\":{\"status\":[\"COMPLETED\"]}}", completed::add);
        bus.putRule("failed", "{\"source\":[\"aws.omics\"],\"detail\":{\"status\":[\"FAILED\"]}}", failed::add);

        bus.publish(runStatusChange);

        assertThat(bus.awaitQuiescence(QUIET)).isTrue();
        assertThat(all).containsExactly(runStatusChange);
        assertThat(completed).containsExactly(runStatusChange);
        assertThat(failed).isEmpty();
    }

    @Test
    void retriesAFailingTargetWithBackoffThenDeadLettersTheEvent() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        bus.putRule("run-status", ResourceDefinitions.RUN_STATUS_CHANGE_PATTERN, event -> {
            calls.incrementAndGet();
            throw new IllegalStateException("status handler is down");
        });

        bus.publish(runStatusChange);

        assertThat(bus.awaitQuiescence(QUIET)).isTrue();
        assertThat(calls).hasValue(1 + FAST_RETRIES.maximumRetryAttempts());
        assertThat(bus.deadLetters()).singleElement().satisfies(dead -> {
            assertThat(dead.ruleName()).isEqualTo("run-status");
            assertThat(dead.event()).isEqualTo(runStatusChange);
            assertThat(dead.attempts()).isEqualTo(1 + FAST_RETRIES.maximumRetryAttempts());
            assertThat(dead.error()).contains("IllegalStateException").contains("status handler is down");
        });
    }

    @Test
    void aTargetThatRecoversGetsTheEventAndNothingIsDeadLettered() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Queue<String> delivered = new ConcurrentLinkedQueue<>();
        bus.putRule("run-status", ResourceDefinitions.RUN_STATUS_CHANGE_PATTERN, event -> {
            if (calls.incrementAndGet() <= 2) {
                throw new IllegalStateException("throttled");
            }
            delivered.add(event);
        });

        bus.publish(runStatusChange);

        assertThat(bus.awaitQuiescence(QUIET)).isTrue();
        assertThat(calls).hasValue(3);
        assertThat(delivered).containsExactly(runStatusChange);
        assertThat(bus.deadLetters()).isEmpty();
    }

    @Test
    void aTargetThatNeverFailsRunsOnceAndAssertionErrorsCountAsFailures() throws Exception {
        LocalEventBridge once = new LocalEventBridge(
                new LocalEventBridge.RetryPolicy(0, Duration.ofHours(1), Duration.ZERO, Duration.ZERO), 1);
        try {
            AtomicInteger calls = new AtomicInteger();
            once.putRule("run-status", ResourceDefinitions.RUN_STATUS_CHANGE_PATTERN, event -> {
                calls.incrementAndGet();
                throw new AssertionError("boom");
            });
            once.publish(runStatusChange);
            assertThat(once.awaitQuiescence(QUIET)).isTrue();
            assertThat(calls).hasValue(1);
            assertThat(once.deadLetters()).singleElement()
                    .satisfies(dead -> assertThat(dead.attempts()).isEqualTo(1));
        } finally {
            once.close();
        }
    }

    @Test
    void deliveryIsAsynchronousOnTheBusThreads() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Thread> deliveredOn = new AtomicReference<>();
        bus.putRule("run-status", ResourceDefinitions.RUN_STATUS_CHANGE_PATTERN, event -> {
            deliveredOn.set(Thread.currentThread());
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        bus.publish(runStatusChange); // returns although the target cannot finish before release

        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(deliveredOn.get()).isNotSameAs(Thread.currentThread());
        assertThat(deliveredOn.get().getName()).startsWith("local-eventbridge-");
        assertThat(bus.pendingDeliveries()).isEqualTo(1);
        assertThat(bus.awaitQuiescence(Duration.ofMillis(20))).isFalse();

        release.countDown();
        assertThat(bus.awaitQuiescence(QUIET)).isTrue();
        assertThat(bus.pendingDeliveries()).isZero();
    }

    @Test
    void eventsPublishedByATargetKeepTheBusBusyUntilDelivered() throws Exception {
        Queue<String> batchEvents = new ConcurrentLinkedQueue<>();
        String batchEvent = with(with(runStatusChange, "source", "omics-batch"), "detail-type",
                "RunBatch Status Change");
        bus.putRule("run-status", ResourceDefinitions.RUN_STATUS_CHANGE_PATTERN, event -> bus.publish(batchEvent));
        bus.putRule("batch-status", "{\"source\":[\"omics-batch\"],\"detail-type\":[\"RunBatch Status Change\"]}",
                batchEvents::add);

        bus.publish(runStatusChange);

        assertThat(bus.awaitQuiescence(QUIET)).isTrue();
        assertThat(batchEvents).containsExactly(batchEvent);
    }

    @Test
    void replacingAndRemovingRules() throws Exception {
        Queue<String> first = new ConcurrentLinkedQueue<>();
        Queue<String> second = new ConcurrentLinkedQueue<>();
        bus.putRule("run-status", ResourceDefinitions.RUN_STATUS_CHANGE_PATTERN, first::add);
        bus.putRule("run-status", "{\"source\":[\"aws.omics\"],\"detail\":{\"status\":[\"COMPLETED\"]}}", second::add);
        bus.publish(runStatusChange);
        assertThat(bus.awaitQuiescence(QUIET)).isTrue();
        assertThat(first).isEmpty();
        assertThat(second).containsExactly(runStatusChange);

        bus.removeRule("run-status");
        bus.publish(runStatusChange);
        assertThat(bus.awaitQuiescence(QUIET)).isTrue();
        assertThat(second).hasSize(1);
    }

    @Test
    void rejectsWhatPutEventsAndPutRuleWouldReject() {
        assertThatThrownBy(() -> bus.publish("not json")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bus.publish("[]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bus.publish("{\"source\":\"aws.omics\",\"detail-type\":\"Run Status Change\"}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bus.putRule("bad", "{\"source\":\"aws.omics\"}", event -> {}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bus.putRule("bad", "{not json", event -> {}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closeDropsWaitingRetriesEndsItsThreadsAndRefusesNewEvents() throws Exception {
        LocalEventBridge slow = new LocalEventBridge(
                new LocalEventBridge.RetryPolicy(5, Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(1)), 2);
        AtomicInteger calls = new AtomicInteger();
        slow.putRule("run-status", ResourceDefinitions.RUN_STATUS_CHANGE_PATTERN, event -> {
            calls.incrementAndGet();
            throw new IllegalStateException("down");
        });
        slow.publish(runStatusChange);
        TestSupport.await("the first attempt", QUIET, () -> calls.get() == 1);
        assertThat(slow.pendingDeliveries()).isEqualTo(1); // its retry waits an hour

        slow.close();

        assertThat(slow.awaitQuiescence(QUIET)).isTrue();
        assertThatThrownBy(() -> slow.publish(runStatusChange)).isInstanceOf(IllegalStateException.class);
        TestSupport.await("the bus threads to end", QUIET, () -> Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .noneMatch(name -> name.startsWith(slow.threadNamePrefix())));
    }

    private static String with(String eventJson, String field, String value) {
        try {
            ObjectNode event = (ObjectNode) JSON.readTree(eventJson);
            event.put(field, value);
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(event);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
