package io.omicsbatch.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.batch.BatchRecord;
import io.omicsbatch.batch.BatchStatus;
import io.omicsbatch.batch.ObjectStore;
import io.omicsbatch.batch.RunMessage;
import io.omicsbatch.batch.RunRecord;
import io.omicsbatch.batch.RunStore;
import io.omicsbatch.batch.S3ObjectRef;
import io.omicsbatch.batch.StartedRun;
import io.omicsbatch.batch.SubmissionStatus;
import io.omicsbatch.batch.WorkflowCatalog;
import io.omicsbatch.settings.BatchIdentity;
import io.omicsbatch.settings.S3Location;
import io.omicsbatch.settings.SettingsJson;
import io.omicsbatch.testing.InMemoryBatchStore;
import io.omicsbatch.testing.InMemoryObjectStore;
import io.omicsbatch.testing.InMemoryRunStore;
import io.omicsbatch.testing.InMemoryWorkflowCatalog;
import io.omicsbatch.testing.MutableClock;
import io.omicsbatch.testing.RecordingRunQueue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** Every transition and error kind of the intake, on the in-memory ports. */
class IntakeServiceTest {

    private static final String BUCKET = "omics-batch-settings";
    private static final String ROLE = "arn:aws:iam::123456789012:role/OmicsWorkflowServiceRole";
    private static final Duration RETENTION = Duration.ofDays(14);
    private static final BatchPreflight PREFLIGHT = new BatchPreflight(new BatchPreflight.Deployment("aws", "123456789012",
            List.of("arn:aws:iam::123456789012:role/*"), List.of(new S3Location("lab-inputs", ""))));

    private final MutableClock clock = MutableClock.atStartOfDay();
    private final InMemoryBatchStore batches = new InMemoryBatchStore(clock);
    private final InMemoryRunStore runs = new InMemoryRunStore(batches, clock);
    private final InMemoryObjectStore objects = new InMemoryObjectStore();
    private final RecordingRunQueue runQueue = new RecordingRunQueue();
    private final InMemoryWorkflowCatalog workflows = new InMemoryWorkflowCatalog().withoutTemplate("1234567");

    private IntakeService intake(int chunkSize, double startRunTps) {
        return new IntakeService(batches, runs, objects, runQueue, workflows, PREFLIGHT,
                new IntakeService.Config(startRunTps, RETENTION, chunkSize, 20), clock);
    }

    private IntakeService intake() {
        return intake(2, 100);
    }

    private static ObjectNode document(String name) {
        ObjectNode doc = SettingsJson.MAPPER.createObjectNode();
        doc.put("batchName", name);
        ObjectNode defaults = doc.putObject("defaultRunSetting");
        defaults.put("workflowId", "1234567");
        defaults.put("roleArn", ROLE);
        defaults.put("outputUri", "s3://lab-results/" + name + "/");
        defaults.putObject("parameters").put("ref_fasta", "s3://lab-refs/GRCh38.fasta");
        return doc;
    }

    private static ArrayNode runSettings(int count) {
        ArrayNode runs = SettingsJson.MAPPER.createArrayNode();
        for (int i = 0; i < count; i++) {
            ObjectNode run = runs.addObject();
            run.put("runSettingId", "S" + i);
            run.putObject("parameters").put("sample_id", "S" + i);
        }
        return runs;
    }

    private S3ObjectRef inlineBatch(String name, int count) {
        ObjectNode doc = document(name);
        doc.putObject("batchRunSettings").set("inlineSettings", runSettings(count));
        return objects.putObject(BUCKET, "batches/" + name + ".json", bytes(doc.toString()));
    }

    private S3ObjectRef runsFileBatch(String name, int count) {
        objects.putObject("lab-inputs", name + "/runs.json", bytes(runSettings(count).toString()));
        ObjectNode doc = document(name);
        doc.putObject("batchRunSettings").put("s3UriSettings", "s3://lab-inputs/" + name + "/runs.json");
        return objects.putObject(BUCKET, "batches/" + name + ".json", bytes(doc.toString()));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String batchIdOf(S3ObjectRef object) {
        return BatchIdentity.batchId(null, object.bucket(), object.key(), object.versionId(), object.eTag());
    }

    private BatchRecord batch(S3ObjectRef object) {
        return batches.get(batchIdOf(object)).orElseThrow();
    }

    private List<RunRecord> runRecords(String batchId) {
        List<RunRecord> all = new ArrayList<>();
        runs.forEachRun(batchId, all::add);
        return all;
    }

    private List<String> sentIds() {
        return runQueue.sent().stream().map(RunMessage::runSettingId).toList();
    }

    /** Answers yes {@code chunks} times, then no: an invocation running out of time. */
    private static BooleanSupplier timeFor(int chunks) {
        AtomicInteger left = new AtomicInteger(chunks);
        return () -> left.getAndDecrement() > 0;
    }

    // ---- admission ----

    @Test
    void aValidBatchIsAdmittedAndExpandedIntoOneRecordAndOneMessagePerRun() {
        S3ObjectRef settings = inlineBatch("cohort", 5);

        IntakeService.Result result = intake().handle(settings, () -> true);

        assertThat(result.outcome()).isEqualTo(IntakeService.Outcome.EXPANDED);
        BatchRecord batch = batch(settings);
        assertThat(batch.status()).isEqualTo(BatchStatus.SUBMITTING);
        assertThat(batch.totalRuns()).isEqualTo(5);
        assertThat(batch.expandedRuns()).isEqualTo(5);
        assertThat(batch.expansionComplete()).isTrue();
        assertThat(batch.expansionLease()).isNull();
        assertThat(batch.count("pendingStartSubmissionCount")).isEqualTo(5);
        assertThat(runRecords(batch.batchId())).hasSize(5)
                .allSatisfy(r -> assertThat(r.submissionStatus()).isEqualTo(SubmissionStatus.PENDING));
        assertThat(sentIds()).containsExactly("S0", "S1", "S2", "S3", "S4");
        assertThat(runQueue.sent().get(0).startRun().path("parameters").path("ref_fasta").asText())
                .isEqualTo("s3://lab-refs/GRCh38.fasta");
        // The document's workflow, for the batch events and ListBatch.
        assertThat(batch.workflow()).isNotNull();
        assertThat(batch.workflow().workflowId()).isEqualTo("1234567");
    }

    @Test
    void anInvalidDocumentFailsWithItsErrorsInTheReportAndWritesNoRun() {
        S3ObjectRef settings = objects.putObject(BUCKET, "batches/bad.json",
                bytes("{\"defaultRunSetting\":{\"workflowId\":7},\"batchRunSettings\":{}}"));

        assertThat(intake().handle(settings, () -> true).outcome()).isEqualTo(IntakeService.Outcome.FAILED);

        BatchRecord batch = batch(settings);
        assertThat(batch.status()).isEqualTo(BatchStatus.FAILED);
        assertThat(batch.failureReason()).isEqualTo("ValidationFailed");
        assertThat(batch.errorCount()).isGreaterThanOrEqualTo(3);
        assertThat(batch.workflow() == null ? null : batch.workflow().workflowId()).isNull(); // 7 is no workflow id
        assertThat(batch.errors()).extracting(BatchRecord.ErrorEntry::pointer)
                .contains("/defaultRunSetting/workflowId", "/defaultRunSetting/roleArn", "/batchRunSettings");
        String report = objects.text(BUCKET, "reports/" + batch.batchId() + "/errors.json").orElseThrow();
        assertThat(report).contains("\"errorCount\":" + batch.errorCount()).contains("/defaultRunSetting/workflowId");
        assertThat(runRecords(batch.batchId())).isEmpty();
        assertThat(runQueue.sent()).isEmpty();
    }

    @Test
    void aWorkflowTheAccountDoesNotHaveFailsTheBatchAtItsWorkflowId() {
        workflows.answer("1234567", null, new WorkflowCatalog.NotFound("no workflow 1234567"));
        S3ObjectRef settings = inlineBatch("noworkflow", 2);

        assertThat(intake().handle(settings, () -> true).outcome()).isEqualTo(IntakeService.Outcome.FAILED);

        assertThat(batch(settings).errors()).extracting(BatchRecord.ErrorEntry::pointer, BatchRecord.ErrorEntry::rule)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("/defaultRunSetting/workflowId", "workflow-not-found"));
        assertThat(runQueue.sent()).isEmpty();
    }

    @Test
    void parametersOutsideTheWorkflowsTemplateFailTheBatchBeforeAnyRun() {
        workflows.withTemplate("1234567", Map.of("ref_fasta", false));
        S3ObjectRef settings = inlineBatch("template", 2);

        assertThat(intake().handle(settings, () -> true).outcome()).isEqualTo(IntakeService.Outcome.FAILED);

        assertThat(batch(settings).errors()).extracting(BatchRecord.ErrorEntry::pointer)
                .contains("/batchRunSettings/inlineSettings/0/parameters/sample_id");
        assertThat(runQueue.sent()).isEmpty();
    }

    @Test
    void aMissingRunsFileFailsTheBatch() {
        ObjectNode doc = document("missing");
        doc.putObject("batchRunSettings").put("s3UriSettings", "s3://lab-inputs/missing/runs.json");
        S3ObjectRef settings = objects.putObject(BUCKET, "batches/missing.json", bytes(doc.toString()));

        assertThat(intake().handle(settings, () -> true).outcome()).isEqualTo(IntakeService.Outcome.FAILED);
        assertThat(batch(settings).failureReason()).isEqualTo("RunsFileNotFound");
    }

    @Test
    void aBatchThatCannotBeSubmittedBeforeItsMessagesExpireIsInfeasible() {
        S3ObjectRef settings = runsFileBatch("slow", 200);

        // 200 runs at 0.0001/s take 23 days, longer than the 14-day retention.
        assertThat(intake(50, 0.0001).handle(settings, () -> true).outcome()).isEqualTo(IntakeService.Outcome.FAILED);

        assertThat(batch(settings).failureReason()).isEqualTo("SubmissionInfeasible");
        assertThat(runQueue.sent()).isEmpty();
    }

    @Test
    void aNotificationForAVersionThatNoLongerExistsIsIgnored() {
        S3ObjectRef settings = inlineBatch("replaced", 2);
        objects.putObject(BUCKET, settings.key(), bytes("{}"));

        IntakeService.Result result = intake().handle(settings, () -> true);

        assertThat(result.outcome()).isEqualTo(IntakeService.Outcome.IGNORED);
        assertThat(batches.get(batchIdOf(settings))).isEmpty();
    }

    @Test
    void anotherDocumentReusingTheRequestIdIsIgnored() {
        ObjectNode doc = document("first");
        doc.put("requestId", "cohort-7");
        doc.putObject("batchRunSettings").set("inlineSettings", runSettings(1));
        S3ObjectRef first = objects.putObject(BUCKET, "batches/first.json", bytes(doc.toString()));
        doc.put("batchName", "second");
        S3ObjectRef second = objects.putObject(BUCKET, "batches/second.json", bytes(doc.toString()));

        assertThat(intake().handle(first, () -> true).outcome()).isEqualTo(IntakeService.Outcome.EXPANDED);
        assertThat(intake().handle(second, () -> true).outcome()).isEqualTo(IntakeService.Outcome.IGNORED);
        assertThat(runQueue.sent()).hasSize(1);
    }

    // ---- redelivery, duplicates, crashes ----

    @Test
    void aRedeliveredNotificationOfAnExpandedBatchChangesNothing() {
        S3ObjectRef settings = inlineBatch("twice", 3);
        intake().handle(settings, () -> true);
        BatchRecord before = batch(settings);

        assertThat(intake().handle(settings, () -> true).outcome()).isEqualTo(IntakeService.Outcome.ALREADY_DONE);

        assertThat(batch(settings)).isEqualTo(before);
        assertThat(runQueue.sent()).hasSize(3);
    }

    @Test
    void aRedeliveredNotificationOfAFailedBatchStaysFailed() {
        S3ObjectRef settings = objects.putObject(BUCKET, "batches/bad.json", bytes("[]"));
        intake().handle(settings, () -> true);
        BatchRecord before = batch(settings);

        assertThat(intake().handle(settings, () -> true).outcome()).isEqualTo(IntakeService.Outcome.FAILED);
        assertThat(batch(settings)).isEqualTo(before);
    }

    @Test
    void anIntakeOutOfTimeStopsBetweenChunksGivesItsLeaseUpAndTheNextDeliveryResumesAtTheCheckpoint() {
        S3ObjectRef settings = runsFileBatch("interrupted", 5);

        assertThat(intake().handle(settings, timeFor(1)).outcome()).isEqualTo(IntakeService.Outcome.INTERRUPTED);
        BatchRecord interrupted = batch(settings);
        assertThat(interrupted.expandedRuns()).isEqualTo(2);
        assertThat(interrupted.expansionLease()).isNull();
        assertThat(sentIds()).containsExactly("S0", "S1");

        assertThat(intake().handle(settings, () -> true).outcome()).isEqualTo(IntakeService.Outcome.EXPANDED);
        assertThat(sentIds()).containsExactly("S0", "S1", "S2", "S3", "S4");
        assertThat(batch(settings).expansionComplete()).isTrue();
    }

    @Test
    void aCrashInTheMiddleOfSendingIsResumedWithoutResettingAnyRunOrResendingADecidedOne() {
        S3ObjectRef settings = runsFileBatch("crash", 6);
        runQueue.failAfter(3); // the second chunk's second message fails: a crash in the middle of sending

        assertThatThrownBy(() -> intake().handle(settings, () -> true)).isInstanceOf(IllegalStateException.class);
        String batchId = batchIdOf(settings);
        assertThat(batch(settings).expandedRuns()).isEqualTo(2);
        assertThat(batch(settings).expansionLease()).as("a failure gives the lease up").isNull();
        // Meanwhile the submit function decides the runs whose messages went out.
        runs.recordSubmitted(batchId, "S0", new StartedRun("1000001", "arn:run/1000001", "uuid-0", null, null));
        runs.recordSubmissionFailed(batchId, "S2", "ValidationException", "rejected");
        runQueue.accept();

        assertThat(intake().handle(settings, () -> true).outcome()).isEqualTo(IntakeService.Outcome.EXPANDED);

        // S2's record was kept and its message not sent again; S3 (never sent) and the rest were.
        assertThat(sentIds()).containsExactly("S0", "S1", "S2", "S3", "S4", "S5");
        assertThat(runs.get(batchId, "S0").orElseThrow().submissionStatus()).isEqualTo(SubmissionStatus.SUCCESS);
        assertThat(runs.get(batchId, "S2").orElseThrow().submissionStatus()).isEqualTo(SubmissionStatus.FAILED);
        BatchRecord batch = batch(settings);
        assertThat(batch.count("successfulStartSubmissionCount")).isEqualTo(1);
        assertThat(batch.count("failedStartSubmissionCount")).isEqualTo(1);
        assertThat(batch.count("pendingStartSubmissionCount")).isEqualTo(4);
    }

    @Test
    void aResumedChunkSendsAgainOnlyRunsStillPending() {
        S3ObjectRef settings = runsFileBatch("resend", 4);
        assertThat(intake().handle(settings, timeFor(0)).outcome()).isEqualTo(IntakeService.Outcome.INTERRUPTED);
        String batchId = batchIdOf(settings);
        // An attempt marked the first chunk, wrote its records and sent its messages, then died before its checkpoint.
        Instant lapsed = clock.instant().plusSeconds(1);
        batches.acquireExpansionLease(batchId, "killed-invocation", lapsed);
        batches.markRecordsWriting(batchId, "killed-invocation", 2);
        runs.createPending(List.of(RunRecord.pending(batchId, "S0", "ob-x-0", null, null, null, clock.instant()),
                RunRecord.pending(batchId, "S1", "ob-x-1", null, null, null, clock.instant())));
        runs.recordSubmitted(batchId, "S1", new StartedRun("1000002", "arn:run/1000002", "uuid-1", null, null));
        clock.advance(Duration.ofSeconds(2));

        intake().handle(settings, () -> true);

        assertThat(sentIds()).containsExactly("S0", "S2", "S3");
        assertThat(runs.get(batchId, "S1").orElseThrow().runId()).as("the decided run kept").isEqualTo("1000002");
        assertThat(batch(settings).recordsWrittenUpTo()).isEqualTo(4);
    }

    @Test
    void theRecordsMarkGoesAheadOfEveryChunksRecords() {
        S3ObjectRef settings = runsFileBatch("mark", 5);
        List<Long> marksWhenWritten = new ArrayList<>();
        RunStore watched = (RunStore) java.lang.reflect.Proxy.newProxyInstance(RunStore.class.getClassLoader(),
                new Class<?>[] {RunStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("createFresh")) {
                        List<?> records = (List<?>) args[0];
                        String batchId = ((RunRecord) records.get(0)).batchId();
                        marksWhenWritten.add(batches.get(batchId).orElseThrow().recordsWrittenUpTo());
                    }
                    return method.invoke(runs, args);
                });
        new IntakeService(batches, watched, objects, runQueue, workflows, PREFLIGHT,
                new IntakeService.Config(100, RETENTION, 2, 20), clock).handle(settings, () -> true);

        assertThat(marksWhenWritten).containsExactly(2L, 4L, 5L);
        assertThat(runRecords(batchIdOf(settings))).hasSize(5);
    }

    @Test
    void aDeliveryThatFindsAnotherInvocationExpandingLeavesTheBatchToIt() {
        S3ObjectRef settings = inlineBatch("busy", 3);
        intake().handle(settings, timeFor(0)); // admitted and SUBMITTING, nothing expanded
        String batchId = batchIdOf(settings);
        assertThat(batches.acquireExpansionLease(batchId, "another-invocation", clock.instant().plusSeconds(600))).isTrue();

        assertThat(intake().handle(settings, () -> true).outcome()).isEqualTo(IntakeService.Outcome.BUSY);
        assertThat(runQueue.sent()).isEmpty();
        assertThat(runRecords(batchId)).isEmpty();

        // That invocation died: once its lease lapses, a redelivery takes over.
        clock.advance(Duration.ofSeconds(601));
        assertThat(intake().handle(settings, () -> true).outcome()).isEqualTo(IntakeService.Outcome.EXPANDED);
        assertThat(runQueue.sent()).hasSize(3);
    }

    @Test
    void anExpansionWhoseLeaseWasTakenOverStopsAtItsNextCheckpoint() {
        S3ObjectRef settings = runsFileBatch("takeover", 6);
        String batchId = batchIdOf(settings);
        AtomicInteger chunks = new AtomicInteger();
        // After its first chunk is sent, this invocation stalls past its lease and another takes over before the
        // first checkpoint is written.
        BooleanSupplier stalling = () -> {
            if (chunks.getAndIncrement() == 1) {
                clock.advance(IntakeService.MAX_INVOCATION.plusSeconds(1));
                batches.acquireExpansionLease(batchId, "successor", clock.instant().plus(IntakeService.MAX_INVOCATION));
            }
            return true;
        };

        assertThat(intake().handle(settings, stalling).outcome()).isEqualTo(IntakeService.Outcome.BUSY);

        BatchRecord batch = batch(settings);
        assertThat(batch.expansionLease().owner()).isEqualTo("successor");
        assertThat(batch.expandedRuns()).as("the checkpoint is the successor's to move").isZero();
        assertThat(sentIds()).as("nothing after the lost checkpoint").containsExactly("S0", "S1");
        assertThat(batch.expansionComplete()).isFalse();
    }

    @Test
    void aRunsFileReplacedMidBatchFailsTheBatchAsRunsFileChanged() {
        S3ObjectRef settings = runsFileBatch("runschanged", 4);
        intake().handle(settings, timeFor(1));
        objects.putObject("lab-inputs", "runschanged/runs.json", bytes(runSettings(5).toString()));

        assertThat(intake().handle(settings, () -> true).outcome()).isEqualTo(IntakeService.Outcome.FAILED);

        BatchRecord batch = batch(settings);
        assertThat(batch.status()).isEqualTo(BatchStatus.FAILED);
        assertThat(batch.failureReason()).isEqualTo("RunsFileChanged");
        assertThat(sentIds()).containsExactly("S0", "S1");
    }

    @Test
    void aSampleSheetIsExpandedAcrossInvocationsAndPinnedByItsETagLikeARunsFile() {
        objects.putObject("lab-inputs", "sheet/samples.csv", bytes("runSettingId,sample_id,priority\r\nS0,a,1\r\n"
                + "S1,\"b,\"\"c\"\"\",\r\nS2,d,3\r\nS3,e,\r\n"));
        ObjectNode doc = document("sheet");
        doc.putObject("batchRunSettings").put("s3UriSettings", "s3://lab-inputs/sheet/samples.csv");
        S3ObjectRef settings = objects.putObject(BUCKET, "batches/sheet.json", bytes(doc.toString()));

        assertThat(intake().handle(settings, timeFor(1)).outcome()).isEqualTo(IntakeService.Outcome.INTERRUPTED);
        assertThat(batch(settings).totalRuns()).isEqualTo(4);
        assertThat(intake().handle(settings, () -> true).outcome()).isEqualTo(IntakeService.Outcome.EXPANDED);
        assertThat(sentIds()).containsExactly("S0", "S1", "S2", "S3");
        assertThat(runQueue.sent().get(1).startRun().at("/parameters/sample_id").asText()).isEqualTo("b,\"c\"");
        assertThat(runQueue.sent().get(2).startRun().get("priority").asInt()).isEqualTo(3);

        // The same sheet replaced after admission: the batch fails, as a replaced JSON runs file fails it.
        objects.putObject("lab-inputs", "sheet2/samples.csv", bytes("runSettingId\nS0\nS1\nS2\n"));
        ObjectNode replaced = document("sheet2");
        replaced.putObject("batchRunSettings").put("s3UriSettings", "s3://lab-inputs/sheet2/samples.csv");
        S3ObjectRef second = objects.putObject(BUCKET, "batches/sheet2.json", bytes(replaced.toString()));
        intake().handle(second, timeFor(1));
        objects.putObject("lab-inputs", "sheet2/samples.csv", bytes("runSettingId\nS0\nS1\nS2\nS3\n"));
        assertThat(intake().handle(second, () -> true).outcome()).isEqualTo(IntakeService.Outcome.FAILED);
        assertThat(batch(second).failureReason()).isEqualTo("RunsFileChanged");
    }

    @Test
    void aRunsFileThatCanNoLongerBeReadFailsTheBatchInsteadOfWedgingIt() {
        S3ObjectRef settings = runsFileBatch("revoked", 4);
        intake().handle(settings, timeFor(1));
        objects.failEveryAccess("lab-inputs", "revoked/runs.json", new ObjectStore.AccessDeniedException("403"));

        assertThat(intake().handle(settings, () -> true).outcome()).isEqualTo(IntakeService.Outcome.FAILED);

        BatchRecord batch = batch(settings);
        assertThat(batch.failureReason()).isEqualTo("RunsFileAccessDenied");
        assertThat(batch.expansionLease()).isNull();
    }

    @Test
    void aRunsFileAnswering403AtAdmissionFailsTheBatchWithAPointer() {
        S3ObjectRef settings = runsFileBatch("denied", 2);
        objects.failEveryAccess("lab-inputs", "denied/runs.json", new ObjectStore.AccessDeniedException("403"));

        assertThat(intake().handle(settings, () -> true).outcome()).isEqualTo(IntakeService.Outcome.FAILED);

        BatchRecord batch = batch(settings);
        assertThat(batch.failureReason()).isEqualTo("RunsFileAccessDenied");
        assertThat(batch.errors()).extracting(BatchRecord.ErrorEntry::pointer).containsExactly("/batchRunSettings/s3UriSettings");
        assertThat(runQueue.sent()).isEmpty();
    }

    @Test
    void aRoleOfAnotherAccountFailsThePreflightBeforeAnythingIsRead() {
        ObjectNode doc = document("foreign");
        ((ObjectNode) doc.get("defaultRunSetting")).put("roleArn", "arn:aws:iam::210987654321:role/OmicsWorkflowServiceRole");
        doc.putObject("batchRunSettings").set("inlineSettings", runSettings(2));
        S3ObjectRef settings = objects.putObject(BUCKET, "batches/foreign.json", bytes(doc.toString()));

        assertThat(intake().handle(settings, () -> true).outcome()).isEqualTo(IntakeService.Outcome.FAILED);

        assertThat(batch(settings).errors()).extracting(BatchRecord.ErrorEntry::pointer, BatchRecord.ErrorEntry::rule)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("/defaultRunSetting/roleArn", "role-account"));
        assertThat(workflows.requests()).as("nothing read on the document's say-so").isEmpty();
    }

    @Test
    void inAVersionedBucketAReplacedSettingsObjectFailsTheBatchAsSettingsChanged() {
        objects.versioned(BUCKET);
        S3ObjectRef settings = runsFileBatch("versioned", 4);
        intake().handle(settings, timeFor(1));
        objects.putObject(BUCKET, settings.key(), bytes("{\"replaced\":true}"));

        assertThat(intake().handle(settings, () -> true).outcome()).isEqualTo(IntakeService.Outcome.FAILED);
        assertThat(batch(settings).failureReason()).isEqualTo("SettingsChanged");
    }

    @Test
    void concurrentDeliveriesConvergeOnOneExpansion() throws Exception {
        S3ObjectRef settings = runsFileBatch("concurrent", 40);
        IntakeService intake = intake(5, 100);
        List<Thread> threads = new ArrayList<>();
        List<IntakeService.Outcome> outcomes = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 4; i++) {
            Thread thread = new Thread(() -> outcomes.add(intake.handle(settings, () -> true).outcome()));
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(10_000);
        }

        assertThat(outcomes).hasSize(4).containsOnlyOnce(IntakeService.Outcome.EXPANDED);
        assertThat(sentIds()).hasSize(40).doesNotHaveDuplicates();
        assertThat(batch(settings).count("pendingStartSubmissionCount")).isEqualTo(40);
    }

    @Test
    void theLeaseLapsesWhenTheInvocationEnds() {
        S3ObjectRef settings = inlineBatch("deadline", 3);
        Instant invocationEnd = clock.instant().plusSeconds(42);

        intake().handle(settings, timeFor(0), invocationEnd);

        // Out of time before the first chunk: the lease was given up, and it would have lapsed at the invocation's end.
        assertThat(batch(settings).expansionLease()).isNull();
        assertThat(batches.acquireExpansionLease(batchIdOf(settings), "other", invocationEnd)).isTrue();
        assertThat(batch(settings).expansionLease().until()).isEqualTo(invocationEnd);
    }
}
