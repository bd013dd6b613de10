package io.omicsbatch.local.simulator;

import static io.omicsbatch.local.simulator.SimulatorTestSupport.client;
import static org.assertj.core.api.Assertions.assertThat;

import io.omicsbatch.batch.WorkflowCatalog;
import io.omicsbatch.functions.aws.AwsClients;
import io.omicsbatch.functions.aws.SdkWorkflowCatalog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.omics.OmicsClient;

/** The production GetWorkflow adapter against the simulator, through the real SDK client. */
class SdkWorkflowCatalogTest {

    private static WorkflowCatalog.Lookup lookUp(String config, String workflowId) throws Exception {
        try (OmicsSimulator simulator = OmicsSimulator.builder().config(SimulatorConfig.parse(config))
                .publisher(event -> { }).start();
             // The production reader's interceptors: they carry what SDK 2.40.2 does not model (profiles).
             OmicsClient omics = client(simulator.endpoint(), o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
                     .executionInterceptors(AwsClients.omicsReaderOverrides().executionInterceptors()))) {
            return new SdkWorkflowCatalog(omics).parameterTemplate(workflowId, null);
        }
    }

    @Test
    void aWorkflowsTemplateComesBackInItsOrderWithWhatIsOptional() throws Exception {
        WorkflowCatalog.Lookup lookup = lookUp("""
                {"workflows": {"1234567": {"parameterTemplate": {
                    "sample_id": {"description": "SM", "optional": false},
                    "intervals": {"optional": true},
                    "ref_fasta": {"optional": false}}}}}""", "1234567");
        Map<String, Boolean> expected = new LinkedHashMap<>();
        expected.put("sample_id", false);
        expected.put("intervals", true);
        expected.put("ref_fasta", false);
        assertThat(lookup).isInstanceOfSatisfying(WorkflowCatalog.Template.class,
                template -> assertThat(template.optionalByName()).containsExactlyEntriesOf(expected));
    }

    @Test
    void aNextflowWorkflowsProfilesAndTheirTemplatesAreReadFromTheJsonTheSdkDoesNotModel() throws Exception {
        WorkflowCatalog.Lookup lookup = lookUp("""
                {"workflows": {"7777777": {
                    "parameterTemplate": {"input": {}, "outdir": {"optional": true}},
                    "profiles": ["standard", "highmem", "test"],
                    "profileParameterTemplates": {
                        "standard": {"input": {}},
                        "highmem": {"input": {}, "memory_gb": {"optional": false}, "note": {"optional": true}}}}}}""",
                "7777777");
        Map<String, Boolean> highmem = new LinkedHashMap<>();
        highmem.put("input", false);
        highmem.put("memory_gb", false);
        highmem.put("note", true);
        assertThat(lookup).isInstanceOfSatisfying(WorkflowCatalog.Template.class, template -> {
            assertThat(template.optionalByName()).isEqualTo(Map.of("input", false, "outdir", true));
            assertThat(template.profiles()).containsExactly("standard", "highmem", "test");
            assertThat(template.profileTemplates()).containsOnlyKeys("standard", "highmem");
            assertThat(template.profileTemplates().get("standard")).isEqualTo(Map.of("input", false));
            assertThat(template.profileTemplates().get("highmem")).containsExactlyEntriesOf(highmem);
        });
        // Profile templates alone are something to check runs against.
        assertThat(lookUp("""
                {"workflows": {"7777777": {"profiles": ["highmem"], "profileParameterTemplates": {"highmem": {"x": {}}}}}}""",
                "7777777")).isEqualTo(new WorkflowCatalog.Template(null, List.of("highmem"), Map.of("highmem", Map.of("x", false))));
    }

    @Test
    void aWorkflowTheAccountDoesNotHaveIsNotFound() throws Exception {
        assertThat(lookUp("{\"workflows\": {\"1234567\": {}}}", "7654321"))
                .isInstanceOfSatisfying(WorkflowCatalog.NotFound.class, notFound -> assertThat(notFound.message())
                        .startsWith("workflow 7654321 does not exist in this account and region"));
    }

    @Test
    void aWorkflowWithoutATemplateHasNothingToCheck() throws Exception {
        // Without "workflows" the simulator knows every numeric id and returns no template.
        assertThat(lookUp("{}", "1234567")).isEqualTo(new WorkflowCatalog.NoTemplate());
    }

    @Test
    void aFailureLeavesTheParametersToStartRun() throws Exception {
        assertThat(lookUp("{\"faults\": {\"internalErrorRate\": 1.0}}", "1234567")).isEqualTo(
                new WorkflowCatalog.Unchecked("GetWorkflow: InternalServerException"));
    }
}
