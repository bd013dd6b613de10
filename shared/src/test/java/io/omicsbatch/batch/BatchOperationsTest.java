package io.omicsbatch.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.omicsbatch.operations.OperationResult;
import io.omicsbatch.operations.OperationService;
import io.omicsbatch.operations.RunControl;
import io.omicsbatch.settings.SettingsJson;
import io.omicsbatch.testing.RecordingSleeper;
import io.omicsbatch.testing.ScriptedPacer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The batch operations (cancel, delete runs, delete batch) on the in-memory ports, through the operations service's
 * entry point, as the operations function calls it: every transition of the batch, and those that must be refused.
 */
class BatchOperationsTest {

    private static final Duration MAX_PACING_WAIT = Duration.ofSeconds(30);
    private static final Duration SWEEP_AGAIN = Duration.ofSeconds(30);
    private static final String B1 = batchIdOf("b1");
    private static final String B2 = batchIdOf("b2");

    private final InMemoryDeployment world = new InMemoryDeployment();
    private final ScriptedPacer startPacer = new ScriptedPacer(world.clock);
    private final ScriptedPacer cancelPacer = new ScriptedPacer(world.clock);
    private final ScriptedPacer deletePacer = new ScriptedPacer(world.clock);
    private final RecordingSleeper sleeper = new RecordingSleeper(world.clock);
    private final SubmitService submit = new SubmitService(world.batches, world.runs, world.omics, startPacer,
            new SubmitService.Config(3, Duration.ofSeconds(2), Duration.ofMinutes(15), Duration.ofMinutes(1),
                    Duration.ofSeconds(5)),
            world.clock, sleeper, () -> 7L, world.completion);
    private final StatusService status = new StatusService(world.runs, world.omics, world.completion);
    private final OperationService operations = new OperationService(world.batches, world.runs, world.objects,
            world.omics, world.omics, cancelPacer, deletePacer, world.completion, new io.omicsbatch.operations.ResubmitService(world.batches, world.runs, world.objects, world.intakeQueue, world.clock),
            new OperationService.Config(SWEEP_AGAIN), world.clock, sleeper);
    private int requests;

    // ------------------------------------------------------------------------------------------------------ cancel

    @Test
    void cancelWhileSubmittingStopsEveryKindOfRunAndEndsCancelledWithExactCounts() throws Exception {
        List<RunMessage> messages = world.submittingBatch(B1, 4, true);
        submit.submit(messages.get(0), MAX_PACING_WAIT); // S0 started
        RunRecord s0 = world.run(B1, "S0");
        world.omics.advance(s0.runId(), RunStatus.RUNNING);
        status.onEvent(world.event(s0, RunStatus.RUNNING));
        world.runs.claimSubmission(B1, "S1"); // S1: its StartRun in flight when the cancel comes
        // S2, S3: not submitted yet

        OperationResult first = cancel(B1);

        assertThat(first.outcome()).isEqualTo(OperationResult.Outcome.CONTINUE);
        assertThat(first.retryAfter()).isEqualTo(SWEEP_AGAIN);
        BatchRecord stopping = world.batch(B1);
        assertThat(stopping.status()).isEqualTo(BatchStatus.STOPPING);
        assertThat(world.events.statuses(B1)).endsWith("STOPPING");
        assertThat(world.omics.cancelRunCalls()).containsExactly(s0.runId());
        assertThat(world.run(B1, "S0").cancelStatus()).isEqualTo(SubmissionStatus.CANCEL_SUCCESS);
        for (String notSubmitted : List.of("S2", "S3")) {
            RunRecord run = world.run(B1, notSubmitted);
            assertThat(run.submissionStatus()).isEqualTo(SubmissionStatus.FAILED);
            assertThat(run.submissionFailureReason()).isEqualTo(SubmitService.NOT_SUBMITTED_CANCELLED);
        }
        assertThat(world.run(B1, "S1").submissionStatus()).isEqualTo(SubmissionStatus.PENDING);

        // The in-flight StartRun's message is handled: it was claimed, so its StartRun is made and recorded.
        assertThat(submit.submit(messages.get(1), MAX_PACING_WAIT)).isEqualTo(new SubmitService.Outcome.Done("submitted"));
        // Late messages of runs the cancel kept back start nothing.
        assertThat(submit.submit(messages.get(2), MAX_PACING_WAIT)).isInstanceOf(SubmitService.Outcome.Done.class);
        assertThat(world.omics.startRunCalls()).hasSize(2);

        OperationResult second = cancel(B1);
        RunRecord s1 = world.run(B1, "S1");
        assertThat(second.outcome()).isEqualTo(OperationResult.Outcome.DONE);
        assertThat(world.omics.cancelRunCalls()).containsExactly(s0.runId(), s1.runId());

        for (RunRecord run : List.of(world.run(B1, "S0"), s1)) {
            world.omics.advance(run.runId(), RunStatus.CANCELLED);
            status.onEvent(world.event(run, RunStatus.STOPPING));
            status.onEvent(world.event(run, RunStatus.CANCELLED));
        }

        BatchRecord cancelled = world.batch(B1);
        assertThat(cancelled.status()).isEqualTo(BatchStatus.CANCELLED);
        assertThat(cancelled.count("successfulStartSubmissionCount")).isEqualTo(2);
        assertThat(cancelled.count("failedStartSubmissionCount")).isEqualTo(2);
        assertThat(cancelled.count("pendingStartSubmissionCount")).isZero();
        assertThat(cancelled.count("successfulCancelSubmissionCount")).isEqualTo(2);
        assertThat(cancelled.count("failedCancelSubmissionCount")).isZero();
        assertThat(cancelled.count("cancelledRunCount")).isEqualTo(2);
        assertThat(world.events.statuses(B1)).containsSubsequence("SUBMITTING", "STOPPING", "CANCELLED");
        assertThat(world.objects.head(InMemoryDeployment.SETTINGS_BUCKET, ResultsManifest.key(B1, "runs.csv"))).isPresent();

        // A redelivered cancel request changes nothing.
        assertThat(cancel(B1).outcome()).isEqualTo(OperationResult.Outcome.DONE);
        assertThat(world.batch(B1).count("successfulCancelSubmissionCount")).isEqualTo(2);
        assertThat(world.omics.cancelRunCalls()).hasSize(2);
    }

    @Test
    void aSubmitThatReadTheBatchBeforeTheCancelStillMakesNoStartRunAfterIt() throws Exception {
        List<RunMessage> messages = world.submittingBatch(B1, 2, true);
        submit.submit(messages.get(0), MAX_PACING_WAIT); // caches the batch as SUBMITTING
        world.batches.markStopping(B1);

        SubmitService.Outcome outcome = submit.submit(messages.get(1), MAX_PACING_WAIT);

        assertThat(outcome).isInstanceOf(SubmitService.Outcome.Done.class);
        assertThat(world.omics.startRunCalls()).hasSize(1);
        assertThat(world.run(B1, "S1").submissionFailureReason()).isEqualTo(SubmitService.NOT_SUBMITTED_CANCELLED);
        assertThat(world.batch(B1).count("failedStartSubmissionCount")).isEqualTo(1);
    }

    @Test
    void cancelFromPendingStartsTheCountersSoTheExpansionCanGiveEveryRunItsFinalState() throws Exception {
        world.createdBatch(B1);
        world.batches.markPending(B1, 3, null);

        OperationResult result = cancel(B1);

        BatchRecord batch = world.batch(B1);
        assertThat(batch.status()).isEqualTo(BatchStatus.STOPPING);
        assertThat(batch.count("pendingStartSubmissionCount")).isEqualTo(3);
        assertThat(result.outcome()).isEqualTo(OperationResult.Outcome.DONE);
        assertThat(world.batches.acquireExpansionLease(B1, "intake", world.clock.instant().plusSeconds(60))).isTrue();
    }

    @Test
    void cancelFromInProgressCancelsTheRunsNotFinishedOnly() throws Exception {
        List<RunMessage> messages = world.submittingBatch(B1, 2, true);
        submit.submit(messages.get(0), MAX_PACING_WAIT);
        submit.submit(messages.get(1), MAX_PACING_WAIT);
        RunRecord done = world.run(B1, "S0");
        world.omics.advance(done.runId(), RunStatus.COMPLETED);
        status.onEvent(world.event(done, RunStatus.COMPLETED));
        assertThat(world.batch(B1).status()).isEqualTo(BatchStatus.INPROGRESS);

        assertThat(cancel(B1).outcome()).isEqualTo(OperationResult.Outcome.DONE);

        RunRecord running = world.run(B1, "S1");
        assertThat(world.omics.cancelRunCalls()).containsExactly(running.runId());
        world.omics.advance(running.runId(), RunStatus.CANCELLED);
        status.onEvent(world.event(running, RunStatus.CANCELLED));
        BatchRecord batch = world.batch(B1);
        assertThat(batch.status()).isEqualTo(BatchStatus.CANCELLED);
        assertThat(batch.count("completedRunCount")).isEqualTo(1);
        assertThat(batch.count("cancelledRunCount")).isEqualTo(1);
    }

    @Test
    void aCancelRunThatFailsIsCountedOnceAndThrottlingIsRetried() throws Exception {
        List<RunMessage> messages = world.submittingBatch(B1, 2, true);
        submit.submit(messages.get(0), MAX_PACING_WAIT);
        submit.submit(messages.get(1), MAX_PACING_WAIT);
        world.omics.failNextCancelRun(new RunControl.RunControlException(RunControl.ErrorKind.THROTTLED,
                "ThrottlingException", "slow down", null));
        world.omics.failNextCancelRun(new RunControl.RunControlException(RunControl.ErrorKind.FINAL,
                "AccessDeniedException", "no", null));

        cancel(B1);
        cancel(B1);

        BatchRecord batch = world.batch(B1);
        assertThat(batch.count("successfulCancelSubmissionCount")).isEqualTo(1);
        assertThat(batch.count("failedCancelSubmissionCount")).isEqualTo(1);
        assertThat(cancelPacer.throttledReports()).isEqualTo(1);
        assertThat(world.run(B1, "S0").cancelStatus()).isEqualTo(SubmissionStatus.CANCEL_FAILED);
        assertThat(world.omics.cancelRunCalls()).hasSize(3);
    }

    @Test
    void cancelAfterProcessedIsRefusedWithAReport() throws Exception {
        processedBatch(B1, 1);

        OperationResult result = cancel(B1);

        assertThat(result.outcome()).isEqualTo(OperationResult.Outcome.REFUSED);
        assertThat(world.batch(B1).status()).isEqualTo(BatchStatus.PROCESSED);
        JsonNode report = report("cancel/r" + requests + ".json");
        assertThat(report.path("operation").asText()).isEqualTo("CancelRunBatch");
        assertThat(report.path("errors").get(0).path("pointer").asText()).isEqualTo("/batchId");
        assertThat(report.path("errors").get(0).path("message").asText()).contains("PROCESSED");
    }

    @Test
    void aCancelOfAnUnknownBatchIsRefused() throws Exception {
        assertThat(cancel("0123456789abcdef0123").outcome()).isEqualTo(OperationResult.Outcome.REFUSED);
    }

    @Test
    void anInvalidRequestGetsPointerErrors() throws Exception {
        OperationResult result = request("cancel/bad.json", "{\"batchId\": 7, \"force\": true}");

        assertThat(result.outcome()).isEqualTo(OperationResult.Outcome.INVALID);
        JsonNode errors = report("cancel/bad.json").path("errors");
        assertThat(errors.findValuesAsText("pointer")).containsExactlyInAnyOrder("/force", "/batchId");
        assertThat(errors.findValuesAsText("rule")).containsExactlyInAnyOrder("unknown-member", "type");
    }

    // ------------------------------------------------------------------------------------------------ delete runs

    @Test
    void deleteRunsWhileSubmittingIsRefused() throws Exception {
        world.submittingBatch(B1, 1, true);

        assertThat(request("delete-runs/d.json", "{\"batchId\":\"b-1\"}").outcome())
                .isEqualTo(OperationResult.Outcome.INVALID); // not a batch id
        assertThat(deleteRuns(B1).outcome()).isEqualTo(OperationResult.Outcome.REFUSED);
    }

    @Test
    void deleteRunsDeletesEveryStartedRunAndCountsAFailedDelete() throws Exception {
        String batchId = B1;
        processedBatch(batchId, 3);
        world.omics.failNextDeleteRun(new RunControl.RunControlException(RunControl.ErrorKind.FINAL,
                "AccessDeniedException", "explicit deny", null));

        OperationResult result = deleteRuns(batchId);

        assertThat(result.outcome()).isEqualTo(OperationResult.Outcome.DONE);
        BatchRecord batch = world.batch(batchId);
        assertThat(batch.status()).isEqualTo(BatchStatus.RUNS_DELETE_FAILED);
        assertThat(batch.count("successfulDeleteSubmissionCount")).isEqualTo(2);
        assertThat(batch.count("failedDeleteSubmissionCount")).isEqualTo(1);
        assertThat(world.omics.deleteRunCalls()).hasSize(3);
        assertThat(world.events.statuses(batchId)).containsSubsequence("PROCESSED", "RUNS_DELETING", "RUNS_DELETE_FAILED");
        assertThat(world.run(batchId, "S0").effectiveSubmissionStatus()).isEqualTo(SubmissionStatus.DELETE_FAILED);
        assertThat(world.run(batchId, "S1").effectiveSubmissionStatus()).isEqualTo(SubmissionStatus.DELETE_SUCCESS);

        assertThat(deleteRuns(batchId).outcome()).isEqualTo(OperationResult.Outcome.DONE);
        assertThat(world.omics.deleteRunCalls()).hasSize(3);
    }

    @Test
    void deleteRunsNeverDeletesAnotherRunThatReusedTheIdOfOneAlreadyGone() throws Exception {
        processedBatch(B1, 2);
        String gone = world.run(B1, "S0").runId();
        world.omics.deleteAndReuseId(gone); // retention mode REMOVE: deleted by the service, its id handed on
        processedBatch(B2, 1);
        assertThat(world.run(B2, "S0").runId()).as("the id is reused").isEqualTo(gone);

        assertThat(deleteRuns(B1).outcome()).isEqualTo(OperationResult.Outcome.DONE);

        assertThat(world.omics.deleteRunCalls()).as("only the run still ours").containsExactly(world.run(B1, "S1").runId());
        assertThat(world.omics.getRun(gone)).as("the other batch's run is untouched").isPresent();
        BatchRecord batch = world.batch(B1);
        assertThat(batch.status()).isEqualTo(BatchStatus.RUNS_DELETED);
        assertThat(batch.count("successfulDeleteSubmissionCount")).isEqualTo(2);
    }

    @Test
    void deleteRunsOfACancelledBatchEndsRunsDeleted() throws Exception {
        String batchId = B1;
        List<RunMessage> messages = world.submittingBatch(batchId, 1, true);
        submit.submit(messages.get(0), MAX_PACING_WAIT);
        cancel(batchId);
        RunRecord run = world.run(batchId, "S0");
        world.omics.advance(run.runId(), RunStatus.CANCELLED);
        status.onEvent(world.event(run, RunStatus.CANCELLED));
        assertThat(world.batch(batchId).status()).isEqualTo(BatchStatus.CANCELLED);

        deleteRuns(batchId);

        assertThat(world.batch(batchId).status()).isEqualTo(BatchStatus.RUNS_DELETED);
        assertThat(world.omics.run(run.runId())).isEmpty();
    }

    // ----------------------------------------------------------------------------------------------- delete batch

    @Test
    void deleteBatchRemovesTheRecordsFromATerminalStatusOnly() throws Exception {
        String batchId = B1;
        processedBatch(batchId, 2);
        String other = batchIdOf("b2");
        world.submittingBatch(other, 1, true);

        assertThat(deleteBatch(other).outcome()).isEqualTo(OperationResult.Outcome.REFUSED);
        assertThat(deleteBatch(batchId).outcome()).isEqualTo(OperationResult.Outcome.DONE);

        assertThat(world.batches.get(batchId)).isEmpty();
        assertThat(world.runs.get(batchId, "S0")).isEmpty();
        assertThat(world.objects.head(InMemoryDeployment.SETTINGS_BUCKET, ResultsManifest.key(batchId, "runs.csv"))).isPresent();
        assertThat(world.batches.get(other)).isPresent();
        assertThat(deleteBatch(batchId).outcome()).isEqualTo(OperationResult.Outcome.DONE);
    }

    // ------------------------------------------------------------------------------------------------- resubmit

    @Test
    void aResubmitMakesOneBatchOfTheFailedRunsWithLineageAndIsRefusedWhileTheBatchRuns() throws Exception {
        String other = batchIdOf("b2");
        world.submittingBatch(other, 1, true);
        assertThat(request("resubmit/early.json", "{\"batchId\":\"" + other + "\"}").outcome())
                .isEqualTo(OperationResult.Outcome.REFUSED);

        S3ObjectRef document = world.objects.putObject(InMemoryDeployment.SETTINGS_BUCKET, "batches/cohort.json",
                ("{\"batchName\":\"cohort\",\"defaultRunSetting\":{\"workflowId\":\"1234567\"},"
                        + "\"batchRunSettings\":{\"inlineSettings\":[{\"runSettingId\":\"S0\"},{\"runSettingId\":\"S1\"},"
                        + "{\"runSettingId\":\"S2\"}]}}").getBytes(StandardCharsets.UTF_8));
        world.batches.createIfAbsent(BatchRecord.creating(B1, "cohort", document, null, world.clock.instant()));
        world.batches.markPending(B1, 3, null);
        world.batches.markSubmitting(B1);
        for (int i = 0; i < 3; i++) {
            world.runs.createPending(List.of(RunRecord.pending(B1, "S" + i, InMemoryDeployment.requestId(B1, "S" + i),
                    "wgs-S" + i, "s3://lab-results/", null, world.clock.instant())));
        }
        world.batches.acquireExpansionLease(B1, "intake", world.clock.instant().plusSeconds(60));
        world.batches.markExpansionComplete(B1, "intake", 3);
        for (int i = 0; i < 3; i++) {
            submit.submit(world.message(B1, "S" + i), MAX_PACING_WAIT);
            RunRecord run = world.run(B1, "S" + i);
            world.omics.advance(run.runId(), RunStatus.COMPLETED);
            status.onEvent(world.event(run, RunStatus.COMPLETED));
        }
        assertThat(world.batch(B1).status()).isEqualTo(BatchStatus.PROCESSED);
        assertThat(request("resubmit/none.json", "{\"batchId\":\"" + B1 + "\"}").outcome())
                .as("nothing FAILED or CANCELLED to resubmit").isEqualTo(OperationResult.Outcome.REFUSED);

        OperationResult first = request("resubmit/some.json", "{\"batchId\":\"" + B1 + "\", \"requestId\": \"r-1\","
                + "\"runSettingIds\": [\"S2\"], \"cacheId\": \"42\", \"cacheBehavior\": \"CACHE_ON_FAILURE\"}");
        OperationResult again = request("resubmit/some-again.json", "{\"batchId\":\"" + B1 + "\", \"requestId\": \"r-1\","
                + "\"runSettingIds\": [\"S2\"]}");

        assertThat(first.outcome()).isEqualTo(OperationResult.Outcome.DONE);
        String resubmit = first.batchId();
        assertThat(resubmit).isEqualTo(io.omicsbatch.settings.BatchIdentity.resubmitBatchId("r-1",
                InMemoryDeployment.SETTINGS_BUCKET, "resubmit/some.json", null, "ignored"));
        assertThat(again.batchId()).isEqualTo(resubmit);
        BatchRecord made = world.batch(resubmit);
        assertThat(made.status()).isEqualTo(BatchStatus.CREATING);
        assertThat(made.resubmitOf()).isEqualTo(B1);
        assertThat(made.batchName()).isEqualTo("cohort-resubmit");
        assertThat(world.batch(B1).resubmittedAs()).containsExactly(resubmit);
        // The repeated request found the batch still CREATING (no intake here) and asked for its intake again: safe.
        assertThat(world.intakeQueue.resumed()).extracting(S3ObjectRef::key)
                .containsOnly(io.omicsbatch.operations.ResubmitService.documentKey(resubmit));
        JsonNode runs;
        try (var in = world.objects.open(world.objects.head(InMemoryDeployment.SETTINGS_BUCKET,
                "runs/resubmits/" + resubmit + ".json").orElseThrow())) {
            runs = SettingsJson.MAPPER.readTree(in);
        }
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).path("runSettingId").asText()).isEqualTo("S2");
        assertThat(runs.get(0).path("cacheId").asText()).isEqualTo("42");
        assertThat(runs.get(0).path("cacheBehavior").asText()).isEqualTo("CACHE_ON_FAILURE");
    }

    // ----------------------------------------------------------------------------------------------------- list

    @Test
    void listFiltersByStatusAndNameAndPagesNewestFirstFromWhereThePreviousPageStopped() throws Exception {
        for (int i = 0; i < 9; i++) {
            world.submittingBatch("b" + i, 1, true); // named cohort-b<i>, one minute apart
            world.clock.advance(Duration.ofMinutes(1));
        }
        world.batches.markStopping("b3");
        world.batches.markStopping("b7");
        world.batches.createIfAbsent(BatchRecord.creating("b9", "cohort-b2", new S3ObjectRef(
                InMemoryDeployment.SETTINGS_BUCKET, "batches/again.json", null, "e"), null, world.clock.instant()));

        assertThat(world.batches.list(new BatchStore.BatchQuery(BatchStatus.STOPPING, null, 100, null)).batches())
                .extracting(BatchRecord::batchId).containsExactly("b7", "b3");
        assertThat(world.batches.list(new BatchStore.BatchQuery(null, "cohort-b2", 100, null)).batches())
                .extracting(BatchRecord::batchId).containsExactly("b9", "b2");

        // Every batch once, newest first, each page examining at most 2 from after the previous page's last.
        assertThat(pages(null, null, 2)).containsExactly(List.of("b9", "b8"), List.of("b7", "b6"), List.of("b5", "b4"),
                List.of("b3", "b2"), List.of("b1", "b0"));
        // Filtered pages are short, or empty, but never start over.
        assertThat(pages(BatchStatus.STOPPING, null, 3)).containsExactly(List.of("b7"), List.of(), List.of("b3"), List.of());
        assertThat(pages(BatchStatus.SUBMITTING, "cohort-b2", 4)).containsExactly(List.of(), List.of("b2"), List.of());
        assertThat(pages(BatchStatus.CREATING, null, 10)).containsExactly(List.of("b9"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> world.batches.list(
                new BatchStore.BatchQuery(null, null, 2, "not-a-token!"))).isInstanceOf(IllegalArgumentException.class);
    }

    /** The batch ids of every page of a listing, following the tokens from the first page to the last. */
    private List<List<String>> pages(BatchStatus status, String name, int maxResults) {
        List<List<String>> pages = new java.util.ArrayList<>();
        String token = null;
        do {
            BatchStore.BatchPage page = world.batches.list(new BatchStore.BatchQuery(status, name, maxResults, token));
            pages.add(page.batches().stream().map(BatchRecord::batchId).toList());
            token = page.nextToken();
        } while (token != null && pages.size() < 20);
        return pages;
    }

    // --------------------------------------------------------------------------------------------------- helpers

    /** A hex batch id (request documents must name a real one). */
    private static String batchIdOf(String name) {
        return io.omicsbatch.settings.BatchIdentity.batchIdForRequestId(name);
    }

    private void processedBatch(String batchId, int runs) throws Exception {
        List<RunMessage> messages = world.submittingBatch(batchId, runs, true);
        for (RunMessage message : messages) {
            submit.submit(message, MAX_PACING_WAIT);
            RunRecord run = world.run(batchId, message.runSettingId());
            world.omics.advance(run.runId(), RunStatus.COMPLETED);
            status.onEvent(world.event(run, RunStatus.COMPLETED));
        }
        assertThat(world.batch(batchId).status()).isEqualTo(BatchStatus.PROCESSED);
    }

    private OperationResult cancel(String batchId) throws Exception {
        return request("cancel/r" + (++requests) + ".json", "{\"batchId\":\"" + batchId + "\"}");
    }

    private OperationResult deleteRuns(String batchId) throws Exception {
        return request("delete-runs/r" + (++requests) + ".json", "{\"batchId\":\"" + batchId + "\"}");
    }

    private OperationResult deleteBatch(String batchId) throws Exception {
        return request("delete-batch/r" + (++requests) + ".json", "{\"batchId\":\"" + batchId + "\"}");
    }

    private OperationResult request(String key, String json) throws Exception {
        S3ObjectRef ref = world.objects.putObject(InMemoryDeployment.SETTINGS_BUCKET, key, json.getBytes(StandardCharsets.UTF_8));
        return operations.handle(ref, () -> true);
    }

    private JsonNode report(String requestKey) throws Exception {
        try (var in = world.objects.open(world.objects.head(InMemoryDeployment.SETTINGS_BUCKET,
                OperationService.reportKey(requestKey)).orElseThrow())) {
            return SettingsJson.MAPPER.readTree(in);
        }
    }
}
