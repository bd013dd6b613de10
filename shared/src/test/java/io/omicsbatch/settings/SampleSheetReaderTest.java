package io.omicsbatch.settings;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A sample sheet is read as the JSON runs file it stands for, and its errors point into that file and name the line. */
class SampleSheetReaderTest {

    private static final MergeBase WITH_OUTPUT = new MergeBase(true, Set.of(), false, null);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The entries a sheet stands for, as JSON text, asserting it has no error. */
    private static List<JsonNode> entries(byte[] sheet, RunsFileFormat format) throws IOException {
        ValidationErrors errors = new ValidationErrors();
        List<JsonNode> nodes = new ArrayList<>();
        try (RunEntries reader = RunEntries.open(new ByteArrayInputStream(sheet), format, errors)) {
            reader.forEachRemaining(entry -> nodes.add(entry.node()));
        }
        assertThat(errors.list()).isEmpty();
        return nodes;
    }

    private static List<JsonNode> csv(String sheet) throws IOException {
        return entries(utf8(sheet), RunsFileFormat.CSV);
    }

    /** An entry as a JSON runs file gives it (integers as big integers, decimals exact), to compare like with like. */
    private static JsonNode json(String text) throws IOException {
        ValidationErrors errors = new ValidationErrors();
        try (RunSettingsReader reader = new RunSettingsReader(stream("[" + text + "]"), errors)) {
            JsonNode node = reader.next().node();
            assertThat(errors.list()).isEmpty();
            return node;
        }
    }

    /** validate's error lines for a sheet, with defaults that give every run an outputUri. */
    private static List<String> errors(byte[] sheet, RunsFileFormat format) throws IOException {
        List<String> lines = new ArrayList<>();
        new BatchSettingsValidator(1000, e -> lines.add(e.toLine()))
                .validateRunsFile(new ByteArrayInputStream(sheet), format, WITH_OUTPUT, null);
        return lines;
    }

    private static List<String> csvErrors(String sheet) throws IOException {
        return errors(utf8(sheet), RunsFileFormat.CSV);
    }

    @Test
    void theFormatFollowsTheSuffixInAnyCase() {
        assertThat(RunsFileFormat.of("s3://b/runs/cohort.csv")).isEqualTo(RunsFileFormat.CSV);
        assertThat(RunsFileFormat.of("batches/Cohort.TSV")).isEqualTo(RunsFileFormat.TSV);
        assertThat(RunsFileFormat.of("runs.json")).isEqualTo(RunsFileFormat.JSON);
        assertThat(RunsFileFormat.of("runs.csv.json")).isEqualTo(RunsFileFormat.JSON);
    }

    @Test
    void membersTagsAndParametersMakeTheEquivalentEntry() throws IOException {
        List<JsonNode> entries = csv("""
                sample_id,runSettingId,priority,tag:cohort,name,outputUri,outputBucketOwnerId,fastq
                NA1,S1,5,c1,wgs-1,s3://out/1/,123456789012,s3://in/1.fq
                """);
        assertThat(entries).containsExactly(json("""
                {"runSettingId": "S1", "name": "wgs-1", "outputUri": "s3://out/1/", "priority": 5,
                 "parameters": {"sample_id": "NA1", "fastq": "s3://in/1.fq"},
                 "outputBucketOwnerId": "123456789012", "runTags": {"cohort": "c1"}}"""));
        // Members in the runs file's order, whatever the columns' order: to-json writes them so.
        assertThat(entries.get(0).toString()).startsWith("{\"runSettingId\":\"S1\",\"name\":\"wgs-1\",\"outputUri\"");
    }

    @Test
    void anEmptyCellLeavesTheMemberTagOrParameterOut() throws IOException {
        assertThat(csv("runSettingId,name,priority,tag:cohort,sample_id,json:reads\nS1,,,,,\nS2,n,,c,,\n"))
                .containsExactly(json("{\"runSettingId\": \"S1\"}"),
                        json("{\"runSettingId\": \"S2\", \"name\": \"n\", \"runTags\": {\"cohort\": \"c\"}}"));
    }

    @Test
    void quotedFieldsHoldCommasQuotesAndLineBreaksExactly() throws IOException {
        assertThat(csv("runSettingId,note,\"odd,name\"\n\"S,1\",\"she said \"\"hi\"\"\nand left\",\"\"\"x\"\"\"\n"))
                .containsExactly(json("""
                        {"runSettingId": "S,1", "parameters": {"note": "she said \\"hi\\"\\nand left", "odd,name": "\\"x\\""}}"""));
    }

    @Test
    void crlfLineEndingsAByteOrderMarkAndUnicodeAreRead() throws IOException {
        String text = "runSettingId,sample,tag:Probe\r\nS1,Größe 🧬 naïve,é\r\n\"S2\",\"two\r\nlines\",x\r\n";
        ByteArrayOutputStream withBom = new ByteArrayOutputStream();
        withBom.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        withBom.writeBytes(utf8(text));
        List<JsonNode> expected = List.of(
                json("{\"runSettingId\": \"S1\", \"parameters\": {\"sample\": \"Größe 🧬 naïve\"}, \"runTags\": {\"Probe\": \"é\"}}"),
                // A line break inside quotes is kept as written.
                json("{\"runSettingId\": \"S2\", \"parameters\": {\"sample\": \"two\\r\\nlines\"}, \"runTags\": {\"Probe\": \"x\"}}"));
        assertThat(entries(withBom.toByteArray(), RunsFileFormat.CSV)).isEqualTo(expected);
        assertThat(entries(utf8(text), RunsFileFormat.CSV)).isEqualTo(expected);
    }

    @Test
    void aTsvIsSplitAtTabsAndQuotedTheSameWay() throws IOException {
        assertThat(entries(utf8("runSettingId\tnote\tpriority\nS1\ta,b\t-3\n\"S\t2\"\t\"x\"\"y\"\t\n"), RunsFileFormat.TSV))
                .containsExactly(json("{\"runSettingId\": \"S1\", \"priority\": -3, \"parameters\": {\"note\": \"a,b\"}}"),
                        json("{\"runSettingId\": \"S\\t2\", \"parameters\": {\"note\": \"x\\\"y\"}}"));
    }

    @Test
    void jsonColumnsGiveNumbersListsObjectsAndStringsThatATextColumnCannot() throws IOException {
        List<JsonNode> entries = csv("""
                runSettingId,json:min_qual,json:intervals,json:opts,json:name,json:empty,json:nothing,json:tag:x
                S1,30,"[""chr1"",""chr2""]","{""a"": true}","""
                + "\"\"\"literal name\"\"\",\"\"\"\"\"\",null,1.50\n");
        assertThat(entries).containsExactly(json("""
                {"runSettingId": "S1", "parameters": {"min_qual": 30, "intervals": ["chr1", "chr2"], "opts": {"a": true},
                 "name": "literal name", "empty": "", "nothing": null, "tag:x": 1.50}}"""));
        assertThat(entries.get(0).at("/parameters/tag:x").decimalValue().scale()).isEqualTo(2);
    }

    @Test
    void theOptionalMarkOfATemplateIsIgnoredAndBlankLinesAreSkipped() throws IOException {
        assertThat(csv("runSettingId,sample_id,min_qual (optional)\n\nS1,NA1,\n\nS2,NA2,20\n\n"))
                .containsExactly(json("{\"runSettingId\": \"S1\", \"parameters\": {\"sample_id\": \"NA1\"}}"),
                        json("{\"runSettingId\": \"S2\", \"parameters\": {\"sample_id\": \"NA2\", \"min_qual\": \"20\"}}"));
    }

    @Test
    void aValidSheetValidatesAndItsRowsAreCounted() throws IOException {
        BatchSettingsValidator.RunsFileResult result = new BatchSettingsValidator().validateRunsFile(
                new ByteArrayInputStream(utf8("runSettingId,priority\nS1,1\nS2,2\nS3,\n")), RunsFileFormat.CSV, WITH_OUTPUT, null);
        assertThat(result.errors().list()).isEmpty();
        assertThat(result.entries()).isEqualTo(3);
    }

    @Test
    void aDuplicateIdPointsAtTheRowAndNamesItsLine() throws IOException {
        assertThat(csvErrors("runSettingId,note\nS1,\"two\nlines\"\nS2,x\nS1,y\n")).containsExactly(
                "/runs/2/runSettingId: runSettingId \"S1\" is already used at /runs/0/runSettingId; runSettingIds must be "
                        + "unique within a batch (sheet line 5) [duplicate-run-setting-id]");
    }

    @Test
    void aBadPriorityIsACellErrorAndAnOutOfRangeOneTheModelsRule() throws IOException {
        assertThat(csvErrors("runSettingId,priority\nS1,high\nS2,+3\nS3,1.0\nS5,42\n")).containsExactly(
                "/runs/0/priority: must be an integer (digits, optionally after a minus sign), got \"high\" (sheet line 2) [sheet-cell]",
                "/runs/1/priority: must be an integer (digits, optionally after a minus sign), got \"+3\" (sheet line 3) [sheet-cell]",
                "/runs/2/priority: must be an integer (digits, optionally after a minus sign), got \"1.0\" (sheet line 4) [sheet-cell]");
        assertThat(csvErrors("runSettingId,priority\nS4,-1\n")).singleElement().asString()
                .startsWith("/runs/0/priority: must be between").endsWith("(sheet line 2) [range]");
    }

    @Test
    void aRowOfTheWrongWidthIsReportedAndTheRestStillRead() throws IOException {
        assertThat(csvErrors("runSettingId,a,b\nS1,1,2\nS2,1,2,3\nS3,1\nS1,1,2\n")).containsExactly(
                "/runs/1: this row has 4 fields, the header row 3: every row has one field per column (an empty one leaves "
                        + "the default in place) (sheet line 3) [sheet-format]",
                "/runs/2: this row has 2 fields, the header row 3: every row has one field per column (an empty one leaves "
                        + "the default in place) (sheet line 4) [sheet-format]",
                "/runs/3/runSettingId: runSettingId \"S1\" is already used at /runs/0/runSettingId; runSettingIds must be "
                        + "unique within a batch (sheet line 5) [duplicate-run-setting-id]");
    }

    @Test
    void headerErrorsPointAtTheFirstRunsMemberOnLineOne() throws IOException {
        assertThat(csvErrors("sample_id,RunSettingId,runTags,Tag:x,tag:,,sample_id\nNA1,S1,a,b,c,d,e\n")).containsExactly(
                "/runs/0/RunSettingId: column 2 \"RunSettingId\" looks like the member runSettingId of the batch request: the "
                        + "column is spelled exactly \"runSettingId\"; a workflow parameter of this name is written json:RunSettingId (sheet line 1) [sheet-column]",
                "/runs/0/runTags: column 3 \"runTags\" looks like the member runTags of the batch request: runTags cannot be "
                        + "given per run in a sheet; a workflow parameter of this name is written json:runTags (sheet line 1) [sheet-column]",
                "/runs/0/parameters/Tag:x: column 4 \"Tag:x\" has a colon but starts with neither tag: (a run tag) nor json: "
                        + "(a JSON parameter); a parameter whose name holds a colon is written json:Tag:x (sheet line 1) [sheet-column]",
                "/runs/0/runTags/: column 5 \"tag:\" names no tag key: write tag:<key> (sheet line 1) [sheet-column]",
                "/runs/0/parameters/: column 6 has no name: every column needs one (runSettingId, a member, tag:<key>, "
                        + "json:<parameter> or a parameter) (sheet line 1) [sheet-column]",
                "/runs/0/parameters/sample_id: column 7 \"sample_id\" fills the same parameter as the earlier column "
                        + "\"sample_id\": give each once (sheet line 1) [sheet-column]",
                "/runs/0/runSettingId: the header row has no runSettingId column; every run needs its runSettingId "
                        + "(sheet line 1) [sheet-column]");
    }

    @Test
    void brokenTextEndsTheSheetAtTheRowBeingRead() throws IOException {
        assertThat(csvErrors("runSettingId,note\nS1,x\nS2,\"open\nS3,y\n")).containsExactly(
                "/runs/1: the quoted field opened on line 3 is never closed (sheet line 5) [sheet-format]");
        assertThat(csvErrors("runSettingId,note\nS1,say \"hi\"\n")).containsExactly(
                "/runs/0: a quote inside a field that does not start with one: put the whole field in quotes and double "
                        + "the quote (\"a \"\"b\"\" c\") (sheet line 2) [sheet-format]");
        assertThat(csvErrors("runSettingId,note\nS1,\"hi\" there\n")).containsExactly(
                "/runs/0: a quoted field must end at its closing quote, but a space follows it: write a quote inside a "
                        + "quoted field as two quotes (\"\") (sheet line 2) [sheet-format]");
        assertThat(csvErrors("runSettingId,note\rS1,x\r")).containsExactly(
                "/runs: a carriage return not followed by a line feed: lines must end with CRLF or LF (sheet line 1) [sheet-format]");
    }

    @Test
    void notUtf8IsRefusedNeverReplaced() throws IOException {
        byte[] latin1 = "runSettingId,sample\nS1,Gr\u00f6\u00dfe\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(errors(latin1, RunsFileFormat.CSV)).containsExactly(
                "/runs/0: holds byte 0xF6 on line 2, which is not UTF-8 (Latin-1 or Windows-1252 text, e.g. Excel's plain "
                        + "\"CSV\"?): save the sheet as UTF-8 (Excel: \"CSV UTF-8\") (sheet line 2) [encoding]");
        byte[] utf16 = "runSettingId\nS1\n".getBytes(StandardCharsets.UTF_16);
        assertThat(errors(utf16, RunsFileFormat.CSV)).containsExactly(
                "/runs: the sheet is UTF-16 (big-endian, with a byte order mark), not UTF-8: save it as UTF-8 (Excel: \"CSV UTF-8\") [encoding]");
        assertThat(csvErrors("runSettingId,sample\nS1,a\uFFFEb\n")).containsExactly(
                "/runs/0/parameters/sample: holds U+FFFE or U+FFFF, a noncharacter that the run queue (SQS) refuses: remove it (sheet line 2) [encoding]");
    }

    @Test
    void aJsonCellThatIsNoJsonValueIsACellError() throws IOException {
        assertThat(csvErrors("runSettingId,json:reads\nS1,text\nS2,1 2\nS3,\"{\"\"a\"\":1,\"\"a\"\":2}\"\n")).containsExactly(
                "/runs/0/parameters/reads: a json: cell must be a JSON value (a number, [a, list], {an: object}, true, false, "
                        + "null or a \"string\" in quotes), got \"text\": Unrecognized token 'text': was expecting (JSON String, "
                        + "Number, Array, Object or token 'null', 'true' or 'false') (sheet line 2) [sheet-cell]",
                "/runs/1/parameters/reads: a json: cell holds one JSON value, but more follows it in \"1 2\" (a string is "
                        + "written in quotes: \"\"\"text\"\"\" in the sheet) (sheet line 3) [sheet-cell]",
                "/runs/2/parameters/reads/a: member \"a\" appears more than once in this object; the last value was kept "
                        + "(sheet line 4) [duplicate-member]");
    }

    @Test
    void emptySheetsAndAMissingIdAreReported() throws IOException {
        assertThat(csvErrors("")).containsExactly("/runs: the sheet is empty: its first line must be the header row, naming "
                + "the columns (runSettingId, ...) [sheet-format]");
        assertThat(csvErrors("runSettingId,name\n")).containsExactly(
                "/runs: a sample sheet must hold at least 1 row after its header row, got 0 [list-size]");
        assertThat(csvErrors("runSettingId,name\n,n\n")).singleElement().asString()
                .startsWith("/runs/0/runSettingId: ").endsWith("(sheet line 2) [required]");
    }

    @Test
    void oneRowPastTheLimitIsRejected() throws IOException {
        StringBuilder sheet = new StringBuilder("runSettingId\n");
        for (int i = 0; i <= BatchSettingsValidator.MAX_RUNS_FILE_ENTRIES; i++) {
            sheet.append('S').append(i).append('\n');
        }
        assertThat(csvErrors(sheet.toString())).containsExactly(
                "/runs: a sample sheet may hold at most 100000 rows after its header row, got 100001 [list-size]");
    }

    @Test
    void aRowLongerThanAnyRequestEndsTheSheet() throws IOException {
        String sheet = "runSettingId,x\nS1," + "a".repeat(SheetTokenizer.MAX_RECORD_CHARS) + "\n";
        assertThat(csvErrors(sheet)).singleElement().asString()
                .startsWith("/runs/0: the row starting on line 2 is longer than").endsWith("[sheet-format]");
    }

    @Test
    void checksOfTheEntryNameTheLineOfItsRow() throws IOException {
        assertThat(csvErrors("runSettingId,outputUri,tag:omics-batch:x\nS1,http://x,a\n")).allSatisfy(
                line -> assertThat(line).contains("(sheet line 2)")).hasSizeGreaterThanOrEqualTo(1);
    }

    static InputStream stream(String s) {
        return new ByteArrayInputStream(utf8(s));
    }
}
