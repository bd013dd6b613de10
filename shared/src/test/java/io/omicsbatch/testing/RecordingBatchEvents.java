package io.omicsbatch.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.batch.BatchEvents;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
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
    /** Whether each of the next publishes is accepted; once empty, every publish is. */
    private final Deque<Boolean> script = new ArrayDeque<>();

    @Override
    public synchronized void publish(String batchId, ObjectNode detail) {
        Boolean accepted = script.pollFirst();
        if (accepted != null && !accepted) {
            throw new IllegalStateException("EventBridge did not accept the event: InternalFailure");
        }
        published.add(new Published(batchId, detail.deepCopy()));
    }

    /** The next {@code count} publishes (after those already scripted) throw. */
    public synchronized void failNext(int count) {
        script(count, false);
    }

    /** The next {@code count} publishes (after those already scripted) are accepted: e.g. before a failure. */
    public synchronized void acceptNext(int count) {
        script(count, true);
    }

    private void script(int count, boolean accepted) {
        for (int i = 0; i < count; i++) {
            script.addLast(accepted);
        }
    }

    public synchronized List<Published> published() {
        return List.copyOf(published);
    }

    /** The statuses published for one batch, in publication order. */
    public synchronized List<String> statuses(String batchId) {
        return published.stream().filter(p -> p.batchId().equals(batchId)).map(Published::status).toList();
    }
}
