package io.omicsbatch.local.pipeline;

import io.omicsbatch.resources.FunctionEnvironment;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.awaitDrained;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.batchIdOf;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.bytes;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.inlineDocument;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.outcomes;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.runRecords;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.startRunCalls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.batch.BatchRecord;
import io.omicsbatch.batch.BatchStatus;
import io.omicsbatch.batch.BatchStore;
import io.omicsbatch.batch.S3ObjectRef;
import io.omicsbatch.batch.SubmissionStatus;
import io.omicsbatch.functions.aws.SqsRunQueue;
import io.omicsbatch.intake.IntakeService;
import io.omicsbatch.local.TestSupport;
import io.omicsbatch.local.simulator.OmicsSimulator;
import io.omicsbatch.resources.ResourceDefinitions;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The intake under redelivery, duplicates and crashes, on the real stand-ins: a run record, once written, is never
 * reset; one expansion of a batch runs at a time; a stalled intake is restarted by the reconciler.
 */
class IntakeExactlyOnceTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static LocalPipeline pipeline;

    @BeforeAll
    static void start() {
        pipeline = LocalPipeline.start(LocalPipeline.Options.defaults(PipelineTestSupport.simulator(200)).withStartRunTps(200)
                .withEnvironment(FunctionEnvironment.RUNS_FILE_LOCATIONS, "s3://lab-inputs/"));
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    /** The pipeline's stores and queue, with the batch store's {@code method} failing on its first call (a crash). */
    private static IntakeService intakeCrashingOnce(String method, int chunkSize) {
        BatchStore real = pipeline.batches();
        AtomicInteger calls = new AtomicInteger();
        BatchStore crashing = (BatchStore) Proxy.newProxyInstance(BatchStore.class.getClassLoader(),
                new Class<?>[] {BatchStore.class}, (proxy, m, args) -> {
                    if (m.getName().equals(method) && calls.getAndIncrement() == 0) {
                        throw new IllegalStateException("simulated crash in " + method);
                    }
                    try {
                        return m.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        var aws = pipeline.aws();
        return new IntakeService(crashing, pipeline.runs(), pipeline.objects(),
                new SqsRunQueue(aws.sqsClient(), aws.queueUrl(ResourceDefinitions.RUN_QUEUE.name()), 4),
                pipeline.components().workflows(),
                new io.omicsbatch.intake.BatchPreflight(pipeline.components().settings().deployment()), new IntakeService.Config(200,
                        ResourceDefinitions.RUN_QUEUE.retentionPeriod(), chunkSize, 20), Clock.systemUTC());
    }

    /** StartRun calls per requestId that reached the run (a throttled call is the pacer's business, not a resend). */
    private static Map<String, Long> callsPerRequestId(String batchId) {
        return startRunCalls(pipeline, batchId).stream().filter(c -> !c.outcome().equals("THROTTLED"))
                .collect(Collectors.groupingBy(OmicsSimulator.StartRunCallRecord::requestId, Collectors.counting()));
    }

    @Test
    void aCrashAfterSendingAChunkNeverResetsItsRunsAndResendsNothingDecided() throws Exception {
        // Not under batches/: no notification; the test is the only intake of this object.
        S3ObjectRef settings = pipeline.put(pipeline.aws().settingsBucket(), "manual/crash-before-checkpoint.json",
                bytes(inlineDocument("ckpt", 6)));
        String batchId = batchIdOf(settings, null);

        // The first chunk's records are written and its messages sent; the invocation dies before the checkpoint.
        IntakeService crashing = intakeCrashingOnce("saveCheckpoint", 2);
        assertThatThrownBy(() -> crashing.handle(settings, () -> true)).hasMessageContaining("simulated crash");
        BatchRecord afterCrash = pipeline.batches().get(batchId).orElseThrow();
        assertThat(afterCrash.expandedRuns()).isZero();
        assertThat(afterCrash.expansionLease()).as("the crashed invocation gave its lease up").isNull();
        // The submit function starts those two runs meanwhile.
        TestSupport.await("the first chunk submitted", DEADLINE, () -> runRecords(pipeline, batchId).stream()
                .filter(r -> r.submissionStatus() == SubmissionStatus.SUCCESS).count() == 2);

        // The redelivery resumes at the checkpoint (0): it must keep both outcomes and not send their messages again.
        assertThat(crashing.handle(settings, () -> true).outcome()).isEqualTo(IntakeService.Outcome.EXPANDED);
        BatchRecord batch = pipeline.awaitBatch(batchId, b -> PipelineTestSupport.reached(b, BatchStatus.INPROGRESS),
                DEADLINE).orElseThrow();
        awaitDrained(pipeline, DEADLINE);
        batch = pipeline.batches().get(batchId).orElseThrow();
        assertThat(batch.count("successfulStartSubmissionCount")).isEqualTo(6);
        assertThat(batch.count("pendingStartSubmissionCount")).isZero();
        assertThat(runRecords(pipeline, batchId)).hasSize(6)
                .allSatisfy(r -> assertThat(r.submissionStatus()).isEqualTo(SubmissionStatus.SUCCESS));
        assertThat(outcomes(startRunCalls(pipeline, batchId), "CREATED")).isEqualTo(6);
        assertThat(callsPerRequestId(batchId)).hasSize(6).allSatisfy((requestId, calls) -> assertThat(calls).isEqualTo(1));
    }

    @Test
    void concurrentDeliveriesOfOneNotificationExpandTheBatchOnce() throws Exception {
        ObjectNode doc = PipelineTestSupport.baseDocument("concurrent");
        doc.putObject("batchRunSettings").put("s3UriSettings", "s3://lab-inputs/concurrent/runs.json");
        pipeline.put("lab-inputs", "concurrent/runs.json", bytes(PipelineTestSupport.runSettings("concurrent", 300)));
        S3ObjectRef settings = pipeline.put(pipeline.aws().settingsBucket(), "manual/concurrent.json", bytes(doc));
        String batchId = batchIdOf(settings, null);

        IntakeService intake = pipeline.intake(new IntakeService.Config(200, ResourceDefinitions.RUN_QUEUE.retentionPeriod(), 25, 20));
        ExecutorService deliveries = Executors.newFixedThreadPool(4);
        List<Future<IntakeService.Result>> results = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                results.add(deliveries.submit((Callable<IntakeService.Result>) () -> intake.handle(settings, () -> true)));
            }
            List<IntakeService.Outcome> outcomes = new ArrayList<>();
            for (Future<IntakeService.Result> result : results) {
                outcomes.add(result.get().outcome());
            }
            assertThat(outcomes).containsOnlyOnce(IntakeService.Outcome.EXPANDED)
                    .allSatisfy(o -> assertThat(o).isIn(IntakeService.Outcome.EXPANDED, IntakeService.Outcome.BUSY,
                            IntakeService.Outcome.ALREADY_DONE));
        } finally {
            deliveries.shutdownNow();
        }
        pipeline.awaitBatch(batchId, b -> PipelineTestSupport.reached(b, BatchStatus.INPROGRESS), DEADLINE);
        awaitDrained(pipeline, DEADLINE);
        BatchRecord batch = pipeline.batches().get(batchId).orElseThrow();
        assertThat(batch.totalRuns()).isEqualTo(300);
        assertThat(batch.expandedRuns()).isEqualTo(300);
        assertThat(batch.count("successfulStartSubmissionCount")).isEqualTo(300);
        assertThat(batch.count("pendingStartSubmissionCount")).isZero();
        // One message per run: no run was sent twice, so none was even retried idempotently.
        assertThat(callsPerRequestId(batchId)).hasSize(300).allSatisfy((requestId, calls) -> assertThat(calls).isEqualTo(1));
    }

    @Test
    void aStalledIntakeIsRestartedByTheReconcilerAndTheBatchFinishes() throws Exception {
        // A batch recorded two hours ago whose intake died in CREATING (its message dead-lettered).
        S3ObjectRef settings = pipeline.put(pipeline.aws().settingsBucket(), "manual/stalled.json", bytes(inlineDocument("stalled", 3)));
        String batchId = batchIdOf(settings, null);
        pipeline.batches().createIfAbsent(BatchRecord.creating(batchId, "stalled", settings, null,
                Instant.now().minus(Duration.ofHours(2))));

        var report = pipeline.reconcileNow();
        assertThat(report.intakesResumed()).isGreaterThanOrEqualTo(1);
        BatchRecord batch = pipeline.awaitBatch(batchId, b -> PipelineTestSupport.reached(b, BatchStatus.INPROGRESS),
                DEADLINE).orElseThrow();
        assertThat(batch.status()).isIn(BatchStatus.INPROGRESS, BatchStatus.PROCESSED);
        assertThat(batch.intakeResumes()).isEqualTo(1);
        assertThat(batch.count("successfulStartSubmissionCount")).isEqualTo(3);
    }

    @Test
    void aRecordedRunIsNeverOverwritten() {
        S3ObjectRef source = new S3ObjectRef(pipeline.aws().settingsBucket(), "batches/overwrite.json", null, "e");
        String batchId = "overwrite00000000001";
        pipeline.batches().createIfAbsent(BatchRecord.creating(batchId, "overwrite", source, null, Instant.now()));
        pipeline.batches().markPending(batchId, 2, null);
        pipeline.batches().markSubmitting(batchId);
        var first = io.omicsbatch.batch.RunRecord.pending(batchId, "ow-0", "ob-" + batchId + "-a", null, "s3://out/", null, Instant.now());
        var second = io.omicsbatch.batch.RunRecord.pending(batchId, "ow-1", "ob-" + batchId + "-b", null, "s3://out/", null, Instant.now());
        assertThat(pipeline.runs().createPending(List.of(first))).isEmpty();
        pipeline.runs().recordSubmissionFailed(batchId, "ow-0", "ValidationException", "rejected");

        // Written again with a new one: the decided run keeps its outcome and is reported, the new one is created.
        assertThat(pipeline.runs().createPending(List.of(first, second))).containsExactly("ow-0");
        assertThat(pipeline.runs().get(batchId, "ow-0").orElseThrow().submissionStatus()).isEqualTo(SubmissionStatus.FAILED);
        assertThat(pipeline.runs().get(batchId, "ow-1").orElseThrow().submissionStatus()).isEqualTo(SubmissionStatus.PENDING);
        // A pending run written again is neither reset nor reported as decided: its message still matters.
        assertThat(pipeline.runs().createPending(List.of(second))).isEmpty();
    }
}
