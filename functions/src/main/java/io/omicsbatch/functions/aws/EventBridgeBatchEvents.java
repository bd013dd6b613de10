package io.omicsbatch.functions.aws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.batch.BatchEvents;
import java.util.function.Supplier;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/** Batch events on an EventBridge bus (name or ARN), with our source and the batch as the event's resource. */
public final class EventBridgeBatchEvents implements BatchEvents {

    private final Supplier<EventBridgeClient> events;
    private final String busName;
    private final String source;

    public EventBridgeBatchEvents(EventBridgeClient events, String busName, String source) {
        this(() -> events, busName, source);
    }

    /** Over the client {@code events} gives when the first event is published (batches change state seldom). */
    public EventBridgeBatchEvents(Supplier<EventBridgeClient> events, String busName, String source) {
        this.events = events;
        this.busName = busName;
        this.source = source;
    }

    @Override
    public void publish(String batchId, ObjectNode detail) {
        // As the managed event, whose resources hold the batch's ARN.
        java.util.List<String> resources = detail.hasNonNull("arn") ? java.util.List.of(detail.get("arn").asText())
                : java.util.List.of();
        PutEventsResponse response = events.get().putEvents(b -> b.entries(e -> e
                .eventBusName(busName)
                .source(source)
                .detailType(DETAIL_TYPE)
                .resources(resources)
                .detail(detail.toString())));
        if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
            PutEventsResultEntry entry = response.entries().isEmpty() ? null : response.entries().get(0);
            throw new IllegalStateException("EventBridge did not accept the event: "
                    + (entry == null ? "unknown error" : entry.errorCode() + " " + entry.errorMessage()));
        }
    }
}
