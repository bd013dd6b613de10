package io.omicsbatch.local.simulator;

import static io.omicsbatch.local.simulator.SimulatorTestSupport.ROLE;
import static io.omicsbatch.local.simulator.SimulatorTestSupport.readJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Nextflow workflow's profiles on the wire (SDK 2.40.2 models neither GetWorkflow's profiles nor StartRun's
 * engineSettings): GetWorkflow lists them with their templates, StartRun checks a run against its profile's.
 */
class SimulatorProfilesTest {

    private static final String CONFIG = """
            {"startRunTps": 100000, "runDurationMillis": {"min": 600000, "max": 600000},
             "workflows": {
               "7777777": {"parameterTemplate": {"input": {}},
                           "profiles": ["standard", "highmem", "test"],
                           "profileParameterTemplates": {
                             "standard": {"input": {}, "outdir": {"optional": true}},
                             "highmem": {"input": {"description": "reads"}, "memory_gb": {}}}},
               "1234567": {"parameterTemplate": {"input": {}}}}}""";

    private final HttpClient http = HttpClient.newHttpClient();
    private OmicsSimulator simulator;

    @BeforeEach
    void start() {
        simulator = SimulatorTestSupport.start(CONFIG, event -> { });
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void getWorkflowListsTheProfilesAndTheirTemplates() throws Exception {
        JsonNode workflow = readJson(send("GET", "/workflow/7777777", null).body());
        assertThat(workflow.path("engine").asText()).isEqualTo("NEXTFLOW");
        assertThat(workflow.path("profiles")).isEqualTo(readJson("[\"standard\", \"highmem\", \"test\"]"));
        assertThat(workflow.path("profileParameterTemplates")).isEqualTo(readJson("""
                {"standard": {"input": {"optional": false}, "outdir": {"optional": true}},
                 "highmem": {"input": {"description": "reads", "optional": false}, "memory_gb": {"optional": false}}}"""));

        JsonNode wdl = readJson(send("GET", "/workflow/1234567", null).body());
        assertThat(wdl.path("engine").asText()).isEqualTo("WDL");
        assertThat(wdl.has("profiles")).isFalse();
        assertThat(wdl.has("profileParameterTemplates")).isFalse();
    }

    @Test
    void startRunChecksARunAgainstItsProfilesTemplate() throws Exception {
        // No profile named: "standard", which knows "outdir" (the workflow's own template does not).
        assertThat(startRun("s1", null, "{\"input\": \"x\", \"outdir\": \"o\"}").statusCode()).isEqualTo(201);
        assertThat(startRun("h1", "highmem", "{\"input\": \"x\", \"memory_gb\": 64}").statusCode()).isEqualTo(201);
        assertRejected(startRun("h2", "highmem", "{\"input\": \"x\"}"), "missing required parameters memory_gb");
        // "test" has no template of its own: the workflow's.
        assertThat(startRun("t1", "test", "{\"input\": \"x\"}").statusCode()).isEqualTo(201);
        assertRejected(startRun("t2", "test", "{\"input\": \"x\", \"outdir\": \"o\"}"), "not in the parameter template: outdir");
        assertRejected(startRun("g1", "gpu", "{\"input\": \"x\"}"), "Profile gpu is not a profile of workflow 7777777");
    }

    private HttpResponse<String> startRun(String requestId, String profile, String parameters) throws Exception {
        return send("POST", "/run", "{\"workflowId\": \"7777777\", \"roleArn\": \"" + ROLE + "\", \"outputUri\": "
                + "\"s3://sim-results/p/\", \"requestId\": \"" + requestId + "\", \"parameters\": " + parameters
                + (profile == null ? "" : ", \"engineSettings\": {\"profile\": \"" + profile + "\"}") + "}");
    }

    private static void assertRejected(HttpResponse<String> response, String message) throws Exception {
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).contains("ValidationException");
        assertThat(readJson(response.body()).path("message").asText()).contains(message);
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(simulator.endpoint() + path));
        request.header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
