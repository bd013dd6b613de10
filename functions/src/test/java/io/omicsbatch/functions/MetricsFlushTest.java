package io.omicsbatch.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.omicsbatch.batch.BatchCompletion;
import io.omicsbatch.batch.RunMessage;
import io.omicsbatch.batch.StatusService;
import io.omicsbatch.batch.SubmitService;
import io.omicsbatch.settings.SettingsJson;
import io.omicsbatch.testing.InMemoryBatchStore;
import io.omicsbatch.testing.InMemoryObjectStore;
import io.omicsbatch.testing.InMemoryOmics;
import io.omicsbatch.testing.InMemoryRunStore;
import io.omicsbatch.testing.MutableClock;
import io.omicsbatch.testing.RecordingMetrics;
import io.omicsbatch.testing.RecordingRunQueue;
import io.omicsbatch.testing.ScriptedPacer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every handler publishes its metrics once per invocation, also when the invocation fails. */
class MetricsFlushTest {

    private final MutableClock clock = MutableClock.atStartOfDay();
    private final InMemoryBatchStore batches = new InMemoryBatchStore(clock);
    private final InMemoryRunStore runs = new InMemoryRunStore(batches, clock);
    private final InMemoryOmics omics = new InMemoryOmics(clock);
    private final BatchCompletion completion = new BatchCompletion(batches, runs, new InMemoryObjectStore());
    private final RecordingMetrics metrics = new RecordingMetrics();

    @Test
    void theSubmitFunctionSamplesThePaceAndFlushesOncePerInvocation() {
        SubmitService submit = new SubmitService(batches, runs, omics, new ScriptedPacer(clock),
                new SubmitService.Config(3, Duration.ofSeconds(2), Duration.ofMinutes(15), Duration.ofMinutes(1),
                        Duration.ofSeconds(5)), clock, d -> { }, () -> 1L, completion, metrics);
        SubmitHandler handler = new SubmitHandler(submit, new RecordingRunQueue(), null, "run-queue", metrics, () -> 0.75);

        SQSBatchResponse response = handler.handleRequest(sqs(runMessage("deleted-batch"), runMessage("deleted-batch")), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(metrics.paces()).containsExactly(0.75);
        assertThat(metrics.flushes()).isEqualTo(1);

        handler.handleRequest(sqs(), null); // nothing received: no pace to read, still one flush
        assertThat(metrics.paces()).containsExactly(0.75);
        assertThat(metrics.flushes()).isEqualTo(2);
    }

    @Test
    void theStatusFunctionFlushesAlsoWhenTheEventFails() {
        StatusHandler handler = new StatusHandler(new StatusService(runs, omics, completion), metrics);
        ScheduledEvent event = new ScheduledEvent().withId("e1").withSource("aws.omics").withDetailType("Run Status Change")
                .withDetail(Map.of("runId", "1234567", "status", "COMPLETED"));

        assertThat(handler.handleRequest(event, null)).isEqualTo("NOT_OURS");
        assertThat(metrics.flushes()).isEqualTo(1);

        omics.failNextGetRun(new IllegalStateException("GetRun unavailable"));
        assertThatThrownBy(() -> handler.handleRequest(event, null)).hasMessageContaining("GetRun unavailable");
        assertThat(metrics.flushes()).isEqualTo(2);
    }

    private static String runMessage(String batchId) {
        var body = SettingsJson.MAPPER.createObjectNode().put("requestId", "ob-" + batchId + "-S0");
        return new RunMessage(batchId, "S0", body).toJson();
    }

    private static SQSEvent sqs(String... bodies) {
        SQSEvent event = new SQSEvent();
        event.setRecords(java.util.Arrays.stream(bodies).map(body -> {
            SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
            message.setMessageId("m-" + Math.abs(body.hashCode()));
            message.setBody(body);
            return message;
        }).toList());
        return event;
    }
}
