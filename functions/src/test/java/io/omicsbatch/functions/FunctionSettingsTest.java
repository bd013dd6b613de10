package io.omicsbatch.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omicsbatch.resources.ResourceDefinitions;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionSettingsTest {

    @Test
    void tableNamesDefaultToTheSharedDefinitions() {
        FunctionSettings settings = FunctionSettings.from(Map.of(FunctionSettings.RUN_QUEUE_URL, "http://q"));
        assertThat(settings.batchesTable()).isEqualTo(ResourceDefinitions.BATCHES_TABLE.name());
        assertThat(settings.runsTable()).isEqualTo(ResourceDefinitions.RUNS_TABLE.name());
        assertThat(settings.pacingTable()).isEqualTo(ResourceDefinitions.PACING_TABLE.name());
        assertThat(settings.startRunTps()).isEqualTo(1.0);
        assertThat(settings.maxAttempts()).isEqualTo(8);
    }

    @Test
    void aRateThatIsNotPositiveIsRefused() {
        assertThatThrownBy(() -> FunctionSettings.from(Map.of(FunctionSettings.START_RUN_TPS, "0")))
                .hasMessageContaining(FunctionSettings.START_RUN_TPS);
        assertThatThrownBy(() -> FunctionSettings.from(Map.of(FunctionSettings.MAX_ATTEMPTS, "0")))
                .hasMessageContaining(FunctionSettings.MAX_ATTEMPTS);
    }
}
