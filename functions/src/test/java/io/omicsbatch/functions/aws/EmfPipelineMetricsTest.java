package io.omicsbatch.functions.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.omicsbatch.batch.BatchStatus;
import io.omicsbatch.batch.PipelineMetrics.Submission;
import io.omicsbatch.resources.MetricDefinitions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The EMF documents Powertools writes for the pipeline metrics (to stdout, as in Lambda: surefire sets
 * AWS_LAMBDA_FUNCTION_NAME), read back as CloudWatch would: the namespace, exactly the dimensions the alarms use,
 * the names and values.
 */
class EmfPipelineMetricsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void oneFlushWritesEachDimensionSetOnceWithTheCountsOfTheInvocation() throws Exception {
        EmfPipelineMetrics metrics = new EmfPipelineMetrics();
        metrics.submission(Submission.SUBMITTED);
        metrics.submission(Submission.SUBMITTED);
        metrics.submission(Submission.CONFLICT_RETRIED);
        metrics.submission(Submission.RETRIED);
        metrics.startRunThrottled();
        metrics.pace(0.75);
        metrics.batchTransition(BatchStatus.INPROGRESS);

        List<JsonNode> documents = flushed(metrics);

        Map<String, Double> values = new TreeMap<>();
        for (JsonNode document : documents) {
            JsonNode directive = document.path("_aws").path("CloudWatchMetrics").get(0);
            assertThat(directive.path("Namespace").asText()).isEqualTo(MetricDefinitions.NAMESPACE);
            assertThat(directive.path("Dimensions")).hasSize(1);
            List<String> keys = new ArrayList<>();
            directive.path("Dimensions").get(0).forEach(key -> keys.add(key.asText()));
            for (JsonNode metric : directive.path("Metrics")) {
                String name = metric.path("Name").asText();
                String dimensions = keys.stream().map(key -> key + "=" + document.path(key).asText()).toList().toString();
                values.put(name + dimensions, document.path(name).asDouble());
            }
        }
        assertThat(values).isEqualTo(Map.of(
                "Submissions[Outcome=Submitted]", 2.0,
                "Submissions[Outcome=ConflictRetried]", 1.0,
                "Submissions[Outcome=Retried]", 1.0,
                "StartRunThrottled[]", 1.0,
                "StartRunPace[]", 0.75,
                "BatchTransitions[Status=INPROGRESS]", 1.0));
        assertThat(documents).hasSize(5); // three outcomes, one status, and the two metrics without dimension together
        JsonNode pace = documents.stream().filter(d -> d.has(MetricDefinitions.START_RUN_PACE)).findFirst().orElseThrow();
        assertThat(pace.path("_aws").path("CloudWatchMetrics").get(0).path("Metrics").findValuesAsText("Unit"))
                .containsExactly("Count", "Count/Second");
    }

    @Test
    void aFlushWritesOnlyWhatWasRecordedSinceTheLastAndNothingWhenNothingWas() throws Exception {
        EmfPipelineMetrics metrics = new EmfPipelineMetrics();
        metrics.submission(Submission.FAILED);
        assertThat(flushed(metrics)).hasSize(1);

        assertThat(flushed(metrics)).isEmpty();

        metrics.submission(Submission.QUOTA_WAIT);
        List<JsonNode> documents = flushed(metrics);
        assertThat(documents).hasSize(1);
        assertThat(documents.get(0).path(MetricDefinitions.OUTCOME).asText()).isEqualTo("QuotaWait");
        assertThat(documents.get(0).path(MetricDefinitions.SUBMISSIONS).asDouble()).isEqualTo(1.0);
        assertThat(documents.get(0).has("Service")).isFalse(); // no dimension but ours
    }

    /** The EMF documents (JSON lines with an {@code _aws} member) one flush writes to stdout. */
    private static List<JsonNode> flushed(EmfPipelineMetrics metrics) throws Exception {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            metrics.flush();
        } finally {
            System.setOut(stdout);
        }
        List<JsonNode> documents = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("{")) {
                JsonNode node = JSON.readTree(line);
                if (node.has("_aws")) {
                    documents.add(node);
                }
            }
        }
        return documents;
    }
}
