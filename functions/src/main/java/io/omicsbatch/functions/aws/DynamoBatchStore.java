package io.omicsbatch.functions.aws;

import static io.omicsbatch.functions.aws.Attributes.bool;
import static io.omicsbatch.functions.aws.Attributes.n;
import static io.omicsbatch.functions.aws.Attributes.s;
import static io.omicsbatch.functions.aws.Attributes.str;
import static io.omicsbatch.functions.aws.Attributes.time;

import io.omicsbatch.batch.BatchListing;
import io.omicsbatch.batch.BatchRecord;
import io.omicsbatch.batch.BatchStatus;
import io.omicsbatch.batch.BatchStore;
import io.omicsbatch.batch.RunStatus;
import io.omicsbatch.batch.S3ObjectRef;
import io.omicsbatch.resources.ResourceDefinitions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.EnumSet;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** The batches table in DynamoDB; every status change is a conditional update. */
public final class DynamoBatchStore implements BatchStore {

    /** The submission and run counters, named as in the managed batch's summaries. */
    public static final List<String> SUBMISSION_COUNTERS = io.omicsbatch.batch.BatchSummaries.SUBMISSION_COUNTERS;

    /** The outbox of batch events: statuses entered and not announced yet. */
    static final String UNANNOUNCED = "unannouncedStatuses";
    /** The expansion lease: which intake invocation may expand, until when (epoch milliseconds). */
    static final String LEASE_OWNER = "expansionLeaseOwner";
    static final String LEASE_UNTIL = "expansionLeaseUntil";
    static final String INTAKE_RESUMES = "intakeResumes";
    static final String RECORDS_UP_TO = "recordsWrittenUpTo";
    /** Lineage: the batch a resubmit batch was made from, and the batches made from this one. */
    static final String RESUBMIT_OF = "resubmitOf";
    static final String RESUBMITTED_AS = "resubmittedAs";
    /** The list index's keys: every batch item carries them from its creation on (ListBatch). */
    static final String LIST_PARTITION = ResourceDefinitions.BATCH_LIST_INDEX.partitionKey().attribute();
    static final String LIST_KEY = ResourceDefinitions.BATCH_LIST_INDEX.sortKey().attribute();
    private static final int MAX_BATCH_GET_ATTEMPTS = 8;

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public DynamoBatchStore(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public BatchRecord createIfAbsent(BatchRecord initial) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("batchId", s(initial.batchId()));
        if (initial.batchName() != null) {
            item.put("batchName", s(initial.batchName()));
        }
        item.put("status", s(BatchStatus.CREATING.name()));
        S3ObjectRef source = initial.settingsObject();
        item.put("settingsBucket", s(source.bucket()));
        item.put("settingsKey", s(source.key()));
        if (source.versionId() != null) {
            item.put("settingsVersionId", s(source.versionId()));
        }
        item.put("settingsETag", s(source.eTag()));
        if (initial.runsFileUri() != null) {
            item.put("runsFileUri", s(initial.runsFileUri()));
        }
        BatchRecord.Workflow workflow = initial.workflow();
        if (workflow != null) {
            putIfPresent(item, "workflowId", workflow.workflowId());
            putIfPresent(item, "workflowType", workflow.workflowType());
            putIfPresent(item, "workflowVersionName", workflow.workflowVersionName());
            putIfPresent(item, "workflowOwnerId", workflow.workflowOwnerId());
        }
        item.put("expandedRuns", n(0));
        item.put("expansionComplete", bool(false));
        item.put("creationTime", time(initial.creationTime()));
        item.put(LIST_PARTITION, s(ResourceDefinitions.BATCH_LIST_PARTITION));
        item.put(LIST_KEY, s(BatchListing.listKey(initial.creationTime(), initial.batchId())));
        item.put("updatedTime", time(initial.creationTime()));
        item.put(UNANNOUNCED, AttributeValue.fromSs(List.of(BatchStatus.CREATING.name())));
        if (initial.resubmitOf() != null) {
            item.put(RESUBMIT_OF, s(initial.resubmitOf()));
        }
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(batchId)")
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return fromItem(item);
        } catch (ConditionalCheckFailedException e) {
            return e.hasItem() ? fromItem(e.item()) : get(initial.batchId()).orElseThrow();
        }
    }

    @Override
    public Optional<BatchRecord> get(String batchId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(batchId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    @Override
    public boolean markPending(String batchId, int totalRuns, String runsFileETag) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":pending", s(BatchStatus.PENDING.name()));
        values.put(":creating", s(BatchStatus.CREATING.name()));
        values.put(":total", n(totalRuns));
        values.put(":now", time(clock.instant()));
        String set = "SET #status = :pending, totalRuns = :total, updatedTime = :now";
        if (runsFileETag != null) {
            values.put(":etag", s(runsFileETag));
            set += ", runsFileETag = :etag";
        }
        return transition(batchId, BatchStatus.PENDING, set, "#status = :creating", values);
    }

    @Override
    public boolean markSubmitting(String batchId) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":submitting", s(BatchStatus.SUBMITTING.name()));
        values.put(":pending", s(BatchStatus.PENDING.name()));
        values.put(":zero", n(0));
        values.put(":now", time(clock.instant()));
        return transition(batchId, BatchStatus.SUBMITTING, "SET #status = :submitting, " + countersStart(),
                "#status = :pending", values);
    }

    /** Every counter at zero but the pending submissions, which start at the run count. */
    private static String countersStart() {
        StringBuilder set = new StringBuilder("pendingStartSubmissionCount = totalRuns, submittedTime = :now, updatedTime = :now");
        for (String counter : SUBMISSION_COUNTERS) {
            if (!counter.equals("pendingStartSubmissionCount")) {
                set.append(", ").append(counter).append(" = :zero");
            }
        }
        for (RunStatus status : RunStatus.values()) {
            set.append(", ").append(status.countAttribute()).append(" = :zero");
        }
        return set.toString();
    }

    /** Two conditional updates: from PENDING the counters start too (the expansion follows), else the status alone. */
    @Override
    public boolean markStopping(String batchId) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":stopping", s(BatchStatus.STOPPING.name()));
        values.put(":pending", s(BatchStatus.PENDING.name()));
        values.put(":zero", n(0));
        values.put(":now", time(clock.instant()));
        if (transition(batchId, BatchStatus.STOPPING, "SET #status = :stopping, " + countersStart(), "#status = :pending",
                values)) {
            return true;
        }
        return transition(batchId, BatchStatus.STOPPING, "SET #status = :stopping, updatedTime = :now",
                "#status IN (:submitting, :inprogress)", new HashMap<>(Map.of(":stopping", s(BatchStatus.STOPPING.name()),
                        ":submitting", s(BatchStatus.SUBMITTING.name()), ":inprogress", s(BatchStatus.INPROGRESS.name()),
                        ":now", time(clock.instant()))));
    }

    @Override
    public boolean markCancelled(String batchId) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":cancelled", s(BatchStatus.CANCELLED.name()));
        values.put(":stopping", s(BatchStatus.STOPPING.name()));
        values.put(":true", bool(true));
        values.put(":zero", n(0));
        values.put(":now", time(clock.instant()));
        return transition(batchId, BatchStatus.CANCELLED, "SET #status = :cancelled, updatedTime = :now",
                "#status = :stopping AND " + allSettled(), values);
    }

    @Override
    public boolean markRunsDeleting(String batchId) {
        return transition(batchId, BatchStatus.RUNS_DELETING, "SET #status = :deleting, updatedTime = :now",
                "#status IN (:processed, :cancelled)", new HashMap<>(Map.of(
                        ":deleting", s(BatchStatus.RUNS_DELETING.name()), ":processed", s(BatchStatus.PROCESSED.name()),
                        ":cancelled", s(BatchStatus.CANCELLED.name()), ":now", time(clock.instant()))));
    }

    @Override
    public boolean markRunsDeleted(String batchId, boolean everyRunDeleted) {
        BatchStatus to = everyRunDeleted ? BatchStatus.RUNS_DELETED : BatchStatus.RUNS_DELETE_FAILED;
        return transition(batchId, to, "SET #status = :to, updatedTime = :now", "#status = :deleting",
                new HashMap<>(Map.of(":to", s(to.name()), ":deleting", s(BatchStatus.RUNS_DELETING.name()),
                        ":now", time(clock.instant()))));
    }

    @Override
    public boolean deleteIfTerminal(String batchId) {
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> names = new ArrayList<>();
        for (BatchStatus status : BatchStatus.values()) {
            if (status.isTerminal()) {
                values.put(":" + status.name(), s(status.name()));
                names.add(":" + status.name());
            }
        }
        try {
            dynamo.deleteItem(b -> b.tableName(table).key(key(batchId))
                    .conditionExpression("#status IN (" + String.join(", ", names) + ")")
                    .expressionAttributeNames(Map.of("#status", "status")).expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public void recordResubmittedAs(String batchId, String resubmitBatchId) {
        update(batchId, "ADD " + RESUBMITTED_AS + " :child", null,
                Map.of(":child", AttributeValue.fromSs(List.of(resubmitBatchId))));
    }

    /**
     * One Query of the list index, newest first, from the token's list key on: at most maxResults batches examined
     * (a filtered page may hold fewer), never a scan of the table. The index projects status and batchName, which the
     * filter reads; the page's records are then read whole from the table (consistently, so a batch that moved out of
     * the filter's status meanwhile, or was deleted, is left out).
     */
    @Override
    public BatchPage list(BatchQuery query) {
        Map<String, AttributeValue> values = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        values.put(":partition", s(ResourceDefinitions.BATCH_LIST_PARTITION));
        names.put("#partition", LIST_PARTITION);
        List<String> filters = new ArrayList<>();
        if (query.status() != null) {
            values.put(":status", s(query.status().name()));
            names.put("#status", "status");
            filters.add("#status = :status");
        }
        if (query.name() != null) {
            values.put(":name", s(query.name()));
            filters.add("batchName = :name");
        }
        QueryRequest.Builder request = QueryRequest.builder().tableName(table)
                .indexName(ResourceDefinitions.BATCH_LIST_INDEX.name())
                .keyConditionExpression("#partition = :partition")
                .scanIndexForward(false)
                .limit(query.maxResults());
        if (!filters.isEmpty()) {
            request.filterExpression(String.join(" AND ", filters));
        }
        request.expressionAttributeNames(names).expressionAttributeValues(values);
        if (query.nextToken() != null) {
            String after = BatchListing.listKeyOf(query.nextToken());
            request.exclusiveStartKey(Map.of(LIST_PARTITION, s(ResourceDefinitions.BATCH_LIST_PARTITION),
                    LIST_KEY, s(after), "batchId", s(BatchListing.batchId(after))));
        }
        QueryResponse page = dynamo.query(request.build());
        List<String> ids = page.items().stream().map(item -> str(item, "batchId")).toList();
        Map<String, BatchRecord> records = getAll(ids);
        List<BatchRecord> batches = new ArrayList<>();
        for (String id : ids) {
            BatchRecord batch = records.get(id);
            if (batch != null && (query.status() == null || batch.status() == query.status())
                    && (query.name() == null || query.name().equals(batch.batchName()))) {
                batches.add(batch);
            }
        }
        String next = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                ? BatchListing.token(str(page.lastEvaluatedKey(), LIST_KEY)) : null;
        return new BatchPage(batches, next);
    }

    /** The records of these batches (at most 100), read consistently; a batch without item is absent. */
    private Map<String, BatchRecord> getAll(List<String> batchIds) {
        Map<String, BatchRecord> records = new HashMap<>();
        if (batchIds.isEmpty()) {
            return records;
        }
        List<Map<String, AttributeValue>> keys = batchIds.stream().map(DynamoBatchStore::key).toList();
        Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
        for (int attempt = 0; !request.isEmpty(); attempt++) {
            if (attempt == MAX_BATCH_GET_ATTEMPTS) {
                throw new IllegalStateException("DynamoDB left " + request.get(table).keys().size()
                        + " batch records unread after " + MAX_BATCH_GET_ATTEMPTS + " BatchGetItem calls");
            }
            if (attempt > 0) {
                pause(attempt);
            }
            Map<String, KeysAndAttributes> keysToGet = request;
            BatchGetItemResponse response = dynamo.batchGetItem(b -> b.requestItems(keysToGet));
            response.responses().getOrDefault(table, List.of()).forEach(item -> {
                BatchRecord batch = fromItem(item);
                records.put(batch.batchId(), batch);
            });
            request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
        }
        return records;
    }

    /** Backs off before reading unprocessed keys again: 50 ms, 100 ms, 200 ms, ... */
    private static void pause(int attempt) {
        try {
            Thread.sleep(50L << (attempt - 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading batch records", e);
        }
    }

    private static String allSettled() {
        StringBuilder condition = new StringBuilder("expansionComplete = :true AND pendingStartSubmissionCount = :zero");
        for (RunStatus status : RunStatus.values()) {
            if (!status.isTerminal()) {
                condition.append(" AND ").append(status.countAttribute()).append(" = :zero");
            }
        }
        return condition.toString();
    }

    @Override
    public boolean markFailed(String batchId, List<BatchStatus> from, String reason, String message,
                              List<BatchRecord.ErrorEntry> errors, long errorCount) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":failed", s(BatchStatus.FAILED.name()));
        values.put(":reason", s(reason));
        values.put(":message", s(message));
        values.put(":errors", AttributeValue.fromL(errors.stream().map(e -> AttributeValue.fromM(Map.of(
                "pointer", s(e.pointer()), "rule", s(e.rule()), "message", s(e.message())))).toList()));
        values.put(":errorCount", n(errorCount));
        values.put(":now", time(clock.instant()));
        List<String> allowed = new ArrayList<>();
        for (int i = 0; i < from.size(); i++) {
            values.put(":from" + i, s(from.get(i).name()));
            allowed.add(":from" + i);
        }
        return transition(batchId, BatchStatus.FAILED, "SET #status = :failed, failureReason = :reason, failureMessage = :message, "
                        + "errors = :errors, errorCount = :errorCount, failedTime = :now, updatedTime = :now",
                "#status IN (" + String.join(", ", allowed) + ")", values);
    }

    @Override
    public boolean acquireExpansionLease(String batchId, String owner, Instant until) {
        return update(batchId, "SET " + LEASE_OWNER + " = :owner, " + LEASE_UNTIL + " = :until",
                "#status IN (:submitting, :stopping) AND expansionComplete = :false AND (attribute_not_exists(" + LEASE_UNTIL + ") OR "
                        + LEASE_UNTIL + " < :now OR " + LEASE_OWNER + " = :owner)",
                Map.of(":owner", s(owner), ":until", n(until.toEpochMilli()), ":now", n(clock.millis()),
                        ":submitting", s(BatchStatus.SUBMITTING.name()), ":stopping", s(BatchStatus.STOPPING.name()),
                        ":false", bool(false)));
    }

    @Override
    public boolean markRecordsWriting(String batchId, String owner, long upTo) {
        if (update(batchId, "SET " + RECORDS_UP_TO + " = :n", LEASE_OWNER + " = :owner AND (attribute_not_exists("
                + RECORDS_UP_TO + ") OR " + RECORDS_UP_TO + " < :n)", Map.of(":n", n(upTo), ":owner", s(owner)))) {
            return true;
        }
        // Either the mark is already past upTo (a repeated chunk) or the lease is gone.
        return get(batchId).map(b -> b.expansionLease() != null && owner.equals(b.expansionLease().owner())).orElse(false);
    }

    @Override
    public boolean saveCheckpoint(String batchId, String owner, long expandedRuns, Instant until) {
        return update(batchId, "SET expandedRuns = :n, " + LEASE_UNTIL + " = :until, updatedTime = :now",
                LEASE_OWNER + " = :owner AND expandedRuns <= :n",
                Map.of(":n", n(expandedRuns), ":owner", s(owner), ":until", n(until.toEpochMilli()),
                        ":now", time(clock.instant())));
    }

    @Override
    public boolean markExpansionComplete(String batchId, String owner, long expandedRuns) {
        return update(batchId, "SET expandedRuns = :n, expansionComplete = :true, updatedTime = :now REMOVE "
                        + LEASE_OWNER + ", " + LEASE_UNTIL, LEASE_OWNER + " = :owner",
                Map.of(":n", n(expandedRuns), ":true", bool(true), ":owner", s(owner), ":now", time(clock.instant())));
    }

    @Override
    public void releaseExpansionLease(String batchId, String owner) {
        update(batchId, "REMOVE " + LEASE_OWNER + ", " + LEASE_UNTIL, LEASE_OWNER + " = :owner", Map.of(":owner", s(owner)));
    }

    @Override
    public boolean recordIntakeResume(BatchRecord observed) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":one", n(1));
        values.put(":now", time(clock.instant()));
        values.put(":observedStatus", s(observed.status().name()));
        values.put(":observedUpdate", observed.updatedTime() == null ? s("") : time(observed.updatedTime()));
        return update(observed.batchId(), "SET updatedTime = :now ADD " + INTAKE_RESUMES + " :one",
                "#status = :observedStatus AND " + (observed.updatedTime() == null
                        ? "(attribute_not_exists(updatedTime) OR updatedTime = :observedUpdate)" : "updatedTime = :observedUpdate"),
                values);
    }

    @Override
    public boolean markInProgressIfAllSubmitted(String batchId) {
        return transition(batchId, BatchStatus.INPROGRESS, "SET #status = :inprogress, updatedTime = :now",
                "#status = :submitting AND expansionComplete = :true AND pendingStartSubmissionCount = :zero",
                new HashMap<>(Map.of(":inprogress", s(BatchStatus.INPROGRESS.name()),
                        ":submitting", s(BatchStatus.SUBMITTING.name()),
                        ":true", bool(true), ":zero", n(0), ":now", time(clock.instant()))));
    }

    @Override
    public boolean markProcessed(String batchId) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":processed", s(BatchStatus.PROCESSED.name()));
        values.put(":inprogress", s(BatchStatus.INPROGRESS.name()));
        values.put(":true", bool(true));
        values.put(":zero", n(0));
        values.put(":now", time(clock.instant()));
        StringBuilder condition = new StringBuilder(
                "#status = :inprogress AND expansionComplete = :true AND pendingStartSubmissionCount = :zero");
        for (RunStatus status : RunStatus.values()) {
            if (!status.isTerminal()) {
                condition.append(" AND ").append(status.countAttribute()).append(" = :zero");
            }
        }
        return transition(batchId, BatchStatus.PROCESSED, "SET #status = :processed, processedTime = :now, updatedTime = :now",
                condition.toString(), values);
    }

    /** Conditional on the batch: an update of a missing item would create a key-only item no one can read. */
    @Override
    public void markAnnounced(String batchId, BatchStatus status) {
        update(batchId, "DELETE " + UNANNOUNCED + " :status", null,
                Map.of(":status", AttributeValue.fromSs(List.of(status.name()))));
    }

    /** A scan: one item per batch, and few batches are ever unfinished at once. */
    @Override
    public List<BatchRecord> listUnfinished() {
        List<BatchRecord> unfinished = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page = dynamo.scan(b -> b.tableName(table).consistentRead(true).exclusiveStartKey(from)
                    .filterExpression("NOT (#status IN (:processed, :failed, :cancelled, :runsDeleted, :runsDeleteFailed)) "
                            + "OR attribute_exists(" + UNANNOUNCED + ")")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":processed", s(BatchStatus.PROCESSED.name()),
                            ":failed", s(BatchStatus.FAILED.name()), ":cancelled", s(BatchStatus.CANCELLED.name()),
                            ":runsDeleted", s(BatchStatus.RUNS_DELETED.name()),
                            ":runsDeleteFailed", s(BatchStatus.RUNS_DELETE_FAILED.name()))));
            page.items().forEach(item -> unfinished.add(fromItem(item)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return unfinished;
    }

    /** A status change, recorded as not yet announced in the same write (the batch-event outbox). */
    private boolean transition(String batchId, BatchStatus to, String set, String condition, Map<String, AttributeValue> values) {
        Map<String, AttributeValue> withOutbox = new HashMap<>(values);
        withOutbox.put(":announce", AttributeValue.fromSs(List.of(to.name())));
        return update(batchId, set + " ADD " + UNANNOUNCED + " :announce", condition, withOutbox);
    }

    private boolean update(String batchId, String updateExpression, String condition, Map<String, AttributeValue> values) {
        UpdateItemRequest.Builder request = UpdateItemRequest.builder().tableName(table).key(key(batchId))
                .updateExpression(updateExpression).expressionAttributeValues(values);
        String keyCondition = "attribute_exists(batchId)";
        request.conditionExpression(condition == null ? keyCondition : keyCondition + " AND " + condition);
        if (updateExpression.contains("#status") || (condition != null && condition.contains("#status"))) {
            request.expressionAttributeNames(Map.of("#status", "status"));
        }
        try {
            dynamo.updateItem(request.build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, s(value));
        }
    }

    static Map<String, AttributeValue> key(String batchId) {
        return Map.of("batchId", s(batchId));
    }

    /** The record of a batches-table item (the operator CLI lists batches by scanning the table). */
    public static BatchRecord fromItem(Map<String, AttributeValue> item) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String counter : SUBMISSION_COUNTERS) {
            counts.put(counter, Attributes.num(item, counter));
        }
        for (RunStatus status : RunStatus.values()) {
            counts.put(status.countAttribute(), Attributes.num(item, status.countAttribute()));
        }
        List<BatchRecord.ErrorEntry> errors = new ArrayList<>();
        AttributeValue errorList = item.get("errors");
        if (errorList != null && errorList.hasL()) {
            for (AttributeValue error : errorList.l()) {
                errors.add(new BatchRecord.ErrorEntry(str(error.m(), "pointer"), str(error.m(), "rule"), str(error.m(), "message")));
            }
        }
        return new BatchRecord(
                str(item, "batchId"),
                str(item, "batchName"),
                BatchStatus.valueOf(str(item, "status")),
                new S3ObjectRef(str(item, "settingsBucket"), str(item, "settingsKey"), str(item, "settingsVersionId"),
                        str(item, "settingsETag")),
                str(item, "runsFileUri"),
                str(item, "runsFileETag"),
                Attributes.intOrNull(item, "totalRuns"),
                Attributes.num(item, "expandedRuns"),
                Attributes.flag(item, "expansionComplete"),
                str(item, "failureReason"),
                str(item, "failureMessage"),
                errors,
                Attributes.num(item, "errorCount"),
                counts,
                Attributes.instant(item, "creationTime"),
                Attributes.instant(item, "submittedTime"),
                Attributes.instant(item, "failedTime"),
                Attributes.instant(item, "processedTime"),
                unannounced(item),
                Attributes.instant(item, "updatedTime"),
                item.containsKey(LEASE_OWNER) && item.containsKey(LEASE_UNTIL)
                        ? new BatchRecord.ExpansionLease(str(item, LEASE_OWNER), Instant.ofEpochMilli(Attributes.num(item, LEASE_UNTIL)))
                        : null,
                (int) Attributes.num(item, INTAKE_RESUMES),
                Attributes.num(item, RECORDS_UP_TO),
                item.containsKey("workflowId") ? new BatchRecord.Workflow(str(item, "workflowId"), str(item, "workflowType"),
                        str(item, "workflowVersionName"), str(item, "workflowOwnerId")) : null,
                str(item, RESUBMIT_OF),
                item.containsKey(RESUBMITTED_AS) && item.get(RESUBMITTED_AS).hasSs()
                        ? item.get(RESUBMITTED_AS).ss().stream().sorted().toList() : List.of());
    }

    private static Set<BatchStatus> unannounced(Map<String, AttributeValue> item) {
        AttributeValue value = item.get(UNANNOUNCED);
        Set<BatchStatus> statuses = EnumSet.noneOf(BatchStatus.class);
        if (value != null && value.hasSs()) {
            value.ss().forEach(name -> statuses.add(BatchStatus.valueOf(name)));
        }
        return statuses;
    }
}
