package io.omicsbatch.local.events;

/**
 * Puts an event onto the local EventBridge. The event is the complete EventBridge envelope as JSON
 * (version, id, detail-type, source, account, time, region, resources, detail), exactly as a rule target
 * would receive it.
 */
@FunctionalInterface
public interface EventPublisher {
    void publish(String eventJson);
}
