package io.omicsbatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.omicsbatch.batch.BatchRecord;
import io.omicsbatch.batch.BatchStatus;
import io.omicsbatch.batch.RunRecord;
import io.omicsbatch.batch.RunStatus;
import io.omicsbatch.batch.S3ObjectRef;
import io.omicsbatch.batch.SubmissionStatus;
import io.omicsbatch.settings.BatchIdentity;
import io.omicsbatch.settings.SettingsJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The views carry the managed response shapes' members first, in the model's order; ours come after. */
class BatchViewsTest {

    private static final Instant CREATED = Instant.parse("2026-11-21T10:00:00Z");
    private static final BatchRecord BATCH = new BatchRecord("0123456789abcdef0123", "cohort-7", BatchStatus.PROCESSED,
            new S3ObjectRef("settings-bucket", "batches/cohort-7.json", "v1", "etag"), null, null, 2, 2, true, null,
            null, List.of(), 0, Map.of("successfulStartSubmissionCount", 2L, "completedRunCount", 1L, "failedRunCount", 1L),
            CREATED, CREATED.plusSeconds(1), null, CREATED.plusSeconds(60), Set.of(), null, null, 0, 0,
            new BatchRecord.Workflow("1234567", "PRIVATE", null, null));
    private static final RunRecord RUN = new RunRecord("0123456789abcdef0123", "S0", "ob-x", "wgs-S0", "s3://out/",
            null, SubmissionStatus.SUCCESS, null, null, 1, "7654321", "run-uuid",
            "arn:aws:omics:us-east-1:123456789012:run/7654321", RunStatus.COMPLETED, "s3://out/7654321", null, null,
            CREATED, CREATED.plusSeconds(30), CREATED, CREATED, CREATED, CREATED);

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void statusJsonIsAGetBatchResponse() throws Exception {
        JsonNode document = SettingsJson.MAPPER.readTree("""
                {"batchName": "cohort-7", "tags": {"project": "p7"},
                 "defaultRunSetting": {"workflowId": "1234567", "roleArn": "arn:aws:iam::123456789012:role/r"},
                 "batchRunSettings": {"inlineSettings": [{"runSettingId": "S0"}]}}""");

        JsonNode view = BatchViews.batch(BATCH, "aws", document);

        assertThat(names(view).subList(0, ManagedShapes.GET_BATCH_RESPONSE.size()))
                .containsExactlyElementsOf(ManagedShapes.GET_BATCH_RESPONSE);
        assertThat(names(view.get("submissionSummary"))).containsExactlyElementsOf(ManagedShapes.SUBMISSION_SUMMARY);
        assertThat(names(view.get("runSummary"))).containsExactlyInAnyOrderElementsOf(ManagedShapes.RUN_SUMMARY);
        assertThat(view.get("submissionSummary").get("successfulStartSubmissionCount").intValue()).isEqualTo(2);
        assertThat(view.get("submissionSummary").get("failedDeleteSubmissionCount").intValue()).isZero();
        assertThat(view.get("arn").textValue()).isEqualTo("arn:aws:s3:::settings-bucket/batches/cohort-7.json")
                .matches("arn:.+");
        assertThat(view.get("uuid").textValue()).isEqualTo(BatchIdentity.batchUuid(BATCH.batchId()));
        assertThat(view.get("tags").get("project").textValue()).isEqualTo("p7");
        assertThat(view.get("defaultRunSetting").get("workflowId").textValue()).isEqualTo("1234567");
        assertThat(view.get("totalRuns").intValue()).isEqualTo(2);
        assertThat(view.get("creationTime").textValue()).isEqualTo("2026-11-21T10:00:00Z");
        assertThat(view.get("failedTime").isNull()).isTrue();
    }

    @Test
    void withoutTheDocumentTagsAreEmptyAndDefaultRunSettingNull() {
        JsonNode view = BatchViews.batch(BATCH, "aws", null);

        assertThat(view.get("tags").isObject()).isTrue();
        assertThat(view.get("tags").isEmpty()).isTrue();
        assertThat(view.get("defaultRunSetting").isNull()).isTrue();
    }

    @Test
    void aListedRunIsARunBatchListItem() {
        JsonNode view = BatchViews.listedRun(RUN);

        assertThat(names(view).subList(0, ManagedShapes.RUN_BATCH_LIST_ITEM.size()))
                .containsExactlyElementsOf(ManagedShapes.RUN_BATCH_LIST_ITEM);
        assertThat(view.get("runInternalUuid").textValue()).isEqualTo("run-uuid");
        assertThat(view.get("runArn").textValue()).isEqualTo(RUN.arn());
        assertThat(view.get("submissionStatus").textValue()).isEqualTo("SUCCESS");
        assertThat(view.get("status").textValue()).isEqualTo("COMPLETED");
        assertThat(view.has("uuid")).isFalse();
        assertThat(view.has("arn")).isFalse();
    }

    @Test
    void aListedBatchIsABatchListItem() {
        JsonNode view = BatchViews.listedBatch(BATCH);

        assertThat(names(view)).containsExactlyElementsOf(ManagedShapes.BATCH_LIST_ITEM);
        assertThat(view.get("createdAt").textValue()).isEqualTo("2026-11-21T10:00:00Z");
        assertThat(view.get("workflowId").textValue()).isEqualTo("1234567");
        assertThat(view.get("totalRuns").intValue()).isEqualTo(2);
    }
}
