package io.omicsbatch.batch;

import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the batch events of statuses not yet announced (an outbox on the batch item, written in the same
 * update as the transition), then clears them. Publishing is at-least-once and never blocks a status update: a
 * failure is logged and left for the next transition or the reconciler.
 */
public final class BatchAnnouncer {

    private static final Logger LOG = LoggerFactory.getLogger(BatchAnnouncer.class);

    private final BatchStore batches;
    private final BatchEvents events;
    private final String partition;

    /** @param partition the stack's partition, for the batches' ARNs */
    public BatchAnnouncer(BatchStore batches, BatchEvents events, String partition) {
        this.batches = batches;
        this.events = events;
        this.partition = partition;
    }

    /** Announces every pending status of the batch, in lifecycle order. Never throws. */
    public void announce(String batchId) {
        try {
            batches.get(batchId).ifPresent(this::announce);
        } catch (RuntimeException e) {
            LOG.warn("batch {}: status events not published yet ({}); the reconciler retries", batchId, e.toString());
        }
    }

    /** As {@link #announce(String)}, with the record in hand. Never throws. */
    public void announce(BatchRecord batch) {
        List<BatchStatus> pending = batch.unannouncedStatuses() == null ? List.of()
                : batch.unannouncedStatuses().stream().sorted(Comparator.comparingInt(Enum::ordinal)).toList();
        for (BatchStatus status : pending) {
            try {
                events.publish(batch.batchId(), BatchEventDetail.of(batch, status, partition));
                batches.markAnnounced(batch.batchId(), status);
            } catch (RuntimeException e) {
                LOG.warn("batch {}: the {} event was not published ({}); the reconciler retries",
                        batch.batchId(), status, e.toString());
                return;
            }
        }
    }
}
