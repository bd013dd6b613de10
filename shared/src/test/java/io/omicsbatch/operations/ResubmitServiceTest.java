package io.omicsbatch.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.batch.BatchCompletion;
import io.omicsbatch.batch.BatchRecord;
import io.omicsbatch.batch.BatchStatus;
import io.omicsbatch.batch.ObjectStore;
import io.omicsbatch.batch.RunMessage;
import io.omicsbatch.batch.RunRecord;
import io.omicsbatch.batch.RunStatus;
import io.omicsbatch.batch.RunStatusEvent;
import io.omicsbatch.batch.S3ObjectRef;
import io.omicsbatch.batch.StatusService;
import io.omicsbatch.batch.SubmitService;
import io.omicsbatch.intake.BatchPreflight;
import io.omicsbatch.intake.IntakeService;
import io.omicsbatch.model.OmicsModel;
import io.omicsbatch.settings.BatchIdentity;
import io.omicsbatch.settings.S3Location;
import io.omicsbatch.settings.SettingsJson;
import io.omicsbatch.settings.TrackingTags;
import io.omicsbatch.testing.InMemoryBatchStore;
import io.omicsbatch.testing.InMemoryObjectStore;
import io.omicsbatch.testing.InMemoryOmics;
import io.omicsbatch.testing.InMemoryRunStore;
import io.omicsbatch.testing.InMemoryWorkflowCatalog;
import io.omicsbatch.testing.MutableClock;
import io.omicsbatch.testing.RecordingIntakeQueue;
import io.omicsbatch.testing.RecordingRunQueue;
import io.omicsbatch.testing.RecordingSleeper;
import io.omicsbatch.testing.ScriptedPacer;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Resubmit on the in-memory ports, end to end through the intake: the new batch's StartRun requests compared member by
 * member with the original's (equal but for requestId, the batch id tag and the lineage tag), a resubmit of a
 * resubmit, StartRun's tag limit with the lineage tag, and the original's runs file streamed, never read whole.
 */
class ResubmitServiceTest {

    private static final String BUCKET = "omics-batch-settings";
    private static final String DEFAULTS = """
            {"workflowId": "1234567", "workflowType": "PRIVATE",
             "roleArn": "arn:aws:iam::123456789012:role/OmicsWorkflowServiceRole",
             "name": "wgs", "cacheId": "555", "cacheBehavior": "CACHE_ON_FAILURE", "runGroupId": "777",
             "priority": 10, "parameters": {"ref_fasta": "s3://refs/GRCh38.fasta", "sample_id": "default"},
             "storageCapacity": 1200, "outputUri": "s3://lab-results/wgs/", "logLevel": "ERROR",
             "runTags": {"project": "cohort-7", "sample": "default"},
             "retentionMode": "REMOVE", "storageType": "STATIC", "workflowOwnerId": "210987654321",
             "outputBucketOwnerId": "123456789012", "workflowVersionName": "v2.1",
             "networkingMode": "VPC", "configurationName": "lab-vpc",
             "engineSettings": {"profile": "default"}, "scratchStorageMode": "SHARED"}
            """;
    private static final BatchPreflight PREFLIGHT = new BatchPreflight(new BatchPreflight.Deployment("aws", "123456789012",
            List.of("arn:aws:iam::123456789012:role/*"), List.of(new S3Location("lab-inputs", ""))));
    private static final Duration MAX_PACING_WAIT = Duration.ofSeconds(30);

    private final MutableClock clock = MutableClock.atStartOfDay();
    private final InMemoryBatchStore batches = new InMemoryBatchStore(clock);
    private final InMemoryRunStore runs = new InMemoryRunStore(batches, clock);
    private final InMemoryObjectStore objects = new InMemoryObjectStore();
    private final MeteredObjectStore metered = new MeteredObjectStore(objects);
    private final RecordingRunQueue runQueue = new RecordingRunQueue();
    private final RecordingIntakeQueue intakeQueue = new RecordingIntakeQueue();
    private final InMemoryOmics omics = new InMemoryOmics(clock);
    private final BatchCompletion completion = new BatchCompletion(batches, runs, objects);
    private final IntakeService intake = new IntakeService(batches, runs, objects, runQueue,
            new InMemoryWorkflowCatalog().withoutTemplate("1234567"), PREFLIGHT,
            new IntakeService.Config(100, Duration.ofDays(14), 250, 20), clock);
    private final SubmitService submit = new SubmitService(batches, runs, omics, new ScriptedPacer(clock),
            new SubmitService.Config(3, Duration.ofSeconds(2), Duration.ofMinutes(15), Duration.ofMinutes(1),
                    Duration.ofSeconds(5)),
            clock, new RecordingSleeper(clock), () -> 7L, completion);
    private final StatusService status = new StatusService(runs, omics, completion);
    private final ResubmitService resubmits = new ResubmitService(batches, runs, metered, intakeQueue, clock);
    private int requests;

    // ------------------------------------------------------------------------------------------- lineage tag

    @Test
    void eachResubmittedRequestIsTheOriginalsButForRequestIdBatchTagAndLineageTagAndSoIsAResubmitOfAResubmit() {
        String original = batchFromRunsFile("cohort.json", "runs/cohort.json", runsFile(12).toString());
        Map<String, ObjectNode> originals = requestsOf(original);
        assertThat(originals).hasSize(12).allSatisfy((id, body) ->
                assertThat(body.path("tags").has(TrackingTags.RESUBMIT_OF)).as("an original run has no lineage").isFalse());
        List<String> failed = List.of("S0", "S3", "S6", "S9");
        finish(original, failed::contains);

        String retry = resubmit(original, "{\"batchId\": \"%s\"}");
        assertThat(batches.get(retry).orElseThrow().resubmitOf()).isEqualTo(original);
        Map<String, ObjectNode> retried = requestsOf(retry);
        assertThat(retried.keySet()).containsExactlyElementsOf(failed);
        assertSameRequests(originals, retried, retry, original);

        // A resubmit of the resubmit: every run of it, S3 failing again. Its lineage tag names its immediate parent.
        finish(retry, "S3"::equals);
        String again = resubmit(retry, "{\"batchId\": \"%s\", \"runStatuses\": [\"COMPLETED\", \"FAILED\"]}");
        assertThat(batches.get(again).orElseThrow().resubmitOf()).isEqualTo(retry);
        Map<String, ObjectNode> twice = requestsOf(again);
        assertThat(twice.keySet()).containsExactlyElementsOf(failed);
        assertSameRequests(originals, twice, again, retry);
    }

    @Test
    void anInlineBatchAndASampleSheetBatchAreResubmittedWithTheSameRequestsToo() {
        ObjectNode doc = document("inline");
        doc.putObject("batchRunSettings").set("inlineSettings", runsFile(5));
        String inline = batchOf(objects.putObject(BUCKET, "batches/inline.json", bytes(doc.toString())));
        Map<String, ObjectNode> inlineRequests = requestsOf(inline);
        finish(inline, id -> !id.equals("S1"));
        String inlineRetry = resubmit(inline, "{\"batchId\": \"%s\"}");
        assertSameRequests(inlineRequests, requestsOf(inlineRetry), inlineRetry, inline);
        assertThat(requestsOf(inlineRetry)).hasSize(4);

        String sheet = "runSettingId,name,priority,outputUri,sample_id,json:min_qual,tag:cohort\n"
                + "A1,wgs-A1,5,s3://lab-results/a1/,A1,30,b\n"
                + "A2,,,,A2,,\n"
                + "A3,wgs-A3,,,A3,12.5,c\n";
        String sheetBatch = batchFromRunsFile("sheet.json", "runs/samples.csv", sheet);
        Map<String, ObjectNode> sheetRequests = requestsOf(sheetBatch);
        assertThat(sheetRequests).hasSize(3);
        finish(sheetBatch, id -> !id.equals("A2"));
        String sheetRetry = resubmit(sheetBatch, "{\"batchId\": \"%s\"}");
        assertThat(requestsOf(sheetRetry).keySet()).containsExactly("A1", "A3");
        assertSameRequests(sheetRequests, requestsOf(sheetRetry), sheetRetry, sheetBatch);
    }

    @Test
    void theLineageTagFitsStartRunsTagMapAndCountsTowardItsFiftyTags() {
        OmicsModel.Member tags = OmicsModel.get().shape("StartRunRequest").member("tags").orElseThrow();
        assertThat((long) TrackingTags.RESUBMIT_OF.length()).isBetween(tags.key().min(), tags.key().max());
        assertThat((long) BatchIdentity.BATCH_ID_LENGTH).isLessThanOrEqualTo(tags.value().max());

        // 48 merged runTags (47 defaults, S0's "sample" over the default's and its "lane"): 50 tags with the two
        // tracking tags, 51 with the lineage tag.
        ObjectNode doc = document("crowded");
        ObjectNode runTags = (ObjectNode) doc.path("defaultRunSetting").path("runTags");
        for (int i = 0; i < 45; i++) {
            runTags.put("t" + i, "v");
        }
        doc.putObject("batchRunSettings").set("inlineSettings", runsFile(1));
        String crowded = batchOf(objects.putObject(BUCKET, "batches/crowded.json", bytes(doc.toString())));
        assertThat(requestsOf(crowded).get("S0").path("tags")).hasSize(50);
        finish(crowded, id -> true);

        String retry = resubmit(crowded, "{\"batchId\": \"%s\"}");

        // The intake counts the lineage tag: the new batch fails validation, no StartRun would be refused for it.
        BatchRecord refused = batches.get(retry).orElseThrow();
        assertThat(refused.status()).isEqualTo(BatchStatus.FAILED);
        assertThat(refused.errors()).singleElement().satisfies(error -> {
            assertThat(error.pointer()).isEqualTo("/runs/0/runTags");
            assertThat(error.rule()).isEqualTo("tag-count");
            assertThat(error.message()).contains("51 tags", "3 omics-batch tracking tags");
        });
        assertThat(requestsOf(retry)).isEmpty();
    }

    // ------------------------------------------------------------------------------------------- streaming

    @Test
    void aLargeRunsFileIsStreamedTheNewRunsFileBeginsBeforeTheOriginalIsReadWhole() throws Exception {
        int count = 8000;
        ArrayNode entries = runsFile(count);
        String original = batchFromRunsFile("big.json", "runs/big.json", entries.toString());
        assertThat(batches.get(original).orElseThrow().totalRuns()).isEqualTo(count);
        finish(original, id -> Integer.parseInt(id.substring(1)) % 2 == 0);
        S3ObjectRef runsFile = objects.head(BUCKET, "runs/big.json").orElseThrow();
        long size;
        try (InputStream in = objects.open(runsFile)) {
            size = in.readAllBytes().length;
        }

        String retry = resubmit(original, "{\"batchId\": \"%s\"}");

        assertThat(metered.read("runs/big.json")).as("the original runs file read to its end").isEqualTo(size);
        assertThat(metered.readWhenWritingBegan()).as("bytes of the original read when the first entry was written")
                .isPositive().isLessThan(size / 8);
        assertThat(batches.get(retry).orElseThrow().totalRuns()).isEqualTo(count / 2);
        JsonNode copied = readJson(objects.head(BUCKET, "runs/resubmits/" + retry + ".json").orElseThrow());
        assertThat(copied).hasSize(count / 2);
        for (int i = 0; i < count / 2; i++) {
            assertThat(copied.get(i)).isEqualTo(entries.get(2 * i)); // verbatim, in the original's order
        }
    }

    @Test
    void aRunsFileChangedSinceTheBatchWasAcceptedIsRefusedAndNothingIsWritten() {
        String original = batchFromRunsFile("moved.json", "runs/moved.json", runsFile(3).toString());
        finish(original, id -> true);
        objects.putObject(BUCKET, "runs/moved.json", bytes(runsFile(2).toString()));

        OperationResult result = resubmits.resubmit(request(original, "{\"batchId\": \"%s\"}"), requestObject());

        assertThat(result.outcome()).isEqualTo(OperationResult.Outcome.REFUSED);
        assertThat(result.detail()).contains("changed or is gone");
        assertThat(objects.keys(BUCKET, "")).noneMatch(key -> key.startsWith("runs/resubmits/") || key.startsWith("resubmits/"));
    }

    // ------------------------------------------------------------------------------------------- helpers

    private static ObjectNode document(String name) {
        ObjectNode doc = SettingsJson.MAPPER.createObjectNode();
        doc.put("batchName", name);
        doc.putObject("tags").put("study", "cohort-7");
        try {
            doc.set("defaultRunSetting", SettingsJson.MAPPER.readTree(DEFAULTS));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return doc;
    }

    /** Run settings S0, S1, ...: every third overrides each member a run setting can, the others only parameters. */
    private static ArrayNode runsFile(int count) {
        ArrayNode settings = SettingsJson.MAPPER.createArrayNode();
        for (int i = 0; i < count; i++) {
            ObjectNode run = settings.addObject();
            run.put("runSettingId", "S" + i);
            run.putObject("parameters").put("sample_id", "NA" + (12000 + i)).put("fastq_r1", "s3://in/" + i + "_R1.fq.gz");
            if (i % 3 == 0) {
                run.put("name", "wgs-S" + i);
                run.put("outputUri", "s3://lab-results/wgs/S" + i + "/");
                run.put("priority", i % 7);
                run.put("outputBucketOwnerId", "111122223333");
                run.putObject("runTags").put("sample", "S" + i).put("lane", Integer.toString(i % 4));
                run.putObject("engineSettings").put("profile", "highmem");
            }
        }
        return settings;
    }

    private String batchFromRunsFile(String name, String runsKey, String runs) {
        objects.putObject(BUCKET, runsKey, bytes(runs));
        ObjectNode doc = document(name.replace(".json", ""));
        doc.putObject("batchRunSettings").put("s3UriSettings", "s3://" + BUCKET + "/" + runsKey);
        return batchOf(objects.putObject(BUCKET, "batches/" + name, bytes(doc.toString())));
    }

    /** The intake takes the document (and any continuation it asks for); returns the batch id. */
    private String batchOf(S3ObjectRef document) {
        IntakeService.Result result = intake.handle(document, () -> true);
        assertThat(result.outcome()).isIn(IntakeService.Outcome.EXPANDED, IntakeService.Outcome.FAILED);
        return result.batchId();
    }

    /** Submits every run of the batch; runs {@code failing} names end FAILED, the others COMPLETED: PROCESSED. */
    private void finish(String batchId, Predicate<String> failing) {
        for (RunMessage message : runQueue.sent()) {
            if (!message.batchId().equals(batchId)) {
                continue;
            }
            try {
                submit.submit(message, MAX_PACING_WAIT);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            RunRecord run = runs.get(batchId, message.runSettingId()).orElseThrow();
            RunStatus end = failing.test(message.runSettingId()) ? RunStatus.FAILED : RunStatus.COMPLETED;
            omics.advance(run.runId(), end);
            status.onEvent(new RunStatusEvent(run.runId(), run.uuid(), run.arn(), end, null));
        }
        assertThat(batches.get(batchId).orElseThrow().status()).isEqualTo(BatchStatus.PROCESSED);
    }

    /** Puts a resubmit request of the batch, lets the service and then the intake act on it; the new batch's id. */
    private String resubmit(String batchId, String template) {
        OperationResult result = resubmits.resubmit(request(batchId, template), requestObject());
        assertThat(result.outcome()).as(result.detail()).isEqualTo(OperationResult.Outcome.DONE);
        for (S3ObjectRef settings : intakeQueue.drain()) {
            intake.handle(settings, () -> true);
        }
        return result.batchId();
    }

    private OperationRequest.Resubmit request(String batchId, String template) {
        S3ObjectRef object = objects.putObject(BUCKET, "resubmit/r" + (++requests) + ".json",
                bytes(String.format(template, batchId)));
        byte[] document;
        try (InputStream in = objects.open(object)) {
            document = in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        OperationRequests.Parsed parsed = OperationRequests.parse(OperationRequests.Operation.RESUBMIT, document);
        assertThat(parsed.valid()).isTrue();
        return (OperationRequest.Resubmit) parsed.request();
    }

    private S3ObjectRef requestObject() {
        return objects.head(BUCKET, "resubmit/r" + requests + ".json").orElseThrow();
    }

    /** The StartRun body of each run message of the batch, by runSettingId, in the order they were queued. */
    private Map<String, ObjectNode> requestsOf(String batchId) {
        Map<String, ObjectNode> bodies = new LinkedHashMap<>();
        for (RunMessage message : runQueue.sent()) {
            if (message.batchId().equals(batchId)) {
                bodies.put(message.runSettingId(), message.startRun().deepCopy());
            }
        }
        return bodies;
    }

    /** Member by member: the original's request but for requestId, the batch id tag and the lineage tag. */
    private static void assertSameRequests(Map<String, ObjectNode> originals, Map<String, ObjectNode> resubmitted,
                                           String resubmit, String parent) {
        assertThat(resubmitted).isNotEmpty();
        resubmitted.forEach((runSettingId, body) -> {
            ObjectNode before = originals.get(runSettingId).deepCopy();
            ObjectNode after = body.deepCopy();
            assertThat(after.path("requestId").asText()).isEqualTo(BatchIdentity.runRequestId(resubmit, runSettingId));
            assertThat(after.path("tags").path(TrackingTags.BATCH_ID).asText()).isEqualTo(resubmit);
            assertThat(after.path("tags").path(TrackingTags.RESUBMIT_OF).asText()).isEqualTo(parent);
            assertThat(after.path("tags")).hasSize(before.path("tags").size() + 1);
            List<String> members = new ArrayList<>();
            after.fieldNames().forEachRemaining(members::add);
            List<String> originalMembers = new ArrayList<>();
            before.fieldNames().forEachRemaining(originalMembers::add);
            assertThat(members).as(runSettingId).containsExactlyElementsOf(originalMembers);
            for (ObjectNode request : List.of(before, after)) {
                request.remove("requestId");
                ((ObjectNode) request.path("tags")).remove(Set.of(TrackingTags.BATCH_ID, TrackingTags.RESUBMIT_OF));
            }
            for (String member : members) {
                assertThat(after.get(member)).as(runSettingId + " " + member).isEqualTo(before.get(member));
            }
        });
    }

    private JsonNode readJson(S3ObjectRef object) throws IOException {
        try (InputStream in = objects.open(object)) {
            return SettingsJson.MAPPER.readTree(in);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The object store as the resubmit sees it, counting the bytes read of each object, and how many had been read
     * of any object when the first byte of a written object was produced.
     */
    private static final class MeteredObjectStore implements ObjectStore {
        private final ObjectStore store;
        private final Map<String, AtomicLong> readByKey = new LinkedHashMap<>();
        private final AtomicLong readTotal = new AtomicLong();
        private final AtomicLong readWhenWritingBegan = new AtomicLong(-1);

        MeteredObjectStore(ObjectStore store) {
            this.store = store;
        }

        long read(String key) {
            return readByKey.getOrDefault(key, new AtomicLong()).get();
        }

        long readWhenWritingBegan() {
            return readWhenWritingBegan.get();
        }

        @Override
        public Optional<S3ObjectRef> head(String bucket, String key) {
            return store.head(bucket, key);
        }

        @Override
        public InputStream open(S3ObjectRef object) {
            AtomicLong read = readByKey.computeIfAbsent(object.key(), k -> new AtomicLong());
            return new FilterInputStream(store.open(object)) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        read.incrementAndGet();
                        readTotal.incrementAndGet();
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = super.read(buffer, offset, length);
                    if (n > 0) {
                        read.addAndGet(n);
                        readTotal.addAndGet(n);
                    }
                    return n;
                }
            };
        }

        @Override
        public void put(String bucket, String key, byte[] content, String contentType) {
            store.put(bucket, key, content, contentType);
        }

        @Override
        public void write(String bucket, String key, String contentType, ContentWriter content) throws IOException {
            store.write(bucket, key, contentType, out -> content.writeTo(new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    began();
                    out.write(b);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) throws IOException {
                    began();
                    out.write(bytes, offset, length);
                }

                @Override
                public void flush() throws IOException {
                    out.flush();
                }

                @Override
                public void close() throws IOException {
                    out.close();
                }

                private void began() {
                    readWhenWritingBegan.compareAndSet(-1, readTotal.get());
                }
            }));
        }
    }
}
