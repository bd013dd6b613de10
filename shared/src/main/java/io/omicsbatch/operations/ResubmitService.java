package io.omicsbatch.operations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import io.omicsbatch.settings.S3Location;
import io.omicsbatch.settings.SettingsJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resubmit: a new batch whose run settings are exactly the chosen runs of a finished batch. It is written as an
 * ordinary batch-settings document, {@code resubmits/<newBatchId>.json} (the original's defaultRunSetting and tags,
 * the chosen run settings verbatim in a runs file {@code runs/resubmits/<newBatchId>.json}, the run cache of the
 * request when it names one), its record created with its lineage, and the intake asked to take it from there: the
 * same validation, expansion and merge, so the StartRun requests are the original's but for their requestId (and
 * the batch id tag). The new batch's id is {@link BatchIdentity#resubmitBatchId}: the same request twice makes one
 * batch.
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
        List<String> chosen = new ArrayList<>();
        runs.forEachRun(originalId, run -> {
            if (chosen(request, run)) {
                chosen.add(run.runSettingId());
            }
        });
        if (chosen.isEmpty()) {
            return OperationResult.refused(originalId, "no run of batch " + originalId + " is one the request chooses");
        }
        ObjectNode document;
        Map<String, JsonNode> runSettings;
        try {
            document = readJson(original.settingsObject()).deepCopy();
            runSettings = originalRunSettings(original, document);
        } catch (ObjectStore.ObjectChangedException | ObjectStore.ObjectMissingException e) {
            return OperationResult.refused(originalId, "the settings document or runs file of batch " + originalId
                    + " changed or is gone since it was accepted; resubmit cannot copy its run settings");
        }
        ArrayNode selected = SettingsJson.MAPPER.createArrayNode();
        for (String runSettingId : chosen) {
            JsonNode setting = runSettings.get(runSettingId);
            if (setting == null) {
                return OperationResult.refused(originalId, "the run settings of batch " + originalId
                        + " no longer name a run it recorded; its documents changed");
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
            selected.add(copy);
        }
        String bucket = original.settingsObject().bucket();
        String runsKey = ResourceDefinitions.RUNS_PREFIX + "resubmits/" + newId + ".json";
        objects.put(bucket, runsKey, bytes(selected), "application/json");
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

    /** The original's run settings by runSettingId: inline, or its runs file at the ETag the batch accepted. */
    private Map<String, JsonNode> originalRunSettings(BatchRecord original, ObjectNode document) {
        JsonNode list = document.path("batchRunSettings").path("inlineSettings");
        if (!list.isArray()) {
            S3Location location = S3Location.parse(original.runsFileUri(), true).location();
            list = readJson(new S3ObjectRef(location.bucket(), location.key(), null, original.runsFileETag()));
        }
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        for (JsonNode setting : list) {
            byId.put(setting.path("runSettingId").asText(), setting);
        }
        return byId;
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
