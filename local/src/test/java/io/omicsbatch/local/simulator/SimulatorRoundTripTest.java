package io.omicsbatch.local.simulator;

import static io.omicsbatch.local.simulator.SimulatorTestSupport.OUTPUT;
import static io.omicsbatch.local.simulator.SimulatorTestSupport.ROLE;
import static io.omicsbatch.local.simulator.SimulatorTestSupport.await;
import static io.omicsbatch.local.simulator.SimulatorTestSupport.client;
import static io.omicsbatch.local.simulator.SimulatorTestSupport.startRun;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omicsbatch.local.simulator.SimulatorTestSupport.CollectingPublisher;
import io.omicsbatch.local.simulator.SimulatorTestSupport.FakeTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.omics.OmicsClient;
import software.amazon.awssdk.services.omics.model.GetRunResponse;
import software.amazon.awssdk.services.omics.model.GetWorkflowResponse;
import software.amazon.awssdk.services.omics.model.ListRunsRequest;
import software.amazon.awssdk.services.omics.model.ListRunsResponse;
import software.amazon.awssdk.services.omics.model.RunListItem;
import software.amazon.awssdk.services.omics.model.RunStatus;
import software.amazon.awssdk.services.omics.model.StartRunRequest;
import software.amazon.awssdk.services.omics.model.StartRunResponse;
import software.amazon.awssdk.services.omics.model.ValidationException;
import software.amazon.awssdk.services.omics.model.WorkflowParameter;

/** Every operation through the unchanged SDK OmicsClient 2.40.2. */
class SimulatorRoundTripTest {

    private static final String WORKFLOWS = """
            "workflows": {"1234567": {"parameterTemplate": {
                "input": {"description": "reads", "optional": false},
                "intervals": {"description": "BED", "optional": true}}}}
            """;

    private OmicsSimulator simulator;
    private OmicsClient omics;
    private final CollectingPublisher events = new CollectingPublisher();
    private final FakeTime time = new FakeTime();

    @BeforeEach
    void start() throws Exception {
        // Long runs, so that they stay where the test put them; the clock is the test's.
        simulator = OmicsSimulator.builder()
                .config(SimulatorConfig.parse("{\"seed\": 7, \"startRunTps\": 1000000, \"runDurationMillis\": {\"min\": 600000, \"max\": 600000},"
                        + WORKFLOWS + "}"))
                .publisher(events).clock(time.clock()).start();
        omics = client(simulator.endpoint());
    }

    @AfterEach
    void stop() {
        omics.close();
        simulator.close();
    }

    @Test
    void startRunThenGetRunReturnsEveryMemberTheSimulatorKnows() {
        StartRunResponse started = omics.startRun(startRun("req-1")
                .runGroupId("4242")
                .priority(7)
                .logLevel("ALL")
                .retentionMode("REMOVE")
                .storageType("STATIC")
                .storageCapacity(2400)
                .workflowType("PRIVATE")
                .tags(Map.of("project", "cohort-7"))
                .build());

        assertThat(started.id()).matches("[0-9]{7,}");
        assertThat(started.arn()).isEqualTo("arn:aws:omics:us-east-1:123456789012:run/" + started.id());
        assertThat(started.status()).isEqualTo(RunStatus.PENDING);
        assertThat(started.uuid()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(started.runOutputUri()).isEqualTo(OUTPUT + started.id());
        assertThat(started.tags()).containsEntry("project", "cohort-7");

        GetRunResponse run = omics.getRun(r -> r.id(started.id()));
        assertThat(run.id()).isEqualTo(started.id());
        assertThat(run.arn()).isEqualTo(started.arn());
        assertThat(run.uuid()).isEqualTo(started.uuid());
        assertThat(run.status()).isEqualTo(RunStatus.PENDING);
        assertThat(run.name()).isEqualTo("run-req-1");
        assertThat(run.workflowId()).isEqualTo("1234567");
        assertThat(run.workflowTypeAsString()).isEqualTo("PRIVATE");
        assertThat(run.roleArn()).isEqualTo(ROLE);
        assertThat(run.runGroupId()).isEqualTo("4242");
        assertThat(run.priority()).isEqualTo(7);
        assertThat(run.parameters()).isEqualTo(Document.fromMap(Map.of("input", Document.fromString("s3://sim-inputs/a.fastq.gz"))));
        assertThat(run.storageCapacity()).isEqualTo(2400);
        assertThat(run.storageTypeAsString()).isEqualTo("STATIC");
        assertThat(run.outputUri()).isEqualTo(OUTPUT);
        assertThat(run.runOutputUri()).isEqualTo(OUTPUT + started.id());
        assertThat(run.logLevelAsString()).isEqualTo("ALL");
        assertThat(run.retentionModeAsString()).isEqualTo("REMOVE");
        assertThat(run.tags()).containsExactlyEntriesOf(Map.of("project", "cohort-7"));
        assertThat(run.startedBy()).isNotBlank();
        assertThat(run.logLocation().runLogStream()).isEqualTo("run/" + started.id());
        assertThat(run.workflowUuid()).isNotBlank();
        // Timestamps are ISO 8601 on the wire (RunTimestamp's timestampFormat): exact to the millisecond.
        assertThat(run.creationTime()).isEqualTo(Instant.parse("2025-06-02T13:00:00Z"));
        assertThat(run.startTime()).isNull();
        assertThat(run.stopTime()).isNull();
        assertThat(run.failureReason()).isNull();
    }

    @Test
    void timestampsRoundTripToTheMillisecond() {
        time.advanceMillis(1_234);
        StartRunResponse started = omics.startRun(startRun("req-time").build());
        time.advanceMillis(5_000);
        omics.cancelRun(r -> r.id(started.id()));
        await("the run CANCELLED", Duration.ofSeconds(5),
                () -> omics.getRun(r -> r.id(started.id())).status() == RunStatus.CANCELLED);

        GetRunResponse run = omics.getRun(r -> r.id(started.id()));
        assertThat(run.creationTime()).isEqualTo(Instant.parse("2025-06-02T13:00:01.234Z"));
        assertThat(run.stopTime()).isEqualTo(Instant.parse("2025-06-02T13:00:06.234Z"));
        RunListItem item = omics.listRuns(ListRunsRequest.builder().build()).items().get(0);
        assertThat(item.creationTime()).isEqualTo(run.creationTime());
        assertThat(item.stopTime()).isEqualTo(run.stopTime());
    }

    @Test
    void runOutputUriHasExactlyOneSlashBeforeTheRunId() {
        StartRunResponse withSlash = omics.startRun(startRun("a").outputUri("s3://sim-results/x/").build());
        StartRunResponse withoutSlash = omics.startRun(startRun("b").outputUri("s3://sim-results/x").build());
        assertThat(withSlash.runOutputUri()).isEqualTo("s3://sim-results/x/" + withSlash.id());
        assertThat(withoutSlash.runOutputUri()).isEqualTo("s3://sim-results/x/" + withoutSlash.id());
    }

    @Test
    void listRunsFiltersAndPaginatesWithNextToken() {
        List<String> ids = IntStream.range(0, 7).mapToObj(i -> omics.startRun(startRun("list-" + i)
                .name(i % 2 == 0 ? "even" : "odd").runGroupId(i < 3 ? "11" : "22").build()).id()).toList();
        omics.cancelRun(r -> r.id(ids.get(0)));
        await("the cancelled run CANCELLED", Duration.ofSeconds(5),
                () -> omics.getRun(r -> r.id(ids.get(0))).status() == RunStatus.CANCELLED);

        ListRunsResponse firstPage = omics.listRuns(r -> r.maxResults(3));
        assertThat(firstPage.items()).hasSize(3);
        assertThat(firstPage.nextToken()).isNotNull();
        // Newest first.
        assertThat(firstPage.items()).extracting(RunListItem::id).containsExactly(ids.get(6), ids.get(5), ids.get(4));

        List<String> all = omics.listRunsPaginator(r -> r.maxResults(2)).items().stream().map(RunListItem::id).toList();
        assertThat(all).containsExactlyInAnyOrderElementsOf(ids).hasSize(7);

        assertThat(omics.listRuns(r -> r.name("even")).items()).extracting(RunListItem::id)
                .containsExactlyInAnyOrder(ids.get(0), ids.get(2), ids.get(4), ids.get(6));
        assertThat(omics.listRuns(r -> r.runGroupId("11")).items()).extracting(RunListItem::id)
                .containsExactlyInAnyOrder(ids.get(0), ids.get(1), ids.get(2));
        assertThat(omics.listRuns(r -> r.status(RunStatus.CANCELLED)).items()).extracting(RunListItem::id)
                .containsExactly(ids.get(0));
        assertThat(omics.listRuns(r -> r.status(RunStatus.PENDING).runGroupId("22").name("odd")).items())
                .extracting(RunListItem::id).containsExactlyInAnyOrder(ids.get(3), ids.get(5));
        RunListItem item = omics.listRuns(r -> r.name("even").maxResults(1)).items().get(0);
        assertThat(item.arn()).endsWith(item.id());
        assertThat(item.workflowId()).isEqualTo("1234567");
        assertThat(item.storageTypeAsString()).isEqualTo("DYNAMIC");

        assertThatThrownBy(() -> omics.listRuns(r -> r.startingToken("not-a-token")))
                .isInstanceOf(ValidationException.class);
    }

    @Test
    void cancelRunThenDeleteRun() {
        StartRunResponse started = omics.startRun(startRun("c").build());
        omics.cancelRun(r -> r.id(started.id()));
        // As HealthOmics: STOPPING first, then CANCELLED; a second cancel is a conflict, a delete too early as well.
        assertThat(omics.getRun(r -> r.id(started.id())).status()).isEqualTo(RunStatus.STOPPING);
        assertThatThrownBy(() -> omics.cancelRun(r -> r.id(started.id())))
                .isInstanceOf(software.amazon.awssdk.services.omics.model.ConflictException.class);
        assertThatThrownBy(() -> omics.deleteRun(r -> r.id(started.id())))
                .isInstanceOf(software.amazon.awssdk.services.omics.model.ConflictException.class);
        await("the run CANCELLED", Duration.ofSeconds(5),
                () -> omics.getRun(r -> r.id(started.id())).status() == RunStatus.CANCELLED);
        GetRunResponse cancelled = omics.getRun(r -> r.id(started.id()));
        assertThat(cancelled.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(cancelled.stopTime()).isNotNull();

        omics.deleteRun(r -> r.id(started.id()));
        // Gone from the API, as in the service; the ground truth keeps it.
        assertThatThrownBy(() -> omics.getRun(r -> r.id(started.id())))
                .isInstanceOf(software.amazon.awssdk.services.omics.model.ResourceNotFoundException.class);
        assertThatThrownBy(() -> omics.deleteRun(r -> r.id(started.id())))
                .isInstanceOf(software.amazon.awssdk.services.omics.model.ResourceNotFoundException.class);
        assertThat(omics.listRuns(r -> { }).items()).isEmpty();
        assertThat(simulator.groundTruth().path("runs").get(0).path("status").asText()).isEqualTo("DELETED");
        assertThat(simulator.groundTruth().path("runs").get(0).path("statusBeforeDeletion").asText())
                .isEqualTo("CANCELLED");
        await("the DELETED event", Duration.ofSeconds(5), () -> events.statusesOf(started.id()).contains("DELETED"));
        assertThat(events.statusesOf(started.id())).containsExactly("PENDING", "STOPPING", "CANCELLED", "DELETED");
    }

    @Test
    void startRunWithRunIdDuplicatesTheRunsRequest() {
        StartRunResponse original = omics.startRun(startRun("orig").runGroupId("77").build());
        StartRunResponse duplicate = omics.startRun(StartRunRequest.builder().runId(original.id()).roleArn(ROLE)
                .outputUri("s3://sim-results/again/").requestId("dup").build());
        GetRunResponse run = omics.getRun(r -> r.id(duplicate.id()));
        assertThat(duplicate.id()).isNotEqualTo(original.id());
        assertThat(run.runId()).isEqualTo(original.id());
        assertThat(run.workflowId()).isEqualTo("1234567");
        assertThat(run.runGroupId()).isEqualTo("77");
        assertThat(run.parameters()).isEqualTo(omics.getRun(r -> r.id(original.id())).parameters());
        assertThat(run.outputUri()).isEqualTo("s3://sim-results/again/");
        assertThat(run.runOutputUri()).isEqualTo("s3://sim-results/again/" + duplicate.id());
        assertThatThrownBy(() -> omics.startRun(StartRunRequest.builder().runId("1").roleArn(ROLE)
                .outputUri(OUTPUT).requestId("dup-missing").build()))
                .isInstanceOf(software.amazon.awssdk.services.omics.model.ResourceNotFoundException.class);
    }

    @Test
    void getWorkflowReturnsItsParameterTemplate() {
        GetWorkflowResponse workflow = omics.getWorkflow(r -> r.id("1234567"));
        assertThat(workflow.id()).isEqualTo("1234567");
        assertThat(workflow.arn()).isEqualTo("arn:aws:omics:us-east-1:123456789012:workflow/1234567");
        assertThat(workflow.statusAsString()).isEqualTo("ACTIVE");
        assertThat(workflow.typeAsString()).isEqualTo("PRIVATE");
        assertThat(workflow.engineAsString()).isEqualTo("WDL");
        assertThat(workflow.name()).isNotBlank();
        assertThat(workflow.creationTime()).isEqualTo(Instant.parse("2025-06-02T13:00:00Z"));
        assertThat(workflow.parameterTemplate()).containsOnlyKeys("input", "intervals");
        assertThat(workflow.parameterTemplate().get("input"))
                .isEqualTo(WorkflowParameter.builder().description("reads").optional(false).build());
        assertThat(workflow.parameterTemplate().get("intervals").optional()).isTrue();
    }

    @Test
    void startRunChecksParametersAgainstTheWorkflowTemplate() {
        assertThatThrownBy(() -> omics.startRun(startRun("p1").parameters(Document.fromMap(Map.of())).build()))
                .isInstanceOf(ValidationException.class).hasMessageContaining("missing required parameters input");
        assertThatThrownBy(() -> omics.startRun(startRun("p2").parameters(Document.fromMap(Map.of(
                        "input", Document.fromString("x"), "sample", Document.fromString("NA12878")))).build()))
                .isInstanceOf(ValidationException.class).hasMessageContaining("not in the parameter template: sample");
        StartRunResponse withOptional = omics.startRun(startRun("p3").parameters(Document.fromMap(Map.of(
                "input", Document.fromString("x"), "intervals", Document.fromString("y")))).build());
        assertThat(withOptional.id()).isNotNull();
    }
}
