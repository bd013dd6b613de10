package io.omicsbatch.batch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import io.omicsbatch.intake.IntakeQueue;
import io.omicsbatch.resources.ResourceDefinitions;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The safety net under best-effort events and crashed invocations: on a schedule, every unfinished batch gets its
 * leftover status events announced, its stalled intake restarted (or, after a few restarts, the batch failed with
 * the reason recorded), its stale runs (not terminal, not updated for {@code staleAfter}) read with GetRun and applied like
 * events, its lost run messages (a PENDING submission whose message must have expired) recorded as FAILED
 * submissions, and its completion checked. With every event dropped, batches still finish, only later.
 */
public final class ReconcileService {

    private static final Logger LOG = LoggerFactory.getLogger(ReconcileService.class);
    public static final String MESSAGE_EXPIRED = "MessageExpired";

    /**
     * @param staleAfter       how long a run may go without news before it is read with GetRun
     * @param getRunTps        GetRun calls per second at most (the API allows ~10; leave headroom for others)
     * @param messageRetention the run queue's message retention
     * @param intakeStalledAfter how long a batch may sit in CREATING, PENDING or an unfinished expansion without
     *                         progress (and without a live expansion lease) before the reconciler restarts its intake
     * @param maxIntakeResumes how many restarts a stalled intake gets before its batch fails with IntakeStalled
     */
    public record Config(Duration staleAfter, double getRunTps, Duration messageRetention, Duration intakeStalledAfter,
                         int maxIntakeResumes) {
        /**
         * A crashed intake's message comes back after the intake queue's visibility timeout: the reconciler steps in
         * only when that redelivery did not move the batch either.
         */
        public static final Duration INTAKE_STALLED_AFTER =
                ResourceDefinitions.INTAKE_QUEUE.visibilityTimeout().plus(Duration.ofMinutes(30));
        /** A document that crashes the intake three times more will crash it again: fail it visibly instead. */
        public static final int MAX_INTAKE_RESUMES = 3;

        public Config {
            if (!(getRunTps > 0)) {
                throw new IllegalArgumentException("getRunTps must be positive");
            }
        }
    }

    /** What one pass did. */
    public record Report(int batches, int runsRead, int runsChanged, int expiredSubmissions, int processed,
                         int intakesResumed, int intakesStalled, boolean complete) {}

    /** Statuses in which the intake still owes the batch work. */
    private static final List<BatchStatus> INTAKE_STATUSES = List.of(BatchStatus.CREATING, BatchStatus.PENDING,
            BatchStatus.SUBMITTING, BatchStatus.STOPPING);
    public static final String INTAKE_STALLED = "IntakeStalled";

    private final BatchStore batches;
    private final RunStore runs;
    private final RunReader reader;
    private final StatusService status;
    private final BatchCompletion completion;
    private final BatchAnnouncer announcer;
    private final IntakeQueue intakeQueue;
    private final Config config;
    private final Clock clock;
    private final SubmitService.Sleeper sleeper;
    private Instant nextGetRun = Instant.MIN;

    public ReconcileService(BatchStore batches, RunStore runs, RunReader reader, StatusService status,
                            BatchCompletion completion, BatchAnnouncer announcer, IntakeQueue intakeQueue, Config config,
                            Clock clock, SubmitService.Sleeper sleeper) {
        this.batches = batches;
        this.runs = runs;
        this.reader = reader;
        this.status = status;
        this.completion = completion;
        this.announcer = announcer;
        this.intakeQueue = intakeQueue;
        this.config = config;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** One pass over the unfinished batches, for as long as {@code hasTime} says. */
    public Report reconcile(BooleanSupplier hasTime) throws InterruptedException {
        int batchCount = 0;
        int read = 0;
        int changed = 0;
        int expired = 0;
        int processed = 0;
        int resumed = 0;
        int stalled = 0;
        int failures = 0;
        RuntimeException firstFailure = null;
        boolean complete = true;
        for (BatchRecord batch : batches.listUnfinished()) {
            if (!hasTime.getAsBoolean()) {
                complete = false;
                break;
            }
            batchCount++;
            announcer.announce(batch);
            Instant now = clock.instant();
            switch (rescueIntake(batch, now)) {
                case RESUMED -> resumed++;
                case FAILED -> {
                    stalled++;
                    continue;
                }
                default -> { }
            }
            if (batch.status() != BatchStatus.SUBMITTING && batch.status() != BatchStatus.INPROGRESS
                    && batch.status() != BatchStatus.STOPPING) {
                continue;
            }
            for (RunRecord run : runs.unsettledRuns(batch.batchId(), now.minus(config.staleAfter()))) {
                if (!hasTime.getAsBoolean()) {
                    complete = false;
                    break;
                }
                if (run.submissionStatus() == SubmissionStatus.PENDING) {
                    if (messageExpired(run, now) && runs.recordSubmissionFailed(run.batchId(), run.runSettingId(),
                            MESSAGE_EXPIRED, "the run message expired from the run queue (retention "
                                    + config.messageRetention().toDays() + " days) before the run was submitted")) {
                        expired++;
                    }
                    continue;
                }
                if (run.runId() == null) {
                    continue;
                }
                paceGetRun();
                read++;
                try {
                    if (applyGetRun(run)) {
                        changed++;
                    } else {
                        runs.recordChecked(run.batchId(), run.runSettingId());
                    }
                } catch (RuntimeException e) {
                    // One run's GetRun (throttled, a failure) must not keep every other run and batch waiting for the
                    // next pass; the pass still fails at its end, so the error is seen and counted.
                    failures++;
                    firstFailure = firstFailure == null ? e : firstFailure;
                    LOG.warn("batch {}: reading run {} failed ({}); the next pass reads it again", batch.batchId(),
                            run.runId(), e.toString());
                }
            }
            if (completion.check(batch.batchId()) == BatchStatus.PROCESSED) {
                processed++;
            }
        }
        Report report = new Report(batchCount, read, changed, expired, processed, resumed, stalled, complete);
        LOG.info("reconciled {} batches: {} runs read, {} changed, {} expired submissions, {} processed, {} intakes "
                        + "restarted, {} failed as stalled{}", batchCount, read, changed, expired, processed, resumed, stalled,
                complete ? "" : " (stopped early, out of time)");
        if (firstFailure != null) {
            throw new IllegalStateException(failures + " GetRun " + (failures == 1 ? "call" : "calls")
                    + " failed in this pass; every other run was reconciled", firstFailure);
        }
        return report;
    }

    private enum Rescue { NOT_NEEDED, RESUMED, FAILED }

    /**
     * A batch the intake still owes work (CREATING, PENDING, or SUBMITTING with its expansion unfinished) that has not
     * moved for {@code intakeStalledAfter}, with no live expansion lease: its intake crashed, timed out or
     * dead-lettered. It is restarted a few times, then failed with a reason, so no batch waits unseen forever.
     */
    private Rescue rescueIntake(BatchRecord batch, Instant now) {
        boolean intakeOwesWork = INTAKE_STATUSES.contains(batch.status())
                && !((batch.status() == BatchStatus.SUBMITTING || batch.status() == BatchStatus.STOPPING)
                && batch.expansionComplete());
        Instant lastProgress = batch.updatedTime() != null ? batch.updatedTime() : batch.creationTime();
        if (!intakeOwesWork || lastProgress == null || lastProgress.isAfter(now.minus(config.intakeStalledAfter()))
                || (batch.expansionLease() != null && batch.expansionLease().heldAt(now))) {
            return Rescue.NOT_NEEDED;
        }
        if (batch.intakeResumes() < config.maxIntakeResumes()) {
            if (!batches.recordIntakeResume(batch)) {
                return Rescue.NOT_NEEDED; // it moved meanwhile
            }
            intakeQueue.resume(batch.settingsObject());
            LOG.warn("batch {}: no intake progress in {} while {}; intake restarted ({} of {})", batch.batchId(),
                    config.intakeStalledAfter(), batch.status(), batch.intakeResumes() + 1, config.maxIntakeResumes());
            return Rescue.RESUMED;
        }
        String message = "the intake made no progress in " + config.intakeStalledAfter().toMinutes() + " minutes while "
                + batch.status() + ", also after " + batch.intakeResumes() + " restarts; see the intake function's "
                + "logs and the intake dead-letter queue";
        if (batches.markFailed(batch.batchId(), List.of(batch.status()), INTAKE_STALLED, message, List.of(), 0)) {
            LOG.warn("batch {}: {}", batch.batchId(), message);
            return Rescue.FAILED;
        }
        return Rescue.NOT_NEEDED;
    }

    private boolean applyGetRun(RunRecord run) {
        Optional<RunDetails> details = reader.getRun(run.runId());
        if (details.isEmpty() || (run.uuid() != null && details.get().uuid() != null
                && !run.uuid().equals(details.get().uuid()))) {
            // HealthOmics no longer knows this run (its id may even be another run's now): it was deleted.
            RunDetails deleted = new RunDetails(run.runId(), run.arn(), run.uuid(), RunStatus.DELETED, null, null,
                    null, null, null, null);
            return status.onDetails(run, deleted) == StatusService.Outcome.APPLIED;
        }
        return status.onDetails(run, details.get()) == StatusService.Outcome.APPLIED;
    }

    /**
     * {@code queuedAt} is at most a day older than the message's last send, so a message is surely gone once
     * retention plus that day (and an hour of clock slack) have passed since.
     */
    private boolean messageExpired(RunRecord run, Instant now) {
        Instant queued = run.queuedAt() != null ? run.queuedAt() : run.createdAt();
        return queued != null && now.isAfter(queued.plus(config.messageRetention()).plus(Duration.ofHours(25)));
    }

    private void paceGetRun() throws InterruptedException {
        Instant now = clock.instant();
        if (now.isBefore(nextGetRun)) {
            sleeper.sleep(Duration.between(now, nextGetRun));
            now = nextGetRun;
        }
        nextGetRun = now.plusNanos((long) (1_000_000_000L / config.getRunTps()));
    }
}
