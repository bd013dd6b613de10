package io.omicsbatch.local.simulator;

import static io.omicsbatch.local.simulator.SimulatorTestSupport.OTHER_ACCOUNT_ROLE;
import static io.omicsbatch.local.simulator.SimulatorTestSupport.client;
import static io.omicsbatch.local.simulator.SimulatorTestSupport.startRun;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.omicsbatch.model.OmicsModel;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.omics.OmicsClient;
import software.amazon.awssdk.services.omics.model.AccessDeniedException;
import software.amazon.awssdk.services.omics.model.ConflictException;
import software.amazon.awssdk.services.omics.model.InternalServerException;
import software.amazon.awssdk.services.omics.model.OmicsException;
import software.amazon.awssdk.services.omics.model.RequestTimeoutException;
import software.amazon.awssdk.services.omics.model.ResourceNotFoundException;
import software.amazon.awssdk.services.omics.model.ServiceQuotaExceededException;
import software.amazon.awssdk.services.omics.model.ThrottlingException;
import software.amazon.awssdk.services.omics.model.ValidationException;

/** Every modeled error reaches the SDK as its own exception class, with the model's HTTP status. */
class SimulatorErrorsTest {

    private static final String LONG_RUNS = "\"runDurationMillis\": {\"min\": 600000, \"max\": 600000}";

    /** The error, the config that makes it reachable, and the calls that provoke it (the last one must fail). */
    static Stream<Arguments> modeledErrors() {
        return Stream.of(
                Arguments.of(ValidationException.class, "{}", (Consumer<OmicsClient>) omics ->
                        omics.startRun(startRun("v").logLevel("EVERYTHING").build())),
                Arguments.of(ValidationException.class, "{}", (Consumer<OmicsClient>) omics ->
                        omics.getRun(r -> r.id("not-numeric"))),
                Arguments.of(ThrottlingException.class, "{\"startRunTps\": 0.001}", (Consumer<OmicsClient>) omics -> {
                    omics.startRun(startRun("t1").build());
                    omics.startRun(startRun("t2").build());
                }),
                Arguments.of(ServiceQuotaExceededException.class, "{\"maxActiveRuns\": 1, " + LONG_RUNS + "}",
                        (Consumer<OmicsClient>) omics -> {
                            omics.startRun(startRun("q1").build());
                            omics.startRun(startRun("q2").build());
                        }),
                Arguments.of(ConflictException.class, "{}", (Consumer<OmicsClient>) omics -> {
                    omics.startRun(startRun("same-request-id").build());
                    omics.startRun(startRun("same-request-id").name("another name").build());
                }),
                Arguments.of(ConflictException.class, "{" + LONG_RUNS + "}", (Consumer<OmicsClient>) omics -> {
                    String id = omics.startRun(startRun("d").build()).id();
                    omics.deleteRun(r -> r.id(id));
                }),
                Arguments.of(ResourceNotFoundException.class, "{}", (Consumer<OmicsClient>) omics ->
                        omics.getRun(r -> r.id("9999999"))),
                Arguments.of(ResourceNotFoundException.class, "{\"workflows\": {\"1\": {}}}", (Consumer<OmicsClient>) omics ->
                        omics.startRun(startRun("w").build())),
                Arguments.of(ResourceNotFoundException.class, "{\"workflows\": {\"1\": {}}}", (Consumer<OmicsClient>) omics ->
                        omics.getWorkflow(r -> r.id("1234567"))),
                Arguments.of(AccessDeniedException.class, "{}", (Consumer<OmicsClient>) omics ->
                        omics.startRun(startRun("a").roleArn(OTHER_ACCOUNT_ROLE).build())),
                Arguments.of(InternalServerException.class, "{\"faults\": {\"internalErrorRate\": 1.0}}",
                        (Consumer<OmicsClient>) omics -> omics.listRuns(r -> { })),
                Arguments.of(RequestTimeoutException.class, "{\"faults\": {\"requestTimeoutRate\": 1.0}}",
                        (Consumer<OmicsClient>) omics -> omics.getWorkflow(r -> r.id("1234567"))));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("modeledErrors")
    void theSdkRaisesItsOwnClassForEveryModeledError(Class<? extends OmicsException> expected, String config,
                                                     Consumer<OmicsClient> calls) {
        String withFastQuota = config.contains("startRunTps") ? config
                : config.replaceFirst("\\{", "{\"startRunTps\": 100000" + (config.equals("{}") ? "" : ", "));
        try (OmicsSimulator simulator = SimulatorTestSupport.start(withFastQuota, event -> { });
             OmicsClient omics = client(simulator.endpoint())) {
            OmicsException error = catchThrowableOfType(expected, () -> calls.accept(omics));
            assertThat(error).as("the SDK exception").isNotNull().isExactlyInstanceOf(expected);
            String shape = expected.getSimpleName();
            assertThat(error.statusCode()).isEqualTo(OmicsModel.get().shape(shape).httpStatusCode());
            assertThat(error.awsErrorDetails().errorCode()).isEqualTo(shape);
            assertThat(error.awsErrorDetails().errorMessage()).isNotBlank();
        }
    }

    @Test
    void everyModeledErrorOfTheOperationsIsCovered() {
        List<String> covered = modeledErrors().map(a -> ((Class<?>) a.get()[0]).getSimpleName()).distinct().toList();
        for (String operation : List.of("StartRun", "GetRun", "ListRuns", "CancelRun", "DeleteRun", "GetWorkflow")) {
            assertThat(covered).containsAll(OmicsModel.get().operation(operation).errors());
        }
    }

    @Test
    void outcomesOfRejectedStartRunCallsAreRecorded() {
        try (OmicsSimulator simulator = SimulatorTestSupport.start(
                "{\"startRunTps\": 0.001, \"maxActiveRuns\": 1, " + LONG_RUNS + "}", event -> { });
             OmicsClient omics = client(simulator.endpoint())) {
            omics.startRun(startRun("ok").build());
            catchThrowableOfType(ThrottlingException.class, () -> omics.startRun(startRun("throttled").build()));
            assertThat(simulator.startRunCalls()).extracting(OmicsSimulator.StartRunCallRecord::outcome)
                    .containsExactly("CREATED", "THROTTLED");
            assertThat(simulator.groundTruth().path("throttledCalls").asInt()).isEqualTo(1);
        }
        try (OmicsSimulator simulator = SimulatorTestSupport.start(
                "{\"startRunTps\": 100000, \"maxActiveRuns\": 1, " + LONG_RUNS + "}", event -> { });
             OmicsClient omics = client(simulator.endpoint())) {
            omics.startRun(startRun("ok").build());
            catchThrowableOfType(ServiceQuotaExceededException.class, () -> omics.startRun(startRun("over").build()));
            catchThrowableOfType(AccessDeniedException.class,
                    () -> omics.startRun(startRun("denied").roleArn(OTHER_ACCOUNT_ROLE).build()));
            assertThat(simulator.startRunCalls()).extracting(OmicsSimulator.StartRunCallRecord::outcome)
                    .containsExactly("CREATED", "QUOTA_EXCEEDED", "REJECTED");
            assertThat(simulator.startRunCalls().get(2).errorType()).isEqualTo("AccessDeniedException");
        }
    }
}
