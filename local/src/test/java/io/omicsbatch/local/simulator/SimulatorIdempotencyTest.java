package io.omicsbatch.local.simulator;

import static io.omicsbatch.local.simulator.SimulatorTestSupport.client;
import static io.omicsbatch.local.simulator.SimulatorTestSupport.startRun;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.omicsbatch.local.simulator.OmicsSimulator.StartRunCallRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.omics.OmicsClient;
import software.amazon.awssdk.services.omics.model.ConflictException;
import software.amazon.awssdk.services.omics.model.RequestTimeoutException;
import software.amazon.awssdk.services.omics.model.StartRunResponse;

/** StartRun's requestId: one run per token, whatever the retries. */
class SimulatorIdempotencyTest {

    private static final String FAST = "{\"startRunTps\": 100000, \"runDurationMillis\": {\"min\": 600000, \"max\": 600000}}";

    @Test
    void theSameRequestIdWithTheSameBodyReturnsTheSameRunWithoutANewOne() {
        try (OmicsSimulator simulator = SimulatorTestSupport.start(FAST, event -> { });
             OmicsClient omics = client(simulator.endpoint())) {
            StartRunResponse first = omics.startRun(startRun("req-42").build());
            StartRunResponse again = omics.startRun(startRun("req-42").build());

            assertThat(again.id()).isEqualTo(first.id());
            assertThat(again.uuid()).isEqualTo(first.uuid());
            assertThat(again.arn()).isEqualTo(first.arn());
            JsonNode truth = simulator.groundTruth();
            assertThat(truth.path("runsCreated").asInt()).isEqualTo(1);
            assertThat(truth.path("startRunCalls").asInt()).isEqualTo(2);
            assertThat(truth.path("startRunRequests")).extracting(n -> n.path("outcome").asText())
                    .containsExactly("CREATED", "REPLAYED");
            assertThat(truth.path("startRunRequests").get(1).path("runId").asText()).isEqualTo(first.id());
        }
    }

    @Test
    void theSameRequestIdWithADifferentBodyIsAConflict() {
        try (OmicsSimulator simulator = SimulatorTestSupport.start(FAST, event -> { });
             OmicsClient omics = client(simulator.endpoint())) {
            omics.startRun(startRun("req-7").build());
            assertThatThrownBy(() -> omics.startRun(startRun("req-7").priority(3).build()))
                    .isInstanceOf(ConflictException.class).hasMessageContaining("req-7");
            assertThat(simulator.groundTruth().path("runsCreated").asInt()).isEqualTo(1);
            assertThat(simulator.startRunCalls()).extracting(StartRunCallRecord::outcome)
                    .containsExactly("CREATED", "REJECTED");
            assertThat(simulator.startRunCalls().get(1).errorType()).isEqualTo("ConflictException");
        }
    }

    @Test
    void aReplayMayBeAnsweredWithAConflictThatTheNextReplayResolves() {
        String config = "{\"seed\": 7, \"startRunTps\": 100000, \"runDurationMillis\": {\"min\": 600000, \"max\": 600000},"
                + " \"faults\": {\"conflictOnReplayRate\": 1.0}}";
        try (OmicsSimulator simulator = SimulatorTestSupport.start(config, event -> { });
             OmicsClient omics = client(simulator.endpoint())) {
            StartRunResponse first = omics.startRun(startRun("req-9").build());
            assertThatThrownBy(() -> omics.startRun(startRun("req-9").build()))
                    .isInstanceOf(ConflictException.class).hasMessageContaining("req-9");
            StartRunResponse again = omics.startRun(startRun("req-9").build());
            assertThatThrownBy(() -> omics.startRun(startRun("req-9").build())).isInstanceOf(ConflictException.class);

            assertThat(again.id()).isEqualTo(first.id());
            JsonNode truth = simulator.groundTruth();
            assertThat(truth.path("runsCreated").asInt()).isEqualTo(1);
            assertThat(truth.path("startRunRequests")).extracting(n -> n.path("outcome").asText())
                    .containsExactly("CREATED", "CONFLICT", "REPLAYED", "CONFLICT");
            assertThat(truth.path("startRunRequests").get(1).path("errorType").asText()).isEqualTo("ConflictException");
            assertThat(truth.path("startRunRequests").get(1).path("injectedFault").asText()).isEqualTo("ConflictException");
            assertThat(truth.path("apiFaults").path("conflictsOnReplay").asInt()).isEqualTo(2);
        }
    }

    @Test
    void withoutConflictOnReplayRateNoReplayConflicts() {
        try (OmicsSimulator simulator = SimulatorTestSupport.start(FAST, event -> { });
             OmicsClient omics = client(simulator.endpoint())) {
            omics.startRun(startRun("req-10").build());
            for (int i = 0; i < 5; i++) {
                omics.startRun(startRun("req-10").build());
            }
            assertThat(simulator.startRunCalls()).extracting(StartRunCallRecord::outcome).doesNotContain("CONFLICT");
        }
    }

    @Test
    void theSameJsonWithMembersInAnotherOrderIsTheSameRequest() throws Exception {
        try (OmicsSimulator simulator = SimulatorTestSupport.start(FAST, event -> { })) {
            HttpClient http = HttpClient.newHttpClient();
            String a = "{\"requestId\":\"r\",\"workflowId\":\"1\",\"roleArn\":\"" + SimulatorTestSupport.ROLE
                    + "\",\"outputUri\":\"s3://sim-b1/o/\"}";
            String b = "{ \"outputUri\": \"s3://sim-b1/o/\", \"roleArn\": \"" + SimulatorTestSupport.ROLE
                    + "\", \"workflowId\": \"1\", \"requestId\": \"r\" }";
            assertThat(post(http, simulator.endpoint(), a).statusCode()).isEqualTo(201);
            assertThat(post(http, simulator.endpoint(), b).statusCode()).isEqualTo(201);
            assertThat(simulator.startRunCalls()).extracting(StartRunCallRecord::outcome).containsExactly("CREATED", "REPLAYED");
            assertThat(simulator.startRunCalls()).extracting(StartRunCallRecord::rawBody).containsExactly(a, b);
        }
    }

    @Test
    void aRequestTimeoutHappensAfterTheRunWasCreatedAndTheRetryReplaysIt() {
        try (OmicsSimulator simulator = SimulatorTestSupport.start(
                "{\"startRunTps\": 100000, \"faults\": {\"requestTimeoutRate\": 1.0}}", event -> { });
             OmicsClient omics = client(simulator.endpoint())) {
            catchThrowableOfType(RequestTimeoutException.class, () -> omics.startRun(startRun("slow").build()));
            catchThrowableOfType(RequestTimeoutException.class, () -> omics.startRun(startRun("slow").build()));

            List<StartRunCallRecord> calls = simulator.startRunCalls();
            assertThat(calls).extracting(StartRunCallRecord::outcome).containsExactly("CREATED", "REPLAYED");
            assertThat(calls).extracting(StartRunCallRecord::injectedFault)
                    .containsOnly("RequestTimeoutException");
            assertThat(calls.get(1).runId()).isEqualTo(calls.get(0).runId());
            assertThat(simulator.groundTruth().path("runsCreated").asInt()).isEqualTo(1);
        }
    }

    @Test
    void withSdkRetriesThroughTimeoutsAndInternalErrorsEveryRequestIdStartsExactlyOneRun() {
        String config = "{\"seed\": 11, \"startRunTps\": 100000, "
                + "\"faults\": {\"requestTimeoutRate\": 0.4, \"internalErrorRate\": 0.2}}";
        try (OmicsSimulator simulator = SimulatorTestSupport.start(config, event -> { });
             OmicsClient omics = client(simulator.endpoint(), o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy()
                     .toBuilder().maxAttempts(6).backoffStrategy(BackoffStrategy.retryImmediately()).build()))) {
            Map<String, String> runIdSeenByClient = new HashMap<>();
            for (int i = 0; i < 20; i++) {
                String requestId = "retry-" + i;
                try {
                    runIdSeenByClient.put(requestId, omics.startRun(startRun(requestId).build()).id());
                } catch (RequestTimeoutException | software.amazon.awssdk.services.omics.model.InternalServerException e) {
                    // Every attempt failed: the run may exist all the same (a timeout comes after the effect).
                }
            }
            List<StartRunCallRecord> calls = simulator.startRunCalls();
            assertThat(calls.stream().filter(c -> c.injectedFault() != null)).isNotEmpty();
            assertThat(calls.stream().filter(c -> c.outcome().equals("REPLAYED"))).isNotEmpty();
            Map<String, List<String>> createdPerRequestId = calls.stream().filter(c -> c.outcome().equals("CREATED"))
                    .collect(Collectors.groupingBy(StartRunCallRecord::requestId,
                            Collectors.mapping(StartRunCallRecord::runId, Collectors.toList())));
            assertThat(createdPerRequestId.values()).allSatisfy(runIds -> assertThat(runIds).hasSize(1));
            assertThat(simulator.groundTruth().path("runsCreated").asInt()).isEqualTo(createdPerRequestId.size());
            runIdSeenByClient.forEach((requestId, runId) ->
                    assertThat(createdPerRequestId.get(requestId)).containsExactly(runId));
            calls.stream().filter(c -> c.outcome().equals("REPLAYED")).forEach(c ->
                    assertThat(createdPerRequestId.get(c.requestId())).containsExactly(c.runId()));
        }
    }

    private static HttpResponse<String> post(HttpClient http, URI endpoint, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(endpoint.resolve("/run"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
