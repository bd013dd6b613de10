package io.omicsbatch.testing;

import io.omicsbatch.batch.BatchListing;
import io.omicsbatch.batch.BatchRecord;
import io.omicsbatch.batch.BatchStatus;
import io.omicsbatch.batch.BatchStore;
import io.omicsbatch.batch.RunStatus;
import io.omicsbatch.batch.S3ObjectRef;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The batches table in memory, with DynamoBatchStore's semantics: every transition is conditional on the statuses
 * it accepts and answers false (changing nothing) when the condition fails or the batch does not exist; every
 * transition adds its status to the unannounced outbox in the same write. {@link InMemoryRunStore} moves the
 * counters under the same lock, as DynamoDB transactions move them with the run. Values DynamoDB cannot store
 * (nulls, an item over 400 KB) are refused with an exception, as the real table refuses them.
 */
public final class InMemoryBatchStore implements BatchStore {

    /** DynamoDB's item size limit. */
    private static final int MAX_ITEM_BYTES = 400 * 1024;

    private static final List<String> SUBMISSION_COUNTERS = io.omicsbatch.batch.BatchSummaries.SUBMISSION_COUNTERS;

    private final Clock clock;
    private final TreeMap<String, Item> items = new TreeMap<>();

    public InMemoryBatchStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized BatchRecord createIfAbsent(BatchRecord initial) {
        Item existing = items.get(initial.batchId());
        if (existing != null) {
            return existing.toRecord();
        }
        S3ObjectRef source = Objects.requireNonNull(initial.settingsObject(), "settingsObject");
        Objects.requireNonNull(source.bucket(), "settings bucket");
        Objects.requireNonNull(source.key(), "settings key");
        Objects.requireNonNull(source.eTag(), "settings ETag");
        Item item = new Item(initial.batchId());
        // Only these attributes are written: the status is always CREATING, counts and run count come later.
        item.batchName = initial.batchName();
        item.status = BatchStatus.CREATING;
        item.settingsObject = source;
        item.runsFileUri = initial.runsFileUri();
        item.workflow = initial.workflow();
        item.expandedRuns = 0L;
        item.creationTime = Objects.requireNonNull(initial.creationTime(), "creationTime");
        item.updatedTime = item.creationTime;
        item.unannounced.add(BatchStatus.CREATING);
        item.resubmitOf = initial.resubmitOf();
        items.put(item.batchId, item);
        return item.toRecord();
    }

    @Override
    public synchronized Optional<BatchRecord> get(String batchId) {
        return Optional.ofNullable(items.get(batchId)).map(Item::toRecord);
    }

    @Override
    public synchronized boolean markPending(String batchId, int totalRuns, String runsFileETag) {
        Item item = items.get(batchId);
        if (item == null || item.status != BatchStatus.CREATING) {
            return false;
        }
        item.totalRuns = totalRuns;
        if (runsFileETag != null) {
            item.runsFileETag = runsFileETag;
        }
        return transition(item, BatchStatus.PENDING);
    }

    @Override
    public synchronized boolean markSubmitting(String batchId) {
        Item item = items.get(batchId);
        if (item == null || item.status != BatchStatus.PENDING) {
            return false;
        }
        startCounters(item);
        return transition(item, BatchStatus.SUBMITTING);
    }

    /** From PENDING the counters start as markSubmitting starts them; from SUBMITTING or INPROGRESS only the status moves. */
    @Override
    public synchronized boolean markStopping(String batchId) {
        Item item = items.get(batchId);
        if (item == null || !item.status.isCancellable()) {
            return false;
        }
        if (item.status == BatchStatus.PENDING) {
            startCounters(item);
        }
        return transition(item, BatchStatus.STOPPING);
    }

    @Override
    public synchronized boolean markCancelled(String batchId) {
        Item item = items.get(batchId);
        if (item == null || item.status != BatchStatus.STOPPING || !allSettled(item)) {
            return false;
        }
        return transition(item, BatchStatus.CANCELLED);
    }

    @Override
    public synchronized boolean markRunsDeleting(String batchId) {
        Item item = items.get(batchId);
        if (item == null || !item.status.allowsRunDeletion()) {
            return false;
        }
        return transition(item, BatchStatus.RUNS_DELETING);
    }

    @Override
    public synchronized boolean markRunsDeleted(String batchId, boolean everyRunDeleted) {
        Item item = items.get(batchId);
        if (item == null || item.status != BatchStatus.RUNS_DELETING) {
            return false;
        }
        return transition(item, everyRunDeleted ? BatchStatus.RUNS_DELETED : BatchStatus.RUNS_DELETE_FAILED);
    }

    @Override
    public synchronized boolean deleteIfTerminal(String batchId) {
        Item item = items.get(batchId);
        if (item == null || !item.status.isTerminal()) {
            return false;
        }
        items.remove(batchId);
        return true;
    }

    /** As DynamoDB's ADD to a string set, conditional on the batch. */
    @Override
    public synchronized void recordResubmittedAs(String batchId, String resubmitBatchId) {
        Item item = items.get(batchId);
        if (item != null) {
            item.resubmittedAs.add(resubmitBatchId);
        }
    }

    /**
     * Pages of at most maxResults batches examined, newest first from after the token's list key, as the DynamoDB
     * store's Query of its list index with a filter (a page may hold fewer).
     */
    @Override
    public synchronized BatchPage list(BatchQuery query) {
        String after = query.nextToken() == null ? null : BatchListing.listKeyOf(query.nextToken());
        List<Item> ordered = new ArrayList<>(items.values());
        ordered.sort(java.util.Comparator.comparing((Item item) -> BatchListing.listKey(item.creationTime, item.batchId))
                .reversed());
        List<BatchRecord> page = new ArrayList<>();
        String last = null;
        int examined = 0;
        for (Item item : ordered) {
            String listKey = BatchListing.listKey(item.creationTime, item.batchId);
            if (after != null && listKey.compareTo(after) >= 0) {
                continue;
            }
            if (examined == query.maxResults()) {
                return new BatchPage(page, BatchListing.token(last));
            }
            examined++;
            last = listKey;
            if ((query.status() == null || item.status == query.status())
                    && (query.name() == null || query.name().equals(item.batchName))) {
                page.add(item.toRecord());
            }
        }
        return new BatchPage(page, null);
    }

    private static boolean allSettled(Item item) {
        if (!item.expansionComplete || item.counter("pendingStartSubmissionCount") != 0) {
            return false;
        }
        for (RunStatus status : RunStatus.values()) {
            if (!status.isTerminal() && item.counter(status.countAttribute()) != 0) {
                return false;
            }
        }
        return true;
    }

    private void startCounters(Item item) {
        item.counters.clear();
        item.counters.put("pendingStartSubmissionCount", (long) item.totalRuns);
        item.counters.put("successfulStartSubmissionCount", 0L);
        item.counters.put("failedStartSubmissionCount", 0L);
        for (RunStatus status : RunStatus.values()) {
            item.counters.put(status.countAttribute(), 0L);
        }
        for (String counter : SUBMISSION_COUNTERS) {
            item.counters.putIfAbsent(counter, 0L);
        }
        item.submittedTime = clock.instant();
    }

    @Override
    public synchronized boolean markFailed(String batchId, List<BatchStatus> from, String reason, String message,
                                           List<BatchRecord.ErrorEntry> errors, long errorCount) {
        if (from.isEmpty()) {
            throw new IllegalArgumentException("markFailed needs at least one status to fail from");
        }
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        for (BatchRecord.ErrorEntry error : errors) {
            Objects.requireNonNull(error.pointer(), "error pointer");
            Objects.requireNonNull(error.rule(), "error rule");
            Objects.requireNonNull(error.message(), "error message");
        }
        Item item = items.get(batchId);
        if (item == null || !from.contains(item.status)) {
            return false;
        }
        Item updated = item.copy();
        updated.failureReason = reason;
        updated.failureMessage = message;
        updated.errors = List.copyOf(errors);
        updated.errorCount = errorCount;
        updated.failedTime = clock.instant();
        updated.updatedTime = updated.failedTime;
        updated.status = BatchStatus.FAILED;
        updated.unannounced.add(BatchStatus.FAILED);
        if (updated.size() > MAX_ITEM_BYTES) {
            throw new IllegalArgumentException("Item size to update has exceeded the maximum allowed size ("
                    + updated.size() + " bytes of " + MAX_ITEM_BYTES + ")");
        }
        items.put(batchId, updated);
        return true;
    }

    /**
     * Only a SUBMITTING (or, cancelled while it expanded, STOPPING) batch whose expansion is not complete, and only if
     * the lease is free, lapsed or the owner's.
     */
    @Override
    public synchronized boolean acquireExpansionLease(String batchId, String owner, Instant until) {
        Item item = items.get(batchId);
        if (item == null || (item.status != BatchStatus.SUBMITTING && item.status != BatchStatus.STOPPING)
                || item.expansionComplete || (item.leaseUntil != null && !item.leaseUntil.isBefore(clock.instant()) && !owner.equals(item.leaseOwner))) {
            return false;
        }
        item.leaseOwner = owner;
        item.leaseUntil = until;
        return true;
    }

    /** Only the lease owner; the mark only grows. */
    @Override
    public synchronized boolean markRecordsWriting(String batchId, String owner, long upTo) {
        Item item = items.get(batchId);
        if (item == null || !owner.equals(item.leaseOwner)) {
            return false;
        }
        item.recordsWrittenUpTo = Math.max(item.recordsWrittenUpTo, upTo);
        return true;
    }

    /** Only the lease owner, and never backwards (an equal checkpoint extends the lease). */
    @Override
    public synchronized boolean saveCheckpoint(String batchId, String owner, long expandedRuns, Instant until) {
        Item item = items.get(batchId);
        if (item == null || !owner.equals(item.leaseOwner) || (item.expandedRuns != null && item.expandedRuns > expandedRuns)) {
            return false;
        }
        item.expandedRuns = expandedRuns;
        item.leaseUntil = until;
        item.updatedTime = clock.instant();
        return true;
    }

    /** Only the lease owner; gives the lease up. */
    @Override
    public synchronized boolean markExpansionComplete(String batchId, String owner, long expandedRuns) {
        Item item = items.get(batchId);
        if (item == null || !owner.equals(item.leaseOwner)) {
            return false;
        }
        item.expandedRuns = expandedRuns;
        item.expansionComplete = true;
        item.leaseOwner = null;
        item.leaseUntil = null;
        item.updatedTime = clock.instant();
        return true;
    }

    @Override
    public synchronized void releaseExpansionLease(String batchId, String owner) {
        Item item = items.get(batchId);
        if (item != null && owner.equals(item.leaseOwner)) {
            item.leaseOwner = null;
            item.leaseUntil = null;
        }
    }

    /** Only if the status and updatedTime are still as observed. */
    @Override
    public synchronized boolean recordIntakeResume(BatchRecord observed) {
        Item item = items.get(observed.batchId());
        if (item == null || item.status != observed.status() || !Objects.equals(item.updatedTime, observed.updatedTime())) {
            return false;
        }
        item.intakeResumes++;
        item.updatedTime = clock.instant();
        return true;
    }

    @Override
    public synchronized boolean markInProgressIfAllSubmitted(String batchId) {
        Item item = items.get(batchId);
        if (item == null || item.status != BatchStatus.SUBMITTING || !item.expansionComplete
                || item.counter("pendingStartSubmissionCount") != 0) {
            return false;
        }
        return transition(item, BatchStatus.INPROGRESS);
    }

    @Override
    public synchronized boolean markProcessed(String batchId) {
        Item item = items.get(batchId);
        if (item == null || item.status != BatchStatus.INPROGRESS || !item.expansionComplete
                || item.counter("pendingStartSubmissionCount") != 0) {
            return false;
        }
        for (RunStatus status : RunStatus.values()) {
            if (!status.isTerminal() && item.counter(status.countAttribute()) != 0) {
                return false;
            }
        }
        item.processedTime = clock.instant();
        return transition(item, BatchStatus.PROCESSED);
    }

    /**
     * As DynamoDB's UpdateItem, this upserts: for an unknown batch it leaves an item with nothing but its key, which
     * the adapter cannot read back (get and listUnfinished throw), and which blocks a batch of that id.
     */
    @Override
    public synchronized void markAnnounced(String batchId, BatchStatus status) {
        Item item = items.get(batchId);
        if (item != null) {
            item.unannounced.remove(status);
        }
    }

    @Override
    public synchronized List<BatchRecord> listUnfinished() {
        List<BatchRecord> unfinished = new ArrayList<>();
        for (Item item : items.values()) {
            boolean finalStatus = item.status == BatchStatus.PROCESSED || item.status == BatchStatus.FAILED
                    || item.status == BatchStatus.CANCELLED || item.status == BatchStatus.RUNS_DELETED
                    || item.status == BatchStatus.RUNS_DELETE_FAILED;
            if (!finalStatus || !item.unannounced.isEmpty()) {
                unfinished.add(item.toRecord());
            }
        }
        return unfinished;
    }

    /** Whether the batch item exists; the run store's transactions require it. Call holding this store's lock. */
    boolean exists(String batchId) {
        return items.containsKey(batchId);
    }

    /**
     * Adds to the batch's counters (DynamoDB's ADD: a missing counter starts from 0, and may go below it). Call
     * holding this store's lock, after {@link #exists}.
     */
    void addToCounters(String batchId, Map<String, Long> deltas) {
        Item item = items.get(batchId);
        deltas.forEach((counter, delta) -> item.counters.merge(counter, delta, Long::sum));
        item.updatedTime = clock.instant();
    }

    private boolean transition(Item item, BatchStatus to) {
        item.status = to;
        item.updatedTime = clock.instant();
        item.unannounced.add(to);
        return true;
    }

    private static final class Item {
        final String batchId;
        String batchName;
        BatchStatus status;
        S3ObjectRef settingsObject;
        String runsFileUri;
        BatchRecord.Workflow workflow;
        String runsFileETag;
        Integer totalRuns;
        Long expandedRuns;
        boolean expansionComplete;
        String failureReason;
        String failureMessage;
        List<BatchRecord.ErrorEntry> errors = List.of();
        long errorCount;
        final Map<String, Long> counters = new HashMap<>();
        Instant creationTime;
        Instant submittedTime;
        Instant failedTime;
        Instant processedTime;
        Instant updatedTime;
        String leaseOwner;
        Instant leaseUntil;
        int intakeResumes;
        long recordsWrittenUpTo;
        final EnumSet<BatchStatus> unannounced = EnumSet.noneOf(BatchStatus.class);
        String resubmitOf;
        final java.util.TreeSet<String> resubmittedAs = new java.util.TreeSet<>();

        Item(String batchId) {
            this.batchId = Objects.requireNonNull(batchId, "batchId");
        }

        long counter(String name) {
            return counters.getOrDefault(name, 0L);
        }

        Item copy() {
            Item copy = new Item(batchId);
            copy.batchName = batchName;
            copy.status = status;
            copy.settingsObject = settingsObject;
            copy.runsFileUri = runsFileUri;
            copy.workflow = workflow;
            copy.runsFileETag = runsFileETag;
            copy.totalRuns = totalRuns;
            copy.expandedRuns = expandedRuns;
            copy.expansionComplete = expansionComplete;
            copy.failureReason = failureReason;
            copy.failureMessage = failureMessage;
            copy.errors = errors;
            copy.errorCount = errorCount;
            copy.counters.putAll(counters);
            copy.creationTime = creationTime;
            copy.submittedTime = submittedTime;
            copy.failedTime = failedTime;
            copy.processedTime = processedTime;
            copy.updatedTime = updatedTime;
            copy.leaseOwner = leaseOwner;
            copy.leaseUntil = leaseUntil;
            copy.intakeResumes = intakeResumes;
            copy.recordsWrittenUpTo = recordsWrittenUpTo;
            copy.unannounced.addAll(unannounced);
            copy.resubmitOf = resubmitOf;
            copy.resubmittedAs.addAll(resubmittedAs);
            return copy;
        }

        BatchRecord toRecord() {
            if (status == null) {
                throw new IllegalStateException("the item of batch " + batchId + " has no status (a key-only item)");
            }
            Map<String, Long> counts = new LinkedHashMap<>();
            for (String counter : SUBMISSION_COUNTERS) {
                counts.put(counter, counter(counter));
            }
            for (RunStatus runStatus : RunStatus.values()) {
                counts.put(runStatus.countAttribute(), counter(runStatus.countAttribute()));
            }
            return new BatchRecord(batchId, batchName, status, settingsObject, runsFileUri, runsFileETag, totalRuns,
                    expandedRuns == null ? 0 : expandedRuns, expansionComplete, failureReason, failureMessage,
                    new ArrayList<>(errors), errorCount, counts, creationTime, submittedTime, failedTime, processedTime,
                    unannounced.isEmpty() ? EnumSet.noneOf(BatchStatus.class) : EnumSet.copyOf(unannounced), updatedTime,
                    leaseOwner == null ? null : new BatchRecord.ExpansionLease(leaseOwner, leaseUntil), intakeResumes,
                    recordsWrittenUpTo, workflow, resubmitOf, List.copyOf(resubmittedAs));
        }

        /**
         * The item's size as DynamoDB counts it, closely enough to refuse what it refuses: attribute names and
         * string values in UTF-8 bytes, numbers and timestamps as stored, a list or map 3 bytes plus 1 per element.
         */
        int size() {
            int size = 0;
            size += string("batchId", batchId) + string("batchName", batchName) + string("status", status.name());
            size += string("settingsBucket", settingsObject.bucket()) + string("settingsKey", settingsObject.key())
                    + string("settingsVersionId", settingsObject.versionId()) + string("settingsETag", settingsObject.eTag());
            size += string("runsFileUri", runsFileUri) + string("runsFileETag", runsFileETag);
            size += number("totalRuns", totalRuns == null ? null : (long) totalRuns) + number("expandedRuns", expandedRuns);
            size += bytes("expansionComplete") + 1;
            size += string("failureReason", failureReason) + string("failureMessage", failureMessage);
            size += bytes("errors") + 3;
            for (BatchRecord.ErrorEntry error : errors) {
                size += 1 + 3 + 3 + string("pointer", error.pointer()) + string("rule", error.rule())
                        + string("message", error.message());
            }
            size += number("errorCount", errorCount);
            for (Map.Entry<String, Long> counter : counters.entrySet()) {
                size += number(counter.getKey(), counter.getValue());
            }
            size += time("creationTime", creationTime) + time("submittedTime", submittedTime)
                    + time("failedTime", failedTime) + time("processedTime", processedTime)
                    + time("updatedTime", updatedTime);
            size += bytes("unannouncedStatuses");
            for (BatchStatus announce : unannounced) {
                size += bytes(announce.name());
            }
            return size;
        }

        private static int string(String name, String value) {
            return value == null ? 0 : bytes(name) + bytes(value);
        }

        private static int time(String name, Instant value) {
            return value == null ? 0 : string(name, value.toString());
        }

        private static int number(String name, Long value) {
            return value == null ? 0 : bytes(name) + 1 + (Long.toString(Math.abs(value)).length() + 1) / 2;
        }

        private static int bytes(String text) {
            return text.getBytes(StandardCharsets.UTF_8).length;
        }
    }
}
