package io.omicsbatch.local.pipeline;

import static io.omicsbatch.local.pipeline.PipelineTestSupport.batchIdOf;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.bytes;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.inlineDocument;
import static org.assertj.core.api.Assertions.assertThat;

import io.omicsbatch.batch.BatchRecord;
import io.omicsbatch.batch.BatchStatus;
import io.omicsbatch.local.cli.LocalCli;
import io.omicsbatch.local.simulator.SimulatorConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The operator commands' {@code --wait} against the local runner, through its endpoint-url: each command waits for its
 * operation's end state as the stack carries it out, prints it, and exits 0; a refused operation exits 1 with the
 * refusal from the request's error report.
 */
class OperatorWaitTest {

    private static final Duration DEADLINE = Duration.ofSeconds(120);

    private record Result(int code, String out, String err) {}

    @Test
    void cancelResubmitDeleteRunsAndDeleteWaitForTheirEndStatesAndARefusalIsExit1() throws Exception {
        SimulatorConfig c = PipelineTestSupport.simulator(50);
        // Runs that would take ten minutes: the batch stays INPROGRESS until it is cancelled.
        SimulatorConfig longRuns = new SimulatorConfig(c.seed(), 50, 10_000, new SimulatorConfig.Range(600_000, 600_000), 0,
                c.workflows(), SimulatorConfig.Faults.NONE, SimulatorConfig.LambdaFaults.NONE, c.account());
        try (LocalPipeline pipeline = LocalPipeline.start(LocalPipeline.Options.defaults(longRuns).withStartRunTps(50))) {
            String batchId = batchIdOf(pipeline.dropSettings("waited.json", bytes(inlineDocument("waited", 6))), null);
            pipeline.awaitBatch(batchId, b -> b.status() == BatchStatus.INPROGRESS, DEADLINE).orElseThrow();

            Result tooEarly = cli(pipeline, "delete", batchId, "--wait", "--timeout", "120");
            assertThat(tooEarly.code()).as(tooEarly.out() + tooEarly.err()).isEqualTo(1);
            assertThat(tooEarly.out()).contains("refused: ", "INPROGRESS", "[batch-status]");
            assertThat(pipeline.batches().get(batchId)).isPresent();

            Result cancel = cli(pipeline, "cancel", batchId, "--wait", "--timeout", "120");
            assertThat(cancel.code()).as(cancel.out() + cancel.err()).isZero();
            assertThat(cancel.out()).contains("batch " + batchId + ": CANCELLED (CancelRun: 6 succeeded, 0 failed)");
            assertThat(pipeline.batches().get(batchId).orElseThrow().status()).isEqualTo(BatchStatus.CANCELLED);

            Result resubmit = cli(pipeline, "resubmit", batchId, "--run-setting-ids", "waited-S1", "--wait");
            assertThat(resubmit.code()).as(resubmit.out() + resubmit.err()).isZero();
            String newBatchId = resubmit.out().lines().findFirst().orElseThrow();
            assertThat(resubmit.out()).contains("batch " + newBatchId + ": created, ", "a resubmit of " + batchId);
            BatchRecord made = pipeline.batches().get(newBatchId).orElseThrow();
            assertThat(made.resubmitOf()).isEqualTo(batchId);

            Result deleteRuns = cli(pipeline, "delete-runs", batchId, "--wait", "--timeout", "120");
            assertThat(deleteRuns.code()).as(deleteRuns.out() + deleteRuns.err()).isZero();
            assertThat(deleteRuns.out()).contains("batch " + batchId + ": RUNS_DELETED (DeleteRun: 6 succeeded, 0 failed)");

            Result delete = cli(pipeline, "delete", batchId, "--wait", "--timeout", "120");
            assertThat(delete.code()).as(delete.out() + delete.err()).isZero();
            assertThat(delete.out()).contains("batch " + batchId + ": deleted");
            assertThat(pipeline.batches().get(batchId)).isEmpty();

            assertThat(cli(pipeline, "cancel", newBatchId, "--timeout", "5").code()).as("--timeout without --wait")
                    .isEqualTo(2);
        }
    }

    private static Result cli(LocalPipeline pipeline, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--endpoint-url", pipeline.endpointUrl().toString()));
        CommandLine cli = LocalCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(all.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }
}
