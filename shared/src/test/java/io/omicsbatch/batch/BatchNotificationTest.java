package io.omicsbatch.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.settings.SettingsJson;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The e-mail a batch's end sends: which events, and the text EventBridge's input transformer makes of them. */
class BatchNotificationTest {

    private final InMemoryDeployment world = new InMemoryDeployment();

    @Test
    void aProcessedBatchReadsAsItsIdentityCountsAndWhereItsResultsAreWithoutAnySample() throws Exception {
        world.submittingBatch("b1", 3, true);
        world.runs.recordSubmissionFailed("b1", "S0", "ValidationException", "parameter sample_id of S0");
        RunRecord s1 = world.submitted("b1", "S1");
        world.runs.applyChange(s1, new RunChange(RunStatus.COMPLETED, null, null, null, null, null, null, null, null));
        RunRecord s2 = world.submitted("b1", "S2");
        world.runs.applyChange(s2, new RunChange(RunStatus.FAILED, null, null, null, null, "OUT_OF_MEMORY", "S2 died",
                null, null));
        assertThat(world.completion.check("b1")).isEqualTo(BatchStatus.PROCESSED);

        String message = BatchNotification.render(event(BatchEventDetail.of(world.batch("b1"), BatchStatus.PROCESSED, "aws")));

        assertThat(message.split("\n")).containsExactly(
                "\"omics-batch: batch cohort-b1 (b1) is PROCESSED\"",
                "\"Runs: 3. Submissions: 2 started, 1 failed to start, 0 pending.\"",
                "\"Run outcomes: 1 completed, 1 failed, 0 cancelled, 0 deleted.\"",
                "\"Failure reason (failed batches only): \"",
                "\"Results manifest (CSV): s3://omics-batch-settings/results/b1/runs.csv\"",
                "\"Report (open in a browser): s3://omics-batch-settings/results/b1/report.html\"",
                "\"Batch settings: s3://omics-batch-settings/batches/b1.json\"",
                "\"Account 123456789012, region eu-west-1, event time 2026-11-21T10:00:00Z.\"");
        for (String sample : List.of("S0", "S1", "S2", "wgs-", "sample_id", "OUT_OF_MEMORY")) {
            assertThat(message).as("names no run setting, run name, parameter or run failure").doesNotContain(sample);
        }
    }

    @Test
    void aFailedBatchGivesItsFailureReasonCodeButNotItsMessage() throws Exception {
        world.createdBatch("b2");
        world.batches.markFailed("b2", List.of(BatchStatus.CREATING), "VALIDATION_FAILED",
                "/batchRunSettings/inlineSettings/3/runSettingId: runSettingId \"NA12878\" is already used", List.of(), 1);

        String message = BatchNotification.render(event(BatchEventDetail.of(world.batch("b2"), BatchStatus.FAILED, "aws")));

        assertThat(message).contains("\"omics-batch: batch cohort-b2 (b2) is FAILED\"")
                .contains("\"Failure reason (failed batches only): VALIDATION_FAILED\"")
                .contains("\"Results manifest (CSV): \"")
                .doesNotContain("NA12878");
    }

    @Test
    void theRuleFollowsTheStatusesThatEndABatch() throws Exception {
        JsonNode pattern = SettingsJson.MAPPER.readTree(BatchNotification.eventPattern("omics-batch"));

        assertThat(pattern.path("source")).extracting(JsonNode::asText).containsExactly("omics-batch");
        assertThat(pattern.path("detail-type")).extracting(JsonNode::asText).containsExactly(BatchEvents.DETAIL_TYPE);
        assertThat(pattern.path("detail").path("status")).extracting(JsonNode::asText)
                .containsExactly("PROCESSED", "FAILED", "CANCELLED", "RUNS_DELETE_FAILED");
    }

    @Test
    void everyPlaceholderHasAPathAndEveryPathIsUsed() {
        String text = BatchNotification.text(name -> "{" + name + "}");
        for (String name : BatchNotificationPaths.PATHS.keySet()) {
            assertThat(text).contains("{" + name + "}");
        }
        assertThat(text).doesNotContain("<").doesNotContain(">");
        assertThat(text.split("\n")).hasSize(BatchNotification.LINES.size());
    }

    @Test
    void theTransformerInsertsStringsBareOtherValuesAsJsonAndNothingForAMissingPath() throws Exception {
        InputTransformer transformer = new InputTransformer(Map.of("s", "$.detail.s", "n", "$.detail.n",
                "z", "$.detail.z", "missing", "$.detail.nope", "top", "$.account"),
                "\"<s>|<n>|<z>|<missing>|<top>|<unmapped>\"");
        JsonNode event = SettingsJson.MAPPER.readTree(
                "{\"account\":\"1\",\"detail\":{\"s\":\"a \\\"b\\\"\",\"n\":42,\"z\":null}}");

        assertThat(transformer.apply(event)).isEqualTo("\"a \"b\"|42|null||1|<unmapped>\"");
    }

    /** The batch event as EventBridge delivers it to a rule's target. */
    static JsonNode event(ObjectNode detail) {
        ObjectNode event = SettingsJson.MAPPER.createObjectNode();
        event.put("version", "0");
        event.put("id", "6a7e8feb-b491-4cf7-a9f1-bf3703467718");
        event.put("detail-type", BatchEvents.DETAIL_TYPE);
        event.put("source", "omics-batch");
        event.put("account", "123456789012");
        event.put("time", "2026-11-21T10:00:00Z");
        event.put("region", "eu-west-1");
        event.putArray("resources");
        event.set("detail", detail);
        return event;
    }
}
