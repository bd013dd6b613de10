package io.omicsbatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.omicsbatch.batch.BatchRecord;
import io.omicsbatch.batch.RunStatus;
import io.omicsbatch.batch.BatchSummaries;
import io.omicsbatch.batch.S3ObjectRef;
import io.omicsbatch.settings.SettingsJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code status <batchId> [--json]}: the batch as GetBatch shows it (its tags and defaultRunSetting are read from
 * the settings document version that started it). Exit 1 if there is no such batch.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show a batch: status, counts, failure, results manifest.",
                "Reads the batches table of a deployed stack, or the local runner's (--endpoint-url).",
                "Exit 0: shown; 1: no such batch; 2: usage or access error."})
final class StatusCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "<batchId>", description = "The batch id (20 hex characters).")
    String batchId;

    @Option(names = "--json", description = "Print the GetBatch response as JSON instead of a table.")
    boolean json;

    @Mixin
    TableConnection connection;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (TableConnection.Stores stores = connection.open()) {
            Optional<BatchRecord> batch = stores.batch(batchId, spec.commandLine().getErr());
            if (batch.isEmpty()) {
                return Cli.EXIT_INVALID;
            }
            if (json) {
                JsonNode document = document(stores, batch.get(), spec.commandLine().getErr());
                out.println(BatchViews.batch(batch.get(), stores.deployment().partition(), document).toPrettyString());
            } else {
                print(out, batch.get());
            }
            out.flush();
            return Cli.EXIT_OK;
        }
    }

    /** The settings document version that started the batch, or null (said on stderr) if it cannot be read. */
    static JsonNode document(TableConnection.Stores stores, BatchRecord batch, PrintWriter err) {
        S3ObjectRef source = batch.settingsObject();
        try (InputStream in = stores.s3().getObject(b -> b.bucket(source.bucket()).key(source.key())
                .versionId(source.versionId()))) {
            return SettingsJson.MAPPER.readTree(in);
        } catch (IOException | RuntimeException e) {
            err.println("warning: tags and defaultRunSetting not shown: cannot read " + source.uri() + " ("
                    + Cli.oneLine(e) + ")");
            err.flush();
            return null;
        }
    }

    static void print(PrintWriter out, BatchRecord batch) {
        out.printf("Batch        %s%s%n", batch.batchId(), batch.batchName() == null ? "" : "  (" + batch.batchName() + ")");
        out.printf("Status       %s%n", batch.status());
        out.printf("Total runs   %s%n", batch.totalRuns() == null ? "-" : batch.totalRuns());
        StringBuilder submissions = new StringBuilder();
        StringBuilder operations = new StringBuilder();
        for (String counter : BatchSummaries.SUBMISSION_COUNTERS) {
            if (counter.contains("Start")) {
                submissions.append(String.format("%s %d  ", counter.replace("StartSubmissionCount", ""), batch.count(counter)));
            } else if (batch.count(counter) != 0) {
                operations.append(String.format("%s %d  ", counter.replace("SubmissionCount", ""), batch.count(counter)));
            }
        }
        out.printf("Submissions  %s%n", submissions.toString().trim());
        if (!operations.isEmpty()) {
            out.printf("Operations   %s%n", operations.toString().trim());
        }
        if (batch.resubmitOf() != null) {
            out.printf("Resubmit of  %s%n", batch.resubmitOf());
        }
        if (batch.resubmittedAs() != null && !batch.resubmittedAs().isEmpty()) {
            out.printf("Resubmitted  %s%n", String.join(", ", batch.resubmittedAs()));
        }
        StringBuilder runs = new StringBuilder();
        for (RunStatus status : RunStatus.values()) {
            runs.append(String.format("%s %d  ", status.name().toLowerCase(java.util.Locale.ROOT),
                    batch.count(status.countAttribute())));
        }
        out.printf("Runs         %s%n", runs.toString().trim());
        if (batch.failureReason() != null) {
            out.printf("Failure      %s: %s%n", batch.failureReason(), batch.failureMessage());
            batch.errors().forEach(e -> out.printf("             %s: %s [%s]%n", e.pointer(), e.message(), e.rule()));
            if (batch.errorCount() > batch.errors().size()) {
                out.printf("             ... %d errors in all (reports/%s/errors.json)%n", batch.errorCount(), batch.batchId());
            }
        }
        out.printf("Created      %s%n", batch.creationTime());
        if (batch.submittedTime() != null) {
            out.printf("Submitted    %s%n", batch.submittedTime());
        }
        if (batch.processedTime() != null) {
            out.printf("Processed    %s%n", batch.processedTime());
            out.printf("Results      %s%n", io.omicsbatch.batch.ResultsManifest.csvUri(batch));
        }
    }
}
