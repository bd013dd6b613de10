package io.omicsbatch.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.omicsbatch.settings.SettingsJson;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a batch moves on by itself, and what it leaves behind, on the in-memory ports. */
class BatchCompletionTest {

    private static final String BUCKET = InMemoryDeployment.SETTINGS_BUCKET;

    private final InMemoryDeployment world = new InMemoryDeployment();

    @Test
    void anUnknownBatchHasNoStatus() {
        assertThat(world.completion.check("unknown")).isNull();
    }

    @Test
    void aBatchWithAPendingSubmissionStaysSubmitting() {
        world.submittingBatch("b1", 2, true);
        world.submitted("b1", "S0");

        assertThat(world.completion.check("b1")).isEqualTo(BatchStatus.SUBMITTING);
    }

    @Test
    void aBatchStillExpandingStaysSubmitting() {
        world.submittingBatch("b1", 1, false);
        world.submitted("b1", "S0");

        assertThat(world.completion.check("b1")).isEqualTo(BatchStatus.SUBMITTING);
    }

    @Test
    void everySubmissionDecidedMovesTheBatchToInProgressAndOpenRunsKeepItThereWithoutAManifest() {
        world.submittingBatch("b1", 2, true);
        world.submitted("b1", "S0");
        world.runs.recordSubmissionFailed("b1", "S1", "ValidationException", "bad parameter");

        assertThat(world.completion.check("b1")).isEqualTo(BatchStatus.INPROGRESS);

        assertThat(world.objects.keys(BUCKET, "results/")).isEmpty();
        assertThat(world.events.statuses("b1")).endsWith("INPROGRESS");
    }

    @Test
    void aBatchWhoseRunsAreAllSettledIsProcessedWithItsManifestInRunSettingIdOrder() {
        world.submittingBatch("b1", 3, true);
        RunRecord completed = world.submitted("b1", "S2");
        world.runs.applyChange(completed, new RunChange(RunStatus.COMPLETED, null, null, null, null, null, null, null, null));
        world.runs.recordSubmissionFailed("b1", "S0", "AccessDeniedException", "iam:PassRole");
        RunRecord cancelled = world.submitted("b1", "S1");
        world.runs.applyChange(cancelled, new RunChange(RunStatus.CANCELLED, null, null, null, null, "USER", "stopped",
                null, null));

        assertThat(world.completion.check("b1")).isEqualTo(BatchStatus.PROCESSED);

        assertThat(world.batch("b1").processedTime()).isEqualTo(world.clock.instant());
        String csv = world.objects.text(BUCKET, ResultsManifest.key("b1", "runs.csv")).orElseThrow();
        assertThat(csv.split("\r\n")).hasSize(4).extracting(line -> line.split(",")[0])
                .containsExactly("runSettingId", "S0", "S1", "S2");
        assertThat(world.objects.contentType(BUCKET, ResultsManifest.key("b1", "runs.csv"))).contains("text/csv; charset=utf-8");
        JsonNode json = readJson(world.objects.text(BUCKET, ResultsManifest.key("b1", "runs.json")).orElseThrow());
        assertThat(json.path("runs")).extracting(run -> run.path("status").asText())
                .containsExactly("null", "CANCELLED", "COMPLETED");
        assertThat(world.events.statuses("b1")).endsWith("INPROGRESS", "PROCESSED");
    }

    @Test
    void aManifestThatCannotBeWrittenLeavesTheBatchInProgressForTheNextCheck() {
        world.submittingBatch("b1", 1, true);
        world.runs.recordSubmissionFailed("b1", "S0", "ValidationException", "bad parameter");
        String key = ResultsManifest.key("b1", "runs.csv");
        world.objects.failEveryAccess(BUCKET, key, new IllegalStateException("S3: SlowDown"));

        assertThatThrownBy(() -> world.completion.check("b1")).hasMessageContaining("SlowDown");
        assertThat(world.batch("b1").status()).isEqualTo(BatchStatus.INPROGRESS);

        world.objects.heal(BUCKET, key);
        assertThat(world.completion.check("b1")).isEqualTo(BatchStatus.PROCESSED);
    }

    @Test
    void aProcessedBatchIsLeftAsItIs() {
        world.submittingBatch("b1", 1, true);
        world.runs.recordSubmissionFailed("b1", "S0", "ValidationException", "bad parameter");
        world.completion.check("b1");
        world.objects.delete(BUCKET, ResultsManifest.key("b1", "runs.csv"));
        int events = world.events.published().size();

        assertThat(world.completion.check("b1")).isEqualTo(BatchStatus.PROCESSED);

        assertThat(world.objects.content(BUCKET, ResultsManifest.key("b1", "runs.csv"))).isEmpty();
        assertThat(world.events.published()).hasSize(events);
    }

    @Test
    void aFailedBatchIsLeftAsItIs() {
        world.submittingBatch("b1", 1, true);
        world.runs.recordSubmissionFailed("b1", "S0", "BatchFailed", "not submitted");
        world.batches.markFailed("b1", List.of(BatchStatus.SUBMITTING), "RunsFileChanged", "replaced", List.of(), 0);

        assertThat(world.completion.check("b1")).isEqualTo(BatchStatus.FAILED);

        assertThat(world.objects.keys(BUCKET, "results/")).isEmpty();
    }

    private static JsonNode readJson(String json) {
        try {
            return SettingsJson.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
