package io.omicsbatch.batch;

import io.omicsbatch.util.DaemonThreads;
import io.omicsbatch.resources.ResourceDefinitions;
import io.omicsbatch.settings.BatchIdentity;
import io.omicsbatch.settings.BatchSettings;
import io.omicsbatch.settings.BatchSettingsValidator;
import io.omicsbatch.settings.DefaultRunSetting;
import io.omicsbatch.settings.Rule;
import io.omicsbatch.settings.RunRequest;
import io.omicsbatch.settings.RunRequestMerger;
import io.omicsbatch.settings.RunSetting;
import io.omicsbatch.settings.RunSettingsReader;
import io.omicsbatch.settings.S3Location;
import io.omicsbatch.settings.SettingsJson;
import io.omicsbatch.settings.ValidationError;
import io.omicsbatch.settings.ValidationErrors;
import io.omicsbatch.settings.WorkflowParameterCheck;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * From a dropped settings object to one run record and one run message per run setting.
 *
 * <p>Every step is idempotent and resumable: the batch id derives from the object, the record is created
 * conditionally, status changes are conditional, and the expansion checkpoint says which runs already have
 * their record and message. Runs are written before their messages are sent and the checkpoint only moves
 * after both, so a resumed expansion rewrites only records no submit function can have seen yet.
 */
public final class IntakeService {

    private static final Logger LOG = LoggerFactory.getLogger(IntakeService.class);
    /** Sends one chunk's messages while the next chunk's records are written. */
    private static final ExecutorService SENDER = Executors.newCachedThreadPool(DaemonThreads.named("intake-chunk-sender"));

    /**
     * @param startRunTps        the configured StartRun rate, for the feasibility check
     * @param runQueueRetention  how long a run message may wait in the run queue
     * @param chunkSize          runs written and sent between two checkpoints
     * @param errorsOnRecord     how many validation errors the batch record keeps (all go to the report)
     */
    public record Config(double startRunTps, Duration runQueueRetention, int chunkSize, int errorsOnRecord) {
        public static Config defaults(double startRunTps) {
            return new Config(startRunTps, ResourceDefinitions.RUN_QUEUE.retentionPeriod(), 500, 20);
        }
    }

    public enum Outcome {
        /** Not a batch to act on: a stale or deleted object version, or another document reusing a requestId. */
        IGNORED,
        /** The batch was rejected (invalid, infeasible, or its inputs changed). */
        FAILED,
        /** Every run has its record and its message. */
        EXPANDED,
        /** Nothing left to do: an earlier delivery finished the work. */
        ALREADY_DONE,
        /** Time ran out; the work resumes from the checkpoint on the next delivery. */
        INTERRUPTED
    }

    public record Result(Outcome outcome, String batchId) {}

    private final BatchStore batches;
    private final RunStore runs;
    private final ObjectStore objects;
    private final RunQueue runQueue;
    private final WorkflowCatalog workflows;
    private final Config config;
    private final Clock clock;

    public IntakeService(BatchStore batches, RunStore runs, ObjectStore objects, RunQueue runQueue,
                         WorkflowCatalog workflows, Config config, Clock clock) {
        this.batches = batches;
        this.runs = runs;
        this.objects = objects;
        this.runQueue = runQueue;
        this.workflows = workflows;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Handles one ObjectCreated notification (or its continuation).
     *
     * @param hasTime answers whether there is time for one more chunk of the expansion
     */
    public Result handle(S3ObjectRef settingsObject, BooleanSupplier hasTime) {
        ErrorReport report = new ErrorReport();
        BatchSettingsValidator validator = new BatchSettingsValidator(config.errorsOnRecord(), report::add);
        BatchSettingsValidator.DocumentResult result;
        // Validated as it streams, exactly as `validate` reads a file: same bytes, same decoding, no copy.
        try (InputStream in = objects.open(settingsObject)) {
            result = validator.validateDocument(in);
        } catch (ObjectStore.ObjectChangedException | ObjectStore.ObjectMissingException e) {
            // That version is gone: a newer one (with its own notification) or a deletion replaced it.
            // Object keys are the user's words and may name samples: details only at DEBUG.
            LOG.info("ignoring a notification for a settings object version that no longer exists");
            LOG.debug("ignored {}: {}", settingsObject.uri(), e.getMessage());
            return new Result(Outcome.IGNORED, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        BatchSettings settings = result.settings();
        String requestId = settings != null ? settings.requestId() : null;
        String batchId = BatchIdentity.batchId(requestId, settingsObject.bucket(), settingsObject.key(),
                settingsObject.versionId(), settingsObject.eTag());

        BatchRecord batch = batches.createIfAbsent(initialRecord(batchId, settings, settingsObject));
        if (!sameObject(batch.settingsObject(), settingsObject)) {
            LOG.warn("batch {} already exists for another settings object with the same requestId; ignoring this one", batchId);
            LOG.debug("batch {} is {}; ignored {}", batchId, batch.settingsObject().uri(), settingsObject.uri());
            return new Result(Outcome.IGNORED, batchId);
        }
        switch (batch.status()) {
            case CREATING:
                if (!admit(batch, result, validator, report)) {
                    return new Result(Outcome.FAILED, batchId);
                }
                // fall through: admitted, now PENDING
            case PENDING:
                batches.markSubmitting(batchId);
                // fall through
            case SUBMITTING:
                batch = batches.get(batchId).orElseThrow();
                if (batch.status() != BatchStatus.SUBMITTING || batch.expansionComplete()) {
                    return new Result(Outcome.ALREADY_DONE, batchId);
                }
                return new Result(expand(batch, settings, hasTime), batchId);
            default:
                return new Result(Outcome.ALREADY_DONE, batchId);
        }
    }

    /** Validates what the record cannot yet vouch for, then CREATING → PENDING; false if the batch failed. */
    private boolean admit(BatchRecord batch, BatchSettingsValidator.DocumentResult document,
                          BatchSettingsValidator validator, ErrorReport report) {
        String batchId = batch.batchId();
        BatchSettings settings = document.settings();
        if (!document.isValid()) {
            fail(batch, "ValidationFailed", report);
            return false;
        }
        WorkflowParameterCheck parameters = null;
        WorkflowCatalog.Lookup workflow = lookUpWorkflow(batchId, settings.defaultRunSetting());
        if (workflow instanceof WorkflowCatalog.NotFound notFound) {
            report.add(new ValidationError("/defaultRunSetting/workflowId", Rule.WORKFLOW_NOT_FOUND, notFound.message()));
            fail(batch, "ValidationFailed", report);
            return false;
        }
        if (workflow instanceof WorkflowCatalog.Template template) {
            parameters = new WorkflowParameterCheck(settings.defaultRunSetting().workflowId(),
                    template.optionalByName(), settings.defaultRunSetting().parameters());
            // Every error is reported: for a runs file, its entries are checked below even if the defaults fail.
            validator.checkParameters(settings, parameters);
        }
        int totalRuns;
        String runsFileETag = null;
        if (settings.isInline()) {
            totalRuns = settings.batchRunSettings().inlineSettings().size();
        } else {
            S3Location runsFile = S3Location.parse(settings.batchRunSettings().s3UriSettings(), true).location();
            Optional<S3ObjectRef> current = objects.head(runsFile.bucket(), runsFile.key());
            if (current.isEmpty()) {
                failWithMessage(batchId, BatchStatus.CREATING, "RunsFileNotFound",
                        "the runs file " + runsFile.uri() + " does not exist or cannot be read");
                return false;
            }
            BatchSettingsValidator.RunsFileResult runsResult;
            try (InputStream in = objects.open(current.get())) {
                runsResult = validator.validateRunsFile(in, document.mergeBase(), parameters);
            } catch (ObjectStore.ObjectChangedException | ObjectStore.ObjectMissingException e) {
                failWithMessage(batchId, BatchStatus.CREATING, "RunsFileChanged", "the runs file changed while it was read: " + e.getMessage());
                return false;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (!runsResult.isValid()) {
                fail(batch, "ValidationFailed", report);
                return false;
            }
            totalRuns = runsResult.entries();
            runsFileETag = current.get().eTag();
        }
        if (report.count() > 0) {
            fail(batch, "ValidationFailed", report);
            return false;
        }
        Optional<String> infeasible = feasibilityProblem(totalRuns);
        if (infeasible.isPresent()) {
            failWithMessage(batchId, BatchStatus.CREATING, "SubmissionInfeasible", infeasible.get());
            return false;
        }
        batches.markPending(batchId, totalRuns, runsFileETag);
        return true;
    }

    /**
     * The workflow's parameter template, when it can be had: a run of a named workflow version may have another
     * template than the workflow's (GetWorkflow describes the default version), so those runs are left to StartRun.
     */
    private WorkflowCatalog.Lookup lookUpWorkflow(String batchId, DefaultRunSetting defaults) {
        if (defaults.workflowVersionName() != null) {
            return new WorkflowCatalog.Unchecked("a workflow version is named; GetWorkflow describes the default version");
        }
        WorkflowCatalog.Lookup lookup = workflows.parameterTemplate(defaults.workflowId(), defaults.workflowOwnerId());
        if (lookup instanceof WorkflowCatalog.Unchecked unchecked) {
            LOG.warn("batch {}: parameters not checked against workflow {} ({}); StartRun checks each run",
                    batchId, defaults.workflowId(), unchecked.reason());
        } else if (lookup instanceof WorkflowCatalog.NoTemplate) {
            LOG.info("batch {}: workflow {} declares no parameter template; parameters not checked",
                    batchId, defaults.workflowId());
        }
        return lookup;
    }

    /**
     * At the configured StartRun rate, can every run be submitted before its message expires? The run queue's
     * retention bounds how long a message can wait.
     */
    Optional<String> feasibilityProblem(int totalRuns) {
        double seconds = totalRuns / config.startRunTps();
        long allowed = config.runQueueRetention().toSeconds();
        if (seconds <= allowed) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT,
                "at %.3f StartRun calls per second, %d runs need %.1f days to submit, longer than the run queue's "
                        + "%.1f-day message retention; raise the StartRun quota and the configured rate, or split the batch "
                        + "into batches of at most %d runs",
                config.startRunTps(), totalRuns, seconds / 86400.0, allowed / 86400.0,
                (long) Math.floor(allowed * config.startRunTps())));
    }

    private Outcome expand(BatchRecord batch, BatchSettings settings, BooleanSupplier hasTime) {
        String batchId = batch.batchId();
        if (inputsChanged(batch)) {
            return Outcome.FAILED;
        }
        RunRequestMerger merger = new RunRequestMerger(batchId, settings.defaultRunSetting());
        Expansion expansion = new Expansion(batchId, batch.expandedRuns());
        try (RunSource source = runSource(batch, settings)) {
            long index = 0;
            while (index < batch.expandedRuns() && source.hasNext()) {
                source.next(); // already expanded by an earlier delivery
                index++;
            }
            List<RunRequest> chunk = new ArrayList<>(config.chunkSize());
            while (source.hasNext()) {
                chunk.add(merger.merge(source.next()));
                if (chunk.size() == config.chunkSize() || !source.hasNext()) {
                    if (!hasTime.getAsBoolean()) {
                        expansion.finish();
                        return Outcome.INTERRUPTED;
                    }
                    expansion.add(chunk);
                    chunk = new ArrayList<>(config.chunkSize());
                }
            }
            expansion.finish();
            if (source.syntaxProblem() != null) {
                failWithMessage(batchId, BatchStatus.SUBMITTING, "RunsFileChanged", source.syntaxProblem());
                return Outcome.FAILED;
            }
        } catch (ObjectStore.ObjectChangedException | ObjectStore.ObjectMissingException e) {
            failWithMessage(batchId, BatchStatus.SUBMITTING, "RunsFileChanged",
                    "the runs file changed after the batch was accepted: " + e.getMessage());
            return Outcome.FAILED;
        }
        long expanded = expansion.checkpoint;
        if (expanded != batch.totalRuns()) {
            failWithMessage(batchId, BatchStatus.SUBMITTING, "RunsFileChanged",
                    "the runs file now holds " + expanded + " runs, not the " + batch.totalRuns() + " accepted");
            return Outcome.FAILED;
        }
        if (inputsChanged(batch)) {
            return Outcome.FAILED;
        }
        batches.markExpansionComplete(batchId, expanded);
        batches.markInProgressIfAllSubmitted(batchId);
        return Outcome.EXPANDED;
    }

    /**
     * Writes chunks of run records and sends their messages, pipelined: while one chunk's messages are being
     * sent, the next chunk's records are written. A chunk's records are always written before its messages
     * are sent, and the checkpoint only covers chunks whose messages were all sent, so a resumed expansion
     * rewrites only records whose messages no submit function can have seen.
     */
    private final class Expansion {
        private final String batchId;
        private long checkpoint;
        private CompletableFuture<Long> sending;

        Expansion(String batchId, long checkpoint) {
            this.batchId = batchId;
            this.checkpoint = checkpoint;
        }

        void add(List<RunRequest> chunk) {
            List<RunRecord> records = new ArrayList<>(chunk.size());
            List<RunMessage> messages = new ArrayList<>(chunk.size());
            for (RunRequest request : chunk) {
                records.add(RunRecord.pending(batchId, request.runSettingId(), request.requestId(), request.name(),
                        request.outputUri(), request.outputBucketOwnerId(), clock.instant()));
                messages.add(new RunMessage(batchId, request.runSettingId(), request.toStartRunBody()));
            }
            runs.putPending(records);
            long end = awaitSent() + chunk.size();
            sending = CompletableFuture.supplyAsync(() -> {
                runQueue.send(messages);
                return end;
            }, SENDER);
        }

        void finish() {
            awaitSent();
        }

        /** Waits for the chunk in flight and checkpoints it; returns the checkpoint. */
        private long awaitSent() {
            if (sending != null) {
                try {
                    checkpoint = sending.join();
                } catch (CompletionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : e;
                } finally {
                    sending = null;
                }
                batches.saveCheckpoint(batchId, checkpoint);
            }
            return checkpoint;
        }
    }

    /** The batch fails if its settings object or runs file changed (ETag) before the expansion ended. */
    private boolean inputsChanged(BatchRecord batch) {
        S3ObjectRef source = batch.settingsObject();
        Optional<S3ObjectRef> settingsNow = objects.head(source.bucket(), source.key());
        if (settingsNow.isPresent() && !settingsNow.get().eTag().equals(source.eTag())) {
            failWithMessage(batch.batchId(), BatchStatus.SUBMITTING, "SettingsChanged",
                    "the settings object " + source.uri() + " changed (ETag " + source.eTag() + " → "
                            + settingsNow.get().eTag() + ") before every run was queued");
            return true;
        }
        if (batch.runsFileUri() != null) {
            S3Location runsFile = S3Location.parse(batch.runsFileUri(), true).location();
            Optional<S3ObjectRef> runsNow = objects.head(runsFile.bucket(), runsFile.key());
            if (runsNow.isEmpty() || !runsNow.get().eTag().equals(batch.runsFileETag())) {
                failWithMessage(batch.batchId(), BatchStatus.SUBMITTING, "RunsFileChanged",
                        "the runs file " + batch.runsFileUri() + " changed (ETag " + batch.runsFileETag() + " → "
                                + runsNow.map(S3ObjectRef::eTag).orElse("deleted") + ") before every run was queued");
                return true;
            }
        }
        return false;
    }

    private RunSource runSource(BatchRecord batch, BatchSettings settings) {
        if (settings.isInline()) {
            Iterator<RunSetting> inline = settings.batchRunSettings().inlineSettings().iterator();
            return new RunSource(inline, null, null);
        }
        S3Location runsFile = S3Location.parse(batch.runsFileUri(), true).location();
        InputStream in = objects.open(new S3ObjectRef(runsFile.bucket(), runsFile.key(), null, batch.runsFileETag()));
        ValidationErrors errors = new ValidationErrors(1, e -> { });
        try {
            RunSettingsReader reader = new RunSettingsReader(in, errors);
            return new RunSource(new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return reader.hasNext();
                }

                @Override
                public RunSetting next() {
                    return SettingsJson.toRunSetting(reader.next().node());
                }
            }, () -> {
                reader.close();
                in.close();
            }, errors);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The run settings of a batch in order, from the document or streamed from the runs file. */
    private static final class RunSource implements AutoCloseable {
        private final Iterator<RunSetting> settings;
        private final AutoCloseableIo closer;
        private final ValidationErrors errors;

        RunSource(Iterator<RunSetting> settings, AutoCloseableIo closer, ValidationErrors errors) {
            this.settings = settings;
            this.closer = closer;
            this.errors = errors;
        }

        boolean hasNext() {
            return settings.hasNext();
        }

        RunSetting next() {
            return settings.next();
        }

        String syntaxProblem() {
            return errors == null || errors.isEmpty() ? null : "the runs file is no longer valid: " + errors.list().get(0).toLine();
        }

        @Override
        public void close() {
            if (closer != null) {
                try {
                    closer.close();
                } catch (IOException e) {
                    LOG.debug("closing the runs file", e);
                }
            }
        }
    }

    @FunctionalInterface
    private interface AutoCloseableIo {
        void close() throws IOException;
    }

    /** CREATING → FAILED with the validation errors: the first few on the record, all of them in the report. */
    private void fail(BatchRecord batch, String reason, ErrorReport report) {
        String batchId = batch.batchId();
        String reportKey = ResourceDefinitions.REPORTS_PREFIX + batchId + "/errors.json";
        String bucket = batch.settingsObject().bucket();
        objects.put(bucket, reportKey, report.toJson(batchId, batch.settingsObject().uri()), "application/json");
        List<ValidationError> first = report.first(config.errorsOnRecord());
        String message = report.count() + (report.count() == 1 ? " error" : " errors") + " in " + batch.settingsObject().uri()
                + (first.isEmpty() ? "" : "; first: " + first.get(0).toLine()) + "; all errors: s3://" + bucket + "/" + reportKey;
        List<BatchRecord.ErrorEntry> entries = first.stream()
                .map(e -> new BatchRecord.ErrorEntry(e.pointer(), e.rule().id(), e.message())).toList();
        batches.markFailed(batchId, List.of(BatchStatus.CREATING), reason, message, entries, report.count());
        LOG.info("batch {} failed validation with {} errors", batchId, report.count());
    }

    private void failWithMessage(String batchId, BatchStatus from, String reason, String message) {
        batches.markFailed(batchId, List.of(from), reason, message, List.of(), 0);
        LOG.info("batch {} failed: {}", batchId, reason);
    }

    private BatchRecord initialRecord(String batchId, BatchSettings settings, S3ObjectRef source) {
        String runsFileUri = settings != null && !settings.isInline() ? settings.batchRunSettings().s3UriSettings() : null;
        return new BatchRecord(batchId, settings == null ? null : settings.batchName(), BatchStatus.CREATING, source,
                runsFileUri, null, null, 0, false, null, null, List.of(), 0, java.util.Map.of(), clock.instant(), null, null, null, java.util.Set.of());
    }

    private static boolean sameObject(S3ObjectRef a, S3ObjectRef b) {
        return a.bucket().equals(b.bucket()) && a.key().equals(b.key()) && java.util.Objects.equals(a.eTag(), b.eTag())
                && java.util.Objects.equals(a.versionId(), b.versionId());
    }
}
