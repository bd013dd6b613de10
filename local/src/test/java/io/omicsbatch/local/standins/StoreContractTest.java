package io.omicsbatch.local.standins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omicsbatch.batch.BatchRecord;
import io.omicsbatch.batch.BatchStatus;
import io.omicsbatch.batch.BatchStore;
import io.omicsbatch.batch.RunChange;
import io.omicsbatch.batch.RunRecord;
import io.omicsbatch.batch.RunStatus;
import io.omicsbatch.batch.RunStore;
import io.omicsbatch.batch.S3ObjectRef;
import io.omicsbatch.batch.StartedRun;
import io.omicsbatch.batch.SubmissionStatus;
import io.omicsbatch.functions.aws.DynamoBatchStore;
import io.omicsbatch.functions.aws.DynamoRunStore;
import io.omicsbatch.resources.ResourceDefinitions;
import io.omicsbatch.resources.TableDefinition;
import io.omicsbatch.testing.InMemoryBatchStore;
import io.omicsbatch.testing.InMemoryRunStore;
import io.omicsbatch.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The in-memory batch and run stores of the unit tier (shared's test-jar) held to DynamoBatchStore and
 * DynamoRunStore on DynamoDB Local: every contract case runs on both, and a seeded random sequence of operations
 * must get the same answers and leave the same records on both. When an adapter changes, this fails until its
 * fake follows. One DynamoDB Local for the class; every case uses batch ids of its own.
 */
class StoreContractTest {

    private static final Instant START = Instant.parse("2026-01-05T09:00:00Z");
    private static final MutableClock CLOCK = new MutableClock(START);
    private static final AtomicInteger IDS = new AtomicInteger();
    /** The intake invocation that expands the batches here, and how long its lease lasts. */
    private static final String INTAKE = "intake-1";
    private static final Duration LEASE = Duration.ofMinutes(15);

    /** What the DynamoDB client read: the Scan calls, and the items each Query examined. */
    private static final ReadMeter READS = new ReadMeter();
    private static LocalDynamoDb dynamoDb;
    private static DynamoDbClient client;
    private static Stores dynamo;

    /** A batch store and the run store that moves its counters; {@code forget} deletes a batch item. */
    record Stores(BatchStore batches, RunStore runs, Consumer<String> forget) {}

    @BeforeAll
    static void start() {
        dynamoDb = LocalDynamoDb.start();
        client = DynamoDbClient.builder()
                .region(LocalStandIns.REGION)
                .endpointOverride(dynamoDb.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(LocalStandIns.ACCESS_KEY_ID, LocalStandIns.SECRET_ACCESS_KEY)))
                .httpClient(UrlConnectionHttpClient.builder().build())
                .overrideConfiguration(c -> c.addExecutionInterceptor(READS))
                .build();
        for (TableDefinition table : List.of(ResourceDefinitions.BATCHES_TABLE, ResourceDefinitions.RUNS_TABLE)) {
            client.createTable(LocalStandIns.createTableRequest(table));
        }
        String batchesTable = ResourceDefinitions.BATCHES_TABLE.name();
        dynamo = new Stores(new DynamoBatchStore(client, batchesTable, CLOCK),
                new DynamoRunStore(client, ResourceDefinitions.RUNS_TABLE.name(), batchesTable, CLOCK),
                batchId -> client.deleteItem(b -> b.tableName(batchesTable)
                        .key(Map.of("batchId", AttributeValue.fromS(batchId)))));
    }

    @AfterAll
    static void stop() {
        client.close();
        dynamoDb.close();
    }

    /**
     * ListBatch on DynamoDB: one Query of the list index per page from where the last page stopped, so following every
     * token examines each batch item once, whatever the page size and the filter, and nothing is ever scanned.
     */
    @Test
    void aListingQueriesTheListIndexPageByPageExaminingEachBatchOnceAndScansNothing() {
        for (int i = 0; i < 5; i++) {
            dynamo.batches().createIfAbsent(initialRecord("listed-" + IDS.incrementAndGet(), "listed"));
        }
        long indexed = 0;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var counted = client.scan(b -> b.tableName(ResourceDefinitions.BATCHES_TABLE.name())
                    .indexName(ResourceDefinitions.BATCH_LIST_INDEX.name()).select("COUNT").exclusiveStartKey(from));
            indexed += counted.count();
            start = counted.hasLastEvaluatedKey() && !counted.lastEvaluatedKey().isEmpty() ? counted.lastEvaluatedKey() : null;
        } while (start != null);

        for (BatchStatus filter : java.util.Arrays.asList(null, BatchStatus.CREATING, BatchStatus.PROCESSED)) {
            READS.reset();
            int pages = 0;
            int listed = 0;
            String token = null;
            do {
                BatchStore.BatchPage page = dynamo.batches().list(new BatchStore.BatchQuery(filter, null, 3, token));
                assertThat(page.batches()).hasSizeLessThanOrEqualTo(3);
                listed += page.batches().size();
                token = page.nextToken();
                pages++;
            } while (token != null);

            assertThat(READS.scans()).as("scans while listing").isZero();
            assertThat(READS.examined()).as("items the queries examined, filter " + filter).isEqualTo(indexed);
            assertThat(READS.queries()).isEqualTo(pages).isBetween((int) ((indexed + 2) / 3), (int) ((indexed + 2) / 3) + 1);
            if (filter == null) {
                assertThat((long) listed).isEqualTo(indexed);
            }
        }
    }

    /** Counts the Scan calls and what each Query examined (its ScannedCount). */
    static final class ReadMeter implements software.amazon.awssdk.core.interceptor.ExecutionInterceptor {
        private final AtomicInteger scans = new AtomicInteger();
        private final AtomicInteger queries = new AtomicInteger();
        private final java.util.concurrent.atomic.AtomicLong examined = new java.util.concurrent.atomic.AtomicLong();

        @Override
        public void afterExecution(software.amazon.awssdk.core.interceptor.Context.AfterExecution context,
                                   software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
            if (context.response() instanceof software.amazon.awssdk.services.dynamodb.model.ScanResponse) {
                scans.incrementAndGet();
            } else if (context.response() instanceof software.amazon.awssdk.services.dynamodb.model.QueryResponse query) {
                queries.incrementAndGet();
                examined.addAndGet(query.scannedCount());
            }
        }

        void reset() {
            scans.set(0);
            queries.set(0);
            examined.set(0);
        }

        int scans() {
            return scans.get();
        }

        int queries() {
            return queries.get();
        }

        long examined() {
            return examined.get();
        }
    }

    private static Stores inMemory() {
        InMemoryBatchStore batches = new InMemoryBatchStore(CLOCK);
        return new Stores(batches, new InMemoryRunStore(batches, CLOCK), batchId -> { });
    }

    @Nested
    class InMemory extends StoreContract {
        InMemory() {
            super(inMemory());
        }
    }

    @Nested
    class OnDynamoDbLocal extends StoreContract {
        OnDynamoDbLocal() {
            super(dynamo);
        }
    }

    @Test
    void bothStoresGiveTheSameAnswersAndRecordsForInterleavedBatchLifecyclesWithNoise() {
        CLOCK.set(START);
        Stores memory = inMemory();
        String prefix = "random-" + IDS.incrementAndGet();
        Random random = new Random(20260105);
        Map<String, RunRecord> staleViews = new HashMap<>();
        List<String> batchIds = new ArrayList<>();
        List<Deque<Step>> scripts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String batchId = prefix + "-" + i;
            batchIds.add(batchId);
            scripts.add(lifecycle(random, batchId, 1 + random.nextInt(3), memory, staleViews));
        }
        for (int stepNumber = 0; !scripts.isEmpty(); stepNumber++) {
            Deque<Step> script = scripts.get(random.nextInt(scripts.size()));
            Step step = script.removeFirst();
            if (script.isEmpty()) {
                scripts.remove(script);
            }
            RandomOperation operation = step.operation().get();
            String what = "step " + stepNumber + ": " + operation.name() + " on " + step.batchId() + "/" + step.runId();
            Answer inMemoryAnswer = Answer.of(() -> operation.apply(memory));
            assertThat(inMemoryAnswer).as(what).isEqualTo(Answer.of(() -> operation.apply(dynamo)));
            assertThat(memory.batches().get(step.batchId())).as(what).isEqualTo(dynamo.batches().get(step.batchId()));
            if (step.runId() != null) {
                assertThat(memory.runs().get(step.batchId(), step.runId())).as(what)
                        .isEqualTo(dynamo.runs().get(step.batchId(), step.runId()));
                if (random.nextInt(4) == 0) {
                    memory.runs().get(step.batchId(), step.runId())
                            .ifPresent(run -> staleViews.put(step.batchId() + "/" + step.runId(), run));
                }
            }
            CLOCK.advance(Duration.ofMillis(random.nextInt(3) * 1500L));
        }
        for (String batchId : batchIds) {
            assertThat(allRuns(memory, batchId)).isEqualTo(allRuns(dynamo, batchId));
            for (Duration age : List.of(Duration.ZERO, Duration.ofSeconds(3))) {
                Instant before = CLOCK.instant().minus(age);
                assertThat(memory.runs().unsettledRuns(batchId, before)).isEqualTo(dynamo.runs().unsettledRuns(batchId, before));
            }
        }
        Map<String, BatchRecord> unfinished = unfinished(memory, batchIds);
        assertThat(unfinished).isEqualTo(unfinished(dynamo, batchIds));
        // The walk went the whole way: some batch ended PROCESSED, so every transition was compared.
        assertThat(batchIds.stream().map(id -> memory.batches().get(id).orElseThrow().status()))
                .contains(BatchStatus.PROCESSED);
    }

    /** One step of a batch's script: the run it touches (null: the batch only), its operation made when due. */
    record Step(String batchId, String runId, Supplier<RandomOperation> operation) {}

    /**
     * A batch's life with noise: created, pending, submitting, its runs written; then, shuffled, each run's
     * submission outcome, three status changes (sometimes from a stale view) and one random operation, the
     * expansion's end, repeated completion checks and announcements, sometimes a failure; finally the checks once
     * more. The noise repeats, reorders and misplaces operations as redeliveries and races would.
     */
    private static Deque<Step> lifecycle(Random random, String batchId, int runCount, Stores memory,
                                         Map<String, RunRecord> staleViews) {
        Deque<Step> script = new ArrayDeque<>();
        script.add(batchStep(batchId, "createIfAbsent", s -> s.batches().createIfAbsent(initialRecord(batchId, batchId))));
        script.add(batchStep(batchId, "markPending", s -> s.batches().markPending(batchId, runCount, "runs-etag")));
        script.add(batchStep(batchId, "markSubmitting", s -> s.batches().markSubmitting(batchId)));
        List<String> runIds = new ArrayList<>();
        for (int i = 0; i < runCount; i++) {
            runIds.add("r" + i);
        }
        script.add(batchStep(batchId, "createPending", s ->
                s.runs().createPending(runIds.stream().map(id -> pendingRun(batchId, id, CLOCK.instant())).toList())));
        script.add(batchStep(batchId, "acquireExpansionLease", s ->
                s.batches().acquireExpansionLease(batchId, INTAKE, CLOCK.instant().plus(LEASE))));
        List<Step> shuffled = new ArrayList<>();
        for (String runId : runIds) {
            shuffled.add(new Step(batchId, runId, () -> RandomOperation.outcome(random, batchId, runId, memory)));
            for (int i = 0; i < 3; i++) {
                shuffled.add(new Step(batchId, runId, () -> RandomOperation.statusChange(random, batchId, runId, memory,
                        staleViews, true)));
            }
            shuffled.add(new Step(batchId, runId, () -> RandomOperation.next(random, batchId, runId, memory, staleViews)));
        }
        shuffled.add(batchStep(batchId, "markExpansionComplete", s -> {
            s.batches().markExpansionComplete(batchId, INTAKE, runCount);
            return null;
        }));
        for (int i = 0; i < 2; i++) {
            shuffled.add(batchStep(batchId, "markInProgressIfAllSubmitted", s -> s.batches().markInProgressIfAllSubmitted(batchId)));
            shuffled.add(batchStep(batchId, "markProcessed", s -> s.batches().markProcessed(batchId)));
            BatchStatus status = BatchStatus.values()[random.nextInt(8)];
            shuffled.add(batchStep(batchId, "markAnnounced(" + status + ")", s -> {
                s.batches().markAnnounced(batchId, status);
                return null;
            }));
        }
        if (random.nextInt(4) == 0) {
            shuffled.add(batchStep(batchId, "markFailed", s -> s.batches().markFailed(batchId,
                    List.of(BatchStatus.SUBMITTING, BatchStatus.INPROGRESS), "RunsFileChanged", "replaced", List.of(), 0)));
        }
        Collections.shuffle(shuffled, random);
        script.addAll(shuffled);
        script.add(batchStep(batchId, "markInProgressIfAllSubmitted", s -> s.batches().markInProgressIfAllSubmitted(batchId)));
        script.add(batchStep(batchId, "markProcessed", s -> s.batches().markProcessed(batchId)));
        return script;
    }

    private static Step batchStep(String batchId, String name, Function<Stores, Object> action) {
        return new Step(batchId, null, () -> RandomOperation.op(name, action));
    }

    private static List<RunRecord> allRuns(Stores stores, String batchId) {
        List<RunRecord> runs = new ArrayList<>();
        stores.runs().forEachRun(batchId, runs::add);
        return runs;
    }

    private static Map<String, BatchRecord> unfinished(Stores stores, List<String> batchIds) {
        Map<String, BatchRecord> unfinished = new HashMap<>();
        stores.batches().listUnfinished().stream().filter(b -> batchIds.contains(b.batchId()))
                .forEach(b -> unfinished.put(b.batchId(), b));
        return unfinished;
    }

    /** What an operation answered: its value, or that it threw (the exception types differ by design). */
    record Answer(Object value, boolean threw) {
        static Answer of(Callable<Object> operation) {
            try {
                return new Answer(operation.call(), false);
            } catch (Exception e) {
                return new Answer(null, true);
            }
        }
    }

    /** One store operation with random arguments, applied alike to either pair of stores. */
    interface RandomOperation {

        String name();

        Object apply(Stores stores);

        /** Any operation on the batch or the run, with random arguments, whatever state they are in. */
        static RandomOperation next(Random random, String batchId, String runId, Stores memory,
                                    Map<String, RunRecord> staleViews) {
            Instant now = CLOCK.instant();
            switch (random.nextInt(16)) {
                case 0:
                    return op("createIfAbsent", s -> s.batches().createIfAbsent(initialRecord(batchId, "random")));
                case 1: {
                    int runs = 1 + random.nextInt(3);
                    String eTag = random.nextBoolean() ? null : "runs-etag-" + random.nextInt(3);
                    return op("markPending(" + runs + ", " + eTag + ")", s -> s.batches().markPending(batchId, runs, eTag));
                }
                case 2:
                    return op("markSubmitting", s -> s.batches().markSubmitting(batchId));
                case 3: {
                    List<BatchStatus> from = new ArrayList<>();
                    for (BatchStatus status : List.of(BatchStatus.CREATING, BatchStatus.PENDING, BatchStatus.SUBMITTING)) {
                        if (random.nextBoolean()) {
                            from.add(status);
                        }
                    }
                    if (from.isEmpty()) {
                        from.add(BatchStatus.PENDING);
                    }
                    List<BatchRecord.ErrorEntry> errors = random.nextBoolean() ? List.of()
                            : List.of(new BatchRecord.ErrorEntry("/runs/" + random.nextInt(9), "type", "not a string"));
                    return op("markFailed" + from, s -> s.batches().markFailed(batchId, from, "RandomReason", "random",
                            errors, errors.size()));
                }
                case 4: {
                    String owner = random.nextBoolean() ? INTAKE : "intake-2";
                    if (random.nextBoolean()) {
                        Instant until = CLOCK.instant().plus(random.nextBoolean() ? LEASE : Duration.ofMillis(-1));
                        return op("acquireExpansionLease(" + owner + ")", s -> s.batches().acquireExpansionLease(batchId,
                                owner, until));
                    }
                    long checkpoint = random.nextInt(5);
                    return op("saveCheckpoint(" + owner + ", " + checkpoint + ")", s -> s.batches().saveCheckpoint(batchId,
                            owner, checkpoint, CLOCK.instant().plus(LEASE)));
                }
                case 5: {
                    String owner = random.nextBoolean() ? INTAKE : "intake-2";
                    if (random.nextBoolean()) {
                        return op("releaseExpansionLease(" + owner + ")", s -> {
                            s.batches().releaseExpansionLease(batchId, owner);
                            return null;
                        });
                    }
                    long expanded = random.nextInt(5);
                    return op("markExpansionComplete(" + owner + ", " + expanded + ")",
                            s -> s.batches().markExpansionComplete(batchId, owner, expanded));
                }
                case 6:
                    return op("markInProgressIfAllSubmitted", s -> s.batches().markInProgressIfAllSubmitted(batchId));
                case 7:
                    return op("markProcessed", s -> s.batches().markProcessed(batchId));
                case 8: {
                    BatchStatus status = BatchStatus.values()[random.nextInt(8)];
                    if (memory.batches().get(batchId).isEmpty()) {
                        // An unknown batch would leave an unreadable item: a case of its own, not for the random walk.
                        return op("get", s -> s.batches().get(batchId));
                    }
                    return op("markAnnounced(" + status + ")", s -> {
                        s.batches().markAnnounced(batchId, status);
                        return null;
                    });
                }
                case 9:
                    return op("createPending", s -> s.runs().createPending(List.of(pendingRun(batchId, runId, now))));
                case 10:
                    return outcome(random, batchId, runId, memory);
                case 11:
                    return op("recordAttempt", s -> s.runs().recordAttempt(batchId, runId, "ThrottlingException"));
                case 12:
                    return op("recordRequeued", s -> {
                        s.runs().recordRequeued(batchId, runId);
                        return null;
                    });
                case 13:
                    return op("recordChecked", s -> {
                        s.runs().recordChecked(batchId, runId);
                        return null;
                    });
                case 14:
                    return op("findByUuid", s -> s.runs().findByUuid("uuid-" + batchId + "-" + runId));
                default:
                    return statusChange(random, batchId, runId, memory, staleViews, false);
            }
        }

        /** The run's submission decided: mostly started, sometimes failed, sometimes adopted from a status change. */
        static RandomOperation outcome(Random random, String batchId, String runId, Stores memory) {
            int draw = random.nextInt(10);
            if (draw < 7) {
                RunStatus status = random.nextBoolean() ? null : RunStatus.values()[random.nextInt(3)];
                String uuid = random.nextInt(4) == 0 ? null : "uuid-" + batchId + "-" + runId;
                StartedRun started = new StartedRun("run-" + runId, "arn:run/" + runId, uuid, status,
                        random.nextBoolean() ? null : "s3://out/" + runId);
                return op("recordSubmitted(" + status + ")", s -> s.runs().recordSubmitted(batchId, runId, started));
            }
            if (draw < 9) {
                String message = List.of("", "it failed").get(random.nextInt(2));
                return op("recordSubmissionFailed", s -> s.runs().recordSubmissionFailed(batchId, runId,
                        "ValidationException", message));
            }
            return statusChange(random, batchId, runId, memory, Map.of(), true);
        }

        /**
         * A status change from the run's current record or, sometimes, a stale view of it; {@code forward} picks
         * a later status (mostly), else any.
         */
        static RandomOperation statusChange(Random random, String batchId, String runId, Stores memory,
                                            Map<String, RunRecord> staleViews, boolean forward) {
            Instant now = CLOCK.instant();
            Optional<RunRecord> current = memory.runs().get(batchId, runId);
            RunRecord stale = staleViews.get(batchId + "/" + runId);
            RunRecord observed = stale != null && random.nextInt(5) == 0 ? stale : current.orElse(stale);
            if (observed == null) {
                return op("get run", s -> s.runs().get(batchId, runId));
            }
            RunStatus[] statuses = RunStatus.values();
            int from = observed.status() == null ? -1 : observed.status().ordinal();
            RunStatus target = forward ? statuses[Math.min(statuses.length - 1, from + 1 + random.nextInt(3))]
                    : statuses[random.nextInt(statuses.length)];
            boolean failed = target == RunStatus.FAILED;
            RunChange change = new RunChange(target, "run-" + runId,
                    random.nextBoolean() ? null : "uuid-" + batchId + "-" + runId, "arn:run/" + runId,
                    random.nextBoolean() ? null : "s3://out/changed/" + runId, failed ? "OOM" : null,
                    failed ? "out of memory" : null, random.nextBoolean() ? null : now.minusSeconds(30),
                    target.isTerminal() ? now : null);
            return op("applyChange(" + observed.submissionStatus() + "/" + observed.status() + " -> " + target + ")",
                    s -> s.runs().applyChange(observed, change));
        }

        static RandomOperation op(String name, Function<Stores, Object> action) {
            return new RandomOperation() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public Object apply(Stores stores) {
                    return action.apply(stores);
                }
            };
        }
    }

    static final BatchRecord.Workflow WORKFLOW = new BatchRecord.Workflow("1234567", "PRIVATE", "v2", null);

    static BatchRecord initialRecord(String batchId, String name) {
        // Status, run count, runs file ETag and counts are the store's to set: these must be ignored.
        return new BatchRecord(batchId, name, BatchStatus.PENDING,
                new S3ObjectRef("settings-bucket", "batches/" + batchId + ".json", "version-1", "settings-etag"),
                "s3://settings-bucket/runs/" + batchId + ".json", "ignored-etag", 9, 4, true, null, null, List.of(), 0,
                Map.of("pendingRunCount", 5L), CLOCK.instant(), null, null, null, Set.of(BatchStatus.PENDING), null,
                new BatchRecord.ExpansionLease("ignored", CLOCK.instant()), 7, 9, WORKFLOW);
    }

    static RunRecord pendingRun(String batchId, String runSettingId, Instant now) {
        return RunRecord.pending(batchId, runSettingId, "ob-" + batchId + "-" + runSettingId, "wgs-" + runSettingId,
                "s3://lab-results/" + batchId + "/", null, now);
    }

    /** Every counter of a batch at zero, but those given. */
    static Map<String, Long> counts(Object... counterAndValue) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String counter : DynamoBatchStore.SUBMISSION_COUNTERS) {
            counts.put(counter, 0L);
        }
        for (RunStatus status : RunStatus.values()) {
            counts.put(status.countAttribute(), 0L);
        }
        for (int i = 0; i < counterAndValue.length; i += 2) {
            counts.put((String) counterAndValue[i], ((Number) counterAndValue[i + 1]).longValue());
        }
        return counts;
    }

    /** The contract: each case on a pair of stores, with batch ids no other case uses. */
    abstract static class StoreContract {

        private final BatchStore batches;
        private final RunStore runs;
        private final Consumer<String> forget;
        private final String batchId = "contract-" + IDS.incrementAndGet();

        StoreContract(Stores stores) {
            this.batches = stores.batches();
            this.runs = stores.runs();
            this.forget = stores.forget();
        }

        @BeforeEach
        void startOfDay() {
            CLOCK.set(START);
        }

        // ---- the batches table ----

        @Test
        void createIfAbsentWritesACreatingRecordOnceAndAfterwardsReturnsTheStoredOne() {
            BatchRecord initial = initialRecord(batchId, "cohort-7");

            BatchRecord stored = batches.createIfAbsent(initial);

            assertThat(stored).isEqualTo(new BatchRecord(batchId, "cohort-7", BatchStatus.CREATING,
                    initial.settingsObject(), initial.runsFileUri(), null, null, 0, false, null, null, List.of(), 0,
                    counts(), START, null, null, null, Set.of(BatchStatus.CREATING), START, null, 0, 0, WORKFLOW));
            assertThat(batches.get(batchId)).contains(stored);
            CLOCK.advance(Duration.ofMinutes(1));
            assertThat(batches.createIfAbsent(new BatchRecord(batchId, "another name", BatchStatus.CREATING,
                    new S3ObjectRef("other", "batches/other.json", null, "other-etag"), null, null, null, 0, false,
                    null, null, List.of(), 0, Map.of(), CLOCK.instant(), null, null, null, Set.of(), null, null, 0, 0, null)))
                    .isEqualTo(stored);
        }

        @Test
        void aBatchNeedsNoBatchNameRunsFileOrVersionId() {
            BatchRecord initial = new BatchRecord(batchId, null, BatchStatus.CREATING,
                    new S3ObjectRef("settings-bucket", "batches/unnamed.json", null, "etag"), null, null, null, 0,
                    false, null, null, List.of(), 0, Map.of(), START, null, null, null, Set.of(), null, null, 0, 0, null);

            BatchRecord stored = batches.createIfAbsent(initial);

            assertThat(stored.batchName()).isNull();
            assertThat(stored.workflow()).isNull();
            assertThat(stored.runsFileUri()).isNull();
            assertThat(stored.settingsObject()).isEqualTo(initial.settingsObject());
            assertThat(batches.get(batchId)).contains(stored);
        }

        @Test
        void markPendingMovesOnlyACreatingBatchAndFixesItsRunCountAndRunsFileETag() {
            batches.createIfAbsent(initialRecord(batchId, "cohort"));

            assertThat(batches.markPending(batchId, 3, "runs-etag")).isTrue();
            assertThat(batches.markPending(batchId, 5, "other-etag")).isFalse();

            BatchRecord pending = batches.get(batchId).orElseThrow();
            assertThat(pending.status()).isEqualTo(BatchStatus.PENDING);
            assertThat(pending.totalRuns()).isEqualTo(3);
            assertThat(pending.runsFileETag()).isEqualTo("runs-etag");
            assertThat(pending.unannouncedStatuses()).containsExactlyInAnyOrder(BatchStatus.CREATING, BatchStatus.PENDING);
        }

        @Test
        void aBatchWithoutRunsFileGetsNoRunsFileETag() {
            batches.createIfAbsent(initialRecord(batchId, "inline"));

            assertThat(batches.markPending(batchId, 2, null)).isTrue();

            assertThat(batches.get(batchId).orElseThrow().runsFileETag()).isNull();
        }

        @Test
        void markSubmittingStartsEveryCounterWithEverySubmissionPending() {
            batches.createIfAbsent(initialRecord(batchId, "cohort"));
            assertThat(batches.markSubmitting(batchId)).isFalse();
            batches.markPending(batchId, 4, null);
            CLOCK.advance(Duration.ofSeconds(5));

            assertThat(batches.markSubmitting(batchId)).isTrue();
            assertThat(batches.markSubmitting(batchId)).isFalse();

            BatchRecord submitting = batches.get(batchId).orElseThrow();
            assertThat(submitting.status()).isEqualTo(BatchStatus.SUBMITTING);
            assertThat(submitting.submittedTime()).isEqualTo(START.plusSeconds(5));
            assertThat(submitting.counts()).isEqualTo(counts("pendingStartSubmissionCount", 4));
            assertThat(submitting.unannouncedStatuses())
                    .containsExactlyInAnyOrder(BatchStatus.CREATING, BatchStatus.PENDING, BatchStatus.SUBMITTING);
        }

        @Test
        void markFailedMovesOnlyFromTheGivenStatusesAndKeepsTheErrors() {
            batches.createIfAbsent(initialRecord(batchId, "cohort"));
            List<BatchRecord.ErrorEntry> errors = List.of(
                    new BatchRecord.ErrorEntry("/runs/0/name", "type", "must be a string"),
                    new BatchRecord.ErrorEntry("", "required", "batchName is required"));

            assertThat(batches.markFailed(batchId, List.of(BatchStatus.PENDING), "ValidationFailed", "2 errors", errors, 2))
                    .isFalse();
            assertThat(batches.get(batchId).orElseThrow().status()).isEqualTo(BatchStatus.CREATING);
            CLOCK.advance(Duration.ofMinutes(1));
            assertThat(batches.markFailed(batchId, List.of(BatchStatus.CREATING, BatchStatus.PENDING), "ValidationFailed",
                    "7 errors", errors, 7)).isTrue();
            assertThat(batches.markFailed(batchId, List.of(BatchStatus.CREATING, BatchStatus.PENDING), "Other", "again",
                    List.of(), 0)).isFalse();

            BatchRecord failed = batches.get(batchId).orElseThrow();
            assertThat(failed.status()).isEqualTo(BatchStatus.FAILED);
            assertThat(failed.failureReason()).isEqualTo("ValidationFailed");
            assertThat(failed.failureMessage()).isEqualTo("7 errors");
            assertThat(failed.errors()).isEqualTo(errors);
            assertThat(failed.errorCount()).isEqualTo(7);
            assertThat(failed.failedTime()).isEqualTo(START.plusSeconds(60));
            assertThat(failed.unannouncedStatuses()).containsExactlyInAnyOrder(BatchStatus.CREATING, BatchStatus.FAILED);
        }

        @Test
        void markFailedRefusesWhatTheTableCannotStore() {
            batches.createIfAbsent(initialRecord(batchId, "cohort"));
            List<BatchRecord.ErrorEntry> tooMany = new ArrayList<>();
            for (int i = 0; i < 405; i++) {
                tooMany.add(new BatchRecord.ErrorEntry("/runs/" + i + "/name", "maxLength", "x".repeat(1000)));
            }

            assertThatThrownBy(() -> batches.markFailed(batchId, List.of(), "Reason", "message", List.of(), 0))
                    .isInstanceOf(RuntimeException.class);
            assertThatThrownBy(() -> batches.markFailed(batchId, List.of(BatchStatus.CREATING), "Reason", null, List.of(), 0))
                    .isInstanceOf(RuntimeException.class);
            // Over DynamoDB's 400 KB item limit: the failure cannot be recorded at all.
            assertThatThrownBy(() -> batches.markFailed(batchId, List.of(BatchStatus.CREATING), "ValidationFailed",
                    "405 errors", tooMany, 405)).isInstanceOf(RuntimeException.class);
            assertThat(batches.get(batchId).orElseThrow().status()).isEqualTo(BatchStatus.CREATING);
            assertThat(batches.markFailed(batchId, List.of(BatchStatus.CREATING), "ValidationFailed", "405 errors",
                    tooMany.subList(0, 300), 405)).isTrue();
        }

        @Test
        void onlyTheLeaseHolderMovesTheCheckpointAndNeverBack() {
            submittingBatch(0);
            Instant until = CLOCK.instant().plus(LEASE);
            assertThat(batches.acquireExpansionLease(batchId, INTAKE, until)).isTrue();
            assertThat(batches.acquireExpansionLease(batchId, "intake-2", until)).as("held by another").isFalse();
            assertThat(batches.acquireExpansionLease(batchId, INTAKE, until)).as("held by the same").isTrue();

            assertThat(batches.saveCheckpoint(batchId, INTAKE, 500, until)).isTrue();
            assertThat(batches.saveCheckpoint(batchId, INTAKE, 200, until)).isFalse();
            assertThat(batches.saveCheckpoint(batchId, INTAKE, 500, until)).as("the same checkpoint extends the lease").isTrue();
            assertThat(batches.saveCheckpoint(batchId, "intake-2", 800, until)).isFalse();

            BatchRecord batch = batches.get(batchId).orElseThrow();
            assertThat(batch.expandedRuns()).isEqualTo(500);
            assertThat(batch.expansionComplete()).isFalse();
            assertThat(batch.expansionLease()).isEqualTo(new BatchRecord.ExpansionLease(INTAKE, until));
        }

        @Test
        void aLapsedOrReleasedLeaseCanBeTakenOverAndTheFormerHolderStops() {
            submittingBatch(0);
            assertThat(batches.acquireExpansionLease(batchId, INTAKE, CLOCK.instant().plusSeconds(60))).isTrue();
            CLOCK.advance(Duration.ofSeconds(61));
            Instant until = CLOCK.instant().plus(LEASE);
            assertThat(batches.acquireExpansionLease(batchId, "intake-2", until)).as("lapsed").isTrue();
            assertThat(batches.saveCheckpoint(batchId, INTAKE, 100, until)).as("the former holder").isFalse();
            assertThat(batches.markExpansionComplete(batchId, INTAKE, 100)).isFalse();

            batches.releaseExpansionLease(batchId, INTAKE); // not the holder: nothing happens
            assertThat(batches.acquireExpansionLease(batchId, INTAKE, until)).isFalse();
            batches.releaseExpansionLease(batchId, "intake-2");
            assertThat(batches.get(batchId).orElseThrow().expansionLease()).isNull();
            assertThat(batches.acquireExpansionLease(batchId, INTAKE, until)).as("released").isTrue();
        }

        @Test
        void markExpansionCompleteByTheHolderSetsTheCheckpointAndEndsTheLeaseForGood() {
            submittingBatch(0);
            Instant until = CLOCK.instant().plus(LEASE);
            batches.acquireExpansionLease(batchId, INTAKE, until);
            batches.saveCheckpoint(batchId, INTAKE, 500, until);

            assertThat(batches.markExpansionComplete(batchId, INTAKE, 500)).isTrue();

            BatchRecord batch = batches.get(batchId).orElseThrow();
            assertThat(batch.expandedRuns()).isEqualTo(500);
            assertThat(batch.expansionComplete()).isTrue();
            assertThat(batch.expansionLease()).isNull();
            assertThat(batch.status()).isEqualTo(BatchStatus.SUBMITTING);
            assertThat(batch.unannouncedStatuses()).doesNotContain(BatchStatus.INPROGRESS);
            assertThat(batches.acquireExpansionLease(batchId, "intake-2", until)).as("nothing left to expand").isFalse();
        }

        @Test
        void theRecordsMarkOnlyGrowsAndOnlyTheLeaseHolderMovesIt() {
            submittingBatch(0);
            Instant until = CLOCK.instant().plus(LEASE);
            assertThat(batches.markRecordsWriting(batchId, INTAKE, 500)).as("no lease yet").isFalse();
            batches.acquireExpansionLease(batchId, INTAKE, until);

            assertThat(batches.markRecordsWriting(batchId, INTAKE, 500)).isTrue();
            assertThat(batches.markRecordsWriting(batchId, INTAKE, 500)).as("a repeated chunk").isTrue();
            assertThat(batches.markRecordsWriting(batchId, INTAKE, 200)).as("behind the mark").isTrue();
            assertThat(batches.markRecordsWriting(batchId, "intake-2", 900)).isFalse();

            assertThat(batches.get(batchId).orElseThrow().recordsWrittenUpTo()).isEqualTo(500);
        }

        @Test
        void createFreshWritesPendingRecordsWithoutACondition() {
            submittingBatch(0);
            RunRecord fresh = pendingRun(batchId, "r0", START);

            runs.createFresh(List.of(fresh, pendingRun(batchId, "r1", START)));

            assertThat(runs.get(batchId, "r0")).contains(fresh);
            assertThat(runs.get(batchId, "r1")).isPresent();
        }

        @Test
        void aLeaseIsOnlyForASubmittingBatch() {
            batches.createIfAbsent(initialRecord(batchId, "cohort"));
            assertThat(batches.acquireExpansionLease(batchId, INTAKE, CLOCK.instant().plus(LEASE))).isFalse();
            batches.markFailed(batchId, List.of(BatchStatus.CREATING), "ValidationFailed", "bad", List.of(), 0);
            assertThat(batches.acquireExpansionLease(batchId, INTAKE, CLOCK.instant().plus(LEASE))).isFalse();
        }

        @Test
        void anIntakeResumeIsCountedOnlyIfTheBatchHasNotMovedSinceItWasRead() {
            batches.createIfAbsent(initialRecord(batchId, "cohort"));
            BatchRecord observed = batches.get(batchId).orElseThrow();
            CLOCK.advance(Duration.ofMinutes(1));

            assertThat(batches.recordIntakeResume(observed)).isTrue();
            assertThat(batches.recordIntakeResume(observed)).as("updatedTime moved").isFalse();
            BatchRecord resumed = batches.get(batchId).orElseThrow();
            assertThat(resumed.intakeResumes()).isEqualTo(1);
            assertThat(resumed.updatedTime()).isEqualTo(CLOCK.instant());
            batches.markPending(batchId, 1, null);
            assertThat(batches.recordIntakeResume(resumed)).as("status moved").isFalse();
        }

        @Test
        void anUnknownBatchIsNeitherMovedNorCreated() {
            assertThat(batches.get(batchId)).isEmpty();
            assertThat(batches.markPending(batchId, 1, null)).isFalse();
            assertThat(batches.markSubmitting(batchId)).isFalse();
            assertThat(batches.markFailed(batchId, List.of(BatchStatus.CREATING), "Reason", "message", List.of(), 0)).isFalse();
            assertThat(batches.markInProgressIfAllSubmitted(batchId)).isFalse();
            assertThat(batches.markProcessed(batchId)).isFalse();
            assertThat(batches.acquireExpansionLease(batchId, INTAKE, CLOCK.instant().plus(LEASE))).isFalse();
            assertThat(batches.saveCheckpoint(batchId, INTAKE, 10, CLOCK.instant().plus(LEASE))).isFalse();
            assertThat(batches.markExpansionComplete(batchId, INTAKE, 10)).isFalse();
            batches.releaseExpansionLease(batchId, INTAKE);
            batches.markAnnounced(batchId, BatchStatus.CREATING);
            assertThat(batches.get(batchId)).isEmpty();
        }

        @Test
        void inProgressOnlyOnceTheExpansionIsCompleteAndNoSubmissionIsPending() {
            submittingBatch(2);
            assertThat(batches.markInProgressIfAllSubmitted(batchId)).isFalse();
            runs.recordSubmitted(batchId, "r0", started("r0", RunStatus.PENDING));
            runs.recordSubmissionFailed(batchId, "r1", "ValidationException", "bad parameter");
            assertThat(batches.markInProgressIfAllSubmitted(batchId)).isFalse();
            completeExpansion(2);

            assertThat(batches.markInProgressIfAllSubmitted(batchId)).isTrue();
            assertThat(batches.markInProgressIfAllSubmitted(batchId)).isFalse();

            BatchRecord batch = batches.get(batchId).orElseThrow();
            assertThat(batch.status()).isEqualTo(BatchStatus.INPROGRESS);
            assertThat(batch.unannouncedStatuses()).contains(BatchStatus.INPROGRESS);
        }

        @Test
        void processedOnlyFromInProgressWithEveryRunSettled() {
            submittingBatch(1);
            runs.recordSubmitted(batchId, "r0", started("r0", RunStatus.PENDING));
            completeExpansion(1);
            assertThat(batches.markProcessed(batchId)).isFalse(); // still SUBMITTING
            batches.markInProgressIfAllSubmitted(batchId);
            assertThat(batches.markProcessed(batchId)).isFalse(); // a PENDING run
            runs.applyChange(runs.get(batchId, "r0").orElseThrow(), change("r0", RunStatus.COMPLETED));
            CLOCK.advance(Duration.ofHours(2));

            assertThat(batches.markProcessed(batchId)).isTrue();
            assertThat(batches.markProcessed(batchId)).isFalse();

            BatchRecord batch = batches.get(batchId).orElseThrow();
            assertThat(batch.status()).isEqualTo(BatchStatus.PROCESSED);
            assertThat(batch.processedTime()).isEqualTo(START.plus(Duration.ofHours(2)));
            assertThat(batch.unannouncedStatuses()).contains(BatchStatus.PROCESSED);
        }

        @Test
        void markAnnouncedClearsOneStatusAndUnfinishedBatchesAreTheOpenOrUnannouncedOnes() {
            String open = batchId + "-open";
            String failedAndAnnounced = batchId + "-announced";
            String failedUnannounced = batchId + "-unannounced";
            for (String id : List.of(open, failedAndAnnounced, failedUnannounced)) {
                batches.createIfAbsent(initialRecord(id, id));
            }
            batches.markPending(open, 1, null);
            batches.markAnnounced(open, BatchStatus.CREATING);
            batches.markAnnounced(open, BatchStatus.PENDING);
            batches.markAnnounced(open, BatchStatus.SUBMITTING); // not pending: changes nothing
            for (String id : List.of(failedAndAnnounced, failedUnannounced)) {
                batches.markFailed(id, List.of(BatchStatus.CREATING), "ValidationFailed", "invalid", List.of(), 1);
                batches.markAnnounced(id, BatchStatus.CREATING);
            }
            batches.markAnnounced(failedAndAnnounced, BatchStatus.FAILED);

            assertThat(batches.get(open).orElseThrow().unannouncedStatuses()).isEmpty();
            assertThat(batches.get(failedUnannounced).orElseThrow().unannouncedStatuses()).containsExactly(BatchStatus.FAILED);
            assertThat(batches.listUnfinished().stream().map(BatchRecord::batchId).filter(id -> id.startsWith(batchId + "-")))
                    .containsExactlyInAnyOrder(open, failedUnannounced);
        }

        @Test
        void listPagesNewestFirstFilteredByNameAndStatusFromWhereThePreviousPageStopped() {
            String name = batchId + "-listed";
            List<String> created = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                CLOCK.set(START.plus(Duration.ofDays(400)).plusSeconds(i).plusNanos(i * 1000L + 1));
                String id = batchId + "-l" + i;
                batches.createIfAbsent(initialRecord(id, name));
                created.add(id);
            }
            CLOCK.set(START.plus(Duration.ofDays(400)).plusSeconds(3).plusNanos(3001)); // l3's time: the id decides
            batches.createIfAbsent(initialRecord(batchId + "-l3b", name));
            batches.createIfAbsent(initialRecord(batchId + "-unlisted", name + "-other"));
            for (int i : List.of(1, 4, 5)) {
                batches.markPending(created.get(i), 1, null);
            }
            List<String> newestFirst = new ArrayList<>(List.of(created.get(6), created.get(5), created.get(4),
                    batchId + "-l3b", created.get(3), created.get(2), created.get(1), created.get(0)));

            assertThat(listed(null, name, 2)).containsExactlyElementsOf(newestFirst);
            assertThat(listed(BatchStatus.PENDING, name, 3)).containsExactly(created.get(5), created.get(4), created.get(1));
            assertThat(listed(BatchStatus.CREATING, name, 100))
                    .containsExactly(created.get(6), batchId + "-l3b", created.get(3), created.get(2), created.get(0));
            BatchRecord first = batches.list(new BatchStore.BatchQuery(null, name, 100, null)).batches().get(0);
            assertThat(first).isEqualTo(batches.get(created.get(6)).orElseThrow()); // the whole record
            assertThatThrownBy(() -> batches.list(new BatchStore.BatchQuery(null, name, 2, "not-a-token!")))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> batches.list(new BatchStore.BatchQuery(null, name, 2, "bm90IGEga2V5")))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        /** Every batch a listing gives, following its tokens; each page at most maxResults. */
        private List<String> listed(BatchStatus status, String name, int maxResults) {
            List<String> ids = new ArrayList<>();
            String token = null;
            int pages = 0;
            do {
                BatchStore.BatchPage page = batches.list(new BatchStore.BatchQuery(status, name, maxResults, token));
                assertThat(page.batches()).hasSizeLessThanOrEqualTo(maxResults)
                        .allSatisfy(b -> assertThat(b.batchName()).isEqualTo(name));
                page.batches().forEach(b -> ids.add(b.batchId()));
                token = page.nextToken();
                assertThat(++pages).as("pages").isLessThan(5_000);
            } while (token != null);
            return ids;
        }

        // ---- the runs table ----

        @Test
        void createPendingWritesThePendingRecordAsGiven() {
            RunRecord pending = pendingRun(batchId, "r0", START);
            RunRecord neverQueued = new RunRecord(batchId, "r1", "ob-r1", null, null, "111122223333",
                    SubmissionStatus.PENDING, null, null, 0, null, null, null, null, null, null, null, null, null,
                    START, null, null, START.plusSeconds(30));

            assertThat(runs.createPending(List.of(pending, neverQueued))).isEmpty();

            assertThat(runs.get(batchId, "r0")).contains(pending);
            RunRecord stored = runs.get(batchId, "r1").orElseThrow();
            assertThat(stored.queuedAt()).isEqualTo(START);
            assertThat(stored.updatedAt()).isEqualTo(START);
            assertThat(stored.outputBucketOwnerId()).isEqualTo("111122223333");
        }

        @Test
        void createPendingNeverOverwritesARunAndReportsTheDecidedOnes() {
            submittingBatch(3);
            runs.recordSubmitted(batchId, "r0", started("r0", RunStatus.PENDING));
            runs.recordSubmissionFailed(batchId, "r1", "ValidationException", "bad parameter");
            runs.recordAttempt(batchId, "r2", "ThrottlingException");
            RunRecord r0 = runs.get(batchId, "r0").orElseThrow();
            RunRecord r2 = runs.get(batchId, "r2").orElseThrow();
            Map<String, Long> countsBefore = batches.get(batchId).orElseThrow().counts();
            CLOCK.advance(Duration.ofMinutes(1));

            Set<String> decided = runs.createPending(List.of(pendingRun(batchId, "r0", CLOCK.instant()),
                    pendingRun(batchId, "r1", CLOCK.instant()), pendingRun(batchId, "r2", CLOCK.instant()),
                    pendingRun(batchId, "r3", CLOCK.instant())));

            assertThat(decided).containsExactlyInAnyOrder("r0", "r1");
            assertThat(runs.get(batchId, "r0")).contains(r0);
            assertThat(runs.get(batchId, "r1").orElseThrow().submissionStatus()).isEqualTo(SubmissionStatus.FAILED);
            assertThat(runs.get(batchId, "r2")).as("a pending run keeps its attempts").contains(r2);
            assertThat(runs.get(batchId, "r3").orElseThrow().submissionStatus()).isEqualTo(SubmissionStatus.PENDING);
            assertThat(runs.findByUuid(uuid("r0"))).isPresent();
            assertThat(batches.get(batchId).orElseThrow().counts()).isEqualTo(countsBefore);
        }

        @Test
        void recordSubmittedDecidesAPendingSubmissionOnceWithItsCounters() {
            submittingBatch(2);
            CLOCK.advance(Duration.ofSeconds(1));

            assertThat(runs.recordSubmitted(batchId, "r0", started("r0", RunStatus.PENDING))).isTrue();
            assertThat(runs.recordSubmitted(batchId, "r0", started("other", RunStatus.RUNNING))).isFalse();
            assertThat(runs.recordSubmissionFailed(batchId, "r0", "ValidationException", "late")).isFalse();

            RunRecord run = runs.get(batchId, "r0").orElseThrow();
            assertThat(run.submissionStatus()).isEqualTo(SubmissionStatus.SUCCESS);
            assertThat(run.runId()).isEqualTo("run-r0");
            assertThat(run.arn()).isEqualTo("arn:run/run-r0");
            assertThat(run.uuid()).isEqualTo(uuid("r0"));
            assertThat(run.status()).isEqualTo(RunStatus.PENDING);
            assertThat(run.runOutputUri()).isEqualTo("s3://lab-results/run-r0");
            assertThat(run.submittedAt()).isEqualTo(START.plusSeconds(1));
            assertThat(run.updatedAt()).isEqualTo(START.plusSeconds(1));
            assertThat(run.submissionFailureReason()).isNull();
            assertThat(batches.get(batchId).orElseThrow().counts()).isEqualTo(counts(
                    "successfulStartSubmissionCount", 1, "pendingStartSubmissionCount", 1, "pendingRunCount", 1));
        }

        @Test
        void aStartedRunWithoutStatusIsCountedPendingAndOneWithAStatusInIt() {
            submittingBatch(2);

            runs.recordSubmitted(batchId, "r0", new StartedRun("run-r0", "arn:run/run-r0", null, null, null));
            runs.recordSubmitted(batchId, "r1", started("r1", RunStatus.STARTING));

            RunRecord bare = runs.get(batchId, "r0").orElseThrow();
            assertThat(bare.status()).isEqualTo(RunStatus.PENDING);
            assertThat(bare.uuid()).isNull();
            assertThat(bare.runOutputUri()).isNull();
            assertThat(batches.get(batchId).orElseThrow().counts()).isEqualTo(counts(
                    "successfulStartSubmissionCount", 2, "pendingRunCount", 1, "startingRunCount", 1));
        }

        @Test
        void recordSubmissionFailedKeepsTheReasonAndMessageOnceAndCountsIt() {
            submittingBatch(2);

            assertThat(runs.recordSubmissionFailed(batchId, "r0", "AccessDeniedException", "")).isTrue();
            assertThat(runs.recordSubmissionFailed(batchId, "r1", "ValidationException", "bad parameter")).isTrue();
            assertThat(runs.recordSubmissionFailed(batchId, "r1", "Other", "again")).isFalse();
            assertThat(runs.recordSubmitted(batchId, "r1", started("r1", RunStatus.PENDING))).isFalse();

            assertThat(runs.get(batchId, "r0").orElseThrow().submissionFailureMessage()).isEqualTo("AccessDeniedException");
            RunRecord failed = runs.get(batchId, "r1").orElseThrow();
            assertThat(failed.submissionStatus()).isEqualTo(SubmissionStatus.FAILED);
            assertThat(failed.submissionFailureReason()).isEqualTo("ValidationException");
            assertThat(failed.submissionFailureMessage()).isEqualTo("bad parameter");
            assertThat(failed.runId()).isNull();
            assertThat(batches.get(batchId).orElseThrow().counts()).isEqualTo(counts("failedStartSubmissionCount", 2));
        }

        @Test
        void aRunWithoutRecordIsNeverDecidedAndItsPlainUpdatesThrow() {
            submittingBatch(1);
            RunRecord ghost = pendingRun(batchId, "ghost", START);

            assertThat(runs.recordSubmitted(batchId, "ghost", started("ghost", RunStatus.PENDING))).isFalse();
            assertThat(runs.recordSubmissionFailed(batchId, "ghost", "ValidationException", "m")).isFalse();
            assertThat(runs.applyChange(ghost, change("ghost", RunStatus.RUNNING))).isFalse();
            assertThatThrownBy(() -> runs.recordAttempt(batchId, "ghost", "ThrottlingException"))
                    .isInstanceOf(RuntimeException.class);
            assertThatThrownBy(() -> runs.recordRequeued(batchId, "ghost")).isInstanceOf(RuntimeException.class);
            assertThatThrownBy(() -> runs.recordChecked(batchId, "ghost")).isInstanceOf(RuntimeException.class);

            assertThat(runs.get(batchId, "ghost")).isEmpty();
            assertThat(batches.get(batchId).orElseThrow().counts()).isEqualTo(counts("pendingStartSubmissionCount", 1));
        }

        @Test
        void anOutcomeForARunWhoseBatchHasNoRecordThrowsAndChangesNothing() {
            RunRecord pending = pendingRun(batchId, "r0", START);
            runs.createPending(List.of(pending));

            assertThatThrownBy(() -> runs.recordSubmitted(batchId, "r0", started("r0", RunStatus.PENDING)))
                    .isInstanceOf(RuntimeException.class);
            assertThatThrownBy(() -> runs.recordSubmissionFailed(batchId, "r0", "ValidationException", "m"))
                    .isInstanceOf(RuntimeException.class);
            assertThatThrownBy(() -> runs.applyChange(pending, change("r0", RunStatus.RUNNING)))
                    .isInstanceOf(RuntimeException.class);
            // The run's own condition is checked first: a stale observation is just "changed since".
            RunRecord stale = new RunRecord(batchId, "r0", pending.requestId(), null, null, null, SubmissionStatus.SUCCESS,
                    null, null, 0, "run-r0", null, null, RunStatus.RUNNING, null, null, null, null, null, START, null, null, null);
            assertThat(runs.applyChange(stale, change("r0", RunStatus.COMPLETED))).isFalse();

            assertThat(runs.get(batchId, "r0")).contains(pending);
            assertThat(batches.get(batchId)).isEmpty();
        }

        @Test
        void recordAttemptCountsEveryRetryableErrorWhateverTheSubmissionStatus() {
            submittingBatch(1);
            CLOCK.advance(Duration.ofSeconds(2));

            assertThat(runs.recordAttempt(batchId, "r0", "ThrottlingException")).isEqualTo(1);
            assertThat(runs.recordAttempt(batchId, "r0", "InternalServerException")).isEqualTo(2);
            runs.recordSubmitted(batchId, "r0", started("r0", RunStatus.PENDING));
            CLOCK.advance(Duration.ofSeconds(2));
            assertThat(runs.recordAttempt(batchId, "r0", "RequestTimeoutException")).isEqualTo(3);

            RunRecord run = runs.get(batchId, "r0").orElseThrow();
            assertThat(run.attempts()).isEqualTo(3);
            assertThat(run.submissionStatus()).isEqualTo(SubmissionStatus.SUCCESS);
            assertThat(run.updatedAt()).isEqualTo(START.plusSeconds(4));
        }

        @Test
        void recordRequeuedMovesOnlyQueuedAt() {
            submittingBatch(1);
            CLOCK.advance(Duration.ofDays(2));

            runs.recordRequeued(batchId, "r0");

            RunRecord run = runs.get(batchId, "r0").orElseThrow();
            assertThat(run.queuedAt()).isEqualTo(START.plus(Duration.ofDays(2)));
            assertThat(run.updatedAt()).isEqualTo(START);
            assertThat(run.submissionStatus()).isEqualTo(SubmissionStatus.PENDING);
        }

        @Test
        void findByUuidFindsASubmittedRun() {
            submittingBatch(1);
            assertThat(runs.findByUuid(uuid("r0"))).isEmpty();

            runs.recordSubmitted(batchId, "r0", started("r0", RunStatus.PENDING));

            assertThat(runs.findByUuid(uuid("r0"))).isEqualTo(runs.get(batchId, "r0"));
            assertThat(runs.findByUuid(uuid("unknown"))).isEmpty();
        }

        @Test
        void applyChangeMovesTheRunAndItsCountersOnlyFromTheObservedState() {
            submittingBatch(1);
            runs.recordSubmitted(batchId, "r0", started("r0", RunStatus.PENDING));
            RunRecord pending = runs.get(batchId, "r0").orElseThrow();
            CLOCK.advance(Duration.ofMinutes(3));

            assertThat(runs.applyChange(pending, new RunChange(RunStatus.RUNNING, null, null, null, null, null, null,
                    START.plusSeconds(90), null))).isTrue();
            assertThat(runs.applyChange(pending, change("r0", RunStatus.COMPLETED))).isFalse(); // stale observation

            RunRecord running = runs.get(batchId, "r0").orElseThrow();
            assertThat(running.status()).isEqualTo(RunStatus.RUNNING);
            assertThat(running.runId()).isEqualTo("run-r0"); // kept: the change did not name it
            assertThat(running.runOutputUri()).isEqualTo("s3://lab-results/run-r0");
            assertThat(running.startTime()).isEqualTo(START.plusSeconds(90));
            assertThat(running.updatedAt()).isEqualTo(START.plus(Duration.ofMinutes(3)));
            assertThat(running.submittedAt()).isEqualTo(START);
            assertThat(batches.get(batchId).orElseThrow().counts())
                    .isEqualTo(counts("successfulStartSubmissionCount", 1, "runningRunCount", 1));

            assertThat(runs.applyChange(running, new RunChange(RunStatus.FAILED, "run-r0", uuid("r0"), "arn:run/run-r0",
                    "s3://lab-results/run-r0/out", "OUT_OF_MEMORY", "task ran out of memory", null,
                    START.plus(Duration.ofMinutes(2))))).isTrue();

            RunRecord failed = runs.get(batchId, "r0").orElseThrow();
            assertThat(failed.failureReason()).isEqualTo("OUT_OF_MEMORY");
            assertThat(failed.statusMessage()).isEqualTo("task ran out of memory");
            assertThat(failed.runOutputUri()).isEqualTo("s3://lab-results/run-r0/out");
            assertThat(failed.startTime()).isEqualTo(START.plusSeconds(90));
            assertThat(failed.stopTime()).isEqualTo(START.plus(Duration.ofMinutes(2)));
            assertThat(batches.get(batchId).orElseThrow().counts())
                    .isEqualTo(counts("successfulStartSubmissionCount", 1, "failedRunCount", 1));
        }

        @Test
        void applyChangeToTheSameStatusMovesNoCounter() {
            submittingBatch(1);
            runs.recordSubmitted(batchId, "r0", started("r0", RunStatus.RUNNING));

            assertThat(runs.applyChange(runs.get(batchId, "r0").orElseThrow(), change("r0", RunStatus.RUNNING))).isTrue();

            assertThat(batches.get(batchId).orElseThrow().counts())
                    .isEqualTo(counts("successfulStartSubmissionCount", 1, "runningRunCount", 1));
        }

        @Test
        void applyChangeAdoptsAPendingSubmissionAsSuccessful() {
            submittingBatch(2);
            RunRecord pending = runs.get(batchId, "r0").orElseThrow();
            CLOCK.advance(Duration.ofSeconds(7));

            assertThat(runs.applyChange(pending, change("r0", RunStatus.STARTING))).isTrue();
            assertThat(runs.recordSubmitted(batchId, "r0", started("r0", RunStatus.PENDING))).isFalse();

            RunRecord adopted = runs.get(batchId, "r0").orElseThrow();
            assertThat(adopted.submissionStatus()).isEqualTo(SubmissionStatus.SUCCESS);
            assertThat(adopted.submittedAt()).isEqualTo(START.plusSeconds(7));
            assertThat(adopted.uuid()).isEqualTo(uuid("r0"));
            assertThat(batches.get(batchId).orElseThrow().counts()).isEqualTo(counts("successfulStartSubmissionCount", 1,
                    "pendingStartSubmissionCount", 1, "startingRunCount", 1));
        }

        @Test
        void applyChangeAdoptsAFailedSubmissionWhoseRunExistsKeepingItsFailureReason() {
            submittingBatch(1);
            runs.recordSubmissionFailed(batchId, "r0", "RequestTimeoutException", "timed out");

            assertThat(runs.applyChange(runs.get(batchId, "r0").orElseThrow(), change("r0", RunStatus.RUNNING))).isTrue();

            RunRecord adopted = runs.get(batchId, "r0").orElseThrow();
            assertThat(adopted.submissionStatus()).isEqualTo(SubmissionStatus.SUCCESS);
            assertThat(adopted.submissionFailureReason()).isEqualTo("RequestTimeoutException");
            assertThat(batches.get(batchId).orElseThrow().counts())
                    .isEqualTo(counts("successfulStartSubmissionCount", 1, "runningRunCount", 1));
        }

        @Test
        void forEachRunGoesInRunSettingIdOrderAsDynamoDbSortsIt() {
            List<String> ids = List.of("b", "a-9", "\uD83E\uDDEC-dna", "A", "a-10", "\uFF5Ewave", "a");
            List<RunRecord> pending = new ArrayList<>();
            ids.forEach(id -> pending.add(pendingRun(batchId, id, START)));
            runs.createPending(pending);

            List<String> order = new ArrayList<>();
            runs.forEachRun(batchId, run -> order.add(run.runSettingId()));

            // UTF-8 byte order: U+FF5E before the supplementary U+1F9EC, unlike Java's UTF-16 order.
            assertThat(order).containsExactly("A", "a", "a-10", "a-9", "b", "\uFF5Ewave", "\uD83E\uDDEC-dna");
        }

        @Test
        void unsettledRunsAreOpenRunsWithoutNewsSinceTheCutoff() {
            submittingBatch(0);
            runs.createPending(List.of(pendingRun(batchId, "completed", START), pendingRun(batchId, "failed", START),
                    pendingRun(batchId, "pending", START), pendingRun(batchId, "running", START),
                    pendingRun(batchId, "submitted", START), pendingRun(batchId, "stopping", START)));
            runs.recordSubmitted(batchId, "completed", started("completed", RunStatus.PENDING));
            runs.applyChange(runs.get(batchId, "completed").orElseThrow(), change("completed", RunStatus.COMPLETED));
            runs.recordSubmissionFailed(batchId, "failed", "ValidationException", "bad");
            runs.recordSubmitted(batchId, "running", started("running", RunStatus.RUNNING));
            runs.recordSubmitted(batchId, "submitted", started("submitted", RunStatus.PENDING));
            runs.recordSubmitted(batchId, "stopping", started("stopping", RunStatus.STOPPING));
            CLOCK.advance(Duration.ofMinutes(10));
            runs.recordChecked(batchId, "running");

            assertThat(ids(runs.unsettledRuns(batchId, START))).isEmpty(); // news exactly at the cutoff is recent
            assertThat(ids(runs.unsettledRuns(batchId, START.plusSeconds(1))))
                    .containsExactly("pending", "stopping", "submitted");
            assertThat(ids(runs.unsettledRuns(batchId, CLOCK.instant().plusSeconds(1))))
                    .containsExactly("pending", "running", "stopping", "submitted");
        }

        private static List<String> ids(List<RunRecord> records) {
            return records.stream().map(RunRecord::runSettingId).toList();
        }

        /** A SUBMITTING batch with runs r0.. written pending. */
        private void completeExpansion(int runCount) {
            batches.acquireExpansionLease(batchId, INTAKE, CLOCK.instant().plus(LEASE));
            batches.markExpansionComplete(batchId, INTAKE, runCount);
        }

        private void submittingBatch(int runCount) {
            batches.createIfAbsent(initialRecord(batchId, "cohort"));
            batches.markPending(batchId, runCount, null);
            batches.markSubmitting(batchId);
            List<RunRecord> pending = new ArrayList<>();
            for (int i = 0; i < runCount; i++) {
                pending.add(pendingRun(batchId, "r" + i, CLOCK.instant()));
            }
            if (!pending.isEmpty()) {
                runs.createPending(pending);
            }
        }

        private String uuid(String runSettingId) {
            return "uuid-" + batchId + "-" + runSettingId;
        }

        private StartedRun started(String runSettingId, RunStatus status) {
            return new StartedRun("run-" + runSettingId, "arn:run/run-" + runSettingId, uuid(runSettingId), status,
                    "s3://lab-results/run-" + runSettingId);
        }

        /** A change that tells the status and the run's uuid, nothing else. */
        private RunChange change(String runSettingId, RunStatus status) {
            return new RunChange(status, null, uuid(runSettingId), null, null, null, null, null, null);
        }
    }
}
