package io.omicsbatch.settings;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A runs file and its sheet turn into each other without losing anything a sheet can carry. */
class SampleSheetsTest {

    private static final String RUNS = """
            [{"runSettingId": "S1", "name": "wgs-1", "priority": 7,
              "parameters": {"sample_id": "NA1", "min_qual": 30, "note": "a, \\"quoted\\"\\nline", "name": "p", "empty": "",
                             "odd:name": "x", "maybe": "text"},
              "runTags": {"cohort": "c1", "omics:site": "b"}},
             {"runSettingId": "S2", "outputUri": "s3://out/2/", "outputBucketOwnerId": "123456789012",
              "parameters": {"sample_id": "Größe 🧬", "maybe": ["l", 1], "nothing": null}}]
            """;

    private static String fromJson(String runs, RunsFileFormat format, ValidationErrors errors) throws IOException {
        StringWriter out = new StringWriter();
        byte[] bytes = runs.getBytes(StandardCharsets.UTF_8);
        SampleSheets.fromJson(() -> new ByteArrayInputStream(bytes), format, out, errors);
        return out.toString();
    }

    private static List<JsonNode> entries(byte[] runsFile) throws IOException {
        ValidationErrors errors = new ValidationErrors();
        List<JsonNode> nodes = new ArrayList<>();
        try (RunSettingsReader reader = new RunSettingsReader(new ByteArrayInputStream(runsFile), errors)) {
            reader.forEachRemaining(entry -> nodes.add(entry.node()));
        }
        assertThat(errors.list()).isEmpty();
        return nodes;
    }

    @Test
    void aRunsFileBecomesASheetWithJsonColumnsWhereTextCannotSayIt() throws IOException {
        ValidationErrors errors = new ValidationErrors();
        String sheet = fromJson(RUNS, RunsFileFormat.CSV, errors);
        assertThat(errors.list()).isEmpty();
        assertThat(sheet.lines().findFirst().orElseThrow()).isEqualTo("runSettingId,name,outputUri,priority,outputBucketOwnerId,"
                + "sample_id,json:min_qual,note,json:name,json:empty,json:odd:name,json:maybe,json:nothing,tag:cohort,tag:omics:site");
        assertThat(sheet).contains("S1,wgs-1,,7,,NA1,30,\"a, \"\"quoted\"\"\nline\",\"\"\"p\"\"\",\"\"\"\"\"\",\"\"\"x\"\"\",\"\"\"text\"\"\",,c1,b\n");
    }

    @Test
    void fromJsonThenToJsonGivesTheSameEntriesInBothDelimiters() throws IOException {
        for (RunsFileFormat format : List.of(RunsFileFormat.CSV, RunsFileFormat.TSV)) {
            ValidationErrors errors = new ValidationErrors();
            String sheet = fromJson(RUNS, format, errors);
            ByteArrayOutputStream json = new ByteArrayOutputStream();
            int rows = SampleSheets.toJson(new ByteArrayInputStream(sheet.getBytes(StandardCharsets.UTF_8)), format, json, errors);
            assertThat(errors.list()).isEmpty();
            assertThat(rows).isEqualTo(2);
            List<JsonNode> back = entries(json.toByteArray());
            // The runs file's null parameter is kept (a json: cell "null"); everything else exactly as it was.
            assertThat(back).isEqualTo(entries(RUNS.getBytes(StandardCharsets.UTF_8)));
            assertThat(json.toString(StandardCharsets.UTF_8)).startsWith("[\n  {\"runSettingId\":\"S1\",\"name\":\"wgs-1\",\"priority\":7,")
                    .endsWith("}\n]\n");
        }
    }

    @Test
    void whatASheetCannotCarryIsReportedAndNothingWritten() throws IOException {
        ValidationErrors errors = new ValidationErrors();
        String sheet = fromJson("""
                [{"runSettingId": "S1", "engineSettings": {"a": 1}, "name": "", "runTags": {"k": 3, "": "v"},
                  "priority": "high", "workflowId": "1"}]""", RunsFileFormat.CSV, errors);
        assertThat(sheet).isEmpty();
        assertThat(errors.list()).extracting(ValidationError::toLine).containsExactly(
                "/runs/0/engineSettings: a sample sheet has no engineSettings column: keep these runs in a JSON runs file, "
                        + "or move engineSettings to defaultRunSetting [sheet-column]",
                "/runs/0/name: is an empty string, which a sample sheet cannot hold: an empty cell means the value is absent "
                        + "(the default's applies) [sheet-cell]",
                "/runs/0/runTags/k: must be a string [type]",
                "/runs/0/runTags/: a tag key must not be empty [tag-key]",
                "/runs/0/priority: must be an integer [type]",
                "/runs/0/workflowId: is not a member of a run setting, so a sample sheet has no column for it [unknown-member]");
    }

    @Test
    void aSheetWithErrorsStopsToJson() throws IOException {
        ValidationErrors errors = new ValidationErrors();
        SampleSheets.toJson(new ByteArrayInputStream("runSettingId,priority\nS1,x\n".getBytes(StandardCharsets.UTF_8)),
                RunsFileFormat.CSV, new ByteArrayOutputStream(), errors);
        assertThat(errors.list()).extracting(ValidationError::rule).containsExactly(Rule.SHEET_CELL);
    }

    @Test
    void aTemplateListsRequiredParametersFirstAndMarksTheOptionalOnes() throws IOException {
        Map<String, Boolean> template = new LinkedHashMap<>();
        template.put("intervals", true);
        template.put("sample_id", false);
        template.put("name", true);
        template.put("ref,fasta", false);
        String header = SampleSheets.templateHeader(template, RunsFileFormat.CSV);
        assertThat(header).isEqualTo("runSettingId,sample_id,\"ref,fasta\",intervals (optional),json:name (optional)\n");
        assertThat(SampleSheets.templateHeader(template, RunsFileFormat.TSV))
                .isEqualTo("runSettingId\tsample_id\tref,fasta\tintervals (optional)\tjson:name (optional)\n");
        // The template is a valid header: filled in, it reads.
        ValidationErrors errors = new ValidationErrors();
        try (SampleSheetReader reader = new SampleSheetReader(new ByteArrayInputStream((header + "S1,NA1,GRCh38,,\"\"\"n\"\"\"\n")
                .getBytes(StandardCharsets.UTF_8)), RunsFileFormat.CSV, errors)) {
            assertThat(reader.next().node().toString()).isEqualTo(
                    "{\"runSettingId\":\"S1\",\"parameters\":{\"sample_id\":\"NA1\",\"ref,fasta\":\"GRCh38\",\"name\":\"n\"}}");
        }
        assertThat(errors.list()).isEmpty();
    }
}
