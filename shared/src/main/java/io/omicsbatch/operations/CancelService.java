package io.omicsbatch.operations;

import io.omicsbatch.batch.BatchCompletion;
import io.omicsbatch.batch.BatchRecord;
import io.omicsbatch.batch.BatchStatus;
import io.omicsbatch.batch.BatchStore;
import io.omicsbatch.batch.RunRecord;
import io.omicsbatch.batch.RunStore;
import io.omicsbatch.batch.SubmissionStatus;
import io.omicsbatch.batch.SubmitService;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CancelRunBatch. The cancel is recorded first (PENDING, SUBMITTING or INPROGRESS → STOPPING): from then on no run
 * can be claimed for its StartRun ({@link RunStore#claimSubmission}), so no StartRun leaves but those already claimed.
 * Then a sweep over the batch's runs, repeated until nothing is left to do:
 * <ul>
 *   <li>a run not submitted and not claimed gets its final state: submission FAILED, reason
 *       {@value SubmitService#NOT_SUBMITTED_CANCELLED};</li>
 *   <li>a claimed run (its StartRun in flight, or lost in a crash) is left to the submit function, which records it;
 *       the next sweep cancels it;</li>
 *   <li>a started run that has not finished gets CancelRun, paced, its outcome counted once in
 *       successfulCancelSubmissionCount or failedCancelSubmissionCount.</li>
 * </ul>
 * The batch becomes CANCELLED ({@link BatchCompletion}) once every run is terminal: the runs' status events, or the
 * reconciler, bring the last ones.
 */
public final class CancelService {

    private static final Logger LOG = LoggerFactory.getLogger(CancelService.class);

    private final BatchStore batches;
    private final RunStore runs;
    private final RunControl control;
    private final PacedRunControl paced;
    private final BatchCompletion completion;
    private final Duration sweepAgainAfter;

    CancelService(BatchStore batches, RunStore runs, RunControl control, PacedRunControl paced,
                  BatchCompletion completion, Duration sweepAgainAfter) {
        this.batches = batches;
        this.runs = runs;
        this.control = control;
        this.paced = paced;
        this.completion = completion;
        this.sweepAgainAfter = sweepAgainAfter;
    }

    public OperationResult cancel(String batchId, BooleanSupplier hasTime) throws InterruptedException {
        BatchRecord batch = batches.get(batchId).orElse(null);
        if (batch == null) {
            return OperationResult.refused(batchId, "there is no batch " + batchId);
        }
        if (batch.status() == BatchStatus.CREATING) {
            // Its intake decides in moments whether it is PENDING (then cancellable) or FAILED.
            return OperationResult.continueAfter(batchId, "the batch is still CREATING", sweepAgainAfter);
        }
        if (batch.status().isCancellable()) {
            if (batches.markStopping(batchId)) {
                LOG.info("batch {}: cancel recorded ({} -> STOPPING)", batchId, batch.status());
            }
            batch = batches.get(batchId).orElseThrow();
        }
        if (batch.status() == BatchStatus.CANCELLED) {
            return OperationResult.done(batchId, "CANCELLED");
        }
        if (batch.status() != BatchStatus.STOPPING) {
            return OperationResult.refused(batchId, "the batch is " + batch.status()
                    + "; CancelRunBatch needs a batch PENDING, SUBMITTING or INPROGRESS");
        }
        Sweep sweep = new Sweep(batchId, hasTime);
        runs.forEachRun(batchId, sweep::visit);
        if (sweep.interrupted != null) {
            throw sweep.interrupted;
        }
        LOG.info("batch {} cancel sweep: {} not submitted, {} cancelled, {} cancels failed, {} claimed in flight, {} stopping",
                batchId, sweep.notSubmitted, sweep.cancelled, sweep.cancelFailed, sweep.inFlight, sweep.stopping);
        if (completion.check(batchId) == BatchStatus.CANCELLED) {
            return OperationResult.done(batchId, "CANCELLED");
        }
        if (sweep.outOfTime) {
            return OperationResult.continueAfter(batchId, "out of time; the sweep goes on", Duration.ZERO);
        }
        if (sweep.inFlight > 0) {
            return OperationResult.continueAfter(batchId, sweep.inFlight + " claimed submissions in flight", sweepAgainAfter);
        }
        // Every started run has had its CancelRun: their status events (or the reconciler) end the batch CANCELLED.
        return OperationResult.done(batchId, "STOPPING: " + sweep.stopping + " runs stopping");
    }

    private final class Sweep {
        final String batchId;
        final BooleanSupplier hasTime;
        long notSubmitted;
        long cancelled;
        long cancelFailed;
        long inFlight;
        long stopping;
        boolean outOfTime;
        InterruptedException interrupted;

        Sweep(String batchId, BooleanSupplier hasTime) {
            this.batchId = batchId;
            this.hasTime = hasTime;
        }

        void visit(RunRecord run) {
            if (outOfTime || interrupted != null) {
                return;
            }
            if (!hasTime.getAsBoolean()) {
                outOfTime = true;
                return;
            }
            if (run.submissionStatus() == SubmissionStatus.PENDING) {
                if (run.claimedAt() != null) {
                    inFlight++;
                } else if (runs.recordSubmissionFailed(batchId, run.runSettingId(), SubmitService.NOT_SUBMITTED_CANCELLED,
                        "not submitted: the batch was cancelled")) {
                    notSubmitted++;
                }
                return;
            }
            if (run.submissionStatus() != SubmissionStatus.SUCCESS || run.runId() == null
                    || (run.status() != null && run.status().isTerminal())) {
                return;
            }
            stopping++;
            if (run.cancelStatus() != null) {
                return;
            }
            try {
                String error = paced.call(control::cancelRun, run.runId());
                if (runs.recordCancelOutcome(batchId, run.runSettingId(), error == null, error)) {
                    if (error == null) {
                        cancelled++;
                    } else {
                        cancelFailed++;
                        LOG.warn("batch {}: CancelRun of run {} failed: {}", batchId, run.runId(), error);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                interrupted = e;
            }
        }
    }
}
