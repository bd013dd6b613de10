package io.omicsbatch.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.omicsbatch.batch.WorkflowCatalog;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InMemoryWorkflowCatalogTest {

    private final InMemoryWorkflowCatalog workflows = new InMemoryWorkflowCatalog()
            .withTemplate("1234567", Map.of("sample_id", false, "ref_fasta", true))
            .withoutTemplate("7654321")
            .answer("5555555", "111122223333", new WorkflowCatalog.Unchecked("GetWorkflow: AccessDeniedException"));

    @Test
    void aWorkflowAnswersWhatItWasGivenAndAnyOtherIsNotFoundAsSdkWorkflowCatalogSaysIt() {
        assertThat(workflows.parameterTemplate("1234567", null))
                .isEqualTo(new WorkflowCatalog.Template(Map.of("sample_id", false, "ref_fasta", true),
                        java.util.List.of(), Map.of()));
        assertThat(workflows.parameterTemplate("7654321", null)).isEqualTo(new WorkflowCatalog.NoTemplate());
        assertThat(workflows.parameterTemplate("5555555", "111122223333")).isInstanceOf(WorkflowCatalog.Unchecked.class);
        // The same id of another owner is another workflow.
        assertThat(workflows.parameterTemplate("5555555", null)).isEqualTo(new WorkflowCatalog.NotFound(
                "workflow 5555555 does not exist in this account and region (GetWorkflow: ResourceNotFoundException); "
                        + "no run of this batch could start"));
        assertThat(workflows.requests()).hasSize(4).last()
                .isEqualTo(new InMemoryWorkflowCatalog.Request("5555555", null));
    }
}
