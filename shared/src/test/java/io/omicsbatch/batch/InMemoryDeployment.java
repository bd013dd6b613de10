package io.omicsbatch.batch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.intake.IntakeService;
import io.omicsbatch.settings.SettingsJson;
import io.omicsbatch.settings.TrackingTags;
import io.omicsbatch.testing.InMemoryBatchStore;
import io.omicsbatch.testing.InMemoryObjectStore;
import io.omicsbatch.testing.InMemoryOmics;
import io.omicsbatch.testing.InMemoryRunStore;
import io.omicsbatch.testing.MutableClock;
import io.omicsbatch.testing.RecordingBatchEvents;
import io.omicsbatch.testing.RecordingIntakeQueue;
import io.omicsbatch.testing.RecordingMetrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The ports in memory, wired as Components wires the AWS adapters (the batch table behind an announcing store, and
 * the completion check over it), and batches put in the state a test starts from.
 */
final class InMemoryDeployment {

    static final String SETTINGS_BUCKET = "omics-batch-settings";
    static final String ROLE = "arn:aws:iam::123456789012:role/OmicsWorkflowServiceRole";
    /** The intake invocation that expands the batches made here. */
    static final String INTAKE = "intake-invocation-1";

    final MutableClock clock = MutableClock.atStartOfDay();
    final InMemoryBatchStore batchTable = new InMemoryBatchStore(clock);
    final RecordingBatchEvents events = new RecordingBatchEvents();
    final RecordingMetrics metrics = new RecordingMetrics();
    final AnnouncingBatchStore batches = new AnnouncingBatchStore(batchTable, events, "aws", metrics);
    final InMemoryRunStore runs = new InMemoryRunStore(batchTable, clock);
    final InMemoryObjectStore objects = new InMemoryObjectStore();
    final InMemoryOmics omics = new InMemoryOmics(clock);
    final BatchCompletion completion = new BatchCompletion(batches, runs, objects);
    final RecordingIntakeQueue intakeQueue = new RecordingIntakeQueue();

    /** A new batch as intake creates it (CREATING). */
    void createdBatch(String batchId) {
        batches.createIfAbsent(BatchRecord.creating(batchId, "cohort-" + batchId,
                new S3ObjectRef(SETTINGS_BUCKET, "batches/" + batchId + ".json", null, "settings-etag"), null, clock.instant()));
    }

    /**
     * A SUBMITTING batch whose runs S0, S1, ... have their records (submission PENDING) and messages; its expansion
     * complete or still going. Returns the messages.
     */
    List<RunMessage> submittingBatch(String batchId, int runCount, boolean expansionComplete) {
        createdBatch(batchId);
        batches.markPending(batchId, runCount, null);
        batches.markSubmitting(batchId);
        List<RunRecord> records = new ArrayList<>();
        List<RunMessage> messages = new ArrayList<>();
        for (int i = 0; i < runCount; i++) {
            String runSettingId = "S" + i;
            records.add(RunRecord.pending(batchId, runSettingId, requestId(batchId, runSettingId), "wgs-" + runSettingId,
                    outputUri(batchId), null, clock.instant()));
            messages.add(message(batchId, runSettingId));
        }
        runs.createPending(records);
        Instant leaseUntil = clock.instant().plus(IntakeService.MAX_INVOCATION);
        batches.acquireExpansionLease(batchId, INTAKE, leaseUntil);
        if (expansionComplete) {
            batches.markExpansionComplete(batchId, INTAKE, runCount);
        } else {
            batches.saveCheckpoint(batchId, INTAKE, runCount, leaseUntil);
        }
        return messages;
    }

    /** The run message of a run setting: a complete StartRun body with our tracking tags. */
    RunMessage message(String batchId, String runSettingId) {
        ObjectNode body = SettingsJson.MAPPER.createObjectNode();
        body.put("workflowId", "1234567");
        body.put("roleArn", ROLE);
        body.put("name", "wgs-" + runSettingId);
        body.put("outputUri", outputUri(batchId));
        body.put("requestId", requestId(batchId, runSettingId));
        body.putObject("parameters").put("sample_id", runSettingId);
        ObjectNode tags = body.putObject("tags");
        tags.put(TrackingTags.BATCH_ID, batchId);
        tags.put(TrackingTags.RUN_SETTING_ID, runSettingId);
        return new RunMessage(batchId, runSettingId, body);
    }

    /** The run started in HealthOmics and its submission recorded, as the submit function leaves it. */
    RunRecord submitted(String batchId, String runSettingId) {
        StartedRun started = omics.startRun(message(batchId, runSettingId).startRun());
        runs.recordSubmitted(batchId, runSettingId, started);
        return run(batchId, runSettingId);
    }

    BatchRecord batch(String batchId) {
        return batches.get(batchId).orElseThrow();
    }

    RunRecord run(String batchId, String runSettingId) {
        return runs.get(batchId, runSettingId).orElseThrow();
    }

    /** The status event HealthOmics sends for the run now (with its uuid, as current events carry it). */
    RunStatusEvent event(RunRecord run, RunStatus status) {
        return new RunStatusEvent(run.runId(), run.uuid(), run.arn(), status, null);
    }

    static String requestId(String batchId, String runSettingId) {
        return "ob-" + batchId + "-" + runSettingId;
    }

    private static String outputUri(String batchId) {
        return "s3://lab-results/" + batchId + "/";
    }
}
