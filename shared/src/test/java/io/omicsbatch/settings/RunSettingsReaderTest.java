package io.omicsbatch.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunSettingsReaderTest {

    private static final MergeBase WITH_OUTPUT = new MergeBase(true, java.util.Set.of(), false, null);

    private static InputStream text(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A runs file produced on the fly, entry by entry, so the test itself never holds it whole. */
    private static InputStream generated(int count, int duplicateEvery) {
        return new SequenceInputStream(new Enumeration<>() {
            private int i = -1;

            @Override
            public boolean hasMoreElements() {
                return i <= count;
            }

            @Override
            public InputStream nextElement() {
                i++;
                if (i == 0) {
                    return text("[");
                }
                if (i > count) {
                    return text("]");
                }
                int id = duplicateEvery > 0 && i % duplicateEvery == 0 ? 1 : i;
                return text((i > 1 ? ",\n" : "") + "{\"runSettingId\": \"S" + id + "\", \"parameters\": {\"sample_id\": \"S" + i + "\"}}");
            }
        });
    }

    @Test
    void iteratesEntriesInOrderAndBindsThem() throws IOException {
        List<String> ids = new ArrayList<>();
        ValidationErrors errors = new ValidationErrors();
        try (RunSettingsReader reader = new RunSettingsReader(text("[{\"runSettingId\": \"a\"}, {\"runSettingId\": \"b\", \"priority\": 3}]"), errors)) {
            reader.forEachRemaining(entry -> ids.add(SettingsJson.toRunSetting(entry.node()).runSettingId() + "@" + entry.index()));
        }
        assertThat(ids).containsExactly("a@0", "b@1");
        assertThat(errors.isEmpty()).isTrue();
    }

    @Test
    void validatesAHundredThousandEntriesStreamed() throws IOException {
        BatchSettingsValidator.RunsFileResult result = new BatchSettingsValidator()
                .validateRunsFile(generated(BatchSettingsValidator.MAX_RUNS_FILE_ENTRIES, 0), WITH_OUTPUT);
        assertThat(result.entries()).isEqualTo(100_000);
        assertThat(result.errors().list()).isEmpty();
    }

    @Test
    void oneEntryTooManyIsRejected() throws IOException {
        BatchSettingsValidator.RunsFileResult result = new BatchSettingsValidator()
                .validateRunsFile(generated(BatchSettingsValidator.MAX_RUNS_FILE_ENTRIES + 1, 0), WITH_OUTPUT);
        assertThat(result.errors().list()).extracting(ValidationError::pointer, ValidationError::rule)
                .containsExactly(tuple("/runs", Rule.LIST_SIZE));
        assertThat(result.errors().list().get(0).message()).contains("100001");
    }

    @Test
    void duplicatesAcrossTheFileAreFound() throws IOException {
        BatchSettingsValidator.RunsFileResult result = new BatchSettingsValidator().validateRunsFile(generated(1000, 250), WITH_OUTPUT);
        assertThat(result.errors().list()).extracting(ValidationError::pointer).containsExactly(
                "/runs/249/runSettingId", "/runs/499/runSettingId", "/runs/749/runSettingId", "/runs/999/runSettingId");
        assertThat(result.errors().list()).allSatisfy(e -> assertThat(e.message()).contains("/runs/0/runSettingId"));
    }

    @Test
    void aSyntaxErrorStopsTheFileButEarlierEntriesAreChecked() throws IOException {
        String runs = "[{\"runSettingId\": \"a\", \"priority\": -5},\n {\"runSettingId\": \"b\"},\n {\"runSettingId\": \"c\" \"name\": \"x\"}]";
        BatchSettingsValidator.RunsFileResult result = new BatchSettingsValidator().validateRunsFile(text(runs), WITH_OUTPUT);
        assertThat(result.errors().list()).extracting(ValidationError::pointer, ValidationError::rule).containsExactly(
                tuple("/runs/0/priority", Rule.RANGE), tuple("/runs/2/runSettingId", Rule.JSON_SYNTAX));
        assertThat(result.errors().list().get(1).message()).startsWith("invalid JSON at line 3, column");
    }

    @Test
    void aRunsFileMustBeANonEmptyArray() throws IOException {
        BatchSettingsValidator validator = new BatchSettingsValidator();
        assertThat(validator.validateRunsFile(text("{\"runSettingId\": \"a\"}"), WITH_OUTPUT).errors().list())
                .extracting(ValidationError::pointer, ValidationError::rule).containsExactly(tuple("/runs", Rule.TYPE));
        assertThat(validator.validateRunsFile(text("[]"), WITH_OUTPUT).errors().list())
                .extracting(ValidationError::pointer, ValidationError::rule).containsExactly(tuple("/runs", Rule.LIST_SIZE));
        assertThat(validator.validateRunsFile(text(""), WITH_OUTPUT).errors().list())
                .extracting(ValidationError::rule).containsExactly(Rule.JSON_SYNTAX);
        assertThat(validator.validateRunsFile(text("[{\"runSettingId\": \"a\"}] x"), WITH_OUTPUT).errors().list())
                .extracting(ValidationError::rule).containsExactly(Rule.JSON_SYNTAX);
    }

    @Test
    void mergedRulesUseTheDefaultsOfTheDocument() throws IOException {
        MergeBase noOutput = new MergeBase(false, java.util.Set.of(), false, null);
        assertThat(new BatchSettingsValidator().validateRunsFile(
                text("[{\"runSettingId\": \"a\"}, {\"runSettingId\": \"b\", \"outputUri\": \"s3://lab-results/b/\"}]"), noOutput)
                .errors().list()).extracting(ValidationError::pointer, ValidationError::rule)
                .containsExactly(tuple("/runs/0/outputUri", Rule.REQUIRED));
    }

    @Test
    void overlongIdsAreComparedWholeAndQuotedShort() throws IOException {
        // Ids that differ only in their last character, far past any prefix a shortcut might compare.
        String stem = "S".repeat(10_000);
        String runs = "[{\"runSettingId\": \"" + stem + "a\"}, {\"runSettingId\": \"" + stem + "b\"}, {\"runSettingId\": \""
                + stem + "a\"}]";
        List<ValidationError> errors = new BatchSettingsValidator().validateRunsFile(text(runs), WITH_OUTPUT).errors().list();
        assertThat(errors).filteredOn(e -> e.rule() == Rule.DUPLICATE_RUN_SETTING_ID)
                .extracting(ValidationError::pointer).containsExactly("/runs/2/runSettingId");
        assertThat(errors).filteredOn(e -> e.rule() == Rule.DUPLICATE_RUN_SETTING_ID).singleElement()
                .extracting(ValidationError::message).asString()
                .contains("\"" + "S".repeat(128) + "...\" is already used at /runs/0/runSettingId").hasSizeLessThan(300);
        assertThat(errors).filteredOn(e -> e.rule() == Rule.LENGTH).hasSize(3);
    }
}
