package io.omicsbatch.functions;

import io.omicsbatch.resources.FunctionEnvironment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omicsbatch.intake.BatchPreflight;
import io.omicsbatch.resources.ResourceDefinitions;
import io.omicsbatch.settings.S3Location;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionSettingsTest {

    @Test
    void tableNamesDefaultToTheSharedDefinitions() {
        FunctionSettings settings = FunctionSettings.from(Map.of(FunctionEnvironment.RUN_QUEUE_URL, "http://q"));
        assertThat(settings.batchesTable()).isEqualTo(ResourceDefinitions.BATCHES_TABLE.name());
        assertThat(settings.runsTable()).isEqualTo(ResourceDefinitions.RUNS_TABLE.name());
        assertThat(settings.pacingTable()).isEqualTo(ResourceDefinitions.PACING_TABLE.name());
        assertThat(settings.startRunTps()).isEqualTo(1.0);
        assertThat(settings.maxAttempts()).isEqualTo(8);
        assertThat(settings.maxQuotaWait()).isEqualTo(java.time.Duration.ofHours(48));
    }

    @Test
    void theQuotaWaitIsConfiguredInHours() {
        assertThat(FunctionSettings.from(Map.of(FunctionEnvironment.MAX_QUOTA_WAIT_HOURS, "0.5")).maxQuotaWait())
                .isEqualTo(java.time.Duration.ofMinutes(30));
        assertThatThrownBy(() -> FunctionSettings.from(Map.of(FunctionEnvironment.MAX_QUOTA_WAIT_HOURS, "0")))
                .hasMessageContaining(FunctionEnvironment.MAX_QUOTA_WAIT_HOURS);
        assertThatThrownBy(() -> FunctionSettings.from(Map.of(FunctionEnvironment.MAX_QUOTA_WAIT_HOURS, "9000")))
                .hasMessageContaining(FunctionEnvironment.MAX_QUOTA_WAIT_HOURS);
    }

    @Test
    void aRateThatIsNotPositiveIsRefused() {
        assertThatThrownBy(() -> FunctionSettings.from(Map.of(FunctionEnvironment.START_RUN_TPS, "0")))
                .hasMessageContaining(FunctionEnvironment.START_RUN_TPS);
        assertThatThrownBy(() -> FunctionSettings.from(Map.of(FunctionEnvironment.MAX_ATTEMPTS, "0")))
                .hasMessageContaining(FunctionEnvironment.MAX_ATTEMPTS);
    }

    @Test
    void theIntakesDeploymentComesFromItsEnvironment() {
        FunctionSettings settings = FunctionSettings.from(Map.of(
                FunctionEnvironment.STACK_PARTITION, "aws-us-gov",
                FunctionEnvironment.STACK_ACCOUNT_ID, "123456789012",
                FunctionEnvironment.OMICS_ROLE_ARNS, "arn:aws-us-gov:iam::123456789012:role/omics-batch-*, arn:aws-us-gov:iam::123456789012:role/Lab",
                FunctionEnvironment.RUNS_FILE_LOCATIONS, "s3://lab-cohorts/runs/,s3://lab-archive"));
        assertThat(settings.deployment()).isEqualTo(new BatchPreflight.Deployment("aws-us-gov", "123456789012",
                List.of("arn:aws-us-gov:iam::123456789012:role/omics-batch-*", "arn:aws-us-gov:iam::123456789012:role/Lab"),
                List.of(new S3Location("lab-cohorts", "runs/"), new S3Location("lab-archive", ""))));
    }

    @Test
    void anIntakeWithoutItsDeploymentRefusesToStartNamingWhatIsMissing() {
        FunctionSettings settings = FunctionSettings.from(Map.of(FunctionEnvironment.STACK_PARTITION, "aws"));
        assertThat(settings.runsFileLocations()).isEmpty();
        assertThatThrownBy(settings::deployment).isInstanceOf(IllegalStateException.class)
                .hasMessage("the intake needs STACK_ACCOUNT_ID, OMICS_ROLE_ARNS in its environment");
    }

    @Test
    void malformedDeploymentFactsAreRefusedNamingTheVariable() {
        assertThatThrownBy(() -> FunctionSettings.from(Map.of(FunctionEnvironment.STACK_ACCOUNT_ID, "12345")))
                .hasMessageContaining(FunctionEnvironment.STACK_ACCOUNT_ID);
        assertThatThrownBy(() -> FunctionSettings.from(Map.of(FunctionEnvironment.STACK_PARTITION, "amazon")))
                .hasMessageContaining(FunctionEnvironment.STACK_PARTITION);
        assertThatThrownBy(() -> FunctionSettings.from(Map.of(FunctionEnvironment.OMICS_ROLE_ARNS, "arn:aws:s3:::bucket")))
                .hasMessageContaining(FunctionEnvironment.OMICS_ROLE_ARNS);
        assertThatThrownBy(() -> FunctionSettings.from(Map.of(FunctionEnvironment.RUNS_FILE_LOCATIONS, "s3://lab-*/runs/")))
                .hasMessageContaining(FunctionEnvironment.RUNS_FILE_LOCATIONS);
        assertThatThrownBy(() -> FunctionSettings.from(Map.of(FunctionEnvironment.RUNS_FILE_LOCATIONS, "https://lab/runs/")))
                .hasMessageContaining(FunctionEnvironment.RUNS_FILE_LOCATIONS);
    }
}
