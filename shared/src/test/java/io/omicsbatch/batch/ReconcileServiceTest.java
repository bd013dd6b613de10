package io.omicsbatch.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omicsbatch.testing.RecordingSleeper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One reconcile pass at a time, on the in-memory ports. */
class ReconcileServiceTest {

    private static final Duration STALE_AFTER = Duration.ofMinutes(15);
    private static final Duration RETENTION = Duration.ofDays(14);
    private static final Duration STALLED_AFTER = Duration.ofHours(2);

    private final InMemoryDeployment world = new InMemoryDeployment();
    private final Instant start = world.clock.instant();
    private final RecordingSleeper sleeper = new RecordingSleeper(world.clock);
    private final StatusService status = new StatusService(world.runs, world.omics, world.completion);
    private final ReconcileService reconcile = new ReconcileService(world.batches, world.runs, world.omics, status,
            world.completion, world.batches.announcer(), world.intakeQueue, new ReconcileService.Config(STALE_AFTER, 5,
            RETENTION, STALLED_AFTER, 3), world.clock, sleeper);

    @Test
    void statusesNotYetAnnouncedArePublishedInLifecycleOrder() throws Exception {
        world.events.failNext(3); // CREATING, PENDING and SUBMITTING are not published at their transitions
        world.submittingBatch("b1", 1, true);
        world.createdBatch("b2");
        world.events.failNext(1);
        world.batches.markFailed("b2", List.of(BatchStatus.CREATING), "ValidationFailed", "invalid", List.of(), 1);

        ReconcileService.Report report = reconcile.reconcile(() -> true);

        assertThat(report.batches()).isEqualTo(2);
        assertThat(world.events.statuses("b1")).containsExactly("CREATING", "PENDING", "SUBMITTING");
        assertThat(world.events.statuses("b2")).containsExactly("CREATING", "FAILED");
        assertThat(world.batch("b2").unannouncedStatuses()).isEmpty();
        // Announced and final: the next pass does not even look at it.
        assertThat(reconcile.reconcile(() -> true).batches()).isEqualTo(1);
    }

    @Test
    void aRunWithoutNewsForStaleAfterIsReadWithGetRunAndItsChangeApplied() throws Exception {
        world.submittingBatch("b1", 1, true);
        RunRecord run = world.submitted("b1", "S0");
        world.omics.advance(run.runId(), RunStatus.RUNNING);
        world.clock.advance(STALE_AFTER.plusSeconds(1));

        ReconcileService.Report report = reconcile.reconcile(() -> true);

        assertThat(report.runsRead()).isEqualTo(1);
        assertThat(report.runsChanged()).isEqualTo(1);
        assertThat(world.run("b1", "S0").status()).isEqualTo(RunStatus.RUNNING);
        assertThat(world.batch("b1").count("runningRunCount")).isEqualTo(1);
    }

    @Test
    void aRunWithRecentNewsIsNotRead() throws Exception {
        world.submittingBatch("b1", 1, true);
        world.submitted("b1", "S0");
        world.clock.advance(STALE_AFTER);

        ReconcileService.Report report = reconcile.reconcile(() -> true);

        assertThat(report.runsRead()).isZero();
        assertThat(world.omics.getRunCalls()).isEmpty();
    }

    @Test
    void aRunReadWithoutNewsIsNotDueAgainUntilStaleAfterHasPassedOnceMore() throws Exception {
        world.submittingBatch("b1", 1, true);
        world.submitted("b1", "S0");
        world.clock.advance(STALE_AFTER.plusSeconds(1));

        assertThat(reconcile.reconcile(() -> true).runsChanged()).isZero();
        world.clock.advance(Duration.ofMinutes(5));
        assertThat(reconcile.reconcile(() -> true).runsRead()).isZero();
        world.clock.advance(STALE_AFTER);
        assertThat(reconcile.reconcile(() -> true).runsRead()).isEqualTo(1);
    }

    @Test
    void aRunHealthOmicsNoLongerKnowsWasDeletedAndMayFinishItsBatch() throws Exception {
        world.submittingBatch("b1", 1, true);
        RunRecord run = world.submitted("b1", "S0");
        world.omics.delete(run.runId());
        world.clock.advance(STALE_AFTER.plusSeconds(1));

        ReconcileService.Report report = reconcile.reconcile(() -> true);

        assertThat(report.runsChanged()).isEqualTo(1);
        assertThat(report.processed()).isEqualTo(1);
        assertThat(world.run("b1", "S0").status()).isEqualTo(RunStatus.DELETED);
        assertThat(world.batch("b1").count("deletedRunCount")).isEqualTo(1);
        assertThat(world.batch("b1").status()).isEqualTo(BatchStatus.PROCESSED);
    }

    @Test
    void aRunWhoseIdNowNamesAnotherRunWasDeleted() throws Exception {
        world.submittingBatch("b1", 1, true);
        RunRecord run = world.submitted("b1", "S0");
        world.omics.reuseId(run.runId());
        world.clock.advance(STALE_AFTER.plusSeconds(1));

        reconcile.reconcile(() -> true);

        RunRecord deleted = world.run("b1", "S0");
        assertThat(deleted.status()).isEqualTo(RunStatus.DELETED);
        assertThat(deleted.uuid()).isEqualTo(run.uuid());
    }

    @Test
    void aRunWhoseIdNowNamesAnotherOfOurRunsIsDeletedAndTheOtherRunsRecordIsItsOwn() throws Exception {
        world.submittingBatch("b1", 2, true);
        RunRecord first = world.submitted("b1", "S0");
        world.omics.advance(first.runId(), RunStatus.COMPLETED);
        world.omics.deleteAndReuseId(first.runId()); // its COMPLETED and DELETED events were lost
        RunRecord second = world.submitted("b1", "S1");
        world.omics.advance(second.runId(), RunStatus.RUNNING);
        world.clock.advance(STALE_AFTER.plusSeconds(1));

        ReconcileService.Report report = reconcile.reconcile(() -> true);

        assertThat(report.runsRead()).isEqualTo(2);
        RunRecord deleted = world.run("b1", "S0");
        assertThat(deleted.status()).isEqualTo(RunStatus.DELETED);
        assertThat(deleted.uuid()).isEqualTo(first.uuid());
        RunRecord running = world.run("b1", "S1");
        assertThat(running.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(running.uuid()).isEqualTo(second.uuid());
        assertThat(world.batch("b1").count("deletedRunCount")).isEqualTo(1);
        assertThat(world.batch("b1").count("runningRunCount")).isEqualTo(1);
        assertThat(world.batch("b1").count("pendingRunCount")).isZero();
    }

    @Test
    void aRunRecordedDeletedIsNotReadAgainSoNoPassLoopsOnIt() throws Exception {
        world.submittingBatch("b1", 2, true);
        RunRecord gone = world.submitted("b1", "S0");
        world.submitted("b1", "S1"); // keeps the batch open
        world.omics.delete(gone.runId());
        world.clock.advance(STALE_AFTER.plusSeconds(1));
        assertThat(reconcile.reconcile(() -> true).runsRead()).isEqualTo(2);

        world.clock.advance(STALE_AFTER.plusSeconds(1));
        ReconcileService.Report report = reconcile.reconcile(() -> true);

        assertThat(report.runsRead()).isEqualTo(1);
        assertThat(world.omics.getRunCalls()).containsOnlyOnce(gone.runId());
        assertThat(world.batch("b1").count("deletedRunCount")).isEqualTo(1);
    }

    @Test
    void aCompletedRunDeletedLaterIsNeitherReadNorChanged() throws Exception {
        world.submittingBatch("b1", 2, true);
        RunRecord run = world.submitted("b1", "S0");
        world.submitted("b1", "S1");
        world.omics.advance(run.runId(), RunStatus.COMPLETED);
        status.onEvent(world.event(run, RunStatus.COMPLETED));
        RunRecord completed = world.run("b1", "S0");
        world.omics.delete(run.runId());
        world.clock.advance(STALE_AFTER.plusSeconds(1));

        reconcile.reconcile(() -> true);

        assertThat(world.run("b1", "S0")).isEqualTo(completed);
        assertThat(world.batch("b1").count("completedRunCount")).isEqualTo(1);
        assertThat(world.batch("b1").count("deletedRunCount")).isZero();
    }

    @Test
    void aPendingSubmissionWhoseMessageMustHaveExpiredIsAFailedSubmission() throws Exception {
        world.submittingBatch("b1", 1, true);
        world.clock.advance(RETENTION.plusHours(25));

        assertThat(reconcile.reconcile(() -> true).expiredSubmissions()).isZero(); // not surely gone yet
        world.clock.advance(Duration.ofSeconds(1));
        ReconcileService.Report report = reconcile.reconcile(() -> true);

        assertThat(report.expiredSubmissions()).isEqualTo(1);
        RunRecord run = world.run("b1", "S0");
        assertThat(run.submissionStatus()).isEqualTo(SubmissionStatus.FAILED);
        assertThat(run.submissionFailureReason()).isEqualTo(ReconcileService.MESSAGE_EXPIRED);
        assertThat(run.submissionFailureMessage()).contains("retention 14 days");
        assertThat(report.processed()).isEqualTo(1);
        assertThat(world.omics.getRunCalls()).isEmpty();
    }

    @Test
    void aMessageSentAgainIsNotExpired() throws Exception {
        world.submittingBatch("b1", 1, true);
        world.clock.advance(Duration.ofDays(10));
        world.runs.recordRequeued("b1", "S0");
        world.clock.set(start.plus(RETENTION).plus(Duration.ofHours(26)));

        assertThat(reconcile.reconcile(() -> true).expiredSubmissions()).isZero();

        assertThat(world.run("b1", "S0").submissionStatus()).isEqualTo(SubmissionStatus.PENDING);
    }

    @Test
    void runsOfAFailedBatchAreNotReadButItsStatusIsAnnounced() throws Exception {
        world.submittingBatch("b1", 1, true);
        world.submitted("b1", "S0");
        world.events.failNext(1);
        world.batches.markFailed("b1", List.of(BatchStatus.SUBMITTING), "RunsFileChanged", "replaced", List.of(), 0);
        world.clock.advance(STALE_AFTER.plusSeconds(1));

        ReconcileService.Report report = reconcile.reconcile(() -> true);

        assertThat(report.runsRead()).isZero();
        assertThat(world.events.statuses("b1")).endsWith("FAILED");
    }

    @Test
    void aBatchWhoseCompletionWasInterruptedIsProcessed() throws Exception {
        world.submittingBatch("b1", 1, true);
        RunRecord run = world.submitted("b1", "S0");
        // The status function recorded the last terminal status, then died before checking the batch.
        world.runs.applyChange(run, new RunChange(RunStatus.COMPLETED, null, null, null, null, null, null, null, null));
        world.batches.markInProgressIfAllSubmitted("b1");

        ReconcileService.Report report = reconcile.reconcile(() -> true);

        assertThat(report.processed()).isEqualTo(1);
        assertThat(world.batch("b1").status()).isEqualTo(BatchStatus.PROCESSED);
        assertThat(world.events.statuses("b1")).endsWith("PROCESSED");
    }

    @Test
    void getRunIsPacedAtTheConfiguredRate() throws Exception {
        world.submittingBatch("b1", 3, true);
        for (String runSettingId : List.of("S0", "S1", "S2")) {
            world.submitted("b1", runSettingId);
        }
        world.clock.advance(STALE_AFTER.plusSeconds(1));

        assertThat(reconcile.reconcile(() -> true).runsRead()).isEqualTo(3);

        // 5 per second: one every 200 ms, the first at once.
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofMillis(200), Duration.ofMillis(200));
    }

    @Test
    void aPassOutOfTimeStopsBetweenBatchesAndSaysSo() throws Exception {
        world.submittingBatch("b1", 1, true);
        world.submittingBatch("b2", 1, true);
        AtomicInteger asked = new AtomicInteger();

        ReconcileService.Report report = reconcile.reconcile(() -> asked.incrementAndGet() == 1);

        assertThat(report.batches()).isEqualTo(1);
        assertThat(report.complete()).isFalse();
    }

    @Test
    void aPassOutOfTimeStopsBetweenRuns() throws Exception {
        world.submittingBatch("b1", 1, true);
        world.submitted("b1", "S0");
        world.clock.advance(STALE_AFTER.plusSeconds(1));
        AtomicInteger asked = new AtomicInteger();

        ReconcileService.Report report = reconcile.reconcile(() -> asked.incrementAndGet() == 1);

        assertThat(report.runsRead()).isZero();
        assertThat(report.complete()).isFalse();
        assertThat(world.omics.getRunCalls()).isEmpty();
    }

    @Test
    void aGetRunFailureDelaysOnlyItsOwnRunAndThePassStillFailsAtItsEnd() throws Exception {
        world.submittingBatch("b1", 1, true);
        world.submittingBatch("b2", 1, true);
        RunRecord first = world.submitted("b1", "S0");
        RunRecord second = world.submitted("b2", "S0");
        world.omics.advance(first.runId(), RunStatus.RUNNING);
        world.omics.advance(second.runId(), RunStatus.RUNNING);
        world.clock.advance(STALE_AFTER.plusSeconds(1));
        world.omics.failNextGetRun(new IllegalStateException("ThrottlingException: Rate exceeded"));

        assertThatThrownBy(() -> reconcile.reconcile(() -> true)).hasMessageContaining("1 GetRun call failed")
                .hasRootCauseMessage("ThrottlingException: Rate exceeded");
        assertThat(world.run("b1", "S0").status()).isEqualTo(RunStatus.PENDING);
        assertThat(world.run("b2", "S0").status()).as("the other batch's run was read").isEqualTo(RunStatus.RUNNING);

        assertThat(reconcile.reconcile(() -> true).runsChanged()).isEqualTo(1);
        assertThat(world.run("b1", "S0").status()).isEqualTo(RunStatus.RUNNING);
    }

    // ---- stalled intakes ----

    @Test
    void anIntakeStalledInCreatingIsRestartedOnceAPeriodThenFailedAsIntakeStalled() throws Exception {
        world.createdBatch("b1");
        world.clock.advance(STALLED_AFTER.plusSeconds(1));

        assertThat(reconcile.reconcile(() -> true).intakesResumed()).isEqualTo(1);
        assertThat(world.intakeQueue.drain()).extracting(S3ObjectRef::key).containsExactly("batches/b1.json");
        assertThat(world.batch("b1").intakeResumes()).isEqualTo(1);
        // The restart counts as progress: nothing again until another period has passed.
        assertThat(reconcile.reconcile(() -> true).intakesResumed()).isZero();
        assertThat(world.intakeQueue.resumed()).isEmpty();

        for (int restart = 2; restart <= 3; restart++) {
            world.clock.advance(STALLED_AFTER.plusSeconds(1));
            assertThat(reconcile.reconcile(() -> true).intakesResumed()).isEqualTo(1);
        }
        world.clock.advance(STALLED_AFTER.plusSeconds(1));
        ReconcileService.Report report = reconcile.reconcile(() -> true);

        assertThat(report.intakesStalled()).isEqualTo(1);
        BatchRecord batch = world.batch("b1");
        assertThat(batch.status()).isEqualTo(BatchStatus.FAILED);
        assertThat(batch.failureReason()).isEqualTo(ReconcileService.INTAKE_STALLED);
        assertThat(batch.failureMessage()).contains("after 3 restarts");
        assertThat(world.events.statuses("b1")).endsWith("FAILED");
        assertThat(world.intakeQueue.drain()).hasSize(2);
    }

    @Test
    void anUnfinishedExpansionWithoutALiveLeaseIsRestartedAndItsRunsStillReconciled() throws Exception {
        world.submittingBatch("b1", 2, false);
        world.clock.advance(STALLED_AFTER.plusSeconds(1));
        assertThat(world.batch("b1").expansionLease().heldAt(world.clock.instant())).isFalse();

        ReconcileService.Report report = reconcile.reconcile(() -> true);

        assertThat(report.intakesResumed()).isEqualTo(1);
        assertThat(world.intakeQueue.drain()).hasSize(1);
    }

    @Test
    void anExpansionUnderALiveLeaseOrWithRecentProgressIsLeftAlone() throws Exception {
        world.submittingBatch("live", 2, false);
        world.batches.acquireExpansionLease("live", InMemoryDeployment.INTAKE,
                world.clock.instant().plus(STALLED_AFTER.multipliedBy(2)));
        world.createdBatch("recent");
        world.clock.advance(STALLED_AFTER.plusSeconds(1));
        world.batches.markPending("recent", 1, null); // progress just now

        ReconcileService.Report report = reconcile.reconcile(() -> true);

        assertThat(report.intakesResumed()).isZero();
        assertThat(report.intakesStalled()).isZero();
        assertThat(world.intakeQueue.resumed()).isEmpty();
    }

    @Test
    void aBatchWhoseExpansionIsCompleteIsNoIntakeWorkHoweverOld() throws Exception {
        world.submittingBatch("b1", 1, true);
        world.clock.advance(STALLED_AFTER.multipliedBy(10));

        ReconcileService.Report report = reconcile.reconcile(() -> true);

        assertThat(report.intakesResumed()).isZero();
        assertThat(world.batch("b1").status()).isEqualTo(BatchStatus.SUBMITTING);
    }
}
