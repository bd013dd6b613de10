package io.omicsbatch.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.omicsbatch.settings.SettingsJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResultsManifestTest {

    private static final BatchRecord BATCH = new BatchRecord("b1", "cohort-7", BatchStatus.INPROGRESS,
            new S3ObjectRef("settings-bucket", "batches/cohort.json", null, "e"), null, null, 3, 3, true, null, null,
            List.of(), 0, Map.of(), Instant.parse("2026-11-21T00:00:00Z"), null, null, null, Set.of(), null, null, 0, 0, null);

    private static RunRecord run(String id, String name, SubmissionStatus submission, String submissionReason,
                                 RunStatus status, String failureReason, Instant start, Instant stop) {
        return new RunRecord("b1", id, "ob-b1-" + id, name, "s3://out/", null, submission, submissionReason,
                submissionReason == null ? null : "message", 0, status == null ? null : "123" + id.length(),
                status == null ? null : "uuid-" + id, null, status, status == RunStatus.COMPLETED ? "s3://out/1" : null,
                failureReason, null, start, stop, Instant.EPOCH, null, Instant.EPOCH, Instant.EPOCH);
    }

    @Test
    void oneCsvRowPerRunSettingQuotedAsRfc4180WithDurationInSeconds() {
        ResultsManifest manifest = new ResultsManifest(BATCH);
        manifest.add(run("S1", "wgs, \"quoted\"", SubmissionStatus.SUCCESS, null, RunStatus.COMPLETED, null,
                Instant.parse("2026-11-21T01:00:00Z"), Instant.parse("2026-11-21T02:30:05Z")));
        manifest.add(run("S2", "=HYPERLINK(\"x\")", SubmissionStatus.SUCCESS, null, RunStatus.FAILED,
                "OUT_OF_MEMORY", Instant.parse("2026-11-21T01:00:00Z"), Instant.parse("2026-11-21T01:00:01Z")));
        manifest.add(run("S3", "sample\nwith newline", SubmissionStatus.FAILED, "ValidationException", null, null,
                null, null));

        String csv = new String(manifest.csv(), StandardCharsets.UTF_8);

        assertThat(csv).isEqualTo(String.join("\r\n",
                "runSettingId,name,runId,uuid,submissionStatus,submissionFailureReason,status,failureReason,"
                        + "runOutputUri,startTime,stopTime,duration",
                "S1,\"wgs, \"\"quoted\"\"\",1232,uuid-S1,SUCCESS,,COMPLETED,,s3://out/1,2026-11-21T01:00:00Z,"
                        + "2026-11-21T02:30:05Z,5405",
                "S2,\"'=HYPERLINK(\"\"x\"\")\",1232,uuid-S2,SUCCESS,,FAILED,OUT_OF_MEMORY,,2026-11-21T01:00:00Z,"
                        + "2026-11-21T01:00:01Z,1",
                "S3,\"sample\nwith newline\",,,FAILED,ValidationException,,,,,,",
                ""));
        assertThat(manifest.rows()).isEqualTo(3);
    }

    @Test
    void theJsonHasTheSameRowsUnprefixedAndTheCount() throws Exception {
        ResultsManifest manifest = new ResultsManifest(BATCH);
        manifest.add(run("S2", "=formula", SubmissionStatus.SUCCESS, null, RunStatus.FAILED, "OUT_OF_MEMORY",
                Instant.parse("2026-11-21T01:00:00Z"), Instant.parse("2026-11-21T01:01:00Z")));

        JsonNode json = SettingsJson.MAPPER.readTree(manifest.json());

        assertThat(json.path("batchId").asText()).isEqualTo("b1");
        assertThat(json.path("runCount").asInt()).isEqualTo(1);
        JsonNode row = json.path("runs").get(0);
        assertThat(row.path("name").asText()).isEqualTo("=formula");
        assertThat(row.path("status").asText()).isEqualTo("FAILED");
        assertThat(row.path("failureReason").asText()).isEqualTo("OUT_OF_MEMORY");
        assertThat(row.path("duration").asLong()).isEqualTo(60);
        assertThat(row.path("requestId").asText()).isEqualTo("ob-b1-S2");
    }

    @Test
    void theManifestSitsUnderResultsNextToTheSettings() {
        assertThat(ResultsManifest.csvUri(BATCH)).isEqualTo("s3://settings-bucket/results/b1/runs.csv");
        assertThat(ResultsManifest.key("b1", "runs.json")).isEqualTo("results/b1/runs.json");
    }
}
