package io.omicsbatch.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.omicsbatch.resources.ResourceDefinitions;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The README's Deploy section names every context key; docs/deploy.md every cdk-nag rule we suppress. */
class DocsTest {

    @Test
    void theDeploySectionNamesEveryContextKey() throws IOException {
        String readme = Files.readString(Synth.repositoryRoot().resolve("README.md"));
        int start = readme.indexOf("## Deploy\n");
        int end = readme.indexOf("\n## ", start + 1);
        assertThat(start).isNotNegative();
        String deploy = readme.substring(start, end < 0 ? readme.length() : end);
        for (String key : StackConfig.KEYS) {
            assertThat(deploy).as("README's Deploy section names context key " + key).contains("| `" + key + "` |");
        }
    }

    @Test
    void deployMdExplainsEverySuppressedRule() throws IOException {
        String doc = Files.readString(Synth.repositoryRoot().resolve("docs/deploy.md"));
        Set<String> rules = new TreeSet<>();
        for (Synth synth : java.util.List.of(Synth.DEFAULT, Synth.CONFIGURED)) {
            for (JsonNode resource : synth.json().path("Resources")) {
                resource.path("Metadata").path("cdk_nag").path("rules_to_suppress")
                        .forEach(s -> rules.add(s.path("id").asText()));
            }
        }
        assertThat(rules).isNotEmpty();
        for (String rule : rules) {
            assertThat(doc).as("docs/deploy.md explains " + rule).contains("| " + rule);
        }
    }

    @Test
    void theStackOutputsWhatTheReadmeNames() throws IOException {
        String readme = Files.readString(Synth.repositoryRoot().resolve("README.md"));
        JsonNode outputs = Synth.DEFAULT.json().path("Outputs");
        for (String output : java.util.List.of(ResourceDefinitions.OUTPUT_SETTINGS_BUCKET,
                ResourceDefinitions.OUTPUT_BATCHES_TABLE, ResourceDefinitions.OUTPUT_RUNS_TABLE, "IntakeRoleArn", "SubmitRoleArn",
                "PassableServiceRoles", "AlarmTopicArn", "DashboardName", "DataKeyArn", "MessageKeyArn",
                "BatchesWriterPolicyArn", "CancelWriterPolicyArn", "DeleteRunsWriterPolicyArn", "DeleteBatchWriterPolicyArn",
                "ResubmitWriterPolicyArn")) {
            assertThat(outputs.has(output)).as("output " + output).isTrue();
            assertThat(readme).contains("`" + output + "`");
        }
    }
}
