package io.omicsbatch.batch;

import io.omicsbatch.settings.TrackingTags;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what we learn about a run (a best-effort "Run Status Change" event, or GetRun) into its record, exactly:
 * the status only ever moves forward, a duplicate or late event changes nothing, and the run and its batch's
 * counts change in one conditional transaction, re-decided from a fresh read when another writer came first.
 *
 * <p>The run is found by uuid (run ids are reused after deletion); a run the index does not know yet (the event
 * came before the submit function's write, or it is an old event without uuid) is read with GetRun and placed by
 * our tracking tags. Runs without our tags are not ours and are ignored. Terminal statuses are completed with
 * GetRun's failure reason, status message, output URI and times, which events do not carry; a run already deleted
 * (GetRun answers 404, or its id names another run by now) keeps the event's status without them. A deleted run
 * keeps the outcome it was recorded with ({@link RunStatus}: DELETED ranks below COMPLETED, FAILED, CANCELLED).
 */
public final class StatusService {

    private static final Logger LOG = LoggerFactory.getLogger(StatusService.class);
    private static final int MAX_RACES = 20;

    /** What became of an observation. */
    public enum Outcome {
        APPLIED, UNCHANGED, NOT_OURS, UNKNOWN_STATUS
    }

    private final RunStore runs;
    private final RunReader reader;
    private final BatchCompletion completion;

    public StatusService(RunStore runs, RunReader reader, BatchCompletion completion) {
        this.runs = runs;
        this.reader = reader;
        this.completion = completion;
    }

    /** Applies one "Run Status Change" event. */
    public Outcome onEvent(RunStatusEvent event) {
        if (event.status() == null) {
            return Outcome.UNKNOWN_STATUS;
        }
        Optional<RunRecord> indexed = event.uuid() == null ? Optional.empty() : runs.findByUuid(event.uuid());
        if (indexed.isPresent()) {
            // The index may lag the table, but only behind: a status read there never exceeds the true one, so a
            // duplicate is still recognised, and a stale record fails the transaction's condition and is re-read.
            return apply(indexed.get(), event, null);
        }
        Optional<RunDetails> details = reader.getRun(event.runId());
        if (details.isEmpty()) {
            LOG.debug("run {} is unknown to HealthOmics (deleted?); event ignored", event.runId());
            return Outcome.NOT_OURS;
        }
        if (event.uuid() != null && details.get().uuid() != null && !event.uuid().equals(details.get().uuid())) {
            return Outcome.NOT_OURS; // the event is about an earlier, deleted run that had the same id
        }
        if (event.status() == RunStatus.DELETED) {
            // GetRun still knows a run by this id, so the deleted one was an earlier run with the same id (an old
            // event without uuid), not the run GetRun describes.
            return Outcome.NOT_OURS;
        }
        return applyDetails(details.get(), event);
    }

    /** Applies what GetRun said about a run of ours (the reconciler's path). */
    public Outcome onDetails(RunRecord record, RunDetails details) {
        if (details.status() == null) {
            return Outcome.UNKNOWN_STATUS;
        }
        return apply(record, null, details);
    }

    private Outcome applyDetails(RunDetails details, RunStatusEvent event) {
        Map<String, String> tags = details.tags() == null ? Map.of() : details.tags();
        String batchId = tags.get(TrackingTags.BATCH_ID);
        String runSettingId = tags.get(TrackingTags.RUN_SETTING_ID);
        if (batchId == null || runSettingId == null) {
            return Outcome.NOT_OURS;
        }
        Optional<RunRecord> record = runs.get(batchId, runSettingId);
        if (record.isEmpty()) {
            LOG.info("run {} carries the tags of batch {} but has no record; ignored", details.id(), batchId);
            return Outcome.NOT_OURS;
        }
        return apply(record.get(), event, details);
    }

    private Outcome apply(RunRecord record, RunStatusEvent event, RunDetails details) {
        boolean detailsRead = details != null;
        for (int race = 0; race < MAX_RACES; race++) {
            String knownUuid = details != null && details.uuid() != null ? details.uuid()
                    : event != null ? event.uuid() : null;
            if (record.uuid() != null && knownUuid != null && !record.uuid().equals(knownUuid)) {
                return Outcome.NOT_OURS; // same run id, another run
            }
            RunStatus target = target(event, details);
            if (target == null) {
                return Outcome.UNKNOWN_STATUS;
            }
            if (record.submissionStatus() == SubmissionStatus.SUCCESS && record.status() != null
                    && record.status().rank() >= target.rank() && !lacksTerminalDetails(record, target)) {
                return Outcome.UNCHANGED; // a duplicate, or late: a run never moves back
            }
            if (needsDetails(target) && !detailsRead) {
                detailsRead = true;
                String runId = event != null ? event.runId() : record.runId();
                details = reader.getRun(runId).orElse(null);
                if (details != null && knownUuid != null && details.uuid() != null && !knownUuid.equals(details.uuid())) {
                    // The run ended and was deleted, and its id already names another run: the event's status is all
                    // there is to learn (no reason, no times). Recorded so, the outcome is not lost.
                    details = null;
                }
                continue; // decide again with GetRun's (newer) view
            }
            if (runs.applyChange(record, change(target, record, event, details))) {
                LOG.debug("run {} of batch {}: {} -> {}", record.runId(), record.batchId(), record.status(), target);
                if (target.isTerminal() || record.submissionStatus() != SubmissionStatus.SUCCESS) {
                    if (completion.check(record.batchId()) == BatchStatus.PROCESSED
                            && record.status() == RunStatus.DELETED) {
                        completion.rewriteManifestIfProcessed(record.batchId()); // it may show this run DELETED
                    }
                }
                return Outcome.APPLIED;
            }
            record = runs.get(record.batchId(), record.runSettingId()).orElseThrow(
                    () -> new IllegalStateException("run record disappeared while it was updated"));
        }
        throw new IllegalStateException("run record of batch " + record.batchId()
                + " kept changing; giving up after " + MAX_RACES + " attempts (the event will be retried)");
    }

    private static RunStatus target(RunStatusEvent event, RunDetails details) {
        RunStatus fromEvent = event == null ? null : event.status();
        RunStatus fromDetails = details == null ? null : details.status();
        if (fromEvent == null) {
            return fromDetails;
        }
        if (fromDetails == null) {
            return fromEvent;
        }
        return fromDetails.rank() >= fromEvent.rank() ? fromDetails : fromEvent;
    }

    /**
     * A run recorded in its terminal status from StartRun's answer (a retried submission that found the run already
     * ended) has the status but not GetRun's reason and times: the same status, observed again, completes it.
     */
    private static boolean lacksTerminalDetails(RunRecord record, RunStatus target) {
        return record.status() == target && needsDetails(target) && record.stopTime() == null;
    }

    /** Terminal statuses keep GetRun's reason, message and times (DELETED runs cannot be read any more). */
    private static boolean needsDetails(RunStatus status) {
        return status.isTerminal() && status != RunStatus.DELETED;
    }

    private static RunChange change(RunStatus target, RunRecord record, RunStatusEvent event, RunDetails details) {
        boolean failed = target == RunStatus.FAILED || target == RunStatus.CANCELLED;
        return new RunChange(
                target,
                first(details == null ? null : details.id(), event == null ? null : event.runId(), record.runId()),
                first(details == null ? null : details.uuid(), event == null ? null : event.uuid(), record.uuid()),
                first(details == null ? null : details.arn(), event == null ? null : event.arn(), record.arn()),
                first(details == null ? null : details.runOutputUri(), event == null ? null : event.runOutputUri(),
                        record.runOutputUri()),
                failed && details != null ? details.failureReason() : null,
                failed && details != null ? details.statusMessage() : null,
                details == null ? null : details.startTime(),
                details == null ? null : details.stopTime());
    }

    private static String first(String... values) {
        for (String value : values) {
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return null;
    }
}
