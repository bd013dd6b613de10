package io.omicsbatch.batch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The safety net under best-effort events: on a schedule, every unfinished batch gets its leftover status events
 * announced, its stale runs (not terminal, not updated for {@code staleAfter}) read with GetRun and applied like
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
     */
    public record Config(Duration staleAfter, double getRunTps, Duration messageRetention) {
        public Config {
            if (!(getRunTps > 0)) {
                throw new IllegalArgumentException("getRunTps must be positive");
            }
        }
    }

    /** What one pass did. */
    public record Report(int batches, int runsRead, int runsChanged, int expiredSubmissions, int processed,
                         boolean complete) {}

    private final BatchStore batches;
    private final RunStore runs;
    private final RunReader reader;
    private final StatusService status;
    private final BatchCompletion completion;
    private final BatchAnnouncer announcer;
    private final Config config;
    private final Clock clock;
    private final SubmitService.Sleeper sleeper;
    private Instant nextGetRun = Instant.MIN;

    public ReconcileService(BatchStore batches, RunStore runs, RunReader reader, StatusService status,
                            BatchCompletion completion, BatchAnnouncer announcer, Config config, Clock clock,
                            SubmitService.Sleeper sleeper) {
        this.batches = batches;
        this.runs = runs;
        this.reader = reader;
        this.status = status;
        this.completion = completion;
        this.announcer = announcer;
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
        boolean complete = true;
        for (BatchRecord batch : batches.listUnfinished()) {
            if (!hasTime.getAsBoolean()) {
                complete = false;
                break;
            }
            batchCount++;
            announcer.announce(batch);
            if (batch.status() != BatchStatus.SUBMITTING && batch.status() != BatchStatus.INPROGRESS) {
                continue;
            }
            Instant now = clock.instant();
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
                if (applyGetRun(run)) {
                    changed++;
                } else {
                    runs.recordChecked(run.batchId(), run.runSettingId());
                }
            }
            if (completion.check(batch.batchId()) == BatchStatus.PROCESSED) {
                processed++;
            }
        }
        Report report = new Report(batchCount, read, changed, expired, processed, complete);
        LOG.info("reconciled {} batches: {} runs read, {} changed, {} expired submissions, {} processed{}",
                batchCount, read, changed, expired, processed, complete ? "" : " (stopped early, out of time)");
        return report;
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
