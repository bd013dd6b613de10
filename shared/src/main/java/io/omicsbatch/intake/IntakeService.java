package io.omicsbatch.intake;

import io.omicsbatch.batch.BatchRecord;
import io.omicsbatch.batch.BatchStore;
import io.omicsbatch.batch.ObjectStore;
import io.omicsbatch.batch.RunQueue;
import io.omicsbatch.batch.RunStore;
import io.omicsbatch.batch.S3ObjectRef;
import io.omicsbatch.batch.WorkflowCatalog;
import io.omicsbatch.resources.ResourceDefinitions;
import io.omicsbatch.settings.BatchIdentity;
import io.omicsbatch.settings.BatchSettings;
import io.omicsbatch.settings.BatchSettingsValidator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * From a dropped settings object to one run record and one run message per run setting: reads and validates the
 * document, records the batch, and moves it along — {@link Admission} (CREATING → PENDING or FAILED), then
 * PENDING → SUBMITTING, then {@link Expansion} under the batch's lease.
 *
 * <p>Every step is idempotent and resumable: the batch id derives from the object, the record is created
 * conditionally, every status change is conditional, and after each one the record is read again and the batch
 * handled as it now stands, so redelivered, duplicated and concurrent notifications converge on one outcome.
 */
public final class IntakeService {

    private static final Logger LOG = LoggerFactory.getLogger(IntakeService.class);
    /** Lambda's longest timeout: no invocation outlives it, so neither does an expansion lease without a deadline. */
    public static final Duration MAX_INVOCATION = Duration.ofMinutes(15);

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
        /** Another invocation holds the expansion: it finishes the work, or its lease lapses and a redelivery does. */
        BUSY,
        /** Time ran out; the work resumes from the checkpoint on the next delivery. */
        INTERRUPTED
    }

    public record Result(Outcome outcome, String batchId) {}

    private final BatchStore batches;
    private final ObjectStore objects;
    private final Admission admission;
    private final Expansion expansion;
    private final Config config;
    private final Clock clock;

    public IntakeService(BatchStore batches, RunStore runs, ObjectStore objects, RunQueue runQueue,
                         WorkflowCatalog workflows, BatchPreflight preflight, Config config, Clock clock) {
        this.batches = batches;
        this.objects = objects;
        this.admission = new Admission(batches, objects, workflows, preflight, config);
        this.expansion = new Expansion(batches, runs, objects, runQueue, config.chunkSize(), clock);
        this.config = config;
        this.clock = clock;
    }

    /** As {@link #handle(S3ObjectRef, BooleanSupplier, Instant)} for an invocation as long as Lambda allows. */
    public Result handle(S3ObjectRef settingsObject, BooleanSupplier hasTime) {
        return handle(settingsObject, hasTime, clock.instant().plus(MAX_INVOCATION));
    }

    /**
     * Handles one ObjectCreated notification (or its continuation).
     *
     * @param hasTime       answers whether there is time for one more chunk of the expansion
     * @param invocationEnd when this invocation ends at the latest (its timeout)
     */
    public Result handle(S3ObjectRef settingsObject, BooleanSupplier hasTime, Instant invocationEnd) {
        ErrorReport report = new ErrorReport();
        // A resubmit batch's document is named after its batch (the resubmit request's id), whatever it holds; its
        // runs carry the lineage tag, which counts toward StartRun's tags.
        String resubmitBatchId = resubmitBatchId(settingsObject.key());
        BatchSettingsValidator validator = new BatchSettingsValidator(config.errorsOnRecord(), report::add,
                resubmitBatchId != null);
        BatchSettingsValidator.DocumentResult document;
        try (InputStream in = objects.open(settingsObject)) {
            document = validator.validateDocument(in);
        } catch (ObjectStore.ObjectChangedException | ObjectStore.ObjectMissingException e) {
            // That version is gone: a newer one (with its own notification) or a deletion replaced it.
            // Object keys are the user's words and may name samples: details only at DEBUG.
            LOG.info("ignoring a notification for a settings object version that no longer exists");
            LOG.debug("ignored {}: {}", settingsObject.uri(), e.getMessage());
            return new Result(Outcome.IGNORED, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        BatchSettings settings = document.settings();
        String requestId = settings != null ? settings.requestId() : null;
        String key = settingsObject.key();
        String batchId = resubmitBatchId != null ? resubmitBatchId
                : BatchIdentity.batchId(requestId, settingsObject.bucket(), key, settingsObject.versionId(), settingsObject.eTag());
        String runsFileUri = settings != null && !settings.isInline() ? settings.batchRunSettings().s3UriSettings() : null;
        BatchRecord batch = batches.createIfAbsent(BatchRecord.creating(batchId,
                settings == null ? null : settings.batchName(), settingsObject, runsFileUri, workflow(settings),
                clock.instant()));
        if (!sameObject(batch.settingsObject(), settingsObject)) {
            LOG.warn("batch {} already exists for another settings object with the same requestId; ignoring this one", batchId);
            LOG.debug("batch {} is {}; ignored {}", batchId, batch.settingsObject().uri(), settingsObject.uri());
            return new Result(Outcome.IGNORED, batchId);
        }
        // Each step moves the batch at most once and only from the status it expects; whoever moved it, the record
        // is read again and the batch handled as it now stands. Every pass moves it forward, so this ends.
        while (true) {
            switch (batch.status()) {
                case CREATING -> admission.admit(batch, document, validator, report);
                case PENDING -> {
                    if (!batches.markSubmitting(batchId)) {
                        LOG.info("batch {}: another delivery started the submission", batchId);
                    }
                }
                // A batch cancelled while it expanded still gives every run setting its record (and its final state).
                case SUBMITTING, STOPPING -> {
                    if (batch.expansionComplete()) {
                        return new Result(Outcome.ALREADY_DONE, batchId);
                    }
                    return new Result(expansion.run(batchId, settings, hasTime, invocationEnd), batchId);
                }
                case FAILED -> {
                    return new Result(Outcome.FAILED, batchId);
                }
                default -> {
                    return new Result(Outcome.ALREADY_DONE, batchId);
                }
            }
            batch = batches.get(batchId).orElseThrow();
        }
    }

    /** The batch a resubmit batch's document ({@code resubmits/<batchId>.json}) is, or null for any other key. */
    private static String resubmitBatchId(String key) {
        return key.startsWith(ResourceDefinitions.RESUBMITS_PREFIX) && key.endsWith(ResourceDefinitions.BATCHES_SUFFIX)
                ? key.substring(ResourceDefinitions.RESUBMITS_PREFIX.length(), key.length() - ResourceDefinitions.BATCHES_SUFFIX.length())
                : null;
    }

    /** The document's workflow fields, for the batch events and ListBatch; null when the document is unreadable. */
    private static BatchRecord.Workflow workflow(BatchSettings settings) {
        if (settings == null || settings.defaultRunSetting() == null) {
            return null;
        }
        var defaults = settings.defaultRunSetting();
        return new BatchRecord.Workflow(bounded(defaults.workflowId()), bounded(defaults.workflowType()),
                bounded(defaults.workflowVersionName()), bounded(defaults.workflowOwnerId()));
    }

    /** A field of a document not validated yet: kept only within the model's lengths (all of these are at most 64). */
    private static String bounded(String value) {
        return value == null || value.length() > 64 ? null : value;
    }

    private static boolean sameObject(S3ObjectRef a, S3ObjectRef b) {
        return a.bucket().equals(b.bucket()) && a.key().equals(b.key()) && Objects.equals(a.eTag(), b.eTag())
                && Objects.equals(a.versionId(), b.versionId());
    }
}
