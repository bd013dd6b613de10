package io.omicsbatch.functions.aws;

import io.omicsbatch.util.DaemonThreads;
import static io.omicsbatch.functions.aws.Attributes.n;
import static io.omicsbatch.functions.aws.Attributes.s;
import static io.omicsbatch.functions.aws.Attributes.str;
import static io.omicsbatch.functions.aws.Attributes.time;

import io.omicsbatch.batch.BatchStatus;
import io.omicsbatch.batch.RunChange;
import io.omicsbatch.batch.RunRecord;
import io.omicsbatch.batch.RunStatus;
import io.omicsbatch.batch.RunStore;
import io.omicsbatch.batch.StartedRun;
import io.omicsbatch.batch.SubmissionStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The runs table in DynamoDB. A submission outcome and the batch counters change in one transaction whose
 * condition is that the run is still PENDING, so a repeated outcome changes nothing.
 */
public final class DynamoRunStore implements RunStore {

    /** TransactWriteItems' limit of actions per request. */
    private static final int TRANSACTION_LIMIT = 100;
    /** BatchWriteItem's limit of items per request. */
    private static final int BATCH_WRITE_LIMIT = 25;
    private static final String BY_UUID = "byUuid";
    private static final int MAX_WRITE_RETRIES = 8;

    private final DynamoDbClient dynamo;
    private final String runsTable;
    private final String batchesTable;
    private final Clock clock;
    private final ExecutorService writers = Executors.newFixedThreadPool(4, DaemonThreads.named("run-record-writer"));

    public DynamoRunStore(DynamoDbClient dynamo, String runsTable, String batchesTable, Clock clock) {
        this.dynamo = dynamo;
        this.runsTable = runsTable;
        this.batchesTable = batchesTable;
        this.clock = clock;
    }

    /**
     * Writes in TransactWriteItems requests of 100 conditional puts, several in flight at once: BatchWriteItem
     * cannot carry a condition. A transaction cancelled because some runs exist is retried without them.
     */
    @Override
    public Set<String> createPending(List<RunRecord> runs) {
        Set<String> decided = ConcurrentHashMap.newKeySet();
        List<CompletableFuture<Void>> requests = new ArrayList<>();
        for (int from = 0; from < runs.size(); from += TRANSACTION_LIMIT) {
            List<RunRecord> group = runs.subList(from, Math.min(runs.size(), from + TRANSACTION_LIMIT));
            requests.add(CompletableFuture.runAsync(() -> createAll(group, decided), writers));
        }
        try {
            CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        return decided;
    }

    /** BatchWriteItem requests of 25, several in flight at once, unprocessed items retried with backoff. */
    @Override
    public void createFresh(List<RunRecord> runs) {
        List<CompletableFuture<Void>> requests = new ArrayList<>();
        for (int from = 0; from < runs.size(); from += BATCH_WRITE_LIMIT) {
            List<WriteRequest> writes = new ArrayList<>();
            for (RunRecord run : runs.subList(from, Math.min(runs.size(), from + BATCH_WRITE_LIMIT))) {
                writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(toItem(run)).build()).build());
            }
            requests.add(CompletableFuture.runAsync(() -> writeAll(writes), writers));
        }
        try {
            CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private void writeAll(List<WriteRequest> writes) {
        Map<String, List<WriteRequest>> pending = Map.of(runsTable, writes);
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            if (attempt > MAX_WRITE_RETRIES) {
                throw new IllegalStateException("DynamoDB left run records unprocessed after " + attempt + " attempts");
            }
            if (attempt > 0) {
                sleep(Duration.ofMillis(50L << Math.min(attempt, 6)));
            }
            Map<String, List<WriteRequest>> request = pending;
            BatchWriteItemResponse response = dynamo.batchWriteItem(b -> b.requestItems(request));
            pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
        }
    }

    private void createAll(List<RunRecord> group, Set<String> decided) {
        List<RunRecord> remaining = group;
        for (int attempt = 0; !remaining.isEmpty(); attempt++) {
            if (attempt > 0) {
                sleep(Duration.ofMillis(50L << Math.min(attempt, 6)));
            }
            List<TransactWriteItem> puts = new ArrayList<>(remaining.size());
            for (RunRecord run : remaining) {
                puts.add(TransactWriteItem.builder().put(Put.builder().tableName(runsTable).item(toItem(run))
                        .conditionExpression("attribute_not_exists(runSettingId)")
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build()).build());
            }
            try {
                dynamo.transactWriteItems(b -> b.transactItems(puts));
                return;
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
                if (attempt >= MAX_WRITE_RETRIES || reasons.size() != remaining.size()) {
                    throw e;
                }
                List<RunRecord> retry = new ArrayList<>();
                for (int i = 0; i < remaining.size(); i++) {
                    CancellationReason reason = reasons.get(i);
                    if ("ConditionalCheckFailed".equals(reason.code())) {
                        // Written by an earlier delivery: keep it, and note whether its message still matters.
                        Map<String, AttributeValue> existing = reason.hasItem() ? reason.item() : Map.of();
                        if (!SubmissionStatus.PENDING.name().equals(str(existing, "submissionStatus"))) {
                            decided.add(remaining.get(i).runSettingId());
                        }
                    } else {
                        retry.add(remaining.get(i)); // "None" (cancelled with the others), a conflict or throttling
                    }
                }
                remaining = retry;
            }
        }
    }

    @Override
    public Optional<RunRecord> get(String batchId, String runSettingId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(runsTable).key(key(batchId, runSettingId))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    @Override
    public boolean recordSubmitted(String batchId, String runSettingId, StartedRun run) {
        RunStatus status = run.status() == null ? RunStatus.PENDING : run.status();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":success", s(SubmissionStatus.SUCCESS.name()));
        values.put(":pending", s(SubmissionStatus.PENDING.name()));
        values.put(":runId", s(run.runId()));
        values.put(":arn", s(run.arn()));
        values.put(":status", s(status.name()));
        values.put(":rank", n(status.rank()));
        values.put(":now", time(clock.instant()));
        String set = "SET submissionStatus = :success, runId = :runId, arn = :arn, #status = :status, statusRank = :rank, "
                + "submittedAt = :now, updatedAt = :now";
        if (run.uuid() != null) {
            values.put(":uuid", s(run.uuid()));
            set += ", #uuid = :uuid";
        }
        if (run.runOutputUri() != null) {
            values.put(":runOutputUri", s(run.runOutputUri()));
            set += ", runOutputUri = :runOutputUri";
        }
        Update runUpdate = Update.builder().tableName(runsTable).key(key(batchId, runSettingId))
                .updateExpression(set).conditionExpression("submissionStatus = :pending")
                .expressionAttributeNames(run.uuid() != null ? Map.of("#status", "status", "#uuid", "uuid") : Map.of("#status", "status"))
                .expressionAttributeValues(values).build();
        Update batchUpdate = counters(batchId, "successfulStartSubmissionCount", status.countAttribute());
        return transact(runUpdate, batchUpdate);
    }

    @Override
    public boolean recordSubmissionFailed(String batchId, String runSettingId, String reason, String message) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":failed", s(SubmissionStatus.FAILED.name()));
        values.put(":pending", s(SubmissionStatus.PENDING.name()));
        values.put(":reason", s(reason));
        values.put(":message", s(message == null || message.isEmpty() ? reason : message));
        values.put(":now", time(clock.instant()));
        Update runUpdate = Update.builder().tableName(runsTable).key(key(batchId, runSettingId))
                .updateExpression("SET submissionStatus = :failed, submissionFailureReason = :reason, "
                        + "submissionFailureMessage = :message, updatedAt = :now")
                .conditionExpression("submissionStatus = :pending").expressionAttributeValues(values).build();
        return transact(runUpdate, counters(batchId, "failedStartSubmissionCount", null));
    }

    @Override
    public int recordAttempt(String batchId, String runSettingId, String lastError) {
        Map<String, AttributeValue> attributes = dynamo.updateItem(b -> b.tableName(runsTable).key(key(batchId, runSettingId))
                .updateExpression("ADD attempts :one SET lastError = :error, updatedAt = :now")
                .conditionExpression("attribute_exists(runSettingId)")
                .expressionAttributeValues(Map.of(":one", n(1), ":error", s(lastError), ":now", time(clock.instant())))
                .returnValues(ReturnValue.UPDATED_NEW)).attributes();
        return (int) Attributes.num(attributes, "attempts");
    }

    @Override
    public void recordRequeued(String batchId, String runSettingId) {
        Instant now = clock.instant();
        dynamo.updateItem(b -> b.tableName(runsTable).key(key(batchId, runSettingId))
                .updateExpression("SET queuedAt = :now").conditionExpression("attribute_exists(runSettingId)")
                .expressionAttributeValues(Map.of(":now", time(now))));
    }

    @Override
    public void recordChecked(String batchId, String runSettingId) {
        dynamo.updateItem(b -> b.tableName(runsTable).key(key(batchId, runSettingId))
                .updateExpression("SET checkedAt = :now").conditionExpression("attribute_exists(runSettingId)")
                .expressionAttributeValues(Map.of(":now", time(clock.instant()))));
    }

    /** The byUuid index projects the keys; the record itself is read consistently by the caller if it matters. */
    @Override
    public Optional<RunRecord> findByUuid(String uuid) {
        QueryResponse response = dynamo.query(b -> b.tableName(runsTable).indexName(BY_UUID)
                .keyConditionExpression("#uuid = :uuid").expressionAttributeNames(Map.of("#uuid", "uuid"))
                .expressionAttributeValues(Map.of(":uuid", s(uuid))).limit(1));
        return response.items().isEmpty() ? Optional.empty() : Optional.of(fromItem(response.items().get(0)));
    }

    @Override
    public boolean applyChange(RunRecord observed, RunChange change) {
        Instant now = clock.instant();
        Map<String, AttributeValue> values = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        names.put("#status", "status");
        values.put(":success", s(SubmissionStatus.SUCCESS.name()));
        values.put(":observedSubmission", s(observed.submissionStatus().name()));
        values.put(":status", s(change.status().name()));
        values.put(":rank", n(change.status().rank()));
        values.put(":now", time(now));
        StringBuilder set = new StringBuilder(
                "SET submissionStatus = :success, #status = :status, statusRank = :rank, updatedAt = :now");
        setIfPresent(set, values, names, "runId", change.runId());
        setIfPresent(set, values, names, "uuid", change.uuid());
        setIfPresent(set, values, names, "arn", change.arn());
        setIfPresent(set, values, names, "runOutputUri", change.runOutputUri());
        setIfPresent(set, values, names, "failureReason", change.failureReason());
        setIfPresent(set, values, names, "statusMessage", change.statusMessage());
        setIfPresent(set, values, names, "startTime", change.startTime() == null ? null : change.startTime().toString());
        setIfPresent(set, values, names, "stopTime", change.stopTime() == null ? null : change.stopTime().toString());
        boolean adopted = observed.submissionStatus() != SubmissionStatus.SUCCESS;
        if (adopted) {
            set.append(", submittedAt = :now");
        }
        String condition = "submissionStatus = :observedSubmission AND ";
        if (observed.status() == null) {
            condition += "attribute_not_exists(#status)";
        } else {
            values.put(":observedStatus", s(observed.status().name()));
            condition += "#status = :observedStatus";
        }
        Update runUpdate = Update.builder().tableName(runsTable).key(key(observed.batchId(), observed.runSettingId()))
                .updateExpression(set.toString()).conditionExpression(condition)
                .expressionAttributeNames(names).expressionAttributeValues(values).build();

        // The batch side: the run leaves its counted status (and, if adopted, its counted submission status).
        Map<String, Long> deltas = change.counterDeltas(observed);
        Map<String, AttributeValue> batchValues = new HashMap<>();
        List<String> adds = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, Long> delta : deltas.entrySet()) {
            batchValues.put(":d" + i, n(delta.getValue()));
            adds.add(delta.getKey() + " :d" + i);
            i++;
        }
        batchValues.put(":now", time(now));
        Update batchUpdate = Update.builder().tableName(batchesTable).key(DynamoBatchStore.key(observed.batchId()))
                .updateExpression("SET updatedTime = :now" + (adds.isEmpty() ? "" : " ADD " + String.join(", ", adds)))
                .conditionExpression("attribute_exists(batchId)").expressionAttributeValues(batchValues).build();
        return transact(runUpdate, batchUpdate);
    }

    private static void setIfPresent(StringBuilder set, Map<String, AttributeValue> values, Map<String, String> names,
                                     String attribute, String value) {
        if (value != null) {
            names.put("#" + attribute, attribute);
            values.put(":" + attribute, s(value));
            set.append(", #").append(attribute).append(" = :").append(attribute);
        }
    }

    @Override
    public void forEachRun(String batchId, Consumer<RunRecord> action) {
        query(QueryRequest.builder().tableName(runsTable).consistentRead(true)
                .keyConditionExpression("batchId = :batchId")
                .expressionAttributeValues(Map.of(":batchId", s(batchId))), item -> action.accept(fromItem(item)));
    }

    @Override
    public List<RunRecord> unsettledRuns(String batchId, Instant before) {
        List<RunRecord> unsettled = new ArrayList<>();
        query(QueryRequest.builder().tableName(runsTable).consistentRead(true)
                .keyConditionExpression("batchId = :batchId")
                .filterExpression("submissionStatus = :pending OR (submissionStatus = :success AND statusRank < :terminal)")
                .expressionAttributeValues(Map.of(":batchId", s(batchId), ":pending", s(SubmissionStatus.PENDING.name()),
                        ":success", s(SubmissionStatus.SUCCESS.name()), ":terminal", n(RunStatus.LOWEST_TERMINAL_RANK))),
                item -> {
                    // Times are compared here, not in the filter: ISO strings of different precision do not sort.
                    Instant updated = Attributes.instant(item, "updatedAt");
                    Instant checked = Attributes.instant(item, "checkedAt");
                    Instant latest = checked != null && (updated == null || checked.isAfter(updated)) ? checked : updated;
                    if (latest == null || latest.isBefore(before)) {
                        unsettled.add(fromItem(item));
                    }
                });
        return unsettled;
    }

    private void query(QueryRequest.Builder request, Consumer<Map<String, AttributeValue>> action) {
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse page = dynamo.query(request.exclusiveStartKey(start).build());
            page.items().forEach(action);
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
    }

    @Override
    public boolean claimSubmission(String batchId, String runSettingId) {
        Update claim = Update.builder().tableName(runsTable).key(key(batchId, runSettingId))
                .updateExpression("SET claimedAt = if_not_exists(claimedAt, :now)")
                .conditionExpression("submissionStatus = :pending")
                .expressionAttributeValues(Map.of(":pending", s(SubmissionStatus.PENDING.name()),
                        ":now", time(clock.instant()))).build();
        ConditionCheck submitting = ConditionCheck.builder().tableName(batchesTable).key(DynamoBatchStore.key(batchId))
                .conditionExpression("#status = :submitting").expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(":submitting", s(BatchStatus.SUBMITTING.name()))).build();
        try {
            dynamo.transactWriteItems(b -> b.transactItems(TransactWriteItem.builder().update(claim).build(),
                    TransactWriteItem.builder().conditionCheck(submitting).build()));
            return true;
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
            if (reasons.stream().anyMatch(r -> "ConditionalCheckFailed".equals(r.code()))) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public boolean recordCancelOutcome(String batchId, String runSettingId, boolean cancelled, String error) {
        return recordOperationOutcome(batchId, runSettingId, "cancelStatus", "cancelError",
                cancelled ? SubmissionStatus.CANCEL_SUCCESS : SubmissionStatus.CANCEL_FAILED,
                cancelled ? "successfulCancelSubmissionCount" : "failedCancelSubmissionCount", error);
    }

    @Override
    public boolean recordDeleteOutcome(String batchId, String runSettingId, boolean deleted, String error) {
        return recordOperationOutcome(batchId, runSettingId, "deleteStatus", "deleteError",
                deleted ? SubmissionStatus.DELETE_SUCCESS : SubmissionStatus.DELETE_FAILED,
                deleted ? "successfulDeleteSubmissionCount" : "failedDeleteSubmissionCount", error);
    }

    /** The run's outcome attribute, set once, and its batch counter, in one transaction. */
    private boolean recordOperationOutcome(String batchId, String runSettingId, String attribute, String errorAttribute,
                                           SubmissionStatus outcome, String counter, String error) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":outcome", s(outcome.name()));
        values.put(":now", time(clock.instant()));
        String set = "SET " + attribute + " = :outcome, updatedAt = :now";
        if (error != null) {
            values.put(":error", s(error));
            set += ", " + errorAttribute + " = :error";
        }
        Update runUpdate = Update.builder().tableName(runsTable).key(key(batchId, runSettingId)).updateExpression(set)
                .conditionExpression("attribute_exists(runSettingId) AND attribute_not_exists(" + attribute + ")")
                .expressionAttributeValues(values).build();
        Update batchUpdate = Update.builder().tableName(batchesTable).key(DynamoBatchStore.key(batchId))
                .updateExpression("SET updatedTime = :now ADD " + counter + " :one")
                .conditionExpression("attribute_exists(batchId)")
                .expressionAttributeValues(Map.of(":one", n(1), ":now", time(clock.instant()))).build();
        return transact(runUpdate, batchUpdate);
    }

    /** The keys page by page, deleted with BatchWriteItem in groups of 25. */
    @Override
    public long deleteAll(String batchId) {
        List<WriteRequest> deletes = new ArrayList<>();
        query(QueryRequest.builder().tableName(runsTable).consistentRead(true)
                .keyConditionExpression("batchId = :batchId").projectionExpression("batchId, runSettingId")
                .expressionAttributeValues(Map.of(":batchId", s(batchId))), item -> deletes.add(WriteRequest.builder()
                .deleteRequest(DeleteRequest.builder().key(key(batchId, str(item, "runSettingId"))).build()).build()));
        for (int from = 0; from < deletes.size(); from += BATCH_WRITE_LIMIT) {
            writeAll(deletes.subList(from, Math.min(deletes.size(), from + BATCH_WRITE_LIMIT)));
        }
        return deletes.size();
    }

    /** The batch side of an outcome: one more decided submission, one fewer pending, and the run's status counted. */
    private Update counters(String batchId, String submissionCounter, String runStatusCounter) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":one", n(1));
        values.put(":minusOne", n(-1));
        values.put(":now", time(clock.instant()));
        String add = "SET updatedTime = :now ADD " + submissionCounter + " :one, pendingStartSubmissionCount :minusOne";
        if (runStatusCounter != null) {
            add += ", " + runStatusCounter + " :one";
        }
        return Update.builder().tableName(batchesTable).key(DynamoBatchStore.key(batchId)).updateExpression(add)
                .conditionExpression("attribute_exists(batchId)").expressionAttributeValues(values).build();
    }

    private boolean transact(Update runUpdate, Update batchUpdate) {
        try {
            dynamo.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().update(runUpdate).build(),
                    TransactWriteItem.builder().update(batchUpdate).build()));
            return true;
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
            if (!reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.get(0).code())) {
                return false; // the outcome was already recorded
            }
            throw e;
        }
    }

    static Map<String, AttributeValue> key(String batchId, String runSettingId) {
        return Map.of("batchId", s(batchId), "runSettingId", s(runSettingId));
    }

    private static Map<String, AttributeValue> toItem(RunRecord run) {
        Map<String, AttributeValue> item = new HashMap<>(key(run.batchId(), run.runSettingId()));
        item.put("requestId", s(run.requestId()));
        if (run.runName() != null) {
            item.put("runName", s(run.runName()));
        }
        if (run.outputUri() != null) {
            item.put("outputUri", s(run.outputUri()));
        }
        if (run.outputBucketOwnerId() != null) {
            item.put("outputBucketOwnerId", s(run.outputBucketOwnerId()));
        }
        item.put("submissionStatus", s(run.submissionStatus().name()));
        item.put("attempts", n(run.attempts()));
        item.put("createdAt", time(run.createdAt()));
        item.put("queuedAt", time(run.queuedAt() != null ? run.queuedAt() : run.createdAt()));
        item.put("updatedAt", time(run.createdAt()));
        return item;
    }

    static RunRecord fromItem(Map<String, AttributeValue> item) {
        String status = str(item, "status");
        return new RunRecord(
                str(item, "batchId"),
                str(item, "runSettingId"),
                str(item, "requestId"),
                str(item, "runName"),
                str(item, "outputUri"),
                str(item, "outputBucketOwnerId"),
                SubmissionStatus.valueOf(str(item, "submissionStatus")),
                str(item, "submissionFailureReason"),
                str(item, "submissionFailureMessage"),
                (int) Attributes.num(item, "attempts"),
                str(item, "runId"),
                str(item, "uuid"),
                str(item, "arn"),
                status == null ? null : RunStatus.valueOf(status),
                str(item, "runOutputUri"),
                str(item, "failureReason"),
                str(item, "statusMessage"),
                Attributes.instant(item, "startTime"),
                Attributes.instant(item, "stopTime"),
                Attributes.instant(item, "createdAt"),
                Attributes.instant(item, "submittedAt"),
                Attributes.instant(item, "queuedAt"),
                Attributes.instant(item, "updatedAt"),
                Attributes.instant(item, "claimedAt"),
                outcome(item, "cancelStatus"),
                outcome(item, "deleteStatus"));
    }

    private static SubmissionStatus outcome(Map<String, AttributeValue> item, String attribute) {
        String value = str(item, attribute);
        return value == null ? null : SubmissionStatus.valueOf(value);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying unprocessed writes", e);
        }
    }
}
