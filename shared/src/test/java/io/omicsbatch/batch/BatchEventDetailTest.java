package io.omicsbatch.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.settings.BatchIdentity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The batch event's detail carries the managed "RunBatch Status Change" detail, under the managed names. */
class BatchEventDetailTest {

    /**
     * The managed event's detail fields (the HealthOmics "RunBatch Status Change" event: omicsVersion, arn, batchId,
     * status, uuid, batchName, totalRuns, the GetBatch submissionSummary and runSummary counters flat and as strings,
     * the workflow fields of defaultRunSetting). Copied here, not read from the design material at build time.
     */
    static final List<String> MANAGED_FIELDS = List.of("omicsVersion", "arn", "batchId", "status", "uuid", "batchName",
            "totalRuns", "successfulStartSubmissionCount", "failedStartSubmissionCount", "pendingStartSubmissionCount",
            "successfulCancelSubmissionCount", "failedCancelSubmissionCount", "successfulDeleteSubmissionCount",
            "failedDeleteSubmissionCount", "pendingRunCount", "startingRunCount", "runningRunCount", "stoppingRunCount",
            "completedRunCount", "deletedRunCount", "failedRunCount", "cancelledRunCount", "workflowId", "workflowType",
            "workflowVersionName");
    static final List<String> COUNTS = MANAGED_FIELDS.subList(MANAGED_FIELDS.indexOf("totalRuns"),
            MANAGED_FIELDS.indexOf("workflowId"));

    private static BatchRecord batch(BatchStatus status, String failureReason, String failureMessage) {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("successfulStartSubmissionCount", 7L);
        counts.put("failedStartSubmissionCount", 1L);
        counts.put("completedRunCount", 6L);
        counts.put("failedRunCount", 1L);
        return new BatchRecord("0123456789abcdef0123", "cohort-7", status,
                new S3ObjectRef("settings-bucket", "batches/cohort-7.json", "v1", "etag"), null, null, 8, 8, true,
                failureReason, failureMessage, List.of(), 0, counts, Instant.parse("2026-11-21T00:00:00Z"), null, null,
                null, Set.of(), null, null, 0, 0, new BatchRecord.Workflow("1234567", "PRIVATE", "v2", null));
    }

    @Test
    void theDetailHasEveryManagedFieldWithCountsAsStrings() {
        ObjectNode detail = BatchEventDetail.of(batch(BatchStatus.PROCESSED, null, null), BatchStatus.PROCESSED, "aws");

        List<String> missing = new ArrayList<>();
        MANAGED_FIELDS.forEach(field -> {
            if (!detail.has(field)) {
                missing.add(field);
            }
        });
        assertThat(missing).isEmpty();
        for (String count : COUNTS) {
            assertThat(detail.get(count).isTextual()).as(count + " is a string").isTrue();
            assertThat(detail.get(count).textValue()).matches("[0-9]+");
        }
        assertThat(detail.path("totalRuns").textValue()).isEqualTo("8");
        assertThat(detail.path("successfulStartSubmissionCount").textValue()).isEqualTo("7");
        assertThat(detail.path("successfulCancelSubmissionCount").textValue()).isEqualTo("0");
        assertThat(detail.path("completedRunCount").textValue()).isEqualTo("6");
        assertThat(detail.path("omicsVersion").textValue()).isEqualTo(BatchEventDetail.OMICS_VERSION);
        assertThat(detail.path("arn").textValue()).isEqualTo("arn:aws:s3:::settings-bucket/batches/cohort-7.json");
        assertThat(detail.path("uuid").textValue()).isEqualTo(BatchIdentity.batchUuid("0123456789abcdef0123"));
        assertThat(detail.path("workflowId").textValue()).isEqualTo("1234567");
        assertThat(detail.path("workflowType").textValue()).isEqualTo("PRIVATE");
        assertThat(detail.path("workflowVersionName").textValue()).isEqualTo("v2");
        // No nested summaries: a managed rule matches the counts at the top level of the detail.
        assertThat(detail.has("submissionSummary")).isFalse();
        assertThat(detail.has("runSummary")).isFalse();
        assertThat(detail.has("failureReason")).isFalse();
    }

    @Test
    void aFailedBatchsDetailCarriesItsReasonAndMessageAndTheArnFollowsThePartition() {
        ObjectNode detail = BatchEventDetail.of(batch(BatchStatus.FAILED, "ValidationFailed", "3 errors"),
                BatchStatus.FAILED, "aws-cn");

        assertThat(detail.path("failureReason").textValue()).isEqualTo("ValidationFailed");
        assertThat(detail.path("failureMessage").textValue()).isEqualTo("3 errors");
        assertThat(detail.path("arn").textValue()).startsWith("arn:aws-cn:s3:::settings-bucket/");
    }

    @Test
    void theUuidIsAVersion3UuidOfTheBatchIdTheSameOnEveryCall() {
        String uuid = BatchIdentity.batchUuid("0123456789abcdef0123");

        assertThat(java.util.UUID.fromString(uuid).version()).isEqualTo(3);
        assertThat(BatchIdentity.batchUuid("0123456789abcdef0123")).isEqualTo(uuid);
        assertThat(BatchIdentity.batchUuid("0123456789abcdef0124")).isNotEqualTo(uuid);
    }

    @Test
    void theDetailNamesNoTagAndNoParameter() {
        JsonNode detail = BatchEventDetail.of(batch(BatchStatus.PROCESSED, null, null), BatchStatus.PROCESSED, "aws");

        assertThat(detail.has("tags")).isFalse();
        assertThat(detail.has("defaultRunSetting")).isFalse();
        assertThat(detail.has("parameters")).isFalse();
    }
}
