package io.omicsbatch.batch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits one run: the paced StartRun call with the run's deterministic requestId, and the outcome recorded
 * exactly once. A repeated message, or a retry after a crash between StartRun and the write, calls StartRun
 * with the same requestId and so finds the same run instead of starting a second.
 *
 * <p>Outcomes follow the managed batch: throttling, request timeouts and internal errors are retried with
 * exponential backoff and jitter up to {@code maxAttempts}; the quota (too many active or retained runs) waits
 * with backoff, without spending an attempt, up to {@code maxQuotaWait} from its first answer; validation, access
 * and not-found errors fail the submission at once. A ConflictException (the
 * requestId is in use by a creation still in progress) is retried with the same requestId a few times within the
 * invocation, each retry paced like any StartRun; the retry finds the existing run.
 */
public final class SubmitService {

    private static final Logger LOG = LoggerFactory.getLogger(SubmitService.class);
    /** The submission failure reason of a run the batch's cancel kept from being submitted. */
    public static final String NOT_SUBMITTED_CANCELLED = "BatchCancelled";
    /** The longest quota wait before jitter: with a minute of jitter it stays within SQS's 15-minute delay. */
    private static final Duration MAX_QUOTA_BACKOFF = Duration.ofMinutes(14);
    /** Throttled StartRun calls retried on the next free slot within the invocation, before an attempt is spent. */
    static final int THROTTLE_RETRIES_IN_INVOCATION = 3;
    /** Slots given up because the call woke too late for them, before it leaves late anyway. */
    static final int MAX_LATE_DEPARTURES = 3;

    /**
     * @param maxAttempts  StartRun attempts that may end in a retryable error before the submission fails
     * @param baseBackoff  the first retry's delay; each further retry doubles it (full jitter)
     * @param maxBackoff   the longest retry delay
     * @param quotaWait    how long to wait when the account has too many active runs
     * @param batchCacheTtl how long a batch's status may be reused between messages
     * @param conflictRetries StartRun calls again after a ConflictException before the submission fails with it
     * @param conflictBackoff the wait before the first conflict retry; each further one doubles it
     * @param maxQuotaWait how long a submission may wait, from StartRun's first ServiceQuotaExceededException,
     *                     before it fails with it
     */
    public record Config(int maxAttempts, Duration baseBackoff, Duration maxBackoff, Duration quotaWait, Duration batchCacheTtl,
                         int conflictRetries, Duration conflictBackoff, Duration maxQuotaWait) {

        /** Three conflict retries, after 1, 2 and 4 s (see docs/submission.md). */
        public static final int DEFAULT_CONFLICT_RETRIES = 3;
        public static final Duration DEFAULT_CONFLICT_BACKOFF = Duration.ofSeconds(1);
        /** Two days (see docs/submission.md). */
        public static final Duration DEFAULT_MAX_QUOTA_WAIT = Duration.ofHours(48);

        public Config(int maxAttempts, Duration baseBackoff, Duration maxBackoff, Duration quotaWait, Duration batchCacheTtl) {
            this(maxAttempts, baseBackoff, maxBackoff, quotaWait, batchCacheTtl, DEFAULT_MAX_QUOTA_WAIT);
        }

        public Config(int maxAttempts, Duration baseBackoff, Duration maxBackoff, Duration quotaWait, Duration batchCacheTtl,
                      Duration maxQuotaWait) {
            this(maxAttempts, baseBackoff, maxBackoff, quotaWait, batchCacheTtl, DEFAULT_CONFLICT_RETRIES,
                    DEFAULT_CONFLICT_BACKOFF, maxQuotaWait);
        }
    }

    /** What to do with the message. */
    public sealed interface Outcome {
        /** The run's submission is decided (now or earlier): delete the message. */
        record Done(String what) implements Outcome {}

        /** A retryable error: make the message visible again after the delay (one attempt spent). */
        record RetryAfter(Duration delay) implements Outcome {}

        /**
         * Not yet (pacing or active-run quota): send {@code message} again with this delay, spending no attempt; a
         * null message means the message as received.
         */
        record WaitAndRequeue(Duration delay, RunMessage message) implements Outcome {
            public WaitAndRequeue(Duration delay) {
                this(delay, null);
            }
        }
    }

    private final BatchStore batches;
    private final RunStore runs;
    private final OmicsRuns omics;
    private final StartRunPacer pacer;
    private final Config config;
    private final Clock clock;
    private final Sleeper sleeper;
    private final LongSupplier random;
    private final BatchCompletion completion;
    private final PipelineMetrics metrics;
    private CachedBatch cachedBatch;

    /** Sleeps until a paced slot; a seam so tests need not wait. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;

        /**
         * The thread sleeps the whole duration, to the microsecond: {@code Thread.sleep(duration.toMillis())} would wake
         * up to a millisecond early, and a StartRun that leaves early is throttled by a quota without burst.
         */
        Sleeper THREAD = duration -> {
            long deadline = System.nanoTime() + duration.toNanos();
            for (long left = duration.toNanos(); left > 0; left = deadline - System.nanoTime()) {
                LockSupport.parkNanos(left);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        };
    }

    /**
     * @param completion checks the batch after a failed submission, which may have been its last unsettled run
     */
    public SubmitService(BatchStore batches, RunStore runs, OmicsRuns omics, StartRunPacer pacer, Config config,
                         Clock clock, Sleeper sleeper, LongSupplier random, BatchCompletion completion) {
        this(batches, runs, omics, pacer, config, clock, sleeper, random, completion, PipelineMetrics.NONE);
    }

    /**
     * @param metrics counts each StartRun answer by what became of it (and throttling), exactly once per decided
     *                submission for the decided outcomes
     */
    public SubmitService(BatchStore batches, RunStore runs, OmicsRuns omics, StartRunPacer pacer, Config config,
                         Clock clock, Sleeper sleeper, LongSupplier random, BatchCompletion completion,
                         PipelineMetrics metrics) {
        this.metrics = metrics;
        this.completion = completion;
        this.batches = batches;
        this.runs = runs;
        this.omics = omics;
        this.pacer = pacer;
        this.config = config;
        this.clock = clock;
        this.sleeper = sleeper;
        this.random = random;
    }

    /**
     * @param maxPacingWait the longest this invocation can wait for a StartRun slot
     */
    public Outcome submit(RunMessage message, Duration maxPacingWait) throws InterruptedException {
        Optional<RunRecord> record = runs.get(message.batchId(), message.runSettingId());
        if (record.isEmpty()) {
            // Records are written before messages are sent, so this is a message from a deleted batch.
            LOG.warn("no run record for a message of batch {}; dropping it", message.batchId());
            return new Outcome.Done("no run record");
        }
        if (record.get().submissionStatus() != SubmissionStatus.PENDING) {
            return new Outcome.Done("already " + record.get().submissionStatus());
        }
        BatchRecord batch = batch(message.batchId());
        if (batch.status().stopsSubmission() && record.get().claimedAt() == null) {
            return notSubmitted(message, batch);
        }

        Instant waitDeadline = clock.instant().plus(maxPacingWait);
        StartRunPacer.Permit permit = pacer.acquire(maxPacingWait);
        if (!permit.granted()) {
            return requeue(record.get(), permit.retryAfter().plus(jitter(Duration.ofSeconds(1))));
        }
        // Claimed before the wait for the slot, not after it: the claim's write takes milliseconds that vary, and the
        // StartRun must leave on its slot. From the claim on, the call counts as in flight for a cancel.
        if (!runs.claimSubmission(message.batchId(), message.runSettingId())) {
            // A cancel was recorded (or the batch failed) before this run was claimed: its StartRun never leaves. A run
            // claimed earlier (a redelivery after a crash) may have started: the same requestId finds it, and the
            // cancel's sweep cancels it.
            RunRecord fresh = runs.get(message.batchId(), message.runSettingId()).orElseThrow();
            if (fresh.submissionStatus() != SubmissionStatus.PENDING) {
                return new Outcome.Done("already " + fresh.submissionStatus());
            }
            if (fresh.claimedAt() == null) {
                return notSubmitted(message, batches.get(message.batchId()).orElseThrow());
            }
        }

        StartedRun started = null;
        int conflicts = 0;
        int throttles = 0;
        while (started == null) {
            permit = departOnTime(permit, waitDeadline);
            if (permit == null) {
                return requeue(record.get(), jitter(Duration.ofSeconds(1)));
            }
            try {
                started = omics.startRun(message.startRun());
            } catch (OmicsRuns.StartRunException e) {
                Duration pause;
                if (e.kind() == OmicsRuns.ErrorKind.CONFLICT && conflicts < config.conflictRetries()) {
                    conflicts++;
                    metrics.submission(PipelineMetrics.Submission.CONFLICT_RETRIED);
                    pause = conflictBackoff(conflicts);
                    LOG.info("StartRun of batch {} answered ConflictException; retry {} of {} with the same requestId",
                            message.batchId(), conflicts, config.conflictRetries());
                } else if (e.kind() == OmicsRuns.ErrorKind.THROTTLED && throttles < THROTTLE_RETRIES_IN_INVOCATION) {
                    // Retried on the next free slot, without going back to the queue: the throttle cost one slot.
                    throttles++;
                    metrics.startRunThrottled();
                    pacer.onThrottled();
                    pause = Duration.ZERO;
                } else {
                    Outcome outcome = onError(message, e);
                    if (outcome instanceof Outcome.WaitAndRequeue wait) {
                        requeue(record.get(), wait.delay());
                    }
                    return outcome;
                }
                Duration left = Duration.between(clock.instant().plus(pause), waitDeadline);
                if (left.isNegative()) {
                    // No time left in this invocation: the message comes back and starts the retries afresh.
                    return requeue(record.get(), pause);
                }
                if (!pause.isZero()) {
                    sleeper.sleep(pause);
                }
                permit = pacer.acquire(left);
                if (!permit.granted()) {
                    return requeue(record.get(), permit.retryAfter().plus(jitter(Duration.ofSeconds(1))));
                }
            }
        }
        if (runs.recordSubmitted(message.batchId(), message.runSettingId(), started)) {
            metrics.submission(PipelineMetrics.Submission.SUBMITTED);
        }
        batches.markInProgressIfAllSubmitted(message.batchId());
        return new Outcome.Done("submitted");
    }

    /**
     * The message will be sent again: its retention starts over. {@code queuedAt} is moved forward at most daily
     * (one write a day per waiting run), which keeps it within a day of the last send.
     */
    private Outcome requeue(RunRecord record, Duration delay) {
        Instant queuedAt = record.queuedAt() != null ? record.queuedAt() : record.createdAt();
        if (queuedAt == null || queuedAt.isBefore(clock.instant().minus(Duration.ofDays(1)))) {
            runs.recordRequeued(record.batchId(), record.runSettingId());
        }
        return new Outcome.WaitAndRequeue(delay);
    }

    private Outcome onError(RunMessage message, OmicsRuns.StartRunException e) {
        switch (e.kind()) {
            case QUOTA:
                return onQuotaExceeded(message, e);
            case FINAL:
            case CONFLICT:
                fail(message, e);
                return new Outcome.Done("failed: " + e.errorName());
            case THROTTLED:
                metrics.startRunThrottled();
                pacer.onThrottled();
                // fall through: throttling is retried like the other transient errors
            default:
                int attempts = runs.recordAttempt(message.batchId(), message.runSettingId(), e.errorName());
                if (attempts >= config.maxAttempts()) {
                    fail(message, e);
                    return new Outcome.Done("failed after " + attempts + " attempts: " + e.errorName());
                }
                LOG.info("StartRun attempt {} of batch {} failed with {}; retrying", attempts, message.batchId(), e.errorName());
                metrics.submission(PipelineMetrics.Submission.RETRIED);
                return new Outcome.RetryAfter(backoff(attempts));
        }
    }

    /**
     * Waits with backoff, counted from the submission's first quota answer (carried in the message): each wait is
     * as long as the wait so far (at least {@code quotaWait}, at most 14 minutes) plus up to a minute of jitter,
     * so the waits double and stay within SQS's 15-minute delay. Past {@code maxQuotaWait} the submission fails.
     */
    private Outcome onQuotaExceeded(RunMessage message, OmicsRuns.StartRunException e) {
        Instant now = clock.instant();
        Instant since = message.quotaWaitSince() != null ? message.quotaWaitSince() : now;
        Duration waited = Duration.between(since, now);
        if (waited.compareTo(config.maxQuotaWait()) >= 0) {
            fail(message, e.errorName(), (e.getMessage() == null ? e.errorName() : e.getMessage())
                    + " (waited " + waited.toMinutes() + " minutes for the quota, the most allowed is "
                    + config.maxQuotaWait().toMinutes() + ")");
            return new Outcome.Done("failed: " + e.errorName() + " after waiting " + waited);
        }
        Duration base = waited.compareTo(config.quotaWait()) < 0 ? config.quotaWait() : waited;
        if (base.compareTo(MAX_QUOTA_BACKOFF) > 0) {
            base = MAX_QUOTA_BACKOFF;
        }
        Duration delay = base.plus(jitter(base.compareTo(Duration.ofMinutes(1)) < 0 ? base : Duration.ofMinutes(1)));
        metrics.submission(PipelineMetrics.Submission.QUOTA_WAIT);
        LOG.info("StartRun quota exceeded; waiting {} s (batch {}, waited {} min so far)", delay.toSeconds(),
                message.batchId(), waited.toMinutes());
        return new Outcome.WaitAndRequeue(delay, message.quotaWaitSince() == null ? message.withQuotaWaitSince(now) : null);
    }

    /**
     * The batch stopped submitting before this run's StartRun: its final submission state is FAILED, reason
     * BatchCancelled when the batch was cancelled (see docs/operations.md), BatchFailed when it failed.
     */
    private Outcome notSubmitted(RunMessage message, BatchRecord batch) {
        boolean cancelled = batch.status() == BatchStatus.STOPPING || batch.status() == BatchStatus.CANCELLED;
        String reason = cancelled ? NOT_SUBMITTED_CANCELLED : "Batch" + capitalized(batch.status());
        if (runs.recordSubmissionFailed(message.batchId(), message.runSettingId(), reason,
                cancelled ? "not submitted: the batch was cancelled" : "not submitted: the batch is " + batch.status()
                        + (batch.failureReason() == null ? "" : " (" + batch.failureReason() + ")"))) {
            completion.check(message.batchId());
        }
        return new Outcome.Done("batch " + batch.status());
    }

    private void fail(RunMessage message, OmicsRuns.StartRunException e) {
        fail(message, e.errorName(), e.getMessage());
    }

    private void fail(RunMessage message, String reason, String failureMessage) {
        if (runs.recordSubmissionFailed(message.batchId(), message.runSettingId(), reason, failureMessage)) {
            metrics.submission(PipelineMetrics.Submission.FAILED);
        }
        completion.check(message.batchId());
        LOG.info("submission failed in batch {}: {}", message.batchId(), reason);
    }

    private void sleepUntil(Instant slot) throws InterruptedException {
        Duration untilSlot = Duration.between(clock.instant(), slot);
        if (!untilSlot.isNegative() && !untilSlot.isZero()) {
            sleeper.sleep(untilSlot);
        }
    }

    /**
     * Waits for the permit's slot and returns the permit the call leaves on. A call that wakes later than the permit's
     * lateness (a pause of the machine, a slow claim) would reach the service too soon before the next slot's call, so
     * it gives the slot up and takes the next free one, a few times at most. Null when no slot is left in time.
     */
    private StartRunPacer.Permit departOnTime(StartRunPacer.Permit permit, Instant waitDeadline) throws InterruptedException {
        for (int late = 0; ; late++) {
            sleepUntil(permit.grantedAt());
            Duration lateBy = Duration.between(permit.grantedAt(), clock.instant());
            if (permit.lateness() == null || lateBy.compareTo(permit.lateness()) <= 0 || late >= MAX_LATE_DEPARTURES) {
                return permit;
            }
            LOG.debug("StartRun woke {} us after its slot; taking the next free slot", lateBy.toNanos() / 1000);
            Duration left = Duration.between(clock.instant(), waitDeadline);
            if (left.isNegative()) {
                return null;
            }
            permit = pacer.acquire(left);
            if (!permit.granted()) {
                return null;
            }
        }
    }

    /** The wait before the n-th conflict retry: the base doubled each time, no jitter (the creation is already under way). */
    Duration conflictBackoff(int retry) {
        return config.conflictBackoff().multipliedBy(1L << Math.min(retry - 1, 10));
    }

    /** Exponential backoff with full jitter: uniform in [base, min(max, base * 2^(attempt-1))]. */
    Duration backoff(int attempts) {
        long base = config.baseBackoff().toMillis();
        long cap = Math.min(config.maxBackoff().toMillis(), base << Math.min(attempts - 1, 20));
        long spread = Math.max(0, cap - base);
        return Duration.ofMillis(base + (spread == 0 ? 0 : Math.floorMod(random.getAsLong(), spread + 1)));
    }

    private Duration jitter(Duration upTo) {
        long millis = upTo.toMillis();
        return Duration.ofMillis(millis <= 0 ? 0 : Math.floorMod(random.getAsLong(), millis + 1));
    }

    private BatchRecord batch(String batchId) {
        Instant now = clock.instant();
        CachedBatch cached = cachedBatch;
        if (cached != null && cached.batch.batchId().equals(batchId) && now.isBefore(cached.expires)) {
            return cached.batch;
        }
        BatchRecord batch = batches.get(batchId).orElseThrow(() -> new IllegalStateException("no batch " + batchId));
        cachedBatch = new CachedBatch(batch, now.plus(config.batchCacheTtl()));
        return batch;
    }

    private static String capitalized(BatchStatus status) {
        String name = status.name().toLowerCase(java.util.Locale.ROOT);
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    private record CachedBatch(BatchRecord batch, Instant expires) {}
}
