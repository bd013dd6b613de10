package io.omicsbatch.local.simulator;

import static io.omicsbatch.local.simulator.SimulatorTestSupport.OTHER_ACCOUNT_ROLE;
import static io.omicsbatch.local.simulator.SimulatorTestSupport.ROLE;
import static io.omicsbatch.local.simulator.SimulatorTestSupport.await;
import static io.omicsbatch.local.simulator.SimulatorTestSupport.client;
import static io.omicsbatch.local.simulator.SimulatorTestSupport.startRun;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.omics.OmicsClient;
import software.amazon.awssdk.services.omics.model.AccessDeniedException;
import software.amazon.awssdk.services.omics.model.StartRunResponse;

/** The account the simulator plays: configured by {@code account}, its partition by the builder. */
class SimulatorAccountTest {

    @Test
    void theConfiguredAccountPassesItsOwnRolesOnlyAndNamesItselfInArnsAndEvents() throws Exception {
        SimulatorTestSupport.CollectingPublisher events = new SimulatorTestSupport.CollectingPublisher();
        try (OmicsSimulator simulator = SimulatorTestSupport.start(
                "{\"account\": \"210987654321\", \"startRunTps\": 1000, \"runDurationMillis\": {\"min\": 0, \"max\": 0}}",
                events);
             OmicsClient omics = client(simulator.endpoint())) {
            StartRunResponse started = omics.startRun(startRun("own").roleArn(OTHER_ACCOUNT_ROLE).build());
            AccessDeniedException denied = catchThrowableOfType(AccessDeniedException.class,
                    () -> omics.startRun(startRun("default-account").roleArn(ROLE).build()));

            assertThat(started.arn()).isEqualTo("arn:aws:omics:us-east-1:210987654321:run/" + started.id());
            assertThat(denied.getMessage()).contains("The caller in account 210987654321 is not authorized to pass "
                    + "the role of account 123456789012");
            assertThat(simulator.account()).isEqualTo(new Account("aws", "210987654321"));
            assertThat(simulator.groundTruth().path("account").asText()).isEqualTo("210987654321");
            await("the run's first event", Duration.ofSeconds(10), () -> events.size() > 0);
            assertThat(events.parsed().get(0).path("account").asText()).isEqualTo("210987654321");
        }
    }

    @Test
    void aRoleOfAnotherPartitionIsDeniedEvenInTheSameAccountId() throws Exception {
        try (OmicsSimulator simulator = OmicsSimulator.builder()
                .config(SimulatorConfig.parse("{\"account\": \"210987654321\", \"startRunTps\": 1000}"))
                .partition("aws-cn").start();
             OmicsClient omics = client(simulator.endpoint())) {
            StartRunResponse started = omics.startRun(startRun("cn")
                    .roleArn("arn:aws-cn:iam::210987654321:role/OmicsWorkflowServiceRole").build());
            AccessDeniedException denied = catchThrowableOfType(AccessDeniedException.class,
                    () -> omics.startRun(startRun("aws").roleArn(OTHER_ACCOUNT_ROLE).build()));

            assertThat(started.arn()).startsWith("arn:aws-cn:omics:us-east-1:210987654321:run/");
            assertThat(denied.getMessage()).contains("The caller in partition aws-cn is not authorized to pass a role "
                    + "of partition aws");
        }
    }

    @Test
    void anAccountIsReadFromARoleArn() {
        assertThat(Account.ofRoleArn("arn:aws-us-gov:iam::210987654321:role/path/omics-batch-x"))
                .contains(new Account("aws-us-gov", "210987654321"));
        assertThat(Account.ofRoleArn("arn:aws:iam::21098765432:role/R")).isEmpty();
        assertThat(Account.ofRoleArn("arn:aws:iam::210987654321:user/R")).isEmpty();
        assertThat(Account.ofRoleArn(null)).isEmpty();
    }
}
