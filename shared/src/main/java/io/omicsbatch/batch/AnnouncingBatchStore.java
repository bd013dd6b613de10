package io.omicsbatch.batch;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A batch store that announces every transition it makes (after the write, outside it) and counts it in the
 * pipeline metrics: wrapped around the real store, every service's status changes publish batch events and
 * metrics without knowing about them. A transition is counted once, by the writer whose conditional write made it.
 */
public final class AnnouncingBatchStore implements BatchStore {

    private final BatchStore delegate;
    private final BatchAnnouncer announcer;
    private final PipelineMetrics metrics;

    /** @param partition the stack's partition, for the batches' ARNs in their events */
    public AnnouncingBatchStore(BatchStore delegate, BatchEvents events, String partition) {
        this(delegate, events, partition, PipelineMetrics.NONE);
    }

    public AnnouncingBatchStore(BatchStore delegate, BatchEvents events, String partition, PipelineMetrics metrics) {
        this.delegate = delegate;
        this.announcer = new BatchAnnouncer(delegate, events, partition);
        this.metrics = metrics;
    }

    public BatchAnnouncer announcer() {
        return announcer;
    }

    @Override
    public BatchRecord createIfAbsent(BatchRecord initial) {
        BatchRecord stored = delegate.createIfAbsent(initial);
        if (stored.unannouncedStatuses() != null && !stored.unannouncedStatuses().isEmpty()) {
            announcer.announce(stored);
        }
        return stored;
    }

    @Override
    public Optional<BatchRecord> get(String batchId) {
        return delegate.get(batchId);
    }

    @Override
    public boolean markPending(String batchId, int totalRuns, String runsFileETag) {
        return announced(batchId, BatchStatus.PENDING, delegate.markPending(batchId, totalRuns, runsFileETag));
    }

    @Override
    public boolean markSubmitting(String batchId) {
        return announced(batchId, BatchStatus.SUBMITTING, delegate.markSubmitting(batchId));
    }

    @Override
    public boolean markFailed(String batchId, List<BatchStatus> from, String reason, String message,
                              List<BatchRecord.ErrorEntry> errors, long errorCount) {
        return announced(batchId, BatchStatus.FAILED, delegate.markFailed(batchId, from, reason, message, errors, errorCount));
    }

    @Override
    public boolean acquireExpansionLease(String batchId, String owner, Instant until) {
        return delegate.acquireExpansionLease(batchId, owner, until);
    }

    @Override
    public boolean markRecordsWriting(String batchId, String owner, long upTo) {
        return delegate.markRecordsWriting(batchId, owner, upTo);
    }

    @Override
    public boolean saveCheckpoint(String batchId, String owner, long expandedRuns, Instant until) {
        return delegate.saveCheckpoint(batchId, owner, expandedRuns, until);
    }

    @Override
    public boolean markExpansionComplete(String batchId, String owner, long expandedRuns) {
        return delegate.markExpansionComplete(batchId, owner, expandedRuns);
    }

    @Override
    public void releaseExpansionLease(String batchId, String owner) {
        delegate.releaseExpansionLease(batchId, owner);
    }

    @Override
    public boolean recordIntakeResume(BatchRecord observed) {
        return delegate.recordIntakeResume(observed);
    }

    @Override
    public boolean markInProgressIfAllSubmitted(String batchId) {
        return announced(batchId, BatchStatus.INPROGRESS, delegate.markInProgressIfAllSubmitted(batchId));
    }

    @Override
    public boolean markProcessed(String batchId) {
        return announced(batchId, BatchStatus.PROCESSED, delegate.markProcessed(batchId));
    }

    @Override
    public void markAnnounced(String batchId, BatchStatus status) {
        delegate.markAnnounced(batchId, status);
    }

    @Override
    public List<BatchRecord> listUnfinished() {
        return delegate.listUnfinished();
    }

    @Override
    public boolean markStopping(String batchId) {
        return announced(batchId, BatchStatus.STOPPING, delegate.markStopping(batchId));
    }

    @Override
    public boolean markCancelled(String batchId) {
        return announced(batchId, BatchStatus.CANCELLED, delegate.markCancelled(batchId));
    }

    @Override
    public boolean markRunsDeleting(String batchId) {
        return announced(batchId, BatchStatus.RUNS_DELETING, delegate.markRunsDeleting(batchId));
    }

    @Override
    public boolean markRunsDeleted(String batchId, boolean everyRunDeleted) {
        return announced(batchId, everyRunDeleted ? BatchStatus.RUNS_DELETED : BatchStatus.RUNS_DELETE_FAILED,
                delegate.markRunsDeleted(batchId, everyRunDeleted));
    }

    @Override
    public boolean deleteIfTerminal(String batchId) {
        return delegate.deleteIfTerminal(batchId);
    }

    @Override
    public void recordResubmittedAs(String batchId, String resubmitBatchId) {
        delegate.recordResubmittedAs(batchId, resubmitBatchId);
    }

    @Override
    public BatchPage list(BatchQuery query) {
        return delegate.list(query);
    }

    private boolean announced(String batchId, BatchStatus to, boolean changed) {
        if (changed) {
            metrics.batchTransition(to);
            announcer.announce(batchId);
        }
        return changed;
    }
}
