package io.omicsbatch.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.batch.RunMessage;
import io.omicsbatch.resources.ResourceDefinitions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The request-size rule: a run's merged StartRun request must fit in its run message, to the byte. */
class RunRequestSizeTest {

    private static final String BATCH_ID = BatchIdentity.batchIdForRequestId("size-test");

    private final BatchSettingsValidator validator = new BatchSettingsValidator();

    private static ObjectNode run(ObjectNode doc, int index) {
        return (ObjectNode) doc.get("batchRunSettings").get("inlineSettings").get(index);
    }

    /** The size the expansion will send for this run of a valid document, computed as the expansion computes it. */
    private long sentSize(ObjectNode doc, int index) {
        BatchSettings settings = validator.validateDocument(doc.toString()).settings();
        RunRequest request = new RunRequestMerger(BATCH_ID, settings.defaultRunSetting())
                .merge(settings.batchRunSettings().inlineSettings().get(index));
        return request.toStartRunBody().toString().getBytes(StandardCharsets.UTF_8).length;
    }

    /** The first run's own parameter {@code blob}, sized so that its request is exactly {@code bytes}. */
    private ObjectNode withRequestOf(long bytes) {
        ObjectNode doc = BatchSettingsValidatorTest.validDocument();
        ObjectNode parameters = (ObjectNode) run(doc, 0).get("parameters");
        parameters.put("blob", "");
        long base = sentSize(doc, 0);
        parameters.put("blob", "x".repeat((int) (bytes - base)));
        return doc;
    }

    @Test
    void theSizeIsTheRunMessagesOwnToTheByte() {
        ObjectNode body = SettingsJson.MAPPER.createObjectNode();
        body.put("name", "wgs-José-北京-\uD83E\uDDEC\t\"quoted\"\u0001");
        body.putObject("parameters").put("n", new java.math.BigDecimal("1.50")).putArray("l").add(1).add("\\");
        assertThat(SettingsJson.utf8Length(body)).isEqualTo(body.toString().getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void aRequestOfExactlyTheLimitIsAcceptedAndOneByteMoreIsNot() {
        ObjectNode atLimit = withRequestOf(RunRequestSize.MAX_REQUEST_BYTES);
        assertThat(sentSize(atLimit, 0)).isEqualTo(RunRequestSize.MAX_REQUEST_BYTES);
        assertThat(validator.validateDocument(atLimit.toString()).errors().list()).isEmpty();

        ObjectNode over = withRequestOf(RunRequestSize.MAX_REQUEST_BYTES + 1);
        List<ValidationError> errors = validator.validateDocument(over.toString()).errors().list();
        assertThat(errors).extracting(ValidationError::pointer, ValidationError::rule)
                .containsExactly(tuple("/batchRunSettings/inlineSettings/0", Rule.REQUEST_SIZE));
        assertThat(errors.get(0).message()).contains("1,044,481 bytes").contains("1,044,480 bytes");
    }

    @Test
    void theEnvelopeReserveHoldsTheLargestRunMessage() {
        // 128 characters of 4 bytes each: the longest runSettingId in UTF-8.
        String id = "\uD83E\uDDEC".repeat(128);
        ObjectNode body = SettingsJson.MAPPER.createObjectNode();
        body.put("blob", "");
        long base = SettingsJson.utf8Length(body);
        body.put("blob", "x".repeat((int) (RunRequestSize.MAX_REQUEST_BYTES - base)));
        assertThat(SettingsJson.utf8Length(body)).isEqualTo(RunRequestSize.MAX_REQUEST_BYTES);
        RunMessage largest = new RunMessage(BATCH_ID, id, body);
        long message = largest.jsonLength();
        assertThat(message).isEqualTo(largest.toJson().getBytes(StandardCharsets.UTF_8).length);
        assertThat(message).isLessThanOrEqualTo(ResourceDefinitions.MAX_MESSAGE_BYTES - 3_000L);
    }

    @Test
    void defaultsThatLeaveNoRoomAreOneErrorAtTheDefaults() throws IOException {
        ObjectNode doc = BatchSettingsValidatorTest.validDocument();
        ((ObjectNode) doc.get("defaultRunSetting").get("parameters")).put("intervals", "x".repeat(RunRequestSize.MAX_REQUEST_BYTES));
        ArrayNode inline = (ArrayNode) doc.get("batchRunSettings").get("inlineSettings");
        inline.addObject().put("runSettingId", "NA12891");
        inline.addObject().put("runSettingId", "NA12892");
        BatchSettingsValidator.DocumentResult result = validator.validateDocument(doc.toString());
        assertThat(result.errors().list()).extracting(ValidationError::pointer, ValidationError::rule)
                .containsExactly(tuple("/defaultRunSetting", Rule.REQUEST_SIZE));
        assertThat(result.errors().list().get(0).message()).startsWith("makes every run's StartRun request at least ");

        // A runs file against such defaults adds nothing: every entry would repeat the same error.
        String runs = "[{\"runSettingId\": \"a\"}, {\"runSettingId\": \"b\"}]";
        assertThat(validator.validateRunsFile(new ByteArrayInputStream(runs.getBytes(StandardCharsets.UTF_8)),
                result.mergeBase()).errors().list()).isEmpty();
    }

    @Test
    void aRunsFileEntryTooLargeIsPointedAt() throws IOException {
        ObjectNode doc = BatchSettingsValidatorTest.validDocument();
        doc.remove("batchRunSettings");
        doc.putObject("batchRunSettings").put("s3UriSettings", "s3://lab-batches/cohort/runs.json");
        BatchSettingsValidator.DocumentResult document = validator.validateDocument(doc.toString());
        assertThat(document.errors().list()).isEmpty();
        ArrayNode runs = SettingsJson.MAPPER.createArrayNode();
        runs.addObject().put("runSettingId", "a");
        runs.addObject().put("runSettingId", "b").putObject("parameters").put("intervals", "x".repeat(1_100_000));
        runs.addObject().put("runSettingId", "c").putObject("parameters").put("intervals", "x".repeat(150_000));
        List<ValidationError> errors = validator.validateRunsFile(
                new ByteArrayInputStream(runs.toString().getBytes(StandardCharsets.UTF_8)), document.mergeBase()).errors().list();
        assertThat(errors).extracting(ValidationError::pointer, ValidationError::rule)
                .containsExactly(tuple("/runs/1", Rule.REQUEST_SIZE));
    }

    @Test
    void runsThatAreInvalidOtherwiseAreNotMeasured() {
        ObjectNode doc = withRequestOf(RunRequestSize.MAX_REQUEST_BYTES + 1);
        run(doc, 0).put("priority", "high");
        assertThat(validator.validateDocument(doc.toString()).errors().list()).extracting(ValidationError::rule)
                .containsExactly(Rule.TYPE);
    }

    @Test
    void theBoundThatSparesMostRunsTheMergeIsNeverBelowTheExactSize() throws Exception {
        ObjectNode doc = BatchSettingsValidatorTest.validDocument();
        ObjectNode defaults = (ObjectNode) doc.get("defaultRunSetting");
        defaults.put("name", "default-name").put("priority", 7);
        defaults.putObject("runTags").put("project", "p").put("cohort", "c");
        defaults.putObject("engineSettings").put("profile", "standard");
        RunRequestSize size = new RunRequestSize(validator.validateDocument(doc.toString()).settings().defaultRunSetting());
        long smallest = size.bytes(new RunSetting("-", null, null, null, null, null, null, null));

        // Escapes that shrink or grow, numbers that a double writes longer, overrides of every kind.
        List<String> entries = List.of(
                "{\"runSettingId\": \"a\"}",
                "{\"runSettingId\": \"b\", \"parameters\": {\"ctl\": \"\\u0001\\n\\\"\\\\\\u000a\", \"ref_fasta\": \"s3://other\"}}",
                "{\"runSettingId\": \"c\", \"parameters\": {\"n\": 1e-7, \"m\": -0, \"k\": 1.50, \"f\": 1E+300,"
                        + " \"big\": 123456789012345678901234567890, \"l\": [1, [2, {}], null, true, 0.1]}}",
                "{\"runSettingId\": \"\\ud83e\\uddec\u00e9\", \"name\": \"\u00e9t\u00e9\", \"priority\": 100000,"
                        + " \"outputUri\": \"s3://lab-results/x/\", \"outputBucketOwnerId\": \"123456789012\","
                        + " \"runTags\": {\"project\": \"q\", \"new\": \"\u00e9\"}, \"engineSettings\": {\"profile\": \"highmem\"}}");
        for (String entry : entries) {
            JsonNode node = SettingsJson.MAPPER.readTree(entry);
            ObjectNode single = doc.deepCopy();
            ((ObjectNode) single.get("batchRunSettings")).putArray("inlineSettings").add(node);
            assertThat(validator.validateDocument(single.toString()).errors().list()).as("errors of %s", entry).isEmpty();
            long exact = size.bytes(SettingsJson.toRunSetting(node));
            assertThat(smallest + RunRequestSize.upperBound(node)).as("bound of %s", entry).isGreaterThanOrEqualTo(exact);
        }
    }
}
