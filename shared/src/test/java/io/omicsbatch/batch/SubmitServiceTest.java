package io.omicsbatch.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omicsbatch.batch.OmicsRuns.StartRunException;
import io.omicsbatch.testing.InMemoryOmics.StartRunCall;
import io.omicsbatch.testing.InMemoryOmics;
import io.omicsbatch.testing.RecordingSleeper;
import io.omicsbatch.testing.ScriptedPacer;
import io.omicsbatch.testing.StartRunErrors;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every outcome of one run message, on the in-memory ports. */
class SubmitServiceTest {

    private static final Duration MAX_PACING_WAIT = Duration.ofSeconds(30);
    /** A fixed "random" number: every jitter and backoff is known. */
    private static final long RANDOM = 123_456L;

    private final InMemoryDeployment world = new InMemoryDeployment();
    private final Instant start = world.clock.instant();
    private final ScriptedPacer pacer = new ScriptedPacer(world.clock);
    private final RecordingSleeper sleeper = new RecordingSleeper(world.clock);
    private final SubmitService submit = new SubmitService(world.batches, world.runs, world.omics, pacer,
            new SubmitService.Config(3, Duration.ofSeconds(2), Duration.ofMinutes(15), Duration.ofMinutes(1),
                    Duration.ofSeconds(5)),
            world.clock, sleeper, () -> RANDOM, world.completion);

    @Test
    void aPendingRunIsStartedAndItsSubmissionRecordedWithItsBatchCounts() throws Exception {
        List<RunMessage> messages = world.submittingBatch("b1", 2, true);

        SubmitService.Outcome outcome = submit.submit(messages.get(0), MAX_PACING_WAIT);

        assertThat(outcome).isEqualTo(new SubmitService.Outcome.Done("submitted"));
        RunRecord run = world.run("b1", "S0");
        assertThat(run.submissionStatus()).isEqualTo(SubmissionStatus.SUCCESS);
        assertThat(world.omics.runForRequest(run.requestId())).hasValueSatisfying(started -> {
            assertThat(run.runId()).isEqualTo(started.id());
            assertThat(run.uuid()).isEqualTo(started.uuid());
            assertThat(run.arn()).isEqualTo(started.arn());
        });
        assertThat(run.status()).isEqualTo(RunStatus.PENDING);
        assertThat(world.omics.startRunCalls()).containsExactly(new StartRunCall(run.requestId(), "CREATED"));
        assertThat(pacer.waitsAsked()).containsExactly(MAX_PACING_WAIT);
        BatchRecord batch = world.batch("b1");
        assertThat(batch.status()).isEqualTo(BatchStatus.SUBMITTING);
        assertThat(batch.count("successfulStartSubmissionCount")).isEqualTo(1);
        assertThat(batch.count("pendingStartSubmissionCount")).isEqualTo(1);
        assertThat(batch.count("pendingRunCount")).isEqualTo(1);
    }

    @Test
    void theLastDecidedSubmissionMovesTheBatchToInProgress() throws Exception {
        List<RunMessage> messages = world.submittingBatch("b1", 2, true);

        submit.submit(messages.get(0), MAX_PACING_WAIT);
        assertThat(world.batch("b1").status()).isEqualTo(BatchStatus.SUBMITTING);
        submit.submit(messages.get(1), MAX_PACING_WAIT);

        assertThat(world.batch("b1").status()).isEqualTo(BatchStatus.INPROGRESS);
        assertThat(world.events.statuses("b1")).endsWith("INPROGRESS");
    }

    @Test
    void aBatchStillExpandingStaysSubmittingThoughEveryMessageSoFarIsDecided() throws Exception {
        List<RunMessage> messages = world.submittingBatch("b1", 1, false);

        submit.submit(messages.get(0), MAX_PACING_WAIT);

        assertThat(world.batch("b1").status()).isEqualTo(BatchStatus.SUBMITTING);
    }

    @Test
    void aDecidedSubmissionIsAcknowledgedWithoutPacingOrStartRun() throws Exception {
        List<RunMessage> messages = world.submittingBatch("b1", 2, true);
        submit.submit(messages.get(0), MAX_PACING_WAIT);
        world.runs.recordSubmissionFailed("b1", "S1", "MessageDeadLettered", "dead-lettered");

        assertThat(submit.submit(messages.get(0), MAX_PACING_WAIT))
                .isEqualTo(new SubmitService.Outcome.Done("already SUCCESS"));
        assertThat(submit.submit(messages.get(1), MAX_PACING_WAIT))
                .isEqualTo(new SubmitService.Outcome.Done("already FAILED"));

        assertThat(world.omics.startRunCalls()).hasSize(1);
        assertThat(pacer.waitsAsked()).hasSize(1);
        assertThat(world.batch("b1").count("successfulStartSubmissionCount")).isEqualTo(1);
    }

    @Test
    void aMessageWithoutRunRecordIsDropped() throws Exception {
        world.submittingBatch("b1", 1, true);

        SubmitService.Outcome outcome = submit.submit(world.message("deleted-batch", "S0"), MAX_PACING_WAIT);

        assertThat(outcome).isEqualTo(new SubmitService.Outcome.Done("no run record"));
        assertThat(world.omics.startRunCalls()).isEmpty();
        assertThat(pacer.waitsAsked()).isEmpty();
    }

    @Test
    void aRunRecordWithoutBatchRecordIsAnErrorSoTheMessageIsRedelivered() {
        world.runs.createPending(List.of(RunRecord.pending("orphan", "S0", "ob-orphan-S0", null, null, null, start)));

        assertThatThrownBy(() -> submit.submit(world.message("orphan", "S0"), MAX_PACING_WAIT))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no batch orphan");
        assertThat(world.omics.startRunCalls()).isEmpty();
    }

    @Test
    void aRunOfAFailedBatchFailsWithTheBatchsReasonInsteadOfStarting() throws Exception {
        List<RunMessage> messages = world.submittingBatch("b1", 2, true);
        world.batches.markFailed("b1", List.of(BatchStatus.SUBMITTING), "RunsFileChanged", "the runs file was replaced",
                List.of(), 0);

        SubmitService.Outcome outcome = submit.submit(messages.get(0), MAX_PACING_WAIT);

        assertThat(outcome).isEqualTo(new SubmitService.Outcome.Done("batch FAILED"));
        RunRecord run = world.run("b1", "S0");
        assertThat(run.submissionStatus()).isEqualTo(SubmissionStatus.FAILED);
        assertThat(run.submissionFailureReason()).isEqualTo("BatchFailed");
        assertThat(run.submissionFailureMessage()).isEqualTo("not submitted: the batch is FAILED (RunsFileChanged)");
        assertThat(world.batch("b1").count("failedStartSubmissionCount")).isEqualTo(1);
        assertThat(world.omics.startRunCalls()).isEmpty();
        assertThat(pacer.waitsAsked()).isEmpty();
    }

    @Test
    void theBatchsStatusIsReusedForTheCacheTtlThenReadAgain() throws Exception {
        List<RunMessage> messages = world.submittingBatch("b1", 3, true);
        submit.submit(messages.get(0), MAX_PACING_WAIT);
        world.batches.markFailed("b1", List.of(BatchStatus.SUBMITTING), "SettingsChanged", "replaced", List.of(), 0);

        // Within the TTL the cached status lets the message through to pacing; the claim, which checks the batch
        // itself, still keeps its StartRun from leaving.
        world.clock.advance(Duration.ofSeconds(4));
        assertThat(submit.submit(messages.get(1), MAX_PACING_WAIT)).isEqualTo(new SubmitService.Outcome.Done("batch FAILED"));
        assertThat(pacer.waitsAsked()).hasSize(2);
        world.clock.advance(Duration.ofSeconds(1));
        assertThat(submit.submit(messages.get(2), MAX_PACING_WAIT)).isEqualTo(new SubmitService.Outcome.Done("batch FAILED"));
        assertThat(pacer.waitsAsked()).hasSize(2);

        assertThat(world.omics.runsCreated()).isEqualTo(1);
    }

    @Test
    void noSlotWithinTheWaitSendsTheMessageAgainWithoutSpendingAnAttempt() throws Exception {
        List<RunMessage> messages = world.submittingBatch("b1", 1, true);
        pacer.refuseNext(Duration.ofSeconds(12));

        SubmitService.Outcome outcome = submit.submit(messages.get(0), MAX_PACING_WAIT);

        // The pacer's wait plus up to a second of jitter: floorMod(123456, 1001) = 333 ms.
        assertThat(outcome).isEqualTo(new SubmitService.Outcome.WaitAndRequeue(Duration.ofMillis(12_333)));
        assertThat(world.omics.startRunCalls()).isEmpty();
        RunRecord run = world.run("b1", "S0");
        assertThat(run.submissionStatus()).isEqualTo(SubmissionStatus.PENDING);
        assertThat(run.attempts()).isZero();
    }

    @Test
    void aSlotLaterOnIsSleptForBeforeStartRun() throws Exception {
        List<RunMessage> messages = world.submittingBatch("b1", 2, true);
        pacer.grantNextIn(Duration.ofMillis(400));

        submit.submit(messages.get(0), MAX_PACING_WAIT);
        submit.submit(messages.get(1), MAX_PACING_WAIT); // a slot now: no sleep

        assertThat(sleeper.sleeps()).containsExactly(Duration.ofMillis(400));
        assertThat(world.run("b1", "S0").submittedAt()).isEqualTo(start.plusMillis(400));
    }

    @Test
    void aWaitingRunsQueuedAtMovesForwardAtMostOnceADay() throws Exception {
        List<RunMessage> messages = world.submittingBatch("b1", 1, true);

        world.clock.advance(Duration.ofHours(23));
        pacer.refuseNext(Duration.ofSeconds(5));
        submit.submit(messages.get(0), MAX_PACING_WAIT);
        assertThat(world.run("b1", "S0").queuedAt()).isEqualTo(start);

        world.clock.advance(Duration.ofHours(2));
        world.omics.failNextStartRun(StartRunErrors.quotaExceeded());
        submit.submit(messages.get(0), MAX_PACING_WAIT);
        assertThat(world.run("b1", "S0").queuedAt()).isEqualTo(start.plus(Duration.ofHours(25)));
    }

    @Test
    void tooManyActiveRunsWaitsAMinuteWithJitterWithoutSpendingAnAttempt() throws Exception {
        List<RunMessage> messages = world.submittingBatch("b1", 1, true);
        world.omics.failNextStartRun(StartRunErrors.quotaExceeded());

        SubmitService.Outcome outcome = submit.submit(messages.get(0), MAX_PACING_WAIT);

        // A minute plus up to a minute of jitter: floorMod(123456, 60001) = 3454 ms. The message sent again carries
        // when the wait began.
        assertThat(outcome).isEqualTo(new SubmitService.Outcome.WaitAndRequeue(Duration.ofMillis(63_454),
                messages.get(0).withQuotaWaitSince(start)));
        RunRecord run = world.run("b1", "S0");
        assertThat(run.submissionStatus()).isEqualTo(SubmissionStatus.PENDING);
        assertThat(run.attempts()).isZero();
        assertThat(pacer.throttledReports()).isZero();
    }

    @Test
    void eachQuotaWaitLastsAsLongAsTheWaitSoFarUpToFourteenMinutesPlusJitter() throws Exception {
        RunMessage waiting = world.submittingBatch("b1", 1, true).get(0).withQuotaWaitSince(start);

        world.clock.advance(Duration.ofMinutes(3));
        world.omics.failNextStartRun(StartRunErrors.quotaExceeded());
        // Three minutes waited: three more, plus the jitter; the message already carries its start.
        assertThat(submit.submit(waiting, MAX_PACING_WAIT))
                .isEqualTo(new SubmitService.Outcome.WaitAndRequeue(Duration.ofMinutes(3).plusMillis(3_454)));

        world.clock.advance(Duration.ofHours(5));
        world.omics.failNextStartRun(StartRunErrors.quotaExceeded());
        assertThat(submit.submit(waiting, MAX_PACING_WAIT))
                .isEqualTo(new SubmitService.Outcome.WaitAndRequeue(Duration.ofMinutes(14).plusMillis(3_454)));
        RunRecord run = world.run("b1", "S0");
        assertThat(run.submissionStatus()).isEqualTo(SubmissionStatus.PENDING);
        assertThat(run.attempts()).isZero();
    }

    @Test
    void aQuotaThatDoesNotClearWithinTheBoundFailsTheSubmissionWithServiceQuotaExceeded() throws Exception {
        RunMessage waiting = world.submittingBatch("b1", 2, true).get(0).withQuotaWaitSince(start);
        world.clock.advance(SubmitService.Config.DEFAULT_MAX_QUOTA_WAIT);
        world.omics.failNextStartRun(StartRunErrors.quotaExceeded());

        SubmitService.Outcome outcome = submit.submit(waiting, MAX_PACING_WAIT);

        assertThat(outcome).isInstanceOfSatisfying(SubmitService.Outcome.Done.class,
                done -> assertThat(done.what()).startsWith("failed: ServiceQuotaExceededException"));
        RunRecord run = world.run("b1", "S0");
        assertThat(run.submissionStatus()).isEqualTo(SubmissionStatus.FAILED);
        assertThat(run.submissionFailureReason()).isEqualTo("ServiceQuotaExceededException");
        assertThat(run.submissionFailureMessage()).isEqualTo("The maximum number of active runs was reached"
                + " (waited 2880 minutes for the quota, the most allowed is 2880)");
        assertThat(world.batch("b1").count("failedStartSubmissionCount")).isEqualTo(1);
        assertThat(world.batch("b1").count("pendingStartSubmissionCount")).isEqualTo(1);
    }

    @Test
    void theQuotaBoundIsConfigurableAndAQuotaThatClearsInTimeStartsTheRun() throws Exception {
        SubmitService shortWait = new SubmitService(world.batches, world.runs, world.omics, pacer,
                new SubmitService.Config(3, Duration.ofSeconds(2), Duration.ofMinutes(15), Duration.ofMinutes(1),
                        Duration.ofSeconds(5), Duration.ofMinutes(30)),
                world.clock, sleeper, () -> RANDOM, world.completion);
        List<RunMessage> messages = world.submittingBatch("b1", 2, true);

        world.omics.failNextStartRun(StartRunErrors.quotaExceeded());
        SubmitService.Outcome first = shortWait.submit(messages.get(0), MAX_PACING_WAIT);
        RunMessage resent = ((SubmitService.Outcome.WaitAndRequeue) first).message();
        assertThat(resent.quotaWaitSince()).isEqualTo(start);
        // The message as SQS gives it back: the start of the wait survives the round trip.
        RunMessage received = RunMessage.fromJson(resent.toJson());
        assertThat(received).isEqualTo(resent);

        world.clock.advance(Duration.ofMinutes(29));
        assertThat(shortWait.submit(received, MAX_PACING_WAIT)).isEqualTo(new SubmitService.Outcome.Done("submitted"));

        world.clock.advance(Duration.ofMinutes(1));
        world.omics.failNextStartRun(StartRunErrors.quotaExceeded());
        assertThat(shortWait.submit(messages.get(1).withQuotaWaitSince(start), MAX_PACING_WAIT))
                .isInstanceOf(SubmitService.Outcome.Done.class);
        assertThat(world.run("b1", "S1").submissionFailureReason()).isEqualTo("ServiceQuotaExceededException");
    }

    @Test
    void aPacingWaitDuringAQuotaWaitKeepsTheMessageAndSoItsStart() throws Exception {
        RunMessage waiting = world.submittingBatch("b1", 1, true).get(0).withQuotaWaitSince(start);
        pacer.refuseNext(Duration.ofSeconds(5));

        SubmitService.Outcome outcome = submit.submit(waiting, MAX_PACING_WAIT);

        // No message to replace: the handler sends the one it received, quotaWaitSince included.
        assertThat(outcome).isEqualTo(new SubmitService.Outcome.WaitAndRequeue(Duration.ofMillis(5_333), null));
        assertThat(RunMessage.fromJson(waiting.toJson()).quotaWaitSince()).isEqualTo(start);
        assertThat(RunMessage.fromJson(world.message("b1", "S0").toJson()).quotaWaitSince()).isNull();
        assertThat(world.message("b1", "S0").toJson()).doesNotContain("quotaWaitSince");
    }

    static Stream<StartRunException> finalErrors() {
        return Stream.of(StartRunErrors.validation("parameter sample_id is not in the template"),
                StartRunErrors.accessDenied("not authorized to perform iam:PassRole"),
                StartRunErrors.resourceNotFound("workflow 1234567 not found"),
                StartRunErrors.unmodeled(400));
    }

    @ParameterizedTest
    @MethodSource("finalErrors")
    void aFinalErrorFailsTheSubmissionAtOnceWithTheErrorsNameAndMessage(StartRunException error) throws Exception {
        List<RunMessage> messages = world.submittingBatch("b1", 2, true);
        world.omics.failNextStartRun(error);

        SubmitService.Outcome outcome = submit.submit(messages.get(0), MAX_PACING_WAIT);

        assertThat(outcome).isEqualTo(new SubmitService.Outcome.Done("failed: " + error.errorName()));
        RunRecord run = world.run("b1", "S0");
        assertThat(run.submissionStatus()).isEqualTo(SubmissionStatus.FAILED);
        assertThat(run.submissionFailureReason()).isEqualTo(error.errorName());
        assertThat(run.submissionFailureMessage()).isEqualTo(error.getMessage());
        assertThat(run.attempts()).isZero();
        assertThat(world.batch("b1").count("failedStartSubmissionCount")).isEqualTo(1);
        assertThat(world.batch("b1").count("pendingStartSubmissionCount")).isEqualTo(1);
    }

    @Test
    void aFinalErrorWithoutMessageKeepsTheErrorsNameAsTheMessage() throws Exception {
        List<RunMessage> messages = world.submittingBatch("b1", 1, true);
        world.omics.failNextStartRun(new StartRunException(OmicsRuns.ErrorKind.FINAL, "ValidationException", null, null));

        submit.submit(messages.get(0), MAX_PACING_WAIT);

        assertThat(world.run("b1", "S0").submissionFailureMessage()).isEqualTo("ValidationException");
    }

    @Test
    void aBatchWhoseLastSubmissionFailsIsProcessedWithItsResultsManifest() throws Exception {
        List<RunMessage> messages = world.submittingBatch("b1", 1, true);
        world.omics.failNextStartRun(StartRunErrors.accessDenied("not authorized to perform iam:PassRole"));

        submit.submit(messages.get(0), MAX_PACING_WAIT);

        assertThat(world.batch("b1").status()).isEqualTo(BatchStatus.PROCESSED);
        assertThat(world.objects.text(InMemoryDeployment.SETTINGS_BUCKET, ResultsManifest.key("b1", "runs.csv")))
                .hasValueSatisfying(csv -> assertThat(csv).contains("S0,wgs-S0,,,FAILED,AccessDeniedException"));
        assertThat(world.events.statuses("b1")).containsExactly("CREATING", "PENDING", "SUBMITTING", "INPROGRESS",
                "PROCESSED");
    }

    @Test
    void aConflictIsRetriedWithTheSameRequestIdAndTheRetryRecordsTheExistingRun() throws Exception {
        RunMessage message = world.submittingBatch("b1", 1, true).get(0);
        // The run exists (an earlier attempt created it), and the service still answers Conflict twice.
        world.omics.failNextStartRunAfterStarting(StartRunErrors.conflict("creation in progress"));
        world.omics.failNextStartRun(StartRunErrors.conflict("creation in progress"));

        SubmitService.Outcome outcome = submit.submit(message, MAX_PACING_WAIT);

        assertThat(outcome).isEqualTo(new SubmitService.Outcome.Done("submitted"));
        assertThat(world.omics.startRunCalls()).extracting(StartRunCall::requestId).containsOnly(message.requestId());
        assertThat(world.omics.startRunCalls()).extracting(StartRunCall::outcome)
                .containsExactly("ConflictException", "ConflictException", "REPLAYED");
        assertThat(world.omics.runsCreated()).isEqualTo(1);
        RunRecord run = world.run("b1", "S0");
        assertThat(run.submissionStatus()).isEqualTo(SubmissionStatus.SUCCESS);
        assertThat(run.runId()).isEqualTo(world.omics.runForRequest(message.requestId()).orElseThrow().id());
        assertThat(run.attempts()).isZero();
        // Each retry waits its backoff (1 s, 2 s) and is paced like any StartRun, within what is left of the wait.
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(pacer.waitsAsked()).containsExactly(MAX_PACING_WAIT, Duration.ofSeconds(29), Duration.ofSeconds(27));
        assertThat(world.batch("b1").count("successfulStartSubmissionCount")).isEqualTo(1);
        assertThat(world.batch("b1").status()).isEqualTo(BatchStatus.INPROGRESS);
    }

    @Test
    void aConflictThatOutlastsTheRetriesFailsTheSubmissionWithConflictException() throws Exception {
        RunMessage message = world.submittingBatch("b1", 2, true).get(0);
        for (int i = 0; i < 4; i++) {
            world.omics.failNextStartRun(StartRunErrors.conflict("requestId in use"));
        }

        SubmitService.Outcome outcome = submit.submit(message, MAX_PACING_WAIT);

        assertThat(outcome).isEqualTo(new SubmitService.Outcome.Done("failed: ConflictException"));
        assertThat(world.omics.startRunCalls()).hasSize(4);
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
        RunRecord run = world.run("b1", "S0");
        assertThat(run.submissionStatus()).isEqualTo(SubmissionStatus.FAILED);
        assertThat(run.submissionFailureReason()).isEqualTo("ConflictException");
        assertThat(run.submissionFailureMessage()).isEqualTo("requestId in use");
        assertThat(run.attempts()).isZero();
        assertThat(world.batch("b1").count("failedStartSubmissionCount")).isEqualTo(1);
    }

    @Test
    void aRequestIdUsedByAnotherRequestIsAConflictThatFailsAfterTheRetries() throws Exception {
        RunMessage message = world.submittingBatch("b1", 1, true).get(0);
        com.fasterxml.jackson.databind.node.ObjectNode other = message.startRun().deepCopy();
        other.put("name", "another run");
        world.omics.startRun(other);

        SubmitService.Outcome outcome = submit.submit(message, MAX_PACING_WAIT);

        assertThat(outcome).isEqualTo(new SubmitService.Outcome.Done("failed: ConflictException"));
        assertThat(world.omics.startRunCalls()).extracting(StartRunCall::outcome)
                .containsExactly("CREATED", "ConflictException", "ConflictException", "ConflictException", "ConflictException");
        assertThat(world.run("b1", "S0").submissionFailureReason()).isEqualTo("ConflictException");
    }

    @Test
    void aConflictRetryThatNoLongerFitsTheWaitSendsTheMessageAgainUndecided() throws Exception {
        RunMessage message = world.submittingBatch("b1", 1, true).get(0);
        world.omics.failNextStartRun(StartRunErrors.conflict("creation in progress"));

        SubmitService.Outcome outcome = submit.submit(message, Duration.ofMillis(500));

        assertThat(outcome).isEqualTo(new SubmitService.Outcome.WaitAndRequeue(Duration.ofSeconds(1)));
        RunRecord run = world.run("b1", "S0");
        assertThat(run.submissionStatus()).isEqualTo(SubmissionStatus.PENDING);
        assertThat(run.attempts()).isZero();
        assertThat(submit.submit(message, MAX_PACING_WAIT)).isEqualTo(new SubmitService.Outcome.Done("submitted"));
    }

    @Test
    void aConflictRetryWithoutAPacedSlotSendsTheMessageAgainUndecided() throws Exception {
        RunMessage message = world.submittingBatch("b1", 1, true).get(0);
        world.omics.failNextStartRun(StartRunErrors.conflict("creation in progress"));
        pacer.grantNextIn(Duration.ZERO);
        pacer.refuseNext(Duration.ofSeconds(3));

        SubmitService.Outcome outcome = submit.submit(message, MAX_PACING_WAIT);

        // The pacer's wait plus up to a second of jitter: floorMod(123456, 1001) = 333 ms.
        assertThat(outcome).isEqualTo(new SubmitService.Outcome.WaitAndRequeue(Duration.ofMillis(3_333)));
        assertThat(world.run("b1", "S0").submissionStatus()).isEqualTo(SubmissionStatus.PENDING);
    }

    static Stream<StartRunException> retryableErrors() {
        return Stream.of(StartRunErrors.requestTimeout(), StartRunErrors.internalServerError(),
                StartRunErrors.noAnswer(), StartRunErrors.unmodeled(503));
    }

    @ParameterizedTest
    @MethodSource("retryableErrors")
    void aRetryableErrorIsRetriedWithBackoffUntilTheLastAttemptFails(StartRunException error) throws Exception {
        RunMessage message = world.submittingBatch("b1", 2, true).get(0);

        world.omics.failNextStartRun(error);
        assertThat(submit.submit(message, MAX_PACING_WAIT)).isEqualTo(new SubmitService.Outcome.RetryAfter(submit.backoff(1)));
        world.omics.failNextStartRun(error);
        assertThat(submit.submit(message, MAX_PACING_WAIT)).isEqualTo(new SubmitService.Outcome.RetryAfter(submit.backoff(2)));
        assertThat(world.run("b1", "S0").submissionStatus()).isEqualTo(SubmissionStatus.PENDING);
        assertThat(world.run("b1", "S0").attempts()).isEqualTo(2);
        world.omics.failNextStartRun(error);
        SubmitService.Outcome last = submit.submit(message, MAX_PACING_WAIT);

        assertThat(last).isEqualTo(new SubmitService.Outcome.Done("failed after 3 attempts: " + error.errorName()));
        RunRecord run = world.run("b1", "S0");
        assertThat(run.submissionStatus()).isEqualTo(SubmissionStatus.FAILED);
        assertThat(run.submissionFailureReason()).isEqualTo(error.errorName());
        assertThat(run.attempts()).isEqualTo(3);
        assertThat(pacer.throttledReports()).isZero();
        assertThat(world.batch("b1").count("failedStartSubmissionCount")).isEqualTo(1);
    }

    @Test
    void aThrottledCallIsRetriedOnTheNextFreeSlotWithinTheInvocationWithoutSpendingAnAttempt() throws Exception {
        RunMessage message = world.submittingBatch("b1", 1, true).get(0);
        world.omics.failNextStartRun(StartRunErrors.throttling());

        SubmitService.Outcome outcome = submit.submit(message, MAX_PACING_WAIT);

        assertThat(outcome).isEqualTo(new SubmitService.Outcome.Done("submitted"));
        assertThat(pacer.throttledReports()).isEqualTo(1);
        assertThat(pacer.waitsAsked()).hasSize(2);
        assertThat(world.omics.startRunCalls()).extracting(InMemoryOmics.StartRunCall::requestId).hasSize(2).containsOnly(message.requestId());
        assertThat(world.run("b1", "S0").attempts()).isZero();
        assertThat(world.run("b1", "S0").submissionStatus()).isEqualTo(SubmissionStatus.SUCCESS);
    }

    @Test
    void throttlingThatOutlastsTheRetriesInTheInvocationIsRetriedLikeATransientError() throws Exception {
        RunMessage message = world.submittingBatch("b1", 1, true).get(0);
        for (int i = 0; i <= SubmitService.THROTTLE_RETRIES_IN_INVOCATION; i++) {
            world.omics.failNextStartRun(StartRunErrors.throttling());
        }

        SubmitService.Outcome outcome = submit.submit(message, MAX_PACING_WAIT);

        assertThat(outcome).isEqualTo(new SubmitService.Outcome.RetryAfter(Duration.ofSeconds(2)));
        assertThat(pacer.throttledReports()).isEqualTo(SubmitService.THROTTLE_RETRIES_IN_INVOCATION + 1);
        assertThat(world.run("b1", "S0").attempts()).isEqualTo(1);
        assertThat(submit.submit(message, MAX_PACING_WAIT)).isEqualTo(new SubmitService.Outcome.Done("submitted"));
    }

    @Test
    void theRunIsClaimedBeforeTheWaitForItsSlotSoTheCallLeavesOnTheSlot() throws Exception {
        RunMessage message = world.submittingBatch("b1", 1, true).get(0);
        pacer.grantNextIn(Duration.ofMillis(400));

        submit.submit(message, MAX_PACING_WAIT);

        assertThat(world.run("b1", "S0").claimedAt()).isEqualTo(start);
        assertThat(world.run("b1", "S0").submittedAt()).isEqualTo(start.plusMillis(400));
    }

    @Test
    void aCallThatWakesLaterThanItsSlotAllowsGivesTheSlotUpForTheNextFreeOne() throws Exception {
        RunMessage message = world.submittingBatch("b1", 1, true).get(0);
        pacer.grantNextIn(Duration.ofMillis(400), Duration.ofMillis(4));
        sleeper.oversleepNext(Duration.ofMillis(30)); // later than 4 ms: the next slot's call would arrive too soon after
        pacer.grantNextIn(Duration.ofMillis(500), Duration.ofMillis(4));

        assertThat(submit.submit(message, MAX_PACING_WAIT)).isEqualTo(new SubmitService.Outcome.Done("submitted"));

        assertThat(pacer.waitsAsked()).hasSize(2);
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofMillis(400), Duration.ofMillis(500));
        assertThat(world.omics.startRunCalls()).hasSize(1);
        assertThat(world.run("b1", "S0").submittedAt()).isEqualTo(start.plusMillis(930));
    }

    @Test
    void aCallLateWithinItsSlotsLatenessLeavesOnIt() throws Exception {
        RunMessage message = world.submittingBatch("b1", 1, true).get(0);
        pacer.grantNextIn(Duration.ofMillis(400), Duration.ofMillis(4));
        sleeper.oversleepNext(Duration.ofMillis(3));

        submit.submit(message, MAX_PACING_WAIT);

        assertThat(pacer.waitsAsked()).hasSize(1);
        assertThat(world.run("b1", "S0").submittedAt()).isEqualTo(start.plusMillis(403));
    }

    @Test
    void aRetryAfterAnAnswerWasLostRecordsTheRunThatWasStartedThen() throws Exception {
        RunMessage message = world.submittingBatch("b1", 1, true).get(0);
        world.omics.failNextStartRunAfterStarting(StartRunErrors.requestTimeout());

        assertThat(submit.submit(message, MAX_PACING_WAIT)).isInstanceOf(SubmitService.Outcome.RetryAfter.class);
        assertThat(submit.submit(message, MAX_PACING_WAIT)).isEqualTo(new SubmitService.Outcome.Done("submitted"));

        assertThat(world.omics.runsCreated()).isEqualTo(1);
        assertThat(world.omics.startRunCalls()).extracting(StartRunCall::outcome)
                .containsExactly("RequestTimeoutException", "REPLAYED");
        assertThat(world.run("b1", "S0").runId())
                .isEqualTo(world.omics.runForRequest(message.requestId()).orElseThrow().id());
    }

    @Test
    void aRetryWhoseRunWasDeletedAndItsIdReusedRecordsItsOwnRunNotTheSuccessor() throws Exception {
        List<RunMessage> messages = world.submittingBatch("b1", 2, true);
        RunMessage message = messages.get(0);
        world.omics.failNextStartRunAfterStarting(StartRunErrors.requestTimeout());
        assertThat(submit.submit(message, MAX_PACING_WAIT)).isInstanceOf(SubmitService.Outcome.RetryAfter.class);
        String runId = world.omics.runForRequest(message.requestId()).orElseThrow().id();
        String uuid = world.omics.runForRequest(message.requestId()).orElseThrow().uuid();
        // Before the retry the run ended, was deleted (REMOVE, the retained-runs quota full) and its id reused.
        world.omics.advance(runId, RunStatus.COMPLETED);
        world.omics.deleteAndReuseId(runId);
        submit.submit(messages.get(1), MAX_PACING_WAIT);
        assertThat(world.run("b1", "S1").runId()).isEqualTo(runId);

        assertThat(submit.submit(message, MAX_PACING_WAIT)).isEqualTo(new SubmitService.Outcome.Done("submitted"));

        RunRecord run = world.run("b1", "S0");
        assertThat(run.uuid()).isEqualTo(uuid).isNotEqualTo(world.run("b1", "S1").uuid());
        assertThat(run.status()).isEqualTo(RunStatus.DELETED); // all StartRun's answer says; an event may tell more
        assertThat(world.omics.runsCreated()).isEqualTo(2);
        assertThat(world.batch("b1").count("deletedRunCount")).isEqualTo(1);
        assertThat(world.batch("b1").count("pendingRunCount")).isEqualTo(1);
    }

    @Test
    void aSubmissionTheStatusFunctionAdoptedDuringStartRunIsCountedOnce() throws Exception {
        RunMessage message = world.submittingBatch("b1", 1, true).get(0);
        StatusService status = new StatusService(world.runs, world.omics, world.completion);
        // The run's first event is applied between StartRun's answer and the submit function's own write.
        OmicsRuns racingEvent = body -> {
            StartedRun started = world.omics.startRun(body);
            status.onEvent(new RunStatusEvent(started.runId(), started.uuid(), started.arn(), RunStatus.STARTING, null));
            return started;
        };
        SubmitService racing = new SubmitService(world.batches, world.runs, racingEvent, pacer,
                new SubmitService.Config(3, Duration.ofSeconds(2), Duration.ofMinutes(15), Duration.ofMinutes(1),
                        Duration.ofSeconds(5)), world.clock, sleeper, () -> RANDOM, world.completion);

        assertThat(racing.submit(message, MAX_PACING_WAIT)).isEqualTo(new SubmitService.Outcome.Done("submitted"));

        RunRecord run = world.run("b1", "S0");
        assertThat(run.submissionStatus()).isEqualTo(SubmissionStatus.SUCCESS);
        assertThat(run.status()).isEqualTo(RunStatus.STARTING);
        BatchRecord batch = world.batch("b1");
        assertThat(batch.count("successfulStartSubmissionCount")).isEqualTo(1);
        assertThat(batch.count("pendingStartSubmissionCount")).isZero();
        assertThat(batch.count("startingRunCount")).isEqualTo(1);
        assertThat(batch.count("pendingRunCount")).isZero();
        assertThat(batch.status()).isEqualTo(BatchStatus.INPROGRESS);
    }
}
