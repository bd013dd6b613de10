package io.omicsbatch.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import io.omicsbatch.batch.RunStatus;
import io.omicsbatch.batch.RunStatusEvent;
import io.omicsbatch.resources.ResourceDefinitions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

/** HealthOmics "Run Status Change" events, loaded as Lambda delivers them to the status function. */
class StatusEventsTest {

    @ParameterizedTest
    @Event(value = "run-status-change.json", type = ScheduledEvent.class)
    void aCurrentEventNamesTheRunByUuidAndId(ScheduledEvent event) {
        assertThat(event.getSource()).isEqualTo("aws.omics");
        assertThat(event.getDetailType()).isEqualTo("Run Status Change");
        assertThat(ResourceDefinitions.RUN_STATUS_CHANGE_PATTERN).contains(event.getSource(), event.getDetailType());
        assertThat(RunStatusEvent.fromDetail(event.getDetail())).contains(new RunStatusEvent("1234567890",
                "8b4e1d7a-3f26-4c9e-a518-d2c7b6f04e93", "arn:aws:omics:us-east-1:123456789012:run/1234567890",
                RunStatus.COMPLETED, "s3://omics-batch-example-results/wgs-germline/NA12878/1234567890"));
    }

    @ParameterizedTest
    @Event(value = "run-status-change-legacy.json", type = ScheduledEvent.class)
    void anOldEventWithOnlyArnAndStatusNamesTheRunByTheArnsId(ScheduledEvent event) {
        assertThat(RunStatusEvent.fromDetail(event.getDetail())).contains(new RunStatusEvent("7654321", null,
                "arn:aws:omics:us-east-1:123456789012:run/7654321", RunStatus.FAILED, null));
    }

    @ParameterizedTest
    @Event(value = "reconcile-schedule.json", type = ScheduledEvent.class)
    void theReconcileScheduleIsAScheduledEventNamingNoRun(ScheduledEvent event) {
        assertThat(event.getDetailType()).isEqualTo("Scheduled Event");
        assertThat(RunStatusEvent.fromDetail(event.getDetail())).isEmpty();
    }

    @Test
    void anUnknownStatusIsKeptAsNoneAndADetailWithoutRunIsNoEvent() {
        assertThat(RunStatusEvent.fromDetail(Map.of("runId", "1", "status", "HIBERNATING")))
                .hasValueSatisfying(e -> assertThat(e.status()).isNull());
        assertThat(RunStatusEvent.fromDetail(Map.of("status", "RUNNING"))).isEmpty();
        assertThat(RunStatusEvent.fromDetail(null)).isEmpty();
    }
}
