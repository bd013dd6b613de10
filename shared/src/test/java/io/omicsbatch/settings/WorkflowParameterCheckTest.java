package io.omicsbatch.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Runs' merged parameters against a workflow's parameter template, as StartRun would judge them. */
class WorkflowParameterCheckTest {

    private static final Map<String, Boolean> TEMPLATE = template();

    private static Map<String, Boolean> template() {
        Map<String, Boolean> template = new LinkedHashMap<>();
        template.put("ref_fasta", false);
        template.put("sample_id", false);
        template.put("intervals", true);
        return template;
    }

    private static String document(String defaultParameters, String... runParameters) {
        StringBuilder runs = new StringBuilder();
        for (int i = 0; i < runParameters.length; i++) {
            runs.append(i == 0 ? "" : ",").append("{\"runSettingId\":\"r").append(i).append('"')
                    .append(runParameters[i] == null ? "" : ",\"parameters\":" + runParameters[i]).append('}');
        }
        return "{\"defaultRunSetting\":{\"workflowId\":\"1234567\",\"roleArn\":\"arn:aws:iam::123456789012:role/r\","
                + "\"outputUri\":\"s3://lab-results/out/\"" + (defaultParameters == null ? "" : ",\"parameters\":" + defaultParameters)
                + "},\"batchRunSettings\":{\"inlineSettings\":[" + runs + "]}}";
    }

    /** A document with raw run settings and extra members of defaultRunSetting (each {@code "name":value}). */
    private static String documentWithRuns(String defaultsMembers, String... runSettings) {
        return "{\"defaultRunSetting\":{\"workflowId\":\"1234567\",\"roleArn\":\"arn:aws:iam::123456789012:role/r\","
                + "\"outputUri\":\"s3://lab-results/out/\"" + (defaultsMembers == null ? "" : "," + defaultsMembers)
                + "},\"batchRunSettings\":{\"inlineSettings\":[" + String.join(",", runSettings) + "]}}";
    }

    private static List<ValidationError> inlineErrors(Map<String, Boolean> template, String json) {
        return inlineErrors(template, List.of(), Map.of(), json);
    }

    private static List<ValidationError> inlineErrors(Map<String, Boolean> template, List<String> profiles,
                                                      Map<String, Map<String, Boolean>> profileTemplates, String json) {
        List<ValidationError> heard = new ArrayList<>();
        BatchSettingsValidator validator = new BatchSettingsValidator(1000, heard::add);
        BatchSettingsValidator.DocumentResult document = validator.validateDocument(json);
        assertThat(document.errors().list()).as("the document itself is valid").isEmpty();
        ValidationErrors errors = validator.checkParameters(document.settings(), new WorkflowParameterCheck(
                document.settings().defaultRunSetting(), template, profiles, profileTemplates));
        assertThat(heard).as("every error reaches the listener (the error report)").isEqualTo(errors.list());
        return errors.list();
    }

    private static Map<String, Boolean> templateOf(String... requiredThenOptional) {
        Map<String, Boolean> template = new LinkedHashMap<>();
        for (String name : requiredThenOptional) {
            template.put(name.replace("?", ""), name.endsWith("?"));
        }
        return template;
    }

    @Test
    void aRunPassesWhenTheMergeSuppliesEveryRequiredParameterAndNothingElse() {
        assertThat(inlineErrors(TEMPLATE, document("{\"ref_fasta\":\"s3://refs/GRCh38.fa\"}",
                "{\"sample_id\":\"S1\"}", "{\"sample_id\":\"S2\",\"intervals\":\"s3://refs/wgs.bed\"}",
                "{\"sample_id\":\"S3\",\"ref_fasta\":\"s3://refs/other.fa\"}"))).isEmpty();
    }

    @Test
    void everyMissingRequiredParameterIsNamedAtTheRunsParameters() {
        assertThat(inlineErrors(TEMPLATE, document(null, "{\"intervals\":\"x\"}", null, "{\"ref_fasta\":\"x\"}")))
                .extracting(ValidationError::pointer, ValidationError::rule, ValidationError::message)
                .containsExactly(
                        tuple("/batchRunSettings/inlineSettings/0/parameters", Rule.WORKFLOW_PARAMETERS,
                                "lacks required parameters \"ref_fasta\", \"sample_id\" of workflow 1234567; set them "
                                        + "here or in defaultRunSetting.parameters"),
                        tuple("/batchRunSettings/inlineSettings/1/parameters", Rule.WORKFLOW_PARAMETERS,
                                "lacks required parameters \"ref_fasta\", \"sample_id\" of workflow 1234567; set them "
                                        + "here or in defaultRunSetting.parameters"),
                        tuple("/batchRunSettings/inlineSettings/2/parameters", Rule.WORKFLOW_PARAMETERS,
                                "lacks required parameter \"sample_id\" of workflow 1234567; set it here or in "
                                        + "defaultRunSetting.parameters"));
    }

    @Test
    void aRunsNullOverridesTheDefaultAsTheMergeDoes() {
        assertThat(inlineErrors(TEMPLATE, document("{\"ref_fasta\":\"x\",\"sample_id\":\"default\"}",
                "{\"sample_id\":null}", "{}")))
                .extracting(ValidationError::pointer)
                .containsExactly("/batchRunSettings/inlineSettings/0/parameters");
    }

    @Test
    void unknownParametersArePointedAtOnceWhereTheyAreWritten() {
        assertThat(inlineErrors(TEMPLATE, document("{\"ref_fasta\":\"x\",\"refrence\":\"y\"}",
                "{\"sample_id\":\"S1\",\"interval\":\"z\"}", "{\"sample_id\":\"S2\"}")))
                .extracting(ValidationError::pointer, ValidationError::message)
                .containsExactly(
                        tuple("/defaultRunSetting/parameters/refrence", "is not a parameter of workflow 1234567; its "
                                + "parameter template has \"ref_fasta\", \"sample_id\", \"intervals\""),
                        tuple("/batchRunSettings/inlineSettings/0/parameters/interval", "is not a parameter of workflow "
                                + "1234567; its parameter template has \"ref_fasta\", \"sample_id\", \"intervals\""));
    }

    @Test
    void pointersEscapeParameterNamesAndLongTemplatesAreAbridged() {
        Map<String, Boolean> large = new LinkedHashMap<>();
        for (int i = 0; i < 25; i++) {
            large.put("p" + i, true);
        }
        assertThat(inlineErrors(large, document(null, "{\"a/b~c\":1}"))).singleElement().satisfies(error -> {
            assertThat(error.pointer()).isEqualTo("/batchRunSettings/inlineSettings/0/parameters/a~1b~0c");
            assertThat(error.message()).endsWith("\"p8\", \"p9\" and 15 more");
        });
        assertThat(inlineErrors(Map.of(), document(null, "{\"x\":1}"))).singleElement()
                .extracting(ValidationError::message).asString().endsWith("its parameter template has no parameters");
    }

    @Test
    void aRunsFileIsCheckedEntryByEntryWithTheDefaults() throws IOException {
        String runs = "[{\"runSettingId\":\"a\",\"parameters\":{\"sample_id\":\"A\"}},"
                + "{\"runSettingId\":\"b\",\"parameters\":{\"sampleid\":\"B\"}},"
                + "{\"runSettingId\":\"c\",\"parameters\":\"not an object\"},"
                + "{\"runSettingId\":\"d\"}]";
        DefaultRunSetting defaults = SettingsJson.MAPPER.readValue("{\"workflowId\":\"1234567\",\"parameters\":{\"ref_fasta\":\"x\"}}",
                DefaultRunSetting.class);
        BatchSettingsValidator.RunsFileResult result = new BatchSettingsValidator().validateRunsFile(
                new ByteArrayInputStream(runs.getBytes(StandardCharsets.UTF_8)),
                new MergeBase(true, java.util.Set.of(), false, null), new WorkflowParameterCheck(defaults, TEMPLATE, List.of(), Map.of()));
        assertThat(result.entries()).isEqualTo(4);
        assertThat(result.errors().list()).extracting(ValidationError::pointer, ValidationError::rule).containsExactly(
                tuple("/runs/1/parameters/sampleid", Rule.WORKFLOW_PARAMETERS),
                tuple("/runs/1/parameters", Rule.WORKFLOW_PARAMETERS),
                tuple("/runs/2/parameters", Rule.TYPE),
                tuple("/runs/3/parameters", Rule.WORKFLOW_PARAMETERS));
    }

    // ---------------------------------------------------------------------------------------- Nextflow profiles

    private static final List<String> PROFILES = List.of("standard", "highmem", "test");
    private static final Map<String, Map<String, Boolean>> PROFILE_TEMPLATES = Map.of(
            "standard", templateOf("ref_fasta", "sample_id"),
            "highmem", templateOf("ref_fasta", "sample_id", "memory_gb"));

    @Test
    void eachRunIsCheckedAgainstTheTemplateOfTheProfileItWillUse() {
        String json = documentWithRuns("\"parameters\":{\"ref_fasta\":\"x\"}",
                "{\"runSettingId\":\"default-profile\",\"parameters\":{\"sample_id\":\"S0\",\"intervals\":\"i\"}}",
                "{\"runSettingId\":\"highmem-ok\",\"engineSettings\":{\"profile\":\"highmem\"},"
                        + "\"parameters\":{\"sample_id\":\"S1\",\"memory_gb\":64}}",
                "{\"runSettingId\":\"highmem-short\",\"engineSettings\":{\"profile\":\"highmem\"},"
                        + "\"parameters\":{\"sample_id\":\"S2\"}}",
                "{\"runSettingId\":\"no-template\",\"engineSettings\":{\"profile\":\"test\"},"
                        + "\"parameters\":{\"sample_id\":\"S3\"}}",
                "{\"runSettingId\":\"typo\",\"engineSettings\":{\"profile\":\"hihgmem\"},\"parameters\":{}}");
        assertThat(inlineErrors(TEMPLATE, PROFILES, PROFILE_TEMPLATES, json))
                .extracting(ValidationError::pointer, ValidationError::rule, ValidationError::message)
                .containsExactly(
                        // No profile named: "standard", whose template lacks the workflow template's "intervals".
                        tuple("/batchRunSettings/inlineSettings/0/parameters/intervals", Rule.WORKFLOW_PARAMETERS,
                                "is not a parameter of workflow 1234567 with profile \"standard\"; its parameter "
                                        + "template has \"ref_fasta\", \"sample_id\""),
                        tuple("/batchRunSettings/inlineSettings/2/parameters", Rule.WORKFLOW_PARAMETERS,
                                "lacks required parameter \"memory_gb\" of workflow 1234567 with profile \"highmem\"; "
                                        + "set it here or in defaultRunSetting.parameters"),
                        // "test" has no template of its own: the workflow's applies, and "sample_id" is in it.
                        tuple("/batchRunSettings/inlineSettings/4/engineSettings/profile", Rule.WORKFLOW_PROFILE,
                                "is not a profile of workflow 1234567; its profiles are \"standard\", \"highmem\", \"test\""));
    }

    @Test
    void withoutAStandardProfileARunWithoutOneUsesTheWorkflowsTemplate() {
        String json = documentWithRuns("\"parameters\":{\"ref_fasta\":\"x\"}",
                "{\"runSettingId\":\"r0\",\"parameters\":{\"sample_id\":\"S0\",\"intervals\":\"i\"}}");
        assertThat(inlineErrors(TEMPLATE, List.of("highmem"), Map.of("highmem", templateOf("ref_fasta", "sample_id", "memory_gb")),
                json)).isEmpty();
        // Neither a standard profile nor a workflow template: nothing to check such a run against.
        assertThat(inlineErrors(null, List.of("highmem"), Map.of("highmem", templateOf("memory_gb")), json)).isEmpty();
    }

    @Test
    void theDefaultsProfileAppliesToRunsWithoutEngineSettingsAndIsReportedOnce() {
        String json = documentWithRuns("\"engineSettings\":{\"profile\":\"highmem\"},\"parameters\":{\"ref_fasta\":\"x\"}",
                "{\"runSettingId\":\"r0\",\"parameters\":{\"sample_id\":\"S0\"}}",
                "{\"runSettingId\":\"r1\",\"parameters\":{\"sample_id\":\"S1\",\"memory_gb\":8}}",
                // A run's engineSettings replace the defaults' whole: no profile, so "standard".
                "{\"runSettingId\":\"r2\",\"engineSettings\":{},\"parameters\":{\"sample_id\":\"S2\"}}");
        assertThat(inlineErrors(TEMPLATE, PROFILES, PROFILE_TEMPLATES, json))
                .extracting(ValidationError::pointer).containsExactly("/batchRunSettings/inlineSettings/0/parameters");

        String unknown = documentWithRuns("\"engineSettings\":{\"profile\":\"gpu\"}",
                "{\"runSettingId\":\"r0\"}", "{\"runSettingId\":\"r1\"}");
        assertThat(inlineErrors(TEMPLATE, PROFILES, PROFILE_TEMPLATES, unknown))
                .extracting(ValidationError::pointer, ValidationError::rule)
                .containsExactly(tuple("/defaultRunSetting/engineSettings/profile", Rule.WORKFLOW_PROFILE));
    }

    @Test
    void aDefaultParameterIsReportedWhereItIsWrongForTheRunsThatInheritIt() {
        // "memory_gb" is right for the defaults' profile (highmem) and wrong for a run on "standard".
        String json = documentWithRuns("\"engineSettings\":{\"profile\":\"highmem\"},"
                        + "\"parameters\":{\"ref_fasta\":\"x\",\"memory_gb\":64}",
                "{\"runSettingId\":\"r0\",\"parameters\":{\"sample_id\":\"S0\"}}",
                "{\"runSettingId\":\"r1\",\"engineSettings\":{\"profile\":\"standard\"},\"parameters\":{\"sample_id\":\"S1\"}}");
        assertThat(inlineErrors(TEMPLATE, PROFILES, PROFILE_TEMPLATES, json))
                .extracting(ValidationError::pointer, ValidationError::message)
                .containsExactly(tuple("/batchRunSettings/inlineSettings/1/parameters", "inherits \"memory_gb\" from "
                        + "defaultRunSetting.parameters, not a parameter of workflow 1234567 with profile \"standard\"; "
                        + "its parameter template has \"ref_fasta\", \"sample_id\""));
    }

    @Test
    void aProfileOfAWorkflowThatListsNoneIsLeftToStartRun() {
        String json = documentWithRuns("\"parameters\":{\"ref_fasta\":\"x\"}",
                "{\"runSettingId\":\"r0\",\"engineSettings\":{\"profile\":\"anything\"},\"parameters\":{\"sample_id\":\"S0\"}}");
        assertThat(inlineErrors(TEMPLATE, json)).isEmpty();
    }
}
