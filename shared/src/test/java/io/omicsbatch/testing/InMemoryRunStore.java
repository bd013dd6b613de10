package io.omicsbatch.testing;

import io.omicsbatch.batch.BatchStatus;
import io.omicsbatch.batch.RunChange;
import io.omicsbatch.batch.RunRecord;
import io.omicsbatch.batch.RunStatus;
import io.omicsbatch.batch.RunStore;
import io.omicsbatch.batch.StartedRun;
import io.omicsbatch.batch.SubmissionStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The runs table in memory, with DynamoRunStore's semantics. Every outcome and status change is one
 * "transaction" with its batch's counters, under the batch store's lock: it answers false, changing nothing, when
 * the run is not as expected (or missing), and throws when the run is as expected but its batch does not exist
 * (DynamoDB cancels the transaction for the batch's condition, which DynamoRunStore rethrows). Runs are kept in
 * runSettingId order as DynamoDB sorts them (UTF-8 bytes, that is code points).
 */
public final class InMemoryRunStore implements RunStore {

    /** DynamoDB's sort order for string keys. */
    private static final Comparator<String> UTF8_ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    };

    private final InMemoryBatchStore batches;
    private final Clock clock;
    private final Map<String, NavigableMap<String, Item>> runsByBatch = new TreeMap<>();

    /** @param batches the batches table whose counters move with the runs (its lock is this store's lock) */
    public InMemoryRunStore(InMemoryBatchStore batches, Clock clock) {
        this.batches = batches;
        this.clock = clock;
    }

    /** Unconditional, as BatchWriteItem: whatever was stored for the run is replaced. */
    @Override
    public void createFresh(List<RunRecord> runs) {
        synchronized (batches) {
            for (RunRecord run : runs) {
                runsByBatch.computeIfAbsent(run.batchId(), b -> new TreeMap<>(UTF8_ORDER)).remove(run.runSettingId());
            }
            createPending(runs);
        }
    }

    /** Creates each run's pending record unless it has one; answers the existing ones no longer PENDING. */
    @Override
    public Set<String> createPending(List<RunRecord> runs) {
        Set<String> decided = new LinkedHashSet<>();
        synchronized (batches) {
            for (RunRecord run : runs) {
                Item existing = item(run.batchId(), run.runSettingId());
                if (existing != null) {
                    if (existing.submissionStatus != SubmissionStatus.PENDING) {
                        decided.add(run.runSettingId());
                    }
                    continue;
                }
                Item item = new Item(run.batchId(), run.runSettingId());
                item.requestId = Objects.requireNonNull(run.requestId(), "requestId");
                item.runName = run.runName();
                item.outputUri = run.outputUri();
                item.outputBucketOwnerId = run.outputBucketOwnerId();
                item.submissionStatus = Objects.requireNonNull(run.submissionStatus(), "submissionStatus");
                item.attempts = run.attempts();
                item.createdAt = Objects.requireNonNull(run.createdAt(), "createdAt");
                item.queuedAt = run.queuedAt() != null ? run.queuedAt() : run.createdAt();
                item.updatedAt = run.createdAt();
                runsByBatch.computeIfAbsent(item.batchId, b -> new TreeMap<>(UTF8_ORDER)).put(item.runSettingId, item);
            }
        }
        return decided;
    }

    @Override
    public Optional<RunRecord> get(String batchId, String runSettingId) {
        synchronized (batches) {
            return Optional.ofNullable(item(batchId, runSettingId)).map(Item::toRecord);
        }
    }

    @Override
    public boolean recordSubmitted(String batchId, String runSettingId, StartedRun run) {
        RunStatus status = run.status() == null ? RunStatus.PENDING : run.status();
        Objects.requireNonNull(run.runId(), "runId");
        Objects.requireNonNull(run.arn(), "arn");
        synchronized (batches) {
            Item item = item(batchId, runSettingId);
            if (item == null || item.submissionStatus != SubmissionStatus.PENDING) {
                return false;
            }
            requireBatch(batchId);
            Instant now = clock.instant();
            item.submissionStatus = SubmissionStatus.SUCCESS;
            item.runId = run.runId();
            item.arn = run.arn();
            item.status = status;
            item.submittedAt = now;
            item.updatedAt = now;
            if (run.uuid() != null) {
                item.uuid = run.uuid();
            }
            if (run.runOutputUri() != null) {
                item.runOutputUri = run.runOutputUri();
            }
            batches.addToCounters(batchId, Map.of("successfulStartSubmissionCount", 1L,
                    "pendingStartSubmissionCount", -1L, status.countAttribute(), 1L));
            return true;
        }
    }

    @Override
    public boolean recordSubmissionFailed(String batchId, String runSettingId, String reason, String message) {
        Objects.requireNonNull(reason, "reason");
        synchronized (batches) {
            Item item = item(batchId, runSettingId);
            if (item == null || item.submissionStatus != SubmissionStatus.PENDING) {
                return false;
            }
            requireBatch(batchId);
            item.submissionStatus = SubmissionStatus.FAILED;
            item.submissionFailureReason = reason;
            item.submissionFailureMessage = message == null || message.isEmpty() ? reason : message;
            item.updatedAt = clock.instant();
            batches.addToCounters(batchId, Map.of("failedStartSubmissionCount", 1L, "pendingStartSubmissionCount", -1L));
            return true;
        }
    }

    /** Counts whatever the submission status (the adapter's only condition is that the record exists). */
    @Override
    public int recordAttempt(String batchId, String runSettingId, String lastError) {
        Objects.requireNonNull(lastError, "lastError");
        synchronized (batches) {
            Item item = existing(batchId, runSettingId);
            item.attempts++;
            item.lastError = lastError;
            item.updatedAt = clock.instant();
            return item.attempts;
        }
    }

    /** Moves queuedAt only: the run does not count as updated (it stays due for the reconciler). */
    @Override
    public void recordRequeued(String batchId, String runSettingId) {
        synchronized (batches) {
            existing(batchId, runSettingId).queuedAt = clock.instant();
        }
    }

    /** Answers at once, although DynamoDB's index may lag a just-written record. */
    @Override
    public Optional<RunRecord> findByUuid(String uuid) {
        synchronized (batches) {
            for (NavigableMap<String, Item> runs : runsByBatch.values()) {
                for (Item item : runs.values()) {
                    if (uuid.equals(item.uuid)) {
                        return Optional.of(item.toRecord());
                    }
                }
            }
            return Optional.empty();
        }
    }

    @Override
    public boolean applyChange(RunRecord observed, RunChange change) {
        Objects.requireNonNull(change.status(), "status");
        synchronized (batches) {
            Item item = item(observed.batchId(), observed.runSettingId());
            if (item == null || item.submissionStatus != observed.submissionStatus() || item.status != observed.status()) {
                return false;
            }
            requireBatch(observed.batchId());
            Instant now = clock.instant();
            boolean adopted = observed.submissionStatus() != SubmissionStatus.SUCCESS;
            item.submissionStatus = SubmissionStatus.SUCCESS;
            item.status = change.status();
            item.updatedAt = now;
            item.runId = keep(item.runId, change.runId());
            item.uuid = keep(item.uuid, change.uuid());
            item.arn = keep(item.arn, change.arn());
            item.runOutputUri = keep(item.runOutputUri, change.runOutputUri());
            item.failureReason = keep(item.failureReason, change.failureReason());
            item.statusMessage = keep(item.statusMessage, change.statusMessage());
            item.startTime = change.startTime() != null ? change.startTime() : item.startTime;
            item.stopTime = change.stopTime() != null ? change.stopTime() : item.stopTime;
            if (adopted) {
                item.submittedAt = now;
            }
            batches.addToCounters(observed.batchId(), change.counterDeltas(observed));
            return true;
        }
    }

    /** Calls {@code action} on a snapshot, outside the lock, so that it may use this store. */
    @Override
    public void forEachRun(String batchId, Consumer<RunRecord> action) {
        List<RunRecord> snapshot = new ArrayList<>();
        synchronized (batches) {
            runsByBatch.getOrDefault(batchId, new TreeMap<>()).values().forEach(item -> snapshot.add(item.toRecord()));
        }
        snapshot.forEach(action);
    }

    @Override
    public List<RunRecord> unsettledRuns(String batchId, Instant before) {
        List<RunRecord> unsettled = new ArrayList<>();
        synchronized (batches) {
            for (Item item : runsByBatch.getOrDefault(batchId, new TreeMap<>()).values()) {
                boolean open = item.submissionStatus == SubmissionStatus.PENDING
                        || (item.submissionStatus == SubmissionStatus.SUCCESS && item.status != null
                        && !item.status.isTerminal());
                Instant latest = item.checkedAt != null && (item.updatedAt == null || item.checkedAt.isAfter(item.updatedAt))
                        ? item.checkedAt : item.updatedAt;
                if (open && (latest == null || latest.isBefore(before))) {
                    unsettled.add(item.toRecord());
                }
            }
        }
        return unsettled;
    }

    /** Under the batch store's lock: the batch must be SUBMITTING and the run PENDING. */
    @Override
    public boolean claimSubmission(String batchId, String runSettingId) {
        synchronized (batches) {
            Item item = item(batchId, runSettingId);
            if (item == null || item.submissionStatus != SubmissionStatus.PENDING
                    || batches.get(batchId).map(b -> b.status() != BatchStatus.SUBMITTING).orElse(true)) {
                return false;
            }
            if (item.claimedAt == null) {
                item.claimedAt = clock.instant();
            }
            return true;
        }
    }

    @Override
    public boolean recordCancelOutcome(String batchId, String runSettingId, boolean cancelled, String error) {
        synchronized (batches) {
            Item item = item(batchId, runSettingId);
            if (item == null || item.cancelStatus != null) {
                return false;
            }
            requireBatch(batchId);
            item.cancelStatus = cancelled ? SubmissionStatus.CANCEL_SUCCESS : SubmissionStatus.CANCEL_FAILED;
            item.updatedAt = clock.instant();
            batches.addToCounters(batchId, Map.of(cancelled ? "successfulCancelSubmissionCount"
                    : "failedCancelSubmissionCount", 1L));
            return true;
        }
    }

    @Override
    public boolean recordDeleteOutcome(String batchId, String runSettingId, boolean deleted, String error) {
        synchronized (batches) {
            Item item = item(batchId, runSettingId);
            if (item == null || item.deleteStatus != null) {
                return false;
            }
            requireBatch(batchId);
            item.deleteStatus = deleted ? SubmissionStatus.DELETE_SUCCESS : SubmissionStatus.DELETE_FAILED;
            item.updatedAt = clock.instant();
            batches.addToCounters(batchId, Map.of(deleted ? "successfulDeleteSubmissionCount"
                    : "failedDeleteSubmissionCount", 1L));
            return true;
        }
    }

    @Override
    public long deleteAll(String batchId) {
        synchronized (batches) {
            NavigableMap<String, Item> removed = runsByBatch.remove(batchId);
            return removed == null ? 0 : removed.size();
        }
    }

    @Override
    public void recordChecked(String batchId, String runSettingId) {
        synchronized (batches) {
            existing(batchId, runSettingId).checkedAt = clock.instant();
        }
    }

    private Item item(String batchId, String runSettingId) {
        NavigableMap<String, Item> runs = runsByBatch.get(batchId);
        return runs == null ? null : runs.get(runSettingId);
    }

    /** The adapter's plain updates are conditional on the record existing and throw otherwise. */
    private Item existing(String batchId, String runSettingId) {
        Item item = item(batchId, runSettingId);
        if (item == null) {
            throw new IllegalStateException("no run record " + runSettingId + " in batch " + batchId);
        }
        return item;
    }

    private void requireBatch(String batchId) {
        if (!batches.exists(batchId)) {
            throw new IllegalStateException("transaction cancelled: no batch " + batchId + " to count the run in");
        }
    }

    private static String keep(String current, String learned) {
        return learned != null ? learned : current;
    }

    private static final class Item {
        final String batchId;
        final String runSettingId;
        String requestId;
        String runName;
        String outputUri;
        String outputBucketOwnerId;
        SubmissionStatus submissionStatus;
        String submissionFailureReason;
        String submissionFailureMessage;
        int attempts;
        String lastError;
        String runId;
        String uuid;
        String arn;
        RunStatus status;
        String runOutputUri;
        String failureReason;
        String statusMessage;
        Instant startTime;
        Instant stopTime;
        Instant createdAt;
        Instant submittedAt;
        Instant queuedAt;
        Instant updatedAt;
        Instant checkedAt;
        Instant claimedAt;
        SubmissionStatus cancelStatus;
        SubmissionStatus deleteStatus;

        Item(String batchId, String runSettingId) {
            this.batchId = Objects.requireNonNull(batchId, "batchId");
            this.runSettingId = Objects.requireNonNull(runSettingId, "runSettingId");
        }

        RunRecord toRecord() {
            return new RunRecord(batchId, runSettingId, requestId, runName, outputUri, outputBucketOwnerId,
                    submissionStatus, submissionFailureReason, submissionFailureMessage, attempts, runId, uuid, arn,
                    status, runOutputUri, failureReason, statusMessage, startTime, stopTime, createdAt, submittedAt,
                    queuedAt, updatedAt, claimedAt, cancelStatus, deleteStatus);
        }
    }
}
