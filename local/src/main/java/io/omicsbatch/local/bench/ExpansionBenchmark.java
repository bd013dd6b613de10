package io.omicsbatch.local.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import io.omicsbatch.intake.BatchPreflight;
import io.omicsbatch.intake.IntakeService;
import io.omicsbatch.batch.WorkflowCatalog;
import io.omicsbatch.batch.RunMessage;
import io.omicsbatch.batch.RunQueue;
import io.omicsbatch.batch.RunRecord;
import io.omicsbatch.batch.RunStore;
import io.omicsbatch.batch.S3ObjectRef;
import io.omicsbatch.batch.StartedRun;
import io.omicsbatch.functions.aws.DynamoBatchStore;
import io.omicsbatch.functions.aws.DynamoRunStore;
import io.omicsbatch.functions.aws.S3ObjectStore;
import io.omicsbatch.functions.aws.SqsRunQueue;
import io.omicsbatch.local.standins.LocalStandIns;
import io.omicsbatch.resources.ResourceDefinitions;
import io.omicsbatch.settings.S3Location;
import io.omicsbatch.settings.SettingsJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Expansion of N runs (default 100,000) from a runs file into the run queue (ElasticMQ) and the runs table
 * (DynamoDB Local), against the raw floor: the same messages sent by a bare SendMessageBatch loop with the
 * same parallelism to the same queue, in the same JVM and run.
 *
 * <p>usage: java -cp local/target/omics-batch-local.jar io.omicsbatch.local.bench.ExpansionBenchmark [runs] [repeats]
 */
public final class ExpansionBenchmark {

    private static final int SEND_PARALLELISM = 4;
    private static final String DOCUMENT = "{\"batchName\":\"bench\",\"defaultRunSetting\":{\"workflowId\":\"1234567\","
            + "\"roleArn\":\"arn:aws:iam::123456789012:role/OmicsWorkflowServiceRole\",\"outputUri\":\"s3://bench-results/out/\","
            + "\"parameters\":{\"ref_fasta\":\"s3://bench-inputs/GRCh38.fasta\"}},"
            + "\"batchRunSettings\":{\"s3UriSettings\":\"s3://bench-inputs/runs.json\"}}";

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        try (LocalStandIns aws = LocalStandIns.start()) {
            byte[] runsFile = runsFile(runs);
            aws.s3Client().createBucket(b -> b.bucket("bench-inputs"));
            aws.s3Client().putObject(b -> b.bucket("bench-inputs").key("runs.json"), RequestBody.fromBytes(runsFile));
            System.out.printf(Locale.ROOT, "runs=%d runs-file=%.1f MB parallelism=%d repeats=%d%n", runs, runsFile.length / 1048576.0,
                    SEND_PARALLELISM, repeats);
            List<Double> ratios = new ArrayList<>();
            List<Double> conditionalRatios = new ArrayList<>();
            for (int r = 1; r <= repeats; r++) {
                Measured expansion = expand(aws, runs, "fresh-" + r, false);
                purge(aws);
                Measured conditional = expand(aws, runs, "conditional-" + r, true);
                purge(aws);
                Measured floor = rawFloor(aws, messageBodies(runs));
                purge(aws);
                ratios.add(expansion.seconds / floor.seconds);
                conditionalRatios.add(conditional.seconds / floor.seconds);
                for (Measured m : List.of(expansion, conditional)) {
                    System.out.printf(Locale.ROOT, "repeat %d: %s %.1f s (%.0f runs/s; time in DynamoDB writes %.1f s and in "
                                    + "SQS sends %.1f s, overlapping), peak heap %s | ratio to floor %.2f%n", r, m.label,
                            m.seconds, runs / m.seconds, m.dynamoSeconds, m.sqsSeconds, HeapMeter.mb(m.peakHeap),
                            m.seconds / floor.seconds);
                }
                System.out.printf(Locale.ROOT, "repeat %d: raw SendMessageBatch floor %.1f s (%.0f msgs/s), peak heap %s%n",
                        r, floor.seconds, runs / floor.seconds, HeapMeter.mb(floor.peakHeap));
            }
            System.out.printf(Locale.ROOT, "median ratio expansion/floor: %.2f (every chunk conditional: %.2f)%n",
                    median(ratios), median(conditionalRatios));
        }
    }

    private static double median(List<Double> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }

    private record Measured(String label, double seconds, double dynamoSeconds, double sqsSeconds, long peakHeap) {}

    /**
     * One expansion of a new batch. {@code everyChunkConditional}: every chunk's records are written with conditional
     * TransactWriteItems, as a resumed expansion writes the chunks an earlier attempt may have begun; otherwise as a
     * first expansion writes them (unconditional BatchWriteItem past the mark, which is all of them).
     */
    private static Measured expand(LocalStandIns aws, int runs, String name, boolean everyChunkConditional)
            throws IOException {
        Clock clock = Clock.systemUTC();
        var dynamo = aws.dynamoDbClient();
        SqsClient sqs = aws.sqsClient();
        String runQueueUrl = aws.queueUrl(ResourceDefinitions.RUN_QUEUE.name());
        AtomicLong dynamoNanos = new AtomicLong();
        AtomicLong sqsNanos = new AtomicLong();
        DynamoRunStore runStore = new DynamoRunStore(dynamo, ResourceDefinitions.RUNS_TABLE.name(), ResourceDefinitions.BATCHES_TABLE.name(), clock);
        RunStore timedRuns = new RunStore() {
            public void createFresh(List<RunRecord> records) {
                long start = System.nanoTime();
                try {
                    if (everyChunkConditional) {
                        runStore.createPending(records);
                    } else {
                        runStore.createFresh(records);
                    }
                } finally {
                    dynamoNanos.addAndGet(System.nanoTime() - start);
                }
            }
            public java.util.Set<String> createPending(List<RunRecord> records) {
                long start = System.nanoTime();
                try {
                    return runStore.createPending(records);
                } finally {
                    dynamoNanos.addAndGet(System.nanoTime() - start);
                }
            }
            public Optional<RunRecord> get(String b, String r) { return runStore.get(b, r); }
            public boolean recordSubmitted(String b, String r, StartedRun run) { return runStore.recordSubmitted(b, r, run); }
            public boolean recordSubmissionFailed(String b, String r, String reason, String m) { return runStore.recordSubmissionFailed(b, r, reason, m); }
            public int recordAttempt(String b, String r, String e) { return runStore.recordAttempt(b, r, e); }
            public void recordRequeued(String b, String r) { runStore.recordRequeued(b, r); }
            public Optional<RunRecord> findByUuid(String uuid) { return runStore.findByUuid(uuid); }
            public boolean applyChange(RunRecord observed, io.omicsbatch.batch.RunChange change) {
                return runStore.applyChange(observed, change);
            }
            public void forEachRun(String b, java.util.function.Consumer<RunRecord> action) { runStore.forEachRun(b, action); }
            public List<RunRecord> unsettledRuns(String b, java.time.Instant before) { return runStore.unsettledRuns(b, before); }
            public void recordChecked(String b, String r) { runStore.recordChecked(b, r); }
            public boolean claimSubmission(String b, String r) { return runStore.claimSubmission(b, r); }
            public boolean recordCancelOutcome(String b, String r, boolean ok, String e) { return runStore.recordCancelOutcome(b, r, ok, e); }
            public boolean recordDeleteOutcome(String b, String r, boolean ok, String e) { return runStore.recordDeleteOutcome(b, r, ok, e); }
            public long deleteAll(String b) { return runStore.deleteAll(b); }
        };
        try (SqsRunQueue queue = new SqsRunQueue(sqs, runQueueUrl, SEND_PARALLELISM)) {
            RunQueue timedQueue = new RunQueue() {
                public void send(List<RunMessage> messages) {
                    long start = System.nanoTime();
                    queue.send(messages);
                    sqsNanos.addAndGet(System.nanoTime() - start);
                }
                public void sendDelayed(RunMessage message, Duration delay) { queue.sendDelayed(message, delay); }
            };
            IntakeService intake = new IntakeService(new DynamoBatchStore(dynamo, ResourceDefinitions.BATCHES_TABLE.name(), clock),
                    timedRuns, new S3ObjectStore(aws.s3Client()), timedQueue,
                    // Expansion alone is measured: no simulator, so no parameter template to check against.
                    (workflowId, owner) -> new WorkflowCatalog.Unchecked("expansion benchmark"),
                    new BatchPreflight(new BatchPreflight.Deployment("aws", "123456789012",
                            List.of("arn:aws:iam::123456789012:role/*"), List.of(new S3Location("bench-inputs", "")))),
                    IntakeService.Config.defaults(100), clock);
            var put = aws.s3Client().putObject(b -> b.bucket(aws.settingsBucket()).key("manual/bench-" + name + ".json"),
                    RequestBody.fromString(DOCUMENT));
            S3ObjectRef settings = new S3ObjectRef(aws.settingsBucket(), "manual/bench-" + name + ".json", put.versionId(),
                    put.eTag().replace("\"", ""));
            HeapMeter.reset();
            long start = System.nanoTime();
            IntakeService.Result result = intake.handle(settings, () -> true);
            double seconds = (System.nanoTime() - start) / 1e9;
            long peak = HeapMeter.peakBytes();
            if (result.outcome() != IntakeService.Outcome.EXPANDED) {
                throw new IllegalStateException("expansion ended " + result.outcome());
            }
            int queued = queued(aws);
            if (queued != runs) {
                throw new IllegalStateException("expected " + runs + " messages in the run queue, found " + queued);
            }
            return new Measured(everyChunkConditional ? "expansion, every chunk conditional" : "expansion", seconds,
                    dynamoNanos.get() / 1e9, sqsNanos.get() / 1e9, peak);
        }
    }

    /** The run messages the expansion sends, built outside any measurement: the floor's payload. */
    private static List<String> messageBodies(int runs) throws IOException {
        var settings = new io.omicsbatch.settings.BatchSettingsValidator().validateDocument(DOCUMENT).settings();
        var merger = new io.omicsbatch.settings.RunRequestMerger("0123456789abcdef0123", settings.defaultRunSetting());
        List<String> bodies = new ArrayList<>(runs);
        try (var reader = new io.omicsbatch.settings.RunSettingsReader(new java.io.ByteArrayInputStream(runsFile(runs)),
                new io.omicsbatch.settings.ValidationErrors())) {
            reader.forEachRemaining(entry -> {
                var request = merger.merge(SettingsJson.toRunSetting(entry.node()));
                bodies.add(new RunMessage("0123456789abcdef0123", request.runSettingId(), request.toStartRunBody()).toJson());
            });
        }
        return bodies;
    }

    /** The same messages, sent by a bare loop: SendMessageBatch of 10 on the same number of threads. */
    private static Measured rawFloor(LocalStandIns aws, List<String> bodies) {
        SqsClient sqs = aws.sqsClient();
        String url = aws.queueUrl(ResourceDefinitions.RUN_QUEUE.name());
        HeapMeter.reset();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        int perThread = (bodies.size() + SEND_PARALLELISM - 1) / SEND_PARALLELISM;
        for (int t = 0; t < SEND_PARALLELISM; t++) {
            List<String> slice = bodies.subList(Math.min(bodies.size(), t * perThread), Math.min(bodies.size(), (t + 1) * perThread));
            Thread thread = new Thread(() -> {
                for (int i = 0; i < slice.size(); i += 10) {
                    List<String> batch = slice.subList(i, Math.min(slice.size(), i + 10));
                    List<software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry> entries = new ArrayList<>();
                    for (int j = 0; j < batch.size(); j++) {
                        entries.add(software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry.builder()
                                .id(Integer.toString(j)).messageBody(batch.get(j)).build());
                    }
                    sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries));
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Measured("floor", seconds, 0, seconds, HeapMeter.peakBytes());
    }

    private static int queued(LocalStandIns aws) {
        return Integer.parseInt(aws.sqsClient().getQueueAttributes(b -> b.queueUrl(aws.queueUrl(ResourceDefinitions.RUN_QUEUE.name()))
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    private static void purge(LocalStandIns aws) {
        aws.sqsClient().purgeQueue(b -> b.queueUrl(aws.queueUrl(ResourceDefinitions.RUN_QUEUE.name())));
    }

    static byte[] runsFile(int runs) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(runs * 400);
        try (JsonGenerator json = SettingsJson.MAPPER.getFactory().createGenerator(out)) {
            json.writeStartArray();
            for (int i = 0; i < runs; i++) {
                String sample = String.format(Locale.ROOT, "S%07d", i);
                json.writeStartObject();
                json.writeStringField("runSettingId", sample);
                json.writeStringField("name", "wgs-" + sample);
                json.writeStringField("outputUri", "s3://bench-results/out/" + sample + "/");
                json.writeObjectFieldStart("parameters");
                json.writeStringField("sample_id", sample);
                json.writeStringField("fastq_r1", "s3://bench-inputs/fastq/" + sample + "_R1.fastq.gz");
                json.writeStringField("fastq_r2", "s3://bench-inputs/fastq/" + sample + "_R2.fastq.gz");
                json.writeEndObject();
                json.writeObjectFieldStart("runTags");
                json.writeStringField("sample", sample);
                json.writeEndObject();
                json.writeEndObject();
            }
            json.writeEndArray();
        }
        return out.toByteArray();
    }
}
