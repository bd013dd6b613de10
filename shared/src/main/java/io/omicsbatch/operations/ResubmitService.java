package io.omicsbatch.operations;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.batch.BatchRecord;
import io.omicsbatch.batch.BatchStatus;
import io.omicsbatch.batch.BatchStore;
import io.omicsbatch.batch.ObjectStore;
import io.omicsbatch.batch.RunRecord;
import io.omicsbatch.batch.RunStore;
import io.omicsbatch.batch.S3ObjectRef;
import io.omicsbatch.batch.SubmissionStatus;
import io.omicsbatch.intake.IntakeQueue;
import io.omicsbatch.resources.ResourceDefinitions;
import io.omicsbatch.settings.BatchIdentity;
import io.omicsbatch.settings.RunEntries;
import io.omicsbatch.settings.RunsFileFormat;
import io.omicsbatch.settings.S3Location;
import io.omicsbatch.settings.SettingsJson;
import io.omicsbatch.settings.ValidationErrors;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resubmit: a new batch whose run settings are exactly the chosen runs of a finished batch. It is written as an
 * ordinary batch-settings document, {@code resubmits/<newBatchId>.json} (the original's defaultRunSetting and tags,
 * the chosen run settings verbatim in a runs file {@code runs/resubmits/<newBatchId>.json}, streamed from the
 * original's, the run cache of the request when it names one), its record created with its lineage, and the intake
 * asked to take it from there: the same validation, expansion and merge, so the StartRun requests are the original's
 * but for their requestId, the batch id tag and the lineage tag {@code omics-batch:resubmitOf} (the original's id;
 * {@link io.omicsbatch.settings.TrackingTags#RESUBMIT_OF}). The new batch's id is
 * {@link BatchIdentity#resubmitBatchId}: the same request twice makes one batch.
 *
 * <p>Memory: the chosen runSettingIds (from the run records), and one run setting at a time.
 */
public final class ResubmitService {

    private static final Logger LOG = LoggerFactory.getLogger(ResubmitService.class);
    private static final Set<BatchStatus> RESUBMITTABLE = Set.of(BatchStatus.PROCESSED, BatchStatus.CANCELLED,
            BatchStatus.RUNS_DELETED, BatchStatus.RUNS_DELETE_FAILED);
    private static final String NAME_SUFFIX = "-resubmit";
    private static final int MAX_NAME = 64;

    private final BatchStore batches;
    private final RunStore runs;
    private final ObjectStore objects;
    private final IntakeQueue intakeQueue;
    private final Clock clock;

    public ResubmitService(BatchStore batches, RunStore runs, ObjectStore objects, IntakeQueue intakeQueue, Clock clock) {
        this.batches = batches;
        this.runs = runs;
        this.objects = objects;
        this.intakeQueue = intakeQueue;
        this.clock = clock;
    }

    /** Where the settings document of a resubmit batch is written: its key names its batch id. */
    public static String documentKey(String batchId) {
        return ResourceDefinitions.RESUBMITS_PREFIX + batchId + ResourceDefinitions.BATCHES_SUFFIX;
    }

    public OperationResult resubmit(OperationRequest.Resubmit request, S3ObjectRef requestObject) {
        String originalId = request.batchId();
        BatchRecord original = batches.get(originalId).orElse(null);
        if (original == null) {
            return OperationResult.refused(originalId, "there is no batch " + originalId);
        }
        if (!RESUBMITTABLE.contains(original.status())) {
            return OperationResult.refused(originalId, "the batch is " + original.status()
                    + "; a resubmit needs a batch PROCESSED, CANCELLED, RUNS_DELETED or RUNS_DELETE_FAILED");
        }
        String newId = BatchIdentity.resubmitBatchId(request.requestId(), requestObject.bucket(), requestObject.key(),
                requestObject.versionId(), requestObject.eTag());
        BatchRecord existing = batches.get(newId).orElse(null);
        if (existing != null) {
            // A repeated request: the batch is made; its lineage and its intake may still be owed (a crash).
            batches.recordResubmittedAs(originalId, newId);
            if (existing.status() == BatchStatus.CREATING) {
                intakeQueue.resume(existing.settingsObject());
            }
            return OperationResult.done(newId, "resubmitted before as " + newId);
        }
        Set<String> chosen = new HashSet<>();
        runs.forEachRun(originalId, run -> {
            if (chosen(request, run)) {
                chosen.add(run.runSettingId());
            }
        });
        if (chosen.isEmpty()) {
            return OperationResult.refused(originalId, "no run of batch " + originalId + " is one the request chooses");
        }
        ObjectNode document;
        String bucket = original.settingsObject().bucket();
        String runsKey = ResourceDefinitions.RUNS_PREFIX + "resubmits/" + newId + ".json";
        try {
            document = readJson(original.settingsObject()).deepCopy();
            // Streamed from the original's run settings to the new runs file, one entry at a time.
            objects.write(bucket, runsKey, "application/json", out -> copyChosen(original, document, chosen, request, out));
        } catch (ObjectStore.ObjectChangedException | ObjectStore.ObjectMissingException | RunSettingsChanged e) {
            return OperationResult.refused(originalId, "the settings document or runs file of batch " + originalId
                    + " changed or is gone since it was accepted; resubmit cannot copy its run settings");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        document.remove("requestId"); // the key names the new batch
        document.put("batchName", name(original));
        ObjectNode batchRunSettings = document.putObject("batchRunSettings");
        batchRunSettings.put("s3UriSettings", S3Location.SCHEME + bucket + "/" + runsKey);
        if (request.cacheId() != null) {
            ObjectNode defaults = (ObjectNode) document.path("defaultRunSetting");
            defaults.put("cacheId", request.cacheId());
            if (request.cacheBehavior() != null) {
                defaults.put("cacheBehavior", request.cacheBehavior());
            } else {
                defaults.remove("cacheBehavior");
            }
        }
        String documentKey = documentKey(newId);
        objects.put(bucket, documentKey, bytes(document), "application/json");
        S3ObjectRef settings = objects.head(bucket, documentKey).orElseThrow(
                () -> new IllegalStateException("the resubmit document just written is not there"));
        batches.createIfAbsent(BatchRecord.creating(newId, name(original), settings,
                S3Location.SCHEME + bucket + "/" + runsKey, clock.instant()).withResubmitOf(originalId));
        batches.recordResubmittedAs(originalId, newId);
        intakeQueue.resume(settings);
        LOG.info("batch {}: {} runs resubmitted as batch {}", originalId, chosen.size(), newId);
        return OperationResult.done(newId, chosen.size() + " runs resubmitted as " + newId);
    }

    private static boolean chosen(OperationRequest.Resubmit request, RunRecord run) {
        if (request.runSettingIds().contains(run.runSettingId())) {
            return true;
        }
        if (run.submissionStatus() == SubmissionStatus.FAILED) {
            return request.submissionStatuses().contains(SubmissionStatus.FAILED);
        }
        return run.submissionStatus() == SubmissionStatus.SUCCESS && run.status() != null
                && request.runStatuses().contains(run.status());
    }

    /**
     * Writes the chosen run settings, in the original's order, as a JSON runs file: from the document's inline settings,
     * or streamed from its runs file at the ETag the batch accepted, by the intake's own reader ({@link RunEntries}: a
     * JSON runs file or a sample sheet, each row as the entry it stands for). Only one entry is in memory at a time.
     *
     * @throws RunSettingsChanged if the run settings no longer hold every chosen run, or no longer read as they did
     */
    private void copyChosen(BatchRecord original, ObjectNode document, Set<String> chosen,
                            OperationRequest.Resubmit request, OutputStream out) throws IOException {
        long copied = 0;
        try (JsonGenerator json = SettingsJson.MAPPER.getFactory().createGenerator(out)) {
            json.writeStartArray();
            JsonNode inline = document.path("batchRunSettings").path("inlineSettings");
            if (inline.isArray()) {
                for (JsonNode setting : inline) {
                    copied += copyIfChosen(setting, chosen, request, json);
                }
            } else {
                S3Location location = S3Location.parse(original.runsFileUri(), true).location();
                ValidationErrors errors = new ValidationErrors(1, e -> { });
                try (InputStream in = objects.open(new S3ObjectRef(location.bucket(), location.key(), null,
                        original.runsFileETag()));
                     RunEntries entries = RunEntries.open(in, RunsFileFormat.of(location.key()), errors)) {
                    while (entries.hasNext()) {
                        copied += copyIfChosen(entries.next().node(), chosen, request, json);
                    }
                }
                if (!errors.isEmpty()) {
                    throw new RunSettingsChanged();
                }
            }
            json.writeEndArray();
        }
        if (copied != chosen.size()) {
            throw new RunSettingsChanged(); // a recorded run the run settings no longer name
        }
    }

    /** Writes the run setting if it is chosen, with the request's run cache; 1 if written, else 0. */
    private static int copyIfChosen(JsonNode setting, Set<String> chosen, OperationRequest.Resubmit request,
                                    JsonGenerator json) throws IOException {
        if (!chosen.contains(setting.path("runSettingId").asText())) {
            return 0;
        }
        ObjectNode copy = setting.deepCopy();
        if (request.cacheId() != null) {
            copy.put("cacheId", request.cacheId());
            if (request.cacheBehavior() != null) {
                copy.put("cacheBehavior", request.cacheBehavior());
            } else {
                copy.remove("cacheBehavior");
            }
        }
        json.writeTree(copy);
        return 1;
    }

    /** The original's run settings are not what the batch accepted: nothing is written, the request is refused. */
    private static final class RunSettingsChanged extends IOException {
        RunSettingsChanged() {
            super(null, null);
        }
    }

    /** The original's name with "-resubmit" (cut to the model's 64 characters). */
    private static String name(BatchRecord original) {
        String base = original.batchName() != null ? original.batchName() : "batch-" + original.batchId();
        if (base.length() + NAME_SUFFIX.length() > MAX_NAME) {
            base = base.substring(0, MAX_NAME - NAME_SUFFIX.length());
        }
        return base + NAME_SUFFIX;
    }

    private JsonNode readJson(S3ObjectRef object) {
        try (InputStream in = objects.open(object)) {
            return SettingsJson.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(JsonNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }
}
