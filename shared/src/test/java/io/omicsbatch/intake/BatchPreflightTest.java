package io.omicsbatch.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.omicsbatch.settings.BatchSettings;
import io.omicsbatch.settings.BatchSettingsValidator;
import io.omicsbatch.settings.Rule;
import io.omicsbatch.settings.S3Location;
import io.omicsbatch.settings.ValidationError;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The deployment's verdict on a valid document's role and runs-file location. */
class BatchPreflightTest {

    private static final String SETTINGS_BUCKET = "omics-batch-settings-123456789012-us-east-1";
    private static final BatchPreflight DEFAULT_STACK = new BatchPreflight(new BatchPreflight.Deployment("aws",
            "123456789012", List.of("arn:aws:iam::123456789012:role/omics-batch-*"), List.of()));
    private static final BatchPreflight CONFIGURED_STACK = new BatchPreflight(new BatchPreflight.Deployment("aws",
            "123456789012", List.of("arn:aws:iam::123456789012:role/OmicsServiceRole", "arn:aws:iam::123456789012:role/lab/omics-*"),
            List.of(location("s3://lab-cohorts/runs/"), location("s3://lab-archive"), location("s3://" + SETTINGS_BUCKET))));

    private static S3Location location(String uri) {
        return S3Location.parse(uri, false).location();
    }

    private static BatchSettings document(String roleArn, String runsFile) {
        String runSettings = runsFile == null ? "\"inlineSettings\":[{\"runSettingId\":\"a\"}]" : "\"s3UriSettings\":\"" + runsFile + "\"";
        BatchSettingsValidator.DocumentResult result = new BatchSettingsValidator().validateDocument(
                "{\"defaultRunSetting\":{\"workflowId\":\"1234567\",\"roleArn\":\"" + roleArn + "\",\"outputUri\":\"s3://lab-results/o/\"},"
                        + "\"batchRunSettings\":{" + runSettings + "}}");
        assertThat(result.errors().list()).as("the document itself is valid").isEmpty();
        return result.settings();
    }

    private static List<ValidationError> roleErrors(BatchPreflight preflight, String roleArn) {
        return preflight.check(document(roleArn, null), SETTINGS_BUCKET);
    }

    /** The runs file's errors (the role is judged by the tests above). */
    private static List<ValidationError> runsFileErrors(BatchPreflight preflight, String runsFile) {
        return preflight.check(document("arn:aws:iam::123456789012:role/omics-batch-runner", runsFile), SETTINGS_BUCKET)
                .stream().filter(error -> !error.pointer().equals("/defaultRunSetting/roleArn")).toList();
    }

    @Test
    void aRoleTheSubmitFunctionMayPassIsAccepted() {
        assertThat(roleErrors(DEFAULT_STACK, "arn:aws:iam::123456789012:role/omics-batch-runner")).isEmpty();
        assertThat(roleErrors(CONFIGURED_STACK, "arn:aws:iam::123456789012:role/OmicsServiceRole")).isEmpty();
        assertThat(roleErrors(CONFIGURED_STACK, "arn:aws:iam::123456789012:role/lab/omics-wgs")).isEmpty();
    }

    @Test
    void aRoleOfAnotherAccountOrPartitionIsARoleAccountErrorAndNothingElse() {
        assertThat(roleErrors(DEFAULT_STACK, "arn:aws:iam::210987654321:role/omics-batch-runner"))
                .extracting(ValidationError::pointer, ValidationError::rule, ValidationError::message)
                .containsExactly(tuple("/defaultRunSetting/roleArn", Rule.ROLE_ACCOUNT, "is a role of account 210987654321 "
                        + "in partition aws; omics-batch runs in account 123456789012 in partition aws and can pass "
                        + "HealthOmics only a role of its own account"));
        assertThat(roleErrors(DEFAULT_STACK, "arn:aws-cn:iam::123456789012:role/omics-batch-runner"))
                .extracting(ValidationError::rule).containsExactly(Rule.ROLE_ACCOUNT);
    }

    @Test
    void aRoleOutsideThePassableRolesIsNotPassable() {
        assertThat(roleErrors(CONFIGURED_STACK, "arn:aws:iam::123456789012:role/OmicsServiceRole2"))
                .extracting(ValidationError::pointer, ValidationError::rule, ValidationError::message)
                .containsExactly(tuple("/defaultRunSetting/roleArn", Rule.ROLE_NOT_PASSABLE, "is not a role the submit "
                        + "function may pass to HealthOmics (iam:PassRole); it may pass arn:aws:iam::123456789012:role/"
                        + "OmicsServiceRole, arn:aws:iam::123456789012:role/lab/omics-* (the stack's context omicsRoleArns; "
                        + "without it, roles named omics-batch-*)"));
        // A wildcard matches within the name it is written in, as IAM's does: not another path, nor another case.
        assertThat(roleErrors(DEFAULT_STACK, "arn:aws:iam::123456789012:role/lab/omics-batch-runner"))
                .extracting(ValidationError::rule).containsExactly(Rule.ROLE_NOT_PASSABLE);
        assertThat(roleErrors(DEFAULT_STACK, "arn:aws:iam::123456789012:role/Omics-Batch-runner"))
                .extracting(ValidationError::rule).containsExactly(Rule.ROLE_NOT_PASSABLE);
        assertThat(roleErrors(CONFIGURED_STACK, "arn:aws:iam::123456789012:role/lab/omics-wgs/nested")).isEmpty();
    }

    @Test
    void aRunsFileMayLieUnderTheSettingsBucketsRunsOrARunsFileLocation() {
        assertThat(runsFileErrors(DEFAULT_STACK, "s3://" + SETTINGS_BUCKET + "/runs/cohort-7.json")).isEmpty();
        assertThat(runsFileErrors(CONFIGURED_STACK, "s3://lab-cohorts/runs/2026/cohort-7.json")).isEmpty();
        assertThat(runsFileErrors(CONFIGURED_STACK, "s3://lab-archive/anything/runs.json")).isEmpty();
        assertThat(runsFileErrors(CONFIGURED_STACK, "s3://" + SETTINGS_BUCKET + "/elsewhere/runs.json")).isEmpty();
    }

    @Test
    void aRunsFileElsewhereIsRefusedNamingWhereItMayLie() {
        assertThat(runsFileErrors(CONFIGURED_STACK, "s3://lab-cohorts/runs-old/cohort-7.json"))
                .extracting(ValidationError::pointer, ValidationError::rule, ValidationError::message)
                .containsExactly(tuple("/batchRunSettings/s3UriSettings", Rule.RUNS_FILE_LOCATION, "is not in a location "
                        + "runs files may be read from: s3://" + SETTINGS_BUCKET + "/runs/, s3://lab-cohorts/runs/, "
                        + "s3://lab-archive/, s3://" + SETTINGS_BUCKET + "/ (the settings bucket's runs/ and the stack's "
                        + "context runsFileLocations)"));
        assertThat(runsFileErrors(DEFAULT_STACK, "s3://lab-archive/anything/runs.json"))
                .extracting(ValidationError::rule).containsExactly(Rule.RUNS_FILE_LOCATION);
        assertThat(runsFileErrors(DEFAULT_STACK, "s3://" + SETTINGS_BUCKET + "/elsewhere/runs.json"))
                .extracting(ValidationError::rule).containsExactly(Rule.RUNS_FILE_LOCATION);
    }

    @Test
    void theSettingsBucketsOwnPrefixesAreNeverARunsFileEvenWhenALocationCoversThem() {
        for (String reserved : List.of("batches/other-batch.json", "reports/0123456789abcdef0123/errors.json",
                "results/0123456789abcdef0123/runs.json")) {
            assertThat(runsFileErrors(CONFIGURED_STACK, "s3://" + SETTINGS_BUCKET + "/" + reserved)).singleElement()
                    .satisfies(error -> {
                        assertThat(error.pointer()).isEqualTo("/batchRunSettings/s3UriSettings");
                        assertThat(error.rule()).isEqualTo(Rule.RUNS_FILE_LOCATION);
                        assertThat(error.message()).startsWith("lies under s3://" + SETTINGS_BUCKET + "/"
                                + reserved.substring(0, reserved.indexOf('/') + 1) + ", where omics-batch keeps its own objects");
                    });
        }
        // The same prefixes in another bucket are that bucket's business.
        assertThat(runsFileErrors(CONFIGURED_STACK, "s3://lab-archive/results/runs.json")).isEmpty();
    }

    @Test
    void dotSegmentsCannotWalkOutOfAnAllowedPrefix() {
        assertThat(runsFileErrors(DEFAULT_STACK, "s3://" + SETTINGS_BUCKET + "/runs/../results/abc/runs.json"))
                .extracting(ValidationError::rule, ValidationError::message)
                .containsExactly(tuple(Rule.RUNS_FILE_LOCATION, "has a \".\" or \"..\" path segment; name the runs file by its plain key"));
        assertThat(runsFileErrors(CONFIGURED_STACK, "s3://lab-cohorts/runs/./cohort.json"))
                .extracting(ValidationError::rule).containsExactly(Rule.RUNS_FILE_LOCATION);
        assertThat(runsFileErrors(CONFIGURED_STACK, "s3://lab-cohorts/runs/cohort..v2.json")).isEmpty();
    }

    @Test
    void aRoleAndARunsFileAreJudgedTogether() {
        assertThat(DEFAULT_STACK.check(document("arn:aws:iam::210987654321:role/x", "s3://" + SETTINGS_BUCKET + "/results/r.json"),
                SETTINGS_BUCKET)).extracting(ValidationError::rule).containsExactly(Rule.ROLE_ACCOUNT, Rule.RUNS_FILE_LOCATION);
    }

    @Test
    void aDeploymentWithoutPassableRolesIsAMistake() {
        assertThatThrownBy(() -> new BatchPreflight.Deployment("aws", "123456789012", List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
