package io.omicsbatch.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.batch.RunMessage;
import io.omicsbatch.functions.SubmitHandler;
import io.omicsbatch.settings.SettingsJson;
import io.omicsbatch.testing.RecordingRunQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An invocation out of time sends its remaining run messages again instead of returning them: a returned message
 * counts as a receive towards the run queue's redrive, a message sent again starts afresh.
 */
class SubmitHandlerHandBackTest {

    @Test
    void messagesLeftWhenTheInvocationRunsOutOfTimeAreSentAgainNotReturned() {
        RecordingRunQueue queue = new RecordingRunQueue();
        // No submit service and no SQS client: an invocation out of time must need neither.
        SubmitHandler handler = new SubmitHandler(null, queue, null, "http://queue");
        ObjectNode startRun = SettingsJson.MAPPER.createObjectNode().put("requestId", "ob-b1-1");
        RunMessage waiting = new RunMessage("b1", "S1", startRun).withQuotaWaitSince(Instant.parse("2026-01-01T00:00:00Z"));
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(message("m1", waiting.toJson()), message("m2", "not a run message")));

        SQSBatchResponse response = handler.handleRequest(event, new LocalContext("omics-batch-submit", Duration.ofSeconds(1)));

        assertThat(queue.delayed()).containsExactly(new RecordingRunQueue.Delayed(waiting, Duration.ZERO));
        // What cannot be sent again (here: not a run message) is returned, as before.
        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("m2");
    }

    private static SQSEvent.SQSMessage message(String id, String body) {
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId(id);
        message.setReceiptHandle("rh-" + id);
        message.setBody(body);
        return message;
    }
}
