package io.omicsbatch.local.simulator;

import static io.omicsbatch.local.simulator.SimulatorTestSupport.ROLE;
import static io.omicsbatch.local.simulator.SimulatorTestSupport.readJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.omicsbatch.model.OmicsModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The wire, without the SDK: the four StartRun members SDK 2.40.2 cannot send, bodies kept byte for byte, and
 * the error format (x-amzn-ErrorType header, {"message"} body, the model's status codes).
 */
class SimulatorRawProtocolTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private OmicsSimulator simulator;

    @BeforeEach
    void start() {
        simulator = SimulatorTestSupport.start("{\"startRunTps\": 100000, \"runDurationMillis\": {\"min\": 600000, \"max\": 600000}}",
                event -> { });
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void theMembersMissingFromTheSdkAreAcceptedAndTheBodyIsKeptExactly() throws Exception {
        String body = "{\n  \"workflowId\": \"1234567\",\n  \"roleArn\": \"" + ROLE + "\",\n"
                + "  \"outputUri\": \"s3://sim-results/raw\",  \"requestId\": \"raw-1\",\n"
                + "  \"networkingMode\": \"VPC\", \"configurationName\": \"vpc-config.1\",\n"
                + "  \"engineSettings\": {\"profiles\": [\"large\", \"gpu\"], \"ratio\": 1.50},\n"
                + "  \"scratchStorageMode\": \"SHARED\",\n"
                + "  \"parameters\": {\"sample\": \"NA12878\", \"threads\": 8}\n}";
        HttpResponse<String> response = send("POST", "/run", body);
        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode started = readJson(response.body());
        String id = started.path("id").asText();
        assertThat(started.path("networkingMode").asText()).isEqualTo("VPC");
        assertThat(started.path("runOutputUri").asText()).isEqualTo("s3://sim-results/raw/" + id);

        assertThat(simulator.startRunCalls()).singleElement().satisfies(call -> {
            assertThat(call.rawBody()).isEqualTo(body);
            assertThat(call.requestId()).isEqualTo("raw-1");
            assertThat(call.outcome()).isEqualTo("CREATED");
        });
        JsonNode reported = simulator.groundTruth().path("startRunRequests").get(0).path("body");
        assertThat(reported).isEqualTo(SimulatorEngine.JSON.readTree(body));
        // Decimals keep their exact text through the report.
        assertThat(reported.path("engineSettings").path("ratio").toString()).isEqualTo("1.50");

        JsonNode run = readJson(send("GET", "/run/" + id, null).body());
        assertThat(run.path("networkingMode").asText()).isEqualTo("VPC");
        assertThat(run.path("scratchStorageMode").asText()).isEqualTo("SHARED");
        assertThat(run.path("configuration").path("name").asText()).isEqualTo("vpc-config.1");
        assertThat(run.path("engineSettings")).isEqualTo(readJson("{\"profiles\": [\"large\", \"gpu\"], \"ratio\": 1.50}"));
        assertThat(run.path("parameters")).isEqualTo(readJson("{\"sample\": \"NA12878\", \"threads\": 8}"));
        assertThat(run.path("creationTime").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?Z");
    }

    @Test
    void theFourMembersAreValidatedAgainstTheModel() throws Exception {
        String body = "{\"workflowId\": \"1\", \"roleArn\": \"" + ROLE + "\", \"outputUri\": \"s3://sim-results/x/\","
                + " \"requestId\": \"raw-2\", \"networkingMode\": \"PUBLIC\", \"scratchStorageMode\": \"local\","
                + " \"configurationName\": \"-bad\", \"engineSettings\": \"large\"}";
        HttpResponse<String> response = send("POST", "/run", body);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).contains("ValidationException");
        String message = readJson(response.body()).path("message").asText();
        assertThat(message).contains("/networkingMode", "/scratchStorageMode", "/configurationName", "/engineSettings");
        assertThat(simulator.startRunCalls()).singleElement().satisfies(call -> {
            assertThat(call.outcome()).isEqualTo("REJECTED");
            assertThat(call.rawBody()).isEqualTo(body);
        });
    }

    @Test
    void unknownMembersAndBrokenJsonAreValidationErrorsKeptAsReceived() throws Exception {
        HttpResponse<String> unknown = send("POST", "/run", "{\"workflowId\": \"1\", \"roleArn\": \"" + ROLE
                + "\", \"outputUri\": \"s3://sim-results/x/\", \"requestId\": \"u\", \"outputURI\": \"s3://sim-results/y/\"}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(readJson(unknown.body()).path("message").asText()).contains("unknown member \"outputURI\"");

        HttpResponse<String> broken = send("POST", "/run", "{\"workflowId\": ");
        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(simulator.groundTruth().path("startRunRequests").get(1).path("body").asText()).isEqualTo("{\"workflowId\": ");
        assertThat(simulator.groundTruth().path("startRunRequests").get(1).path("requestId").isNull()).isTrue();
    }

    @Test
    void errorsUseTheModelsStatusCodeTheErrorTypeHeaderAndAMessageBody() throws Exception {
        HttpResponse<String> notFound = send("GET", "/run/1234", null);
        assertThat(notFound.statusCode()).isEqualTo(OmicsModel.get().shape("ResourceNotFoundException").httpStatusCode());
        assertThat(notFound.headers().firstValue("x-amzn-ErrorType")).contains("ResourceNotFoundException");
        assertThat(notFound.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(readJson(notFound.body()).fieldNames()).toIterable().containsExactly("message");

        HttpResponse<String> unknownRoute = send("GET", "/annotationStore", null);
        assertThat(unknownRoute.statusCode()).isEqualTo(404);
        assertThat(unknownRoute.headers().firstValue("x-amzn-ErrorType")).contains("UnknownOperationException");
    }

    @Test
    void cancelAndDeleteAnswer202WithoutABody() throws Exception {
        String body = "{\"workflowId\": \"1\", \"roleArn\": \"" + ROLE + "\", \"outputUri\": \"s3://sim-results/x/\", \"requestId\": \"c\"}";
        String id = readJson(send("POST", "/run", body).body()).path("id").asText();
        HttpResponse<String> cancel = send("POST", "/run/" + id + "/cancel", "");
        assertThat(cancel.statusCode()).isEqualTo(202);
        assertThat(cancel.body()).isEmpty();
        HttpResponse<String> again = send("POST", "/run/" + id + "/cancel", "");
        assertThat(again.statusCode()).isEqualTo(409); // already being cancelled (STOPPING)
        assertThat(send("DELETE", "/run/" + id, null).statusCode()).as("not deletable while STOPPING").isEqualTo(409);
        SimulatorTestSupport.await("the run CANCELLED", java.time.Duration.ofSeconds(5), () -> {
            try {
                return readJson(send("GET", "/run/" + id, null).body()).path("status").asText().equals("CANCELLED");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        HttpResponse<String> delete = send("DELETE", "/run/" + id, null);
        assertThat(delete.statusCode()).isEqualTo(202);
        // A deleted run is gone, as in the service: deleting it again finds nothing.
        HttpResponse<String> deleteAgain = send("DELETE", "/run/" + id, null);
        assertThat(deleteAgain.statusCode()).isEqualTo(404);
        assertThat(deleteAgain.headers().firstValue("x-amzn-ErrorType")).contains("ResourceNotFoundException");
    }

    @Test
    void theServerListensOnLoopbackOnly() {
        assertThat(simulator.endpoint().getHost()).isEqualTo("127.0.0.1");
        assertThat(simulator.port()).isPositive();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(simulator.endpoint() + path));
        request.header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
