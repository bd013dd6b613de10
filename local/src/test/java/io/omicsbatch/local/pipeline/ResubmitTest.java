package io.omicsbatch.local.pipeline;

import static io.omicsbatch.local.pipeline.PipelineTestSupport.batchIdOf;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.bytes;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.inlineDocument;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.runRecords;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.batch.BatchRecord;
import io.omicsbatch.batch.BatchStatus;
import io.omicsbatch.batch.RunRecord;
import io.omicsbatch.batch.RunStatus;
import io.omicsbatch.batch.S3ObjectRef;
import io.omicsbatch.local.TestSupport;
import io.omicsbatch.local.simulator.OmicsSimulator;
import io.omicsbatch.local.simulator.SimulatorConfig;
import io.omicsbatch.resources.ResourceDefinitions;
import io.omicsbatch.settings.BatchIdentity;
import io.omicsbatch.settings.SettingsJson;
import io.omicsbatch.settings.TrackingTags;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Resubmit on the stand-ins: the failed runs of a batch again, twice (one batch), and a resubmit of the resubmit. */
class ResubmitTest {

    private static final Duration DEADLINE = Duration.ofSeconds(120);

    @Test
    void theFailedRunsAgainWithTheSameRequestsOnceAndAResubmitOfTheResubmit() throws Exception {
        SimulatorConfig c = PipelineTestSupport.simulator(50);
        SimulatorConfig failing = new SimulatorConfig(c.seed(), 50, c.maxActiveRuns(), c.runDurationMillis(), 0.4,
                c.workflows(), c.faults(), c.lambdaFaults(), c.account());
        try (LocalPipeline pipeline = LocalPipeline.start(LocalPipeline.Options.defaults(failing).withStartRunTps(50))) {
            String original = batchIdOf(pipeline.dropSettings("flaky.json", bytes(inlineDocument("flaky", 12))), null);
            BatchRecord processed = pipeline.awaitBatch(original, b -> b.status() == BatchStatus.PROCESSED, DEADLINE).orElseThrow();
            assertThat(processed.status()).isEqualTo(BatchStatus.PROCESSED);
            List<String> failed = runRecords(pipeline, original).stream().filter(r -> r.status() == RunStatus.FAILED)
                    .map(RunRecord::runSettingId).sorted().toList();
            assertThat(failed).as("runs the simulator failed").isNotEmpty();

            S3ObjectRef first = request(pipeline, "retry-flaky.json", "{\"batchId\": \"" + original + "\", \"requestId\": \"retry-1\"}");
            request(pipeline, "retry-flaky-again.json", "{\"batchId\": \"" + original + "\", \"requestId\": \"retry-1\"}");
            String retry = BatchIdentity.resubmitBatchId("retry-1", first.bucket(), first.key(), first.versionId(), first.eTag());

            BatchRecord retried = pipeline.awaitBatch(retry, b -> b.status() == BatchStatus.PROCESSED, DEADLINE).orElseThrow();
            assertThat(retried.status()).isEqualTo(BatchStatus.PROCESSED);
            assertThat(retried.totalRuns()).isEqualTo(failed.size());
            assertThat(retried.batchName()).isEqualTo("flaky-resubmit");
            assertThat(retried.resubmitOf()).isEqualTo(original);
            TestSupport.await("both requests handled", DEADLINE, () -> pipeline.batches().get(original).orElseThrow()
                    .resubmittedAs().equals(List.of(retry)));
            assertSameRequests(pipeline, original, retry, original, failed);

            // A resubmit of the resubmit, every run of it, without a requestId: its object version names it.
            S3ObjectRef second = request(pipeline, "retry-retry.json",
                    "{\"batchId\": \"" + retry + "\", \"runStatuses\": [\"COMPLETED\", \"FAILED\"]}");
            String again = BatchIdentity.resubmitBatchId(null, second.bucket(), second.key(), second.versionId(), second.eTag());
            BatchRecord twice = pipeline.awaitBatch(again, b -> b.status() == BatchStatus.PROCESSED, DEADLINE).orElseThrow();
            assertThat(twice.status()).isEqualTo(BatchStatus.PROCESSED);
            assertThat(twice.totalRuns()).isEqualTo(failed.size());
            assertThat(twice.resubmitOf()).isEqualTo(retry);
            assertSameRequests(pipeline, original, again, retry, failed);
            assertThat(pipeline.batches().list(new io.omicsbatch.batch.BatchStore.BatchQuery(null, null, 100, null))
                    .batches()).hasSize(3);
        }
    }

    private static S3ObjectRef request(LocalPipeline pipeline, String name, String json) {
        return pipeline.dropRequest(ResourceDefinitions.RESUBMIT_PREFIX, name, json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Member by member, each chosen run's StartRun request is the original's but for its requestId, its batch tag and
     * its lineage tag (the immediate parent).
     */
    private static void assertSameRequests(LocalPipeline pipeline, String original, String resubmit, String parent,
                                           List<String> chosen)
            throws Exception {
        Map<String, ObjectNode> originals = requests(pipeline, original);
        Map<String, ObjectNode> resubmitted = requests(pipeline, resubmit);
        assertThat(resubmitted.keySet()).containsExactlyInAnyOrderElementsOf(chosen);
        for (String runSettingId : chosen) {
            ObjectNode before = originals.get(runSettingId);
            ObjectNode after = resubmitted.get(runSettingId);
            assertThat(after.path("requestId").asText()).isEqualTo(BatchIdentity.runRequestId(resubmit, runSettingId));
            assertThat(after.path("tags").path(TrackingTags.BATCH_ID).asText()).isEqualTo(resubmit);
            assertThat(after.path("tags").path(TrackingTags.RESUBMIT_OF).asText()).isEqualTo(parent);
            assertThat(before.path("tags").has(TrackingTags.RESUBMIT_OF)).isFalse();
            for (ObjectNode body : List.of(before, after)) {
                body.remove("requestId");
                ((ObjectNode) body.path("tags")).remove(List.of(TrackingTags.BATCH_ID, TrackingTags.RESUBMIT_OF));
            }
            assertThat(after).as(runSettingId).isEqualTo(before);
        }
    }

    /** The first StartRun body of each run of the batch, by runSettingId, as the simulator received it. */
    private static Map<String, ObjectNode> requests(LocalPipeline pipeline, String batchId) throws Exception {
        Map<String, String> runSettingByRequest = runRecords(pipeline, batchId).stream()
                .collect(Collectors.toMap(RunRecord::requestId, RunRecord::runSettingId));
        Map<String, ObjectNode> bodies = new java.util.TreeMap<>();
        for (OmicsSimulator.StartRunCallRecord call : PipelineTestSupport.startRunCalls(pipeline, batchId)) {
            if (call.outcome().equals("CREATED")) {
                bodies.put(runSettingByRequest.get(call.requestId()), (ObjectNode) SettingsJson.MAPPER.readTree(call.rawBody()));
            }
        }
        return bodies;
    }
}
