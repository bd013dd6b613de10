package io.omicsbatch.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.settings.TrackingTags;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import io.omicsbatch.testing.StartRunErrors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every decision on a run status change, on the in-memory ports. */
class StatusServiceTest {

    private final InMemoryDeployment world = new InMemoryDeployment();
    private final StatusService status = new StatusService(world.runs, world.omics, world.completion);

    StatusServiceTest() {
        world.submittingBatch("b1", 2, true);
    }

    @Test
    void anEventOfAStatusThisVersionDoesNotKnowChangesNothing() {
        RunRecord run = world.submitted("b1", "S0");

        assertThat(status.onEvent(world.event(run, null))).isEqualTo(StatusService.Outcome.UNKNOWN_STATUS);

        assertThat(world.run("b1", "S0")).isEqualTo(run);
        assertThat(world.omics.getRunCalls()).isEmpty();
    }

    @Test
    void anEventMovesTheRunForwardWithItsBatchCounts() {
        RunRecord run = world.submitted("b1", "S0");
        world.clock.advance(Duration.ofMinutes(1));

        assertThat(status.onEvent(world.event(run, RunStatus.RUNNING))).isEqualTo(StatusService.Outcome.APPLIED);

        RunRecord running = world.run("b1", "S0");
        assertThat(running.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(running.updatedAt()).isEqualTo(world.clock.instant());
        assertThat(world.batch("b1").count("pendingRunCount")).isZero();
        assertThat(world.batch("b1").count("runningRunCount")).isEqualTo(1);
        assertThat(world.omics.getRunCalls()).isEmpty(); // found by its uuid, and not terminal
    }

    @Test
    void aRunRecordedFailedFromStartRunsAnswerGetsItsReasonFromTheFailedEventThatFollows() {
        // A submit retried after the run had already failed records StartRun's answer: FAILED, with no reason.
        world.omics.failNextStartRunAfterStarting(StartRunErrors.requestTimeout());
        RunMessage message = world.message("b1", "S0");
        assertThatThrownBy(() -> world.omics.startRun(message.startRun())).isInstanceOf(OmicsRuns.StartRunException.class);
        String runId = world.omics.runForRequest(message.requestId()).orElseThrow().id();
        world.omics.fail(runId, "OUT_OF_MEMORY_ERROR", "task ran out of memory");
        StartedRun replayed = world.omics.startRun(message.startRun());
        world.runs.recordSubmitted("b1", "S0", replayed);
        RunRecord recorded = world.run("b1", "S0");
        assertThat(recorded.status()).isEqualTo(RunStatus.FAILED);
        assertThat(recorded.failureReason()).isNull();
        long failedBefore = world.batch("b1").count("failedRunCount");

        assertThat(status.onEvent(world.event(recorded, RunStatus.FAILED))).isEqualTo(StatusService.Outcome.APPLIED);

        RunRecord completed = world.run("b1", "S0");
        assertThat(completed.failureReason()).isEqualTo("OUT_OF_MEMORY_ERROR");
        assertThat(completed.stopTime()).isNotNull();
        assertThat(world.batch("b1").count("failedRunCount")).as("the same status is counted once").isEqualTo(failedBefore);
        // Now complete: a duplicate is a duplicate again.
        assertThat(status.onEvent(world.event(completed, RunStatus.FAILED))).isEqualTo(StatusService.Outcome.UNCHANGED);
    }

    @Test
    void aDuplicateOrLateEventNeverMovesARunBack() {
        RunRecord run = world.submitted("b1", "S0");
        status.onEvent(world.event(run, RunStatus.RUNNING));
        RunRecord running = world.run("b1", "S0");

        assertThat(status.onEvent(world.event(run, RunStatus.RUNNING))).isEqualTo(StatusService.Outcome.UNCHANGED);
        assertThat(status.onEvent(world.event(run, RunStatus.STARTING))).isEqualTo(StatusService.Outcome.UNCHANGED);
        assertThat(status.onEvent(world.event(run, RunStatus.PENDING))).isEqualTo(StatusService.Outcome.UNCHANGED);

        assertThat(world.run("b1", "S0")).isEqualTo(running);
        assertThat(world.batch("b1").count("runningRunCount")).isEqualTo(1);
    }

    @Test
    void aTerminalStatusIsCompletedWithGetRunsReasonMessageOutputAndTimes() {
        RunRecord run = world.submitted("b1", "S0");
        world.clock.advance(Duration.ofMinutes(5));
        world.omics.advance(run.runId(), RunStatus.RUNNING);
        world.clock.advance(Duration.ofHours(2));
        world.omics.fail(run.runId(), "OUT_OF_MEMORY", "task bwa_mem ran out of memory");

        assertThat(status.onEvent(world.event(run, RunStatus.FAILED))).isEqualTo(StatusService.Outcome.APPLIED);

        RunRecord failed = world.run("b1", "S0");
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.failureReason()).isEqualTo("OUT_OF_MEMORY");
        assertThat(failed.statusMessage()).isEqualTo("task bwa_mem ran out of memory");
        assertThat(failed.runOutputUri()).isEqualTo(run.runOutputUri());
        Instant begin = world.clock.instant().minus(Duration.ofHours(2));
        assertThat(failed.startTime()).isEqualTo(begin);
        assertThat(failed.stopTime()).isEqualTo(world.clock.instant());
        assertThat(world.omics.getRunCalls()).containsExactly(run.runId());
        assertThat(world.batch("b1").count("failedRunCount")).isEqualTo(1);
    }

    @Test
    void aCompletedRunKeepsNoFailureReason() {
        RunRecord run = world.submitted("b1", "S0");
        world.omics.advance(run.runId(), RunStatus.COMPLETED);

        status.onEvent(world.event(run, RunStatus.COMPLETED));

        RunRecord completed = world.run("b1", "S0");
        assertThat(completed.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(completed.failureReason()).isNull();
        assertThat(completed.stopTime()).isNotNull();
    }

    @Test
    void anEventAheadOfGetRunKeepsTheEventsStatus() {
        RunRecord run = world.submitted("b1", "S0");
        world.omics.advance(run.runId(), RunStatus.RUNNING); // GetRun lags the event

        assertThat(status.onEvent(world.event(run, RunStatus.COMPLETED))).isEqualTo(StatusService.Outcome.APPLIED);

        assertThat(world.run("b1", "S0").status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(world.batch("b1").count("completedRunCount")).isEqualTo(1);
    }

    @Test
    void aDeletedRunIsRecordedWithoutGetRunWhichCouldNotReadIt() {
        RunRecord run = world.submitted("b1", "S0");
        world.omics.delete(run.runId());

        assertThat(status.onEvent(world.event(run, RunStatus.DELETED))).isEqualTo(StatusService.Outcome.APPLIED);

        assertThat(world.run("b1", "S0").status()).isEqualTo(RunStatus.DELETED);
        assertThat(world.batch("b1").count("deletedRunCount")).isEqualTo(1);
        assertThat(world.omics.getRunCalls()).isEmpty();
    }

    @Test
    void anEventBeforeTheSubmitRecordIsPlacedByTheTrackingTagsAndGetRunsNewerStatusWins() {
        StartedRun started = world.omics.startRun(world.message("b1", "S0").startRun());
        world.omics.advance(started.runId(), RunStatus.COMPLETED);
        RunStatusEvent running = new RunStatusEvent(started.runId(), started.uuid(), started.arn(), RunStatus.RUNNING, null);

        assertThat(status.onEvent(running)).isEqualTo(StatusService.Outcome.APPLIED);

        RunRecord adopted = world.run("b1", "S0");
        assertThat(adopted.submissionStatus()).isEqualTo(SubmissionStatus.SUCCESS);
        assertThat(adopted.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(adopted.runId()).isEqualTo(started.runId());
        assertThat(adopted.uuid()).isEqualTo(started.uuid());
        assertThat(adopted.submittedAt()).isEqualTo(world.clock.instant());
        BatchRecord batch = world.batch("b1");
        assertThat(batch.count("successfulStartSubmissionCount")).isEqualTo(1);
        assertThat(batch.count("pendingStartSubmissionCount")).isEqualTo(1);
        assertThat(batch.count("completedRunCount")).isEqualTo(1);
        // The submit function's late write finds the submission decided.
        assertThat(world.runs.recordSubmitted("b1", "S0", started)).isFalse();
    }

    @Test
    void anOldEventWithoutUuidIsPlacedByGetRun() {
        RunRecord run = world.submitted("b1", "S0");

        RunStatusEvent old = new RunStatusEvent(run.runId(), null, run.arn(), RunStatus.STARTING, null);
        assertThat(status.onEvent(old)).isEqualTo(StatusService.Outcome.APPLIED);

        assertThat(world.run("b1", "S0").status()).isEqualTo(RunStatus.STARTING);
        assertThat(world.omics.getRunCalls()).containsExactly(run.runId());
    }

    @Test
    void aFailedSubmissionWhoseRunExistsAfterAllBecomesSuccessful() {
        // StartRun timed out on every attempt, but the service did create the run.
        StartedRun started = world.omics.startRun(world.message("b1", "S0").startRun());
        world.runs.recordSubmissionFailed("b1", "S0", "RequestTimeoutException", "timed out");

        RunStatusEvent event = new RunStatusEvent(started.runId(), started.uuid(), started.arn(), RunStatus.RUNNING, null);
        assertThat(status.onEvent(event)).isEqualTo(StatusService.Outcome.APPLIED);

        assertThat(world.run("b1", "S0").submissionStatus()).isEqualTo(SubmissionStatus.SUCCESS);
        BatchRecord batch = world.batch("b1");
        assertThat(batch.count("failedStartSubmissionCount")).isZero();
        assertThat(batch.count("successfulStartSubmissionCount")).isEqualTo(1);
        assertThat(batch.count("runningRunCount")).isEqualTo(1);
    }

    @Test
    void aRunWithoutOurTagsIsNotOurs() {
        ObjectNode foreign = world.message("b1", "S0").startRun();
        foreign.remove("tags");
        foreign.put("requestId", "someone-else");
        StartedRun started = world.omics.startRun(foreign);

        RunStatusEvent event = new RunStatusEvent(started.runId(), started.uuid(), started.arn(), RunStatus.RUNNING, null);
        assertThat(status.onEvent(event)).isEqualTo(StatusService.Outcome.NOT_OURS);

        assertThat(world.run("b1", "S0").submissionStatus()).isEqualTo(SubmissionStatus.PENDING);
    }

    @Test
    void aRunHealthOmicsDoesNotKnowIsNotOurs() {
        assertThat(status.onEvent(new RunStatusEvent("9999999", "a-uuid", null, RunStatus.RUNNING, null)))
                .isEqualTo(StatusService.Outcome.NOT_OURS);
    }

    @Test
    void anEventAboutAnEarlierRunWithTheSameIdIsNotOurs() {
        StartedRun started = world.omics.startRun(world.message("b1", "S0").startRun());
        world.omics.reuseId(started.runId());

        RunStatusEvent event = new RunStatusEvent(started.runId(), started.uuid(), started.arn(), RunStatus.RUNNING, null);
        assertThat(status.onEvent(event)).isEqualTo(StatusService.Outcome.NOT_OURS);

        assertThat(world.run("b1", "S0").submissionStatus()).isEqualTo(SubmissionStatus.PENDING);
    }

    @Test
    void aRunTaggedWithARunSettingThatHasNoRecordIsNotOurs() {
        StartedRun started = world.omics.startRun(world.message("deleted-batch", "S0").startRun());

        RunStatusEvent event = new RunStatusEvent(started.runId(), started.uuid(), started.arn(), RunStatus.RUNNING, null);
        assertThat(status.onEvent(event)).isEqualTo(StatusService.Outcome.NOT_OURS);
    }

    @Test
    void aSecondRunCarryingTheTagsOfARecordedRunIsNotOurs() {
        RunRecord recorded = world.submitted("b1", "S0");
        ObjectNode copy = world.message("b1", "S0").startRun();
        copy.put("requestId", "a-copy");
        StartedRun second = world.omics.startRun(copy);

        RunStatusEvent event = new RunStatusEvent(second.runId(), second.uuid(), second.arn(), RunStatus.RUNNING, null);
        assertThat(status.onEvent(event)).isEqualTo(StatusService.Outcome.NOT_OURS);

        assertThat(world.run("b1", "S0")).isEqualTo(recorded);
    }

    @Test
    void aTerminalEventOfARunWhoseIdNowNamesAnotherRunKeepsTheEventsOutcomeWithoutGetRunsDetails() {
        RunRecord run = world.submitted("b1", "S0");
        world.omics.deleteAndReuseId(run.runId());
        RunRecord successor = world.submitted("b1", "S1"); // ours too, with the same id
        assertThat(successor.runId()).isEqualTo(run.runId());

        // Found by its uuid; GetRun by id describes the successor, whose reason and times are not this run's.
        assertThat(status.onEvent(world.event(run, RunStatus.FAILED))).isEqualTo(StatusService.Outcome.APPLIED);

        RunRecord failed = world.run("b1", "S0");
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.uuid()).isEqualTo(run.uuid());
        assertThat(failed.failureReason()).isNull();
        assertThat(failed.stopTime()).isNull();
        assertThat(world.run("b1", "S1")).isEqualTo(successor);
        assertThat(world.batch("b1").count("failedRunCount")).isEqualTo(1);
        assertThat(world.batch("b1").count("pendingRunCount")).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = RunStatus.class, names = {"COMPLETED", "FAILED", "CANCELLED"})
    void aDeletedRunKeepsTheOutcomeItWasRecordedWith(RunStatus outcome) {
        RunRecord run = world.submitted("b1", "S0");
        world.omics.advance(run.runId(), outcome);
        assertThat(status.onEvent(world.event(run, outcome))).isEqualTo(StatusService.Outcome.APPLIED);
        RunRecord ended = world.run("b1", "S0");
        world.omics.delete(run.runId());

        assertThat(status.onEvent(world.event(run, RunStatus.DELETED))).isEqualTo(StatusService.Outcome.UNCHANGED);

        assertThat(world.run("b1", "S0")).isEqualTo(ended);
        assertThat(world.batch("b1").count(outcome.countAttribute())).isEqualTo(1);
        assertThat(world.batch("b1").count("deletedRunCount")).isZero();
    }

    @Test
    void anOutcomeLearnedAfterTheRunWasRecordedDeletedReplacesDeleted() {
        RunRecord run = world.submitted("b1", "S0");
        status.onEvent(world.event(run, RunStatus.RUNNING));
        world.omics.advance(run.runId(), RunStatus.COMPLETED);
        world.omics.delete(run.runId());
        // The COMPLETED event is delayed; the DELETED one comes first.
        assertThat(status.onEvent(world.event(run, RunStatus.DELETED))).isEqualTo(StatusService.Outcome.APPLIED);
        assertThat(world.run("b1", "S0").status()).isEqualTo(RunStatus.DELETED);

        assertThat(status.onEvent(world.event(run, RunStatus.COMPLETED))).isEqualTo(StatusService.Outcome.APPLIED);

        RunRecord completed = world.run("b1", "S0");
        assertThat(completed.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(completed.stopTime()).isNull(); // GetRun could not read it any more
        BatchRecord batch = world.batch("b1");
        assertThat(batch.count("deletedRunCount")).isZero();
        assertThat(batch.count("runningRunCount")).isZero();
        assertThat(batch.count("completedRunCount")).isEqualTo(1);
        // A duplicate changes no count.
        status.onEvent(world.event(run, RunStatus.COMPLETED));
        assertThat(world.batch("b1").count("completedRunCount")).isEqualTo(1);
        assertThat(world.run("b1", "S0").status()).isEqualTo(RunStatus.COMPLETED);
    }

    @Test
    void anOutcomeLearnedAfterTheBatchWasProcessedWritesItsManifestAgain() {
        world.submittingBatch("b2", 1, true);
        RunRecord run = world.submitted("b2", "S0");
        world.omics.advance(run.runId(), RunStatus.FAILED);
        world.omics.delete(run.runId());
        status.onEvent(world.event(run, RunStatus.DELETED));
        assertThat(world.batch("b2").status()).isEqualTo(BatchStatus.PROCESSED);
        String key = ResultsManifest.key("b2", "runs.csv");
        assertThat(world.objects.text(InMemoryDeployment.SETTINGS_BUCKET, key).orElseThrow()).contains("DELETED");

        assertThat(status.onEvent(world.event(run, RunStatus.FAILED))).isEqualTo(StatusService.Outcome.APPLIED);

        assertThat(world.objects.text(InMemoryDeployment.SETTINGS_BUCKET, key).orElseThrow())
                .contains("FAILED").doesNotContain("DELETED");
        assertThat(world.batch("b2").count("failedRunCount")).isEqualTo(1);
        assertThat(world.batch("b2").count("deletedRunCount")).isZero();
    }

    @Test
    void aDeletedEventWithoutUuidWhoseIdNamesALiveRunIsAboutAnEarlierRunAndNotOurs() {
        StartedRun earlier = world.omics.startRun(world.message("other-batch", "S0").startRun());
        world.omics.deleteAndReuseId(earlier.runId());
        RunRecord live = world.submitted("b1", "S0");
        assertThat(live.runId()).isEqualTo(earlier.runId());

        RunStatusEvent old = new RunStatusEvent(earlier.runId(), null, earlier.arn(), RunStatus.DELETED, null);
        assertThat(status.onEvent(old)).isEqualTo(StatusService.Outcome.NOT_OURS);

        assertThat(world.run("b1", "S0")).isEqualTo(live);
        assertThat(world.batch("b1").count("deletedRunCount")).isZero();
    }

    @Test
    void eventsOfTwoRunsSharingAnIdEachReachTheirOwnRecord() {
        RunRecord first = world.submitted("b1", "S0");
        world.omics.advance(first.runId(), RunStatus.COMPLETED);
        status.onEvent(world.event(first, RunStatus.COMPLETED));
        world.omics.deleteAndReuseId(first.runId());
        RunRecord second = world.submitted("b1", "S1");
        assertThat(second.runId()).isEqualTo(first.runId());

        // Any order: the second run's events, the first run's DELETED event, duplicates.
        assertThat(status.onEvent(world.event(second, RunStatus.RUNNING))).isEqualTo(StatusService.Outcome.APPLIED);
        assertThat(status.onEvent(world.event(first, RunStatus.DELETED))).isEqualTo(StatusService.Outcome.UNCHANGED);
        world.omics.fail(second.runId(), "OUT_OF_MEMORY_ERROR", "a task ran out of memory");
        assertThat(status.onEvent(world.event(second, RunStatus.FAILED))).isEqualTo(StatusService.Outcome.APPLIED);
        assertThat(status.onEvent(world.event(first, RunStatus.COMPLETED))).isEqualTo(StatusService.Outcome.UNCHANGED);

        RunRecord firstAfter = world.run("b1", "S0");
        RunRecord secondAfter = world.run("b1", "S1");
        assertThat(firstAfter.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(firstAfter.failureReason()).isNull();
        assertThat(firstAfter.uuid()).isEqualTo(first.uuid());
        assertThat(secondAfter.status()).isEqualTo(RunStatus.FAILED);
        assertThat(secondAfter.failureReason()).isEqualTo("OUT_OF_MEMORY_ERROR");
        assertThat(secondAfter.uuid()).isEqualTo(second.uuid());
        BatchRecord batch = world.batch("b1");
        assertThat(batch.status()).isEqualTo(BatchStatus.PROCESSED);
        assertThat(batch.count("completedRunCount")).isEqualTo(1);
        assertThat(batch.count("failedRunCount")).isEqualTo(1);
        assertThat(batch.count("deletedRunCount")).isZero();
        String manifest = world.objects.text(InMemoryDeployment.SETTINGS_BUCKET, ResultsManifest.key("b1", "runs.csv"))
                .orElseThrow();
        assertThat(manifest.lines().filter(line -> line.startsWith("S0,"))).singleElement().satisfies(row -> {
            assertThat(row).contains(first.uuid()).contains("COMPLETED").doesNotContain(second.uuid());
        });
        assertThat(manifest.lines().filter(line -> line.startsWith("S1,"))).singleElement().satisfies(row -> {
            assertThat(row).contains(second.uuid()).contains("FAILED").contains("OUT_OF_MEMORY_ERROR");
        });
    }

    @Test
    void aGetRunFailureIsThrownSoTheEventIsRetriedAndNothingIsHalfApplied() {
        RunRecord run = world.submitted("b1", "S0");
        world.omics.advance(run.runId(), RunStatus.COMPLETED);
        world.omics.failNextGetRun(new IllegalStateException("ThrottlingException: Rate exceeded"));

        assertThatThrownBy(() -> status.onEvent(world.event(run, RunStatus.COMPLETED)))
                .hasMessageContaining("ThrottlingException");

        assertThat(world.run("b1", "S0")).isEqualTo(run);
        assertThat(status.onEvent(world.event(run, RunStatus.COMPLETED))).isEqualTo(StatusService.Outcome.APPLIED);
    }

    @Test
    void aRecordChangedByAnotherWriterIsReadAgainAndDecidedAgain() {
        RunRecord run = world.submitted("b1", "S0");
        world.omics.advance(run.runId(), RunStatus.COMPLETED);
        StatusService other = new StatusService(world.runs, world.omics, world.completion);
        // While this event reads GetRun, another invocation applies RUNNING: this one's view is then stale.
        RunReader racingReader = runId -> {
            other.onEvent(world.event(run, RunStatus.RUNNING));
            return world.omics.getRun(runId);
        };
        StatusService racing = new StatusService(world.runs, racingReader, world.completion);

        assertThat(racing.onEvent(world.event(run, RunStatus.COMPLETED))).isEqualTo(StatusService.Outcome.APPLIED);

        assertThat(world.run("b1", "S0").status()).isEqualTo(RunStatus.COMPLETED);
        BatchRecord batch = world.batch("b1");
        assertThat(batch.count("pendingRunCount")).isZero();
        assertThat(batch.count("runningRunCount")).isZero();
        assertThat(batch.count("completedRunCount")).isEqualTo(1);
    }

    @Test
    void aRecordThatKeepsChangingIsGivenUpOnSoTheEventIsRetried() {
        RunRecord run = world.submitted("b1", "S0");
        // Another writer changes the record before every attempt of this one.
        ContendedRunStore contended = new ContendedRunStore(world.runs);
        StatusService losing = new StatusService(contended, world.omics, world.completion);

        assertThatThrownBy(() -> losing.onEvent(world.event(run, RunStatus.STOPPING)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("kept changing");

        assertThat(contended.racesLost()).isEqualTo(20);
        assertThat(world.run("b1", "S0").status()).isNotEqualTo(RunStatus.STOPPING);
    }

    @Test
    void aTerminalStatusOfTheLastOpenRunProcessesTheBatch() {
        RunRecord first = world.submitted("b1", "S0");
        RunRecord second = world.submitted("b1", "S1");
        world.omics.advance(first.runId(), RunStatus.COMPLETED);
        world.omics.advance(second.runId(), RunStatus.CANCELLED);

        status.onEvent(world.event(first, RunStatus.COMPLETED));
        assertThat(world.batch("b1").status()).isEqualTo(BatchStatus.INPROGRESS);
        status.onEvent(world.event(second, RunStatus.CANCELLED));

        assertThat(world.batch("b1").status()).isEqualTo(BatchStatus.PROCESSED);
        assertThat(world.objects.text(InMemoryDeployment.SETTINGS_BUCKET, ResultsManifest.key("b1", "runs.json")))
                .hasValueSatisfying(json -> assertThat(json).contains("\"status\":\"CANCELLED\""));
    }

    @Test
    void detailsOfAStatusThisVersionDoesNotKnowChangeNothing() {
        RunRecord run = world.submitted("b1", "S0");
        RunDetails unknown = new RunDetails(run.runId(), run.arn(), run.uuid(), null, null, null, null, null, null,
                java.util.Map.of(TrackingTags.BATCH_ID, "b1", TrackingTags.RUN_SETTING_ID, "S0"));

        assertThat(status.onDetails(run, unknown)).isEqualTo(StatusService.Outcome.UNKNOWN_STATUS);

        assertThat(world.run("b1", "S0")).isEqualTo(run);
    }

    /**
     * The run store with a competing writer: before each status change of this store's user, the other writer
     * moves the run between STARTING and RUNNING (a real, counted transaction), so the user's view is always stale.
     */
    private static final class ContendedRunStore implements RunStore {
        private final RunStore delegate;
        private int racesLost;

        ContendedRunStore(RunStore delegate) {
            this.delegate = delegate;
        }

        int racesLost() {
            return racesLost;
        }

        @Override
        public boolean applyChange(RunRecord observed, RunChange change) {
            RunRecord current = delegate.get(observed.batchId(), observed.runSettingId()).orElseThrow();
            RunStatus other = current.status() == RunStatus.STARTING ? RunStatus.RUNNING : RunStatus.STARTING;
            delegate.applyChange(current, new RunChange(other, null, null, null, null, null, null, null, null));
            boolean applied = delegate.applyChange(observed, change);
            if (!applied) {
                racesLost++;
            }
            return applied;
        }

        @Override
        public java.util.Set<String> createPending(java.util.List<RunRecord> runs) {
            return delegate.createPending(runs);
        }

        @Override
        public void createFresh(java.util.List<RunRecord> runs) {
            delegate.createFresh(runs);
        }

        @Override
        public Optional<RunRecord> get(String batchId, String runSettingId) {
            return delegate.get(batchId, runSettingId);
        }

        @Override
        public boolean recordSubmitted(String batchId, String runSettingId, StartedRun run) {
            return delegate.recordSubmitted(batchId, runSettingId, run);
        }

        @Override
        public boolean recordSubmissionFailed(String batchId, String runSettingId, String reason, String message) {
            return delegate.recordSubmissionFailed(batchId, runSettingId, reason, message);
        }

        @Override
        public int recordAttempt(String batchId, String runSettingId, String lastError) {
            return delegate.recordAttempt(batchId, runSettingId, lastError);
        }

        @Override
        public void recordRequeued(String batchId, String runSettingId) {
            delegate.recordRequeued(batchId, runSettingId);
        }

        @Override
        public Optional<RunRecord> findByUuid(String uuid) {
            return delegate.findByUuid(uuid);
        }

        @Override
        public void forEachRun(String batchId, java.util.function.Consumer<RunRecord> action) {
            delegate.forEachRun(batchId, action);
        }

        @Override
        public java.util.List<RunRecord> unsettledRuns(String batchId, Instant before) {
            return delegate.unsettledRuns(batchId, before);
        }

        @Override
        public void recordChecked(String batchId, String runSettingId) {
            delegate.recordChecked(batchId, runSettingId);
        }

        @Override
        public boolean claimSubmission(String batchId, String runSettingId) {
            return delegate.claimSubmission(batchId, runSettingId);
        }

        @Override
        public boolean recordCancelOutcome(String batchId, String runSettingId, boolean cancelled, String error) {
            return delegate.recordCancelOutcome(batchId, runSettingId, cancelled, error);
        }

        @Override
        public boolean recordDeleteOutcome(String batchId, String runSettingId, boolean deleted, String error) {
            return delegate.recordDeleteOutcome(batchId, runSettingId, deleted, error);
        }

        @Override
        public long deleteAll(String batchId) {
            return delegate.deleteAll(batchId);
        }
    }
}
