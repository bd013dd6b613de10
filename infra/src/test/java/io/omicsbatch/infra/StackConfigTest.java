package io.omicsbatch.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Context values: defaults, the forms -c and cdk.json give them, and errors naming the key. */
class StackConfigTest {

    @Test
    void defaults() {
        StackConfig config = StackConfig.defaults();
        assertThat(config.omicsRoleArns()).isEmpty();
        assertThat(config.startRunTps()).isEqualTo(1);
        assertThat(config.maxActiveRuns()).isNull();
        assertThat(config.runsFileLocations()).isEmpty();
        assertThat(config.batchEventBus()).isEqualTo("default");
        assertThat(config.alarmEmail()).isNull();
        assertThat(config.submitMaxConcurrency()).isEqualTo(2);
        assertThat(config.reconcileMinutes()).isEqualTo(5);
        assertThat(config.maxAttempts()).isEqualTo(8);
        assertThat(config.staleRunMinutes()).isEqualTo(15);
        assertThat(config.getRunTps()).isEqualTo(5);
        assertThat(config.maxQuotaWaitHours()).isEqualTo(48);
        assertThat(config(StackConfig.MAX_QUOTA_WAIT_HOURS, "12").maxQuotaWaitHours()).isEqualTo(12);
    }

    @Test
    void listsAreCommaSeparatedJsonArraysOrLists() {
        String a = "arn:aws:iam::123456789012:role/A";
        String b = "arn:aws:iam::123456789012:role/path/B";
        for (Object value : List.of(a + ", " + b, "[\"" + a + "\",\"" + b + "\"]", List.of(a, b))) {
            assertThat(config(StackConfig.OMICS_ROLE_ARNS, value).omicsRoleArns()).containsExactly(a, b);
        }
        assertThat(config(StackConfig.RUNS_FILE_LOCATIONS, "s3://lab-in/runs/,s3://other-bucket").runsFileLocations())
                .containsExactly(new StackConfig.S3Prefix("lab-in", "runs/"), new StackConfig.S3Prefix("other-bucket", ""));
    }

    @Test
    void numbersMayBeStringsOrNumbers() {
        assertThat(config(StackConfig.START_RUN_TPS, "0.1").startRunTps()).isEqualTo(0.1);
        assertThat(config(StackConfig.START_RUN_TPS, 2).startRunTps()).isEqualTo(2);
        assertThat(config(StackConfig.MAX_ACTIVE_RUNS, "1000").maxActiveRuns()).isEqualTo(1000);
        assertThat(config(StackConfig.SUBMIT_MAX_CONCURRENCY, 5).submitMaxConcurrency()).isEqualTo(5);
        assertThat(config(StackConfig.BATCH_EVENT_BUS, "arn:aws:events:eu-west-1:123456789012:event-bus/central").batchEventBus())
                .isEqualTo("arn:aws:events:eu-west-1:123456789012:event-bus/central");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "omicsRoleArns        | arn:aws:iam::123456789012:user/alice | an IAM role ARN",
            "omicsRoleArns        | *                                    | an IAM role ARN",
            "startRunTps          | 0                                    | a number from 0.001 to 1000",
            "startRunTps          | fast                                 | a number",
            "maxActiveRuns        | 1.5                                  | a whole number",
            "runsFileLocations    | https://example.org/runs.json        | an s3://bucket/prefix URI",
            "runsFileLocations    | s3://Bad_Bucket/x                    | a valid bucket name",
            "runsFileLocations    | s3://lab-in/runs/*                   | a prefix without wildcards",
            "batchEventBus        | my bus                               | an event bus name or ARN",
            "alarmEmail           | oncall                               | an e-mail address",
            "submitMaxConcurrency | 1                                    | a number from 2 to 1000",
            "reconcileMinutes     | 0                                    | a number from 1 to 1440",
    })
    void invalidValuesFailTheSynthNamingTheKey(String key, String value, String expected) {
        assertThatThrownBy(() -> config(key, value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("context " + key + ": \"" + value + "\" is not ")
                .hasMessageContaining(expected);
    }

    private static StackConfig config(String key, Object value) {
        return StackConfig.fromContext(Map.of(key, value)::get);
    }
}
