package io.omicsbatch.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/**
 * cdk-nag's AwsSolutions and HIPAA Security packs, applied to the stack as a user deploys it with no context
 * and with every context key set: no unsuppressed error, no warning, and every suppression says why.
 */
class NagTest {

    @ParameterizedTest
    @ValueSource(strings = {"DEFAULT", "CONFIGURED"})
    void noUnsuppressedFindings(String configuration) {
        Synth synth = configuration.equals("DEFAULT") ? Synth.DEFAULT : Synth.CONFIGURED;
        assertThat(describe(synth.annotations().findError("*", Match.anyValue()))).isEmpty();
        assertThat(describe(synth.annotations().findWarning("*", Match.anyValue()))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"DEFAULT", "CONFIGURED"})
    void everySuppressionCarriesASpecificReason(String configuration) {
        Synth synth = configuration.equals("DEFAULT") ? Synth.DEFAULT : Synth.CONFIGURED;
        List<JsonNode> suppressions = new ArrayList<>();
        synth.json().path("Resources").forEach(resource ->
                resource.path("Metadata").path("cdk_nag").path("rules_to_suppress").forEach(suppressions::add));
        assertThat(suppressions).isNotEmpty();
        for (JsonNode suppression : suppressions) {
            assertThat(suppression.path("reason").asText()).as(suppression.toString()).hasSizeGreaterThan(40);
            if (suppression.path("id").asText().equals("AwsSolutions-IAM5")
                    || suppression.path("id").asText().equals("AwsSolutions-IAM4")) {
                assertThat(suppression.path("applies_to")).as("granular rule without appliesTo: " + suppression).isNotEmpty();
                for (JsonNode appliesTo : suppression.path("applies_to")) {
                    assertThat(appliesTo.asText()).isNotEqualTo("Action::*");
                }
            }
        }
        // Suppressions sit on the resources they concern, never on the whole stack.
        assertThat(synth.json().path("Metadata").path("cdk_nag").isMissingNode()).isTrue();
    }

    private static List<String> describe(List<SynthesisMessage> messages) {
        return messages.stream().map(m -> m.getId() + ": " + m.getEntry().getData()).toList();
    }
}
