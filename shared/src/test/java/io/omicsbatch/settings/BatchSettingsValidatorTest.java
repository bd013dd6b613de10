package io.omicsbatch.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The validator's rules, one behaviour per test; the invalid corpus covers the same rules document by document. */
class BatchSettingsValidatorTest {

    private final BatchSettingsValidator validator = new BatchSettingsValidator();

    static ObjectNode validDocument() {
        ObjectNode doc = SettingsJson.MAPPER.createObjectNode();
        doc.put("batchName", "wgs-cohort-7");
        ObjectNode defaults = doc.putObject("defaultRunSetting");
        defaults.put("workflowId", "1234567");
        defaults.put("roleArn", "arn:aws:iam::123456789012:role/OmicsWorkflowServiceRole");
        defaults.put("outputUri", "s3://lab-results/wgs/");
        defaults.putObject("parameters").put("ref_fasta", "s3://lab-refs/GRCh38.fasta");
        ObjectNode run = doc.putObject("batchRunSettings").putArray("inlineSettings").addObject();
        run.put("runSettingId", "NA12878");
        run.putObject("parameters").put("sample_id", "NA12878");
        return doc;
    }

    private List<ValidationError> errorsOf(ObjectNode doc) {
        return validator.validateDocument(doc.toString()).errors().list();
    }

    private ObjectNode defaults(ObjectNode doc) {
        return (ObjectNode) doc.get("defaultRunSetting");
    }

    private ObjectNode firstRun(ObjectNode doc) {
        return (ObjectNode) doc.get("batchRunSettings").get("inlineSettings").get(0);
    }

    @Test
    void aValidDocumentIsAcceptedAndBound() {
        BatchSettingsValidator.DocumentResult result = validator.validateDocument(validDocument().toString());
        assertThat(result.errors().list()).isEmpty();
        assertThat(result.isValid()).isTrue();
        assertThat(result.settings().defaultRunSetting().workflowId()).isEqualTo("1234567");
        assertThat(result.settings().batchRunSettings().inlineSettings()).extracting(RunSetting::runSettingId)
                .containsExactly("NA12878");
    }

    @Test
    void syntaxErrorsGiveLineAndColumnAndThePointerReached() {
        String text = "{\n  \"batchName\": \"x\",\n  \"defaultRunSetting\": {\"workflowId\": \"1\" \"roleArn\": \"x\"}\n}";
        List<ValidationError> errors = validator.validateDocument(text).errors().list();
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).rule()).isEqualTo(Rule.JSON_SYNTAX);
        assertThat(errors.get(0).pointer()).isEqualTo("/defaultRunSetting/workflowId");
        assertThat(errors.get(0).message()).startsWith("invalid JSON at line 3, column ");
    }

    @Test
    void anEmptyDocumentIsASyntaxError() {
        assertThat(validator.validateDocument("  ").errors().list())
                .extracting(ValidationError::pointer, ValidationError::rule)
                .containsExactly(tuple("", Rule.JSON_SYNTAX));
    }

    @Test
    void everyErrorOfADocumentIsReportedInDocumentOrder() {
        ObjectNode doc = validDocument();
        defaults(doc).put("workflowId", "abc");
        defaults(doc).put("logLevel", "all");
        defaults(doc).put("priority", 100001);
        firstRun(doc).put("runtags", "x");
        assertThat(errorsOf(doc)).extracting(ValidationError::pointer, ValidationError::rule).containsExactly(
                tuple("/defaultRunSetting/workflowId", Rule.PATTERN),
                tuple("/defaultRunSetting/logLevel", Rule.ENUM),
                tuple("/defaultRunSetting/priority", Rule.RANGE),
                tuple("/batchRunSettings/inlineSettings/0/runtags", Rule.UNKNOWN_MEMBER));
    }

    @Test
    void unknownMembersSuggestTheClosestKnownMember() {
        ObjectNode doc = validDocument();
        firstRun(doc).putObject("runtags");
        defaults(doc).put("worklfowId", "1");
        doc.put("colour", "blue");
        List<ValidationError> errors = errorsOf(doc);
        assertThat(errors).extracting(ValidationError::rule).containsOnly(Rule.UNKNOWN_MEMBER);
        assertThat(errors).extracting(ValidationError::message).anySatisfy(m -> assertThat(m).contains("did you mean \"runTags\"?"))
                .anySatisfy(m -> assertThat(m).contains("did you mean \"workflowId\"?"))
                .anySatisfy(m -> assertThat(m).contains("unknown member \"colour\"").doesNotContain("did you mean"));
    }

    @Test
    void typesAreCheckedWithoutCoercion() {
        ObjectNode doc = validDocument();
        defaults(doc).put("priority", "5");
        defaults(doc).put("storageCapacity", 1.5);
        defaults(doc).putArray("parameters");
        defaults(doc).put("name", 7);
        firstRun(doc).putObject("runTags").put("sample", 12);
        assertThat(errorsOf(doc)).extracting(ValidationError::pointer, ValidationError::rule).containsExactlyInAnyOrder(
                tuple("/defaultRunSetting/name", Rule.TYPE),
                tuple("/defaultRunSetting/priority", Rule.TYPE),
                tuple("/defaultRunSetting/parameters", Rule.TYPE),
                tuple("/defaultRunSetting/storageCapacity", Rule.TYPE),
                tuple("/batchRunSettings/inlineSettings/0/runTags/sample", Rule.TYPE));
    }

    @Test
    void requiredMembersAreNamedWhereTheyAreMissing() {
        ObjectNode doc = validDocument();
        defaults(doc).remove("workflowId");
        defaults(doc).putNull("roleArn");
        firstRun(doc).remove("runSettingId");
        assertThat(errorsOf(doc)).extracting(ValidationError::pointer, ValidationError::rule).containsExactly(
                tuple("/defaultRunSetting/workflowId", Rule.REQUIRED),
                tuple("/defaultRunSetting/roleArn", Rule.REQUIRED),
                tuple("/batchRunSettings/inlineSettings/0/runSettingId", Rule.REQUIRED));
        ObjectNode empty = SettingsJson.MAPPER.createObjectNode();
        assertThat(errorsOf(empty)).extracting(ValidationError::pointer).containsExactly("/defaultRunSetting", "/batchRunSettings");
    }

    @Test
    void outputUriIsRequiredAfterTheMergeOnly() {
        ObjectNode doc = validDocument();
        defaults(doc).remove("outputUri");
        ArrayNodeBuilder.addRun(doc, "HG00096").put("outputUri", "s3://lab-results/HG00096/");
        assertThat(errorsOf(doc)).extracting(ValidationError::pointer, ValidationError::rule)
                .containsExactly(tuple("/batchRunSettings/inlineSettings/0/outputUri", Rule.REQUIRED));
    }

    @Test
    void numericRangesAreInclusive() {
        ObjectNode doc = validDocument();
        defaults(doc).put("priority", 0);
        defaults(doc).put("storageCapacity", 100000);
        assertThat(errorsOf(doc)).isEmpty();
        defaults(doc).put("priority", -1);
        defaults(doc).put("storageCapacity", new java.math.BigInteger("100000000000000000000"));
        assertThat(errorsOf(doc)).extracting(ValidationError::pointer, ValidationError::rule).containsExactly(
                tuple("/defaultRunSetting/priority", Rule.RANGE), tuple("/defaultRunSetting/storageCapacity", Rule.RANGE));
    }

    @Test
    void enumsAreExactlyTheModelsAndCaseSensitive() {
        ObjectNode doc = validDocument();
        defaults(doc).put("storageType", "dynamic");
        defaults(doc).put("networkingMode", "VPC");
        defaults(doc).put("scratchStorageMode", "SHARED");
        defaults(doc).put("cacheBehavior", "CACHE_NEVER");
        List<ValidationError> errors = errorsOf(doc);
        assertThat(errors).extracting(ValidationError::pointer, ValidationError::rule).containsExactlyInAnyOrder(
                tuple("/defaultRunSetting/cacheBehavior", Rule.ENUM), tuple("/defaultRunSetting/storageType", Rule.ENUM));
        assertThat(errors).filteredOn(e -> e.pointer().endsWith("storageType")).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("did you mean \"DYNAMIC\""));
    }

    @Test
    void lengthsCountCharactersNotBytes() {
        ObjectNode doc = validDocument();
        defaults(doc).put("name", "é".repeat(128));
        assertThat(errorsOf(doc)).isEmpty();
        defaults(doc).put("name", "é".repeat(129));
        doc.put("batchName", "b".repeat(65));
        assertThat(errorsOf(doc)).extracting(ValidationError::pointer, ValidationError::rule).containsExactly(
                tuple("/batchName", Rule.LENGTH), tuple("/defaultRunSetting/name", Rule.LENGTH));
    }

    @Test
    void identifiersFollowTheModelsPatterns() {
        ObjectNode doc = validDocument();
        defaults(doc).put("workflowId", "1".repeat(19));
        defaults(doc).put("runGroupId", "rg-1");
        defaults(doc).put("cacheId", "12a");
        defaults(doc).put("workflowOwnerId", "12345678901");
        defaults(doc).put("outputBucketOwnerId", "12345678901a");
        defaults(doc).put("workflowVersionName", "-v1");
        defaults(doc).put("configurationName", "ok.name_1-x");
        firstRun(doc).put("name", "tab\there");
        assertThat(errorsOf(doc)).extracting(ValidationError::pointer, ValidationError::rule).containsExactlyInAnyOrder(
                tuple("/defaultRunSetting/workflowId", Rule.LENGTH),
                tuple("/defaultRunSetting/cacheId", Rule.PATTERN),
                tuple("/defaultRunSetting/runGroupId", Rule.PATTERN),
                tuple("/defaultRunSetting/workflowOwnerId", Rule.PATTERN),
                tuple("/defaultRunSetting/outputBucketOwnerId", Rule.PATTERN),
                tuple("/defaultRunSetting/workflowVersionName", Rule.PATTERN),
                tuple("/batchRunSettings/inlineSettings/0/name", Rule.PATTERN));
    }

    @Test
    void roleArnMustBeAnIamRole() {
        ObjectNode doc = validDocument();
        defaults(doc).put("roleArn", "arn:aws:iam::123456789012:user/alice");
        assertThat(errorsOf(doc)).extracting(ValidationError::rule).containsExactly(Rule.IAM_ROLE_ARN);
        defaults(doc).put("roleArn", "role/OmicsWorkflowServiceRole");
        assertThat(errorsOf(doc)).extracting(ValidationError::rule).containsExactly(Rule.PATTERN);
        defaults(doc).put("roleArn", "arn:aws-us-gov:iam::123456789012:role/service-role/Omics+Runs@lab");
        assertThat(errorsOf(doc)).isEmpty();
    }

    @Test
    void s3UrisNeedAValidBucketAndRunsFilesAKey() {
        ObjectNode doc = validDocument();
        defaults(doc).put("outputUri", "https://lab-results.s3.amazonaws.com/wgs/");
        firstRun(doc).put("outputUri", "s3://192.168.1.10/out/");
        assertThat(errorsOf(doc)).extracting(ValidationError::pointer, ValidationError::rule).containsExactly(
                tuple("/defaultRunSetting/outputUri", Rule.S3_URI),
                tuple("/batchRunSettings/inlineSettings/0/outputUri", Rule.BUCKET_NAME));

        ObjectNode s3Doc = validDocument();
        ObjectNode runSettings = (ObjectNode) s3Doc.get("batchRunSettings");
        runSettings.remove("inlineSettings");
        runSettings.put("s3UriSettings", "s3://lab-batches/runs/");
        assertThat(errorsOf(s3Doc)).extracting(ValidationError::rule).containsExactly(Rule.S3_URI);
        runSettings.put("s3UriSettings", "s3://lab-batches/runs/cohort-7.json");
        assertThat(errorsOf(s3Doc)).isEmpty();
    }

    @Test
    void tagsAreLimitedAfterTheMergeWithOurTrackingTags() {
        ObjectNode doc = validDocument();
        ObjectNode defaultTags = defaults(doc).putObject("runTags");
        for (int i = 0; i < 40; i++) {
            defaultTags.put("d" + i, "v");
        }
        ObjectNode runTags = firstRun(doc).putObject("runTags");
        for (int i = 0; i < 8; i++) {
            runTags.put("r" + i, "v");
        }
        runTags.put("d0", "override"); // a clash counts once
        assertThat(errorsOf(doc)).isEmpty(); // 48 merged + 2 tracking = 50
        runTags.put("r8", "v");
        assertThat(errorsOf(doc)).extracting(ValidationError::pointer, ValidationError::rule)
                .containsExactly(tuple("/batchRunSettings/inlineSettings/0/runTags", Rule.TAG_COUNT));
    }

    @Test
    void tagKeysAndValuesFollowAwsRules() {
        ObjectNode doc = validDocument();
        ObjectNode batchTags = doc.putObject("tags");
        batchTags.put("AWS:cost", "x");
        batchTags.put("k".repeat(129), "x");
        batchTags.put("long", "v".repeat(257));
        ObjectNode runTags = firstRun(doc).putObject("runTags");
        runTags.put(TrackingTags.BATCH_ID, "mine");
        runTags.put("a/b~c", "");
        assertThat(errorsOf(doc)).extracting(ValidationError::pointer, ValidationError::rule).containsExactly(
                tuple("/tags/" + "k".repeat(129), Rule.LENGTH),
                tuple("/tags/long", Rule.LENGTH),
                tuple("/tags/AWS:cost", Rule.TAG_KEY),
                tuple("/batchRunSettings/inlineSettings/0/runTags/omics-batch:batchId", Rule.RESERVED_TAG));
    }

    @Test
    void batchTagsAreLimitedToFifty() {
        ObjectNode doc = validDocument();
        ObjectNode tags = doc.putObject("tags");
        for (int i = 0; i < 51; i++) {
            tags.put("t" + i, "v");
        }
        assertThat(errorsOf(doc)).extracting(ValidationError::pointer, ValidationError::rule)
                .containsExactly(tuple("/tags", Rule.TAG_COUNT));
    }

    @Test
    void runSettingIdsAreUniqueAndTheErrorNamesBothPlaces() {
        ObjectNode doc = validDocument();
        ArrayNodeBuilder.addRun(doc, "HG00096");
        ArrayNodeBuilder.addRun(doc, "NA12878");
        List<ValidationError> errors = errorsOf(doc);
        assertThat(errors).extracting(ValidationError::pointer, ValidationError::rule)
                .containsExactly(tuple("/batchRunSettings/inlineSettings/2/runSettingId", Rule.DUPLICATE_RUN_SETTING_ID));
        assertThat(errors.get(0).message()).contains("/batchRunSettings/inlineSettings/0/runSettingId");
    }

    @Test
    void inlineSettingsHoldOneToOneHundredEntries() {
        ObjectNode doc = validDocument();
        for (int i = 1; i < 100; i++) {
            ArrayNodeBuilder.addRun(doc, "S" + i);
        }
        assertThat(errorsOf(doc)).isEmpty();
        ArrayNodeBuilder.addRun(doc, "S100");
        assertThat(errorsOf(doc)).extracting(ValidationError::pointer, ValidationError::rule)
                .containsExactly(tuple("/batchRunSettings/inlineSettings", Rule.LIST_SIZE));
        ((ObjectNode) doc.get("batchRunSettings")).putArray("inlineSettings");
        assertThat(errorsOf(doc)).extracting(ValidationError::rule).containsExactly(Rule.LIST_SIZE);
    }

    @Test
    void exactlyOneOfInlineAndS3Settings() {
        ObjectNode doc = validDocument();
        ObjectNode runSettings = (ObjectNode) doc.get("batchRunSettings");
        runSettings.put("s3UriSettings", "s3://lab-batches/runs.json");
        assertThat(errorsOf(doc)).extracting(ValidationError::pointer, ValidationError::rule)
                .containsExactly(tuple("/batchRunSettings", Rule.ONE_OF));
        runSettings.removeAll();
        assertThat(errorsOf(doc)).extracting(ValidationError::message).singleElement()
                .satisfies(m -> assertThat(m).contains("got neither"));
    }

    @Test
    void ready2RunAndRunIdAreRejectedWithTheReason() {
        ObjectNode doc = validDocument();
        defaults(doc).put("workflowType", "READY2RUN");
        firstRun(doc).put("runId", "1234");
        List<ValidationError> errors = errorsOf(doc);
        assertThat(errors).extracting(ValidationError::pointer, ValidationError::rule).containsExactly(
                tuple("/defaultRunSetting/workflowType", Rule.NOT_IN_BATCH),
                tuple("/batchRunSettings/inlineSettings/0/runId", Rule.NOT_IN_BATCH));
        assertThat(errors.get(0).message()).contains("READY2RUN").contains("PRIVATE");
        assertThat(errors.get(1).message()).contains("not accepted in a batch");
    }

    @Test
    void aMemberGivenTwiceIsReportedAndTheRestStillChecked() {
        String text = "{\"defaultRunSetting\": {\"workflowId\": \"1\", \"workflowId\": \"2\", "
                + "\"roleArn\": \"arn:aws:iam::123456789012:role/r\", \"outputUri\": \"s3://lab-results/\", \"logLevel\": \"x\"},"
                + "\"batchRunSettings\": {\"inlineSettings\": [{\"runSettingId\": \"a\"}]}}";
        assertThat(validator.validateDocument(text).errors().list()).extracting(ValidationError::pointer, ValidationError::rule)
                .containsExactly(tuple("/defaultRunSetting/workflowId", Rule.DUPLICATE_MEMBER),
                        tuple("/defaultRunSetting/logLevel", Rule.ENUM));
    }

    @Test
    void nullMembersCountAsAbsent() {
        ObjectNode doc = validDocument();
        defaults(doc).putNull("name");
        doc.putNull("requestId");
        assertThat(errorsOf(doc)).isEmpty();
    }

    @Test
    void pointersEscapeSlashAndTilde() {
        ObjectNode doc = validDocument();
        firstRun(doc).putObject("runTags").put("aws:a/b~c", "x");
        assertThat(errorsOf(doc)).extracting(ValidationError::pointer)
                .containsExactly("/batchRunSettings/inlineSettings/0/runTags/aws:a~1b~0c");
    }

    @Test
    void theListenerSeesEveryErrorWhileOnlyTheLimitIsKept() throws IOException {
        List<ValidationError> seen = new ArrayList<>();
        BatchSettingsValidator limited = new BatchSettingsValidator(2, seen::add);
        StringBuilder runs = new StringBuilder("[");
        for (int i = 0; i < 10; i++) {
            runs.append(i == 0 ? "" : ",").append("{\"runSettingId\": \"s").append(i).append("\", \"priority\": -1}");
        }
        runs.append("]");
        BatchSettingsValidator.RunsFileResult result = limited.validateRunsFile(
                new ByteArrayInputStream(runs.toString().getBytes(StandardCharsets.UTF_8)), MergeBase.of(defaults(validDocument()), null, false));
        assertThat(result.errors().total()).isEqualTo(10);
        assertThat(result.errors().list()).hasSize(2);
        assertThat(result.errors().omitted()).isEqualTo(8);
        assertThat(seen).hasSize(10).extracting(ValidationError::pointer).contains("/runs/9/priority");
    }

    /** Adds inline run settings to a document under test. */
    static final class ArrayNodeBuilder {
        static ObjectNode addRun(ObjectNode doc, String runSettingId) {
            ObjectNode run = ((com.fasterxml.jackson.databind.node.ArrayNode) doc.get("batchRunSettings").get("inlineSettings")).addObject();
            run.put("runSettingId", runSettingId);
            return run;
        }
    }
}
