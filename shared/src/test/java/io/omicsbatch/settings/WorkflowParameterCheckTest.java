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

    private static List<ValidationError> inlineErrors(Map<String, Boolean> template, String json) {
        List<ValidationError> heard = new ArrayList<>();
        BatchSettingsValidator validator = new BatchSettingsValidator(1000, heard::add);
        BatchSettingsValidator.DocumentResult document = validator.validateDocument(json);
        assertThat(document.errors().list()).as("the document itself is valid").isEmpty();
        ValidationErrors errors = validator.checkParameters(document.settings(), new WorkflowParameterCheck("1234567",
                template, document.settings().defaultRunSetting().parameters()));
        assertThat(heard).as("every error reaches the listener (the error report)").isEqualTo(errors.list());
        return errors.list();
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
        JsonNode defaults = SettingsJson.MAPPER.readTree("{\"ref_fasta\":\"x\"}");
        BatchSettingsValidator.RunsFileResult result = new BatchSettingsValidator().validateRunsFile(
                new ByteArrayInputStream(runs.getBytes(StandardCharsets.UTF_8)),
                new MergeBase(true, java.util.Set.of(), false, null), new WorkflowParameterCheck("1234567", TEMPLATE, defaults));
        assertThat(result.entries()).isEqualTo(4);
        assertThat(result.errors().list()).extracting(ValidationError::pointer, ValidationError::rule).containsExactly(
                tuple("/runs/1/parameters/sampleid", Rule.WORKFLOW_PARAMETERS),
                tuple("/runs/1/parameters", Rule.WORKFLOW_PARAMETERS),
                tuple("/runs/2/parameters", Rule.TYPE),
                tuple("/runs/3/parameters", Rule.WORKFLOW_PARAMETERS));
    }
}
