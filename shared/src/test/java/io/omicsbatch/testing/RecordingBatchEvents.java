package io.omicsbatch.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.batch.BatchEvents;
import java.util.ArrayList;
import java.util.List;

/** The batch event bus, recording what was published; it can be made unreachable, as EventBridge can be. */
public final class RecordingBatchEvents implements BatchEvents {

    /** One published event. */
    public record Published(String batchId, ObjectNode detail) {
        public String status() {
            return detail.path("status").asText();
        }
    }

    private final List<Published> published = new ArrayList<>();
    private int failuresAhead;

    @Override
    public synchronized void publish(String batchId, ObjectNode detail) {
        if (failuresAhead > 0) {
            failuresAhead--;
            throw new IllegalStateException("EventBridge did not accept the event: InternalFailure");
        }
        published.add(new Published(batchId, detail.deepCopy()));
    }

    /** The next {@code count} publishes throw. */
    public synchronized void failNext(int count) {
        failuresAhead = count;
    }

    public synchronized List<Published> published() {
        return List.copyOf(published);
    }

    /** The statuses published for one batch, in publication order. */
    public synchronized List<String> statuses(String batchId) {
        return published.stream().filter(p -> p.batchId().equals(batchId)).map(Published::status).toList();
    }
}
