package io.omicsbatch.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.batch.RunRecord;
import io.omicsbatch.batch.RunStatus;
import io.omicsbatch.batch.SubmissionStatus;
import io.omicsbatch.settings.SettingsJson;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code runs <batchId> [--status S] [--submission-status S] [--json]}: ListRunsInBatch, in runSettingId order;
 * {@code --json} prints its response, {@code {"runs": [...], "nextToken": null}} (one page: every run).
 */
@Command(name = "runs", mixinStandardHelpOptions = true,
        description = {"List the runs of a batch, one per run setting, in runSettingId order.",
                "Exit 0: listed (possibly none); 1: no such batch; 2: usage or access error."})
final class RunsCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "<batchId>", description = "The batch id.")
    String batchId;

    @Option(names = "--status", paramLabel = "<status>",
            description = "Only runs in this status: ${COMPLETION-CANDIDATES}.")
    RunStatus status;

    @Option(names = "--submission-status", paramLabel = "<status>",
            description = "Only runs with this submission status: ${COMPLETION-CANDIDATES}.")
    SubmissionStatus submissionStatus;

    @Option(names = "--json", description = "Print the ListRunsInBatch response as JSON instead of a table.")
    boolean json;

    @Mixin
    TableConnection connection;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (TableConnection.Stores stores = connection.open()) {
            if (stores.batch(batchId, spec.commandLine().getErr()).isEmpty()) {
                return Cli.EXIT_INVALID;
            }
            List<RunRecord> runs = new ArrayList<>();
            stores.runs().forEachRun(batchId, run -> {
                if ((status == null || status == run.status())
                        && (submissionStatus == null || submissionStatus == run.submissionStatus())) {
                    runs.add(run);
                }
            });
            if (json) {
                ObjectNode response = SettingsJson.MAPPER.createObjectNode();
                ArrayNode array = response.putArray("runs");
                runs.forEach(run -> array.add(BatchViews.listedRun(run)));
                response.putNull("nextToken");
                out.println(response.toPrettyString());
            } else {
                out.printf("%-32s %-10s %-11s %-10s %-28s %s%n", "RUN SETTING", "RUN ID", "SUBMISSION", "STATUS",
                        "REASON", "OUTPUT");
                for (RunRecord run : runs) {
                    String reason = run.failureReason() != null ? run.failureReason()
                            : run.submissionFailureReason() != null ? run.submissionFailureReason() : "";
                    out.printf("%-32s %-10s %-11s %-10s %-28s %s%n", run.runSettingId(), dash(run.runId()),
                            run.submissionStatus(), run.status() == null ? "-" : run.status(), reason,
                            dash(run.runOutputUri()));
                }
                out.printf("%d run(s)%n", runs.size());
            }
            out.flush();
            return Cli.EXIT_OK;
        }
    }

    private static String dash(String value) {
        return value == null ? "-" : value;
    }
}
