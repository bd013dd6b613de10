package io.omicsbatch.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How the bytes of a document or runs file are judged ({@link Utf8Input}, {@link JsonTreeReader}); the invalid corpus
 * holds one document per refused encoding, these are the cases a corpus file cannot show.
 */
class EncodingTest {

    private static final MergeBase WITH_OUTPUT = new MergeBase(true, java.util.Set.of(), false, null);
    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final BatchSettingsValidator validator = new BatchSettingsValidator();

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private BatchSettingsValidator.DocumentResult document(byte[] bytes) throws IOException {
        return validator.validateDocument(new ByteArrayInputStream(bytes));
    }

    private List<ValidationError> runsFile(byte[] bytes) throws IOException {
        return validator.validateRunsFile(new ByteArrayInputStream(bytes), WITH_OUTPUT).errors().list();
    }

    /** A runs file of {@code count} entries, the one at {@code odd} with a run name given as raw bytes. */
    private static byte[] runs(int count, int odd, byte[] oddName) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(utf8("["));
        for (int i = 0; i < count; i++) {
            out.writeBytes(utf8((i == 0 ? "" : ",\n") + "{\"runSettingId\": \"S" + i + "\", \"name\": \""));
            out.writeBytes(i == odd ? oddName : utf8("wgs-S" + i));
            out.writeBytes(utf8("\", \"parameters\": {\"sample_id\": \"S" + i + "\"}}"));
        }
        out.writeBytes(utf8("]"));
        return out.toByteArray();
    }

    @Test
    void utf8WithAByteOrderMarkIsAcceptedAsWithout() throws IOException {
        byte[] plain = utf8(BatchSettingsValidatorTest.validDocument().toString());
        BatchSettingsValidator.DocumentResult withMark = document(concat(UTF8_BOM, plain));
        assertThat(withMark.errors().list()).isEmpty();
        assertThat(withMark.settings()).isEqualTo(document(plain).settings());
        assertThat(runsFile(concat(UTF8_BOM, runs(3, -1, null)))).isEmpty();
    }

    @Test
    void everyNonAsciiCharacterSurvivesIntact() throws IOException {
        ObjectNode doc = BatchSettingsValidatorTest.validDocument();
        String name = "wgs-José-Ærøskøbing-北京-\uD83E\uDDEC"; // 2-, 3- and 4-byte sequences
        ((ObjectNode) doc.get("batchRunSettings").get("inlineSettings").get(0)).put("name", name);
        BatchSettingsValidator.DocumentResult result = document(utf8(doc.toString()));
        assertThat(result.errors().list()).isEmpty();
        assertThat(result.settings().batchRunSettings().inlineSettings().get(0).name()).isEqualTo(name);
    }

    @Test
    void aCharacterSplitAcrossReadsIsReassembled() throws IOException {
        // Every sequence straddles a boundary somewhere when the stream hands out one byte at a time, and the
        // 64 KiB buffer's boundary falls inside one of the many 4-byte characters of a long entry.
        String helix = "\uD83E\uDDEC".repeat(20_000);
        byte[] bytes = runs(3, 1, utf8(helix));
        InputStream trickle = new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1));
            }
        };
        BatchSettingsValidator.RunsFileResult result = validator.validateRunsFile(trickle, WITH_OUTPUT);
        assertThat(result.entries()).isEqualTo(3);
        assertThat(result.errors().list()).extracting(ValidationError::pointer, ValidationError::rule)
                .containsExactly(tuple("/runs/1/name", Rule.LENGTH)); // 20,000 characters, not an encoding error
    }

    @Test
    void latin1DeepInALargeRunsFileIsPointedAtItsEntry() throws IOException {
        byte[] bytes = runs(5_000, 4_321, "wgs-Fran\u00e7ois".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(bytes.length).as("far past the first buffer").isGreaterThan(4 * (1 << 16));
        List<ValidationError> errors = runsFile(bytes);
        assertThat(errors).extracting(ValidationError::pointer, ValidationError::rule)
                .containsExactly(tuple("/runs/4321/name", Rule.ENCODING));
        assertThat(errors.get(0).message()).contains("byte 0xE7").contains("the runs file").contains("save the runs file as UTF-8");
    }

    @Test
    void malformedBytesAreNeverReplaced() throws IOException {
        for (byte[] bad : List.of(new byte[] {(byte) 0xE9}, new byte[] {(byte) 0x80}, new byte[] {(byte) 0xFF},
                new byte[] {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80}, // beyond U+10FFFF
                new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // beyond U+10FFFF
                new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, // overlong
                new byte[] {(byte) 0xED, (byte) 0xBF, (byte) 0xBF})) { // a low surrogate
            byte[] doc = concat(utf8("{\"batchName\": \"a"), bad, utf8("b\"}"));
            assertThat(document(doc).errors().list()).as("bytes %s", java.util.Arrays.toString(bad))
                    .extracting(ValidationError::pointer, ValidationError::rule)
                    .containsExactly(tuple("/batchName", Rule.ENCODING));
        }
    }

    @Test
    void malformedBytesAfterTheJsonAreStillAnError() throws IOException {
        List<ValidationError> errors = runsFile(concat(runs(2, -1, null), new byte[] {'\n', (byte) 0xE9}));
        assertThat(errors).extracting(ValidationError::pointer, ValidationError::rule)
                .containsExactly(tuple("/runs", Rule.ENCODING));
    }

    @Test
    void aSyntaxErrorBeforeMalformedBytesIsReportedAsSyntax() throws IOException {
        byte[] doc = concat(utf8("{\"batchName\": \"a\" \"tags\": {}, \"x\": \""), new byte[] {(byte) 0xE9}, utf8("\"}"));
        assertThat(document(doc).errors().list()).extracting(ValidationError::rule).containsExactly(Rule.JSON_SYNTAX);
    }

    @Test
    void unpairedSurrogatesAreRefusedInValuesAnywhere() {
        ObjectNode doc = BatchSettingsValidatorTest.validDocument();
        ((ObjectNode) doc.get("defaultRunSetting").get("parameters")).put("intervals", "s3://lab-refs/\uDC00wgs.bed");
        ObjectNode run = (ObjectNode) doc.get("batchRunSettings").get("inlineSettings").get(0);
        ((ObjectNode) run.get("parameters")).putArray("lanes").add("L001").add("L002\uD800");
        // A JSON text can hold them only as escapes (UTF-8 has no bytes for them), so the test writes them so.
        String text = doc.toString().replace("\uDC00", "\\udc00").replace("\uD800", "\\ud800");
        List<ValidationError> errors = validator.validateDocument(text).errors().list();
        assertThat(errors).extracting(ValidationError::pointer, ValidationError::rule).containsExactlyInAnyOrder(
                tuple("/defaultRunSetting/parameters/intervals", Rule.ENCODING),
                tuple("/batchRunSettings/inlineSettings/0/parameters/lanes/1", Rule.ENCODING));
        assertThat(errors.get(0).message()).startsWith("contains an unpaired surrogate \\udc00 (character 15)");
    }

    @Test
    void anUnpairedSurrogateInAMemberNameIsRefusedAtItsObject() {
        for (String name : List.of("intervals\\udc00", "intervals\\ud800", "\\ud800intervals")) {
            String text = BatchSettingsValidatorTest.validDocument().toString()
                    .replace("\"ref_fasta\":", "\"ref_fasta\": \"s3://lab-refs/GRCh38.fasta\", \"" + name + "\":");
            assertThat(validator.validateDocument(text).errors().list()).as(name)
                    .extracting(ValidationError::pointer, ValidationError::rule)
                    .containsExactly(tuple("/defaultRunSetting/parameters", Rule.ENCODING));
        }
    }

    @Test
    void aSurrogatePairWrittenAsEscapesIsOneCharacterAndAccepted() {
        ObjectNode doc = BatchSettingsValidatorTest.validDocument();
        String text = doc.toString().replace("\"wgs-cohort-7\"", "\"wgs-\\ud83e\\uddec\"");
        BatchSettingsValidator.DocumentResult result = validator.validateDocument(text);
        assertThat(result.errors().list()).isEmpty();
        assertThat(result.settings().batchName()).isEqualTo("wgs-\uD83E\uDDEC");
    }

    @Test
    void noncharactersThatSqsRefusesAreRefusedInARunsFile() throws IOException {
        ArrayNode entries = SettingsJson.MAPPER.createArrayNode();
        entries.addObject().put("runSettingId", "S0").putObject("parameters").put("note", "a\uFFFEb");
        entries.addObject().put("runSettingId", "S1\uFFFF");
        List<ValidationError> errors = runsFile(utf8(entries.toString()));
        assertThat(errors).extracting(ValidationError::pointer, ValidationError::rule).contains(
                tuple("/runs/0/parameters/note", Rule.ENCODING), tuple("/runs/1/runSettingId", Rule.ENCODING));
    }

    @Test
    void encodableTextIsFoundInOnePass() {
        assertThat(JsonTreeReader.unencodableAt("plain")).isEqualTo(-1);
        assertThat(JsonTreeReader.unencodableAt("\uD83E\uDDEC\uD83E\uDDEC")).isEqualTo(-1);
        assertThat(JsonTreeReader.unencodableAt("ab\uD83E")).isEqualTo(2);
        assertThat(JsonTreeReader.unencodableAt("a\uDDEC\uD83E")).isEqualTo(1);
        assertThat(JsonTreeReader.unencodableAt("\uFFFD\uFFFF")).isEqualTo(1);
    }
}
