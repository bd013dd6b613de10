package io.omicsbatch.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.batch.BatchRecord;
import io.omicsbatch.batch.BatchStatus;
import io.omicsbatch.batch.BatchStore;
import io.omicsbatch.settings.SettingsJson;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code list [--status S] [--name N] [--max-items n] [--starting-token t] [--json]}: ListBatch, newest first, one
 * page at a time ({@link BatchStore#list}: one Query of the batches table's list index per page, from where the last
 * page stopped); {@code --json} prints its response, {@code {"items": [...], "nextToken": ...}}. A filtered page may
 * hold fewer than {@code --max-items} batches, even none, and still print a next token.
 */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = {"List batches, newest first: id, name, status, creation time, runs, workflow.",
                "A page at a time: pass the printed next token to --starting-token for the next one.",
                "With --status or --name a page may hold fewer batches (even none) and still have a next token.",
                "Exit 0: listed (possibly none); 2: usage or access error."})
final class ListCommand implements Callable<Integer> {

    /** ListBatch's maxItems bounds. */
    static final int MAX_ITEMS = 100;

    @Option(names = "--status", paramLabel = "<status>", description = "Only batches in this status: ${COMPLETION-CANDIDATES}.")
    BatchStatus status;

    @Option(names = "--name", paramLabel = "<name>", description = "Only batches of this batchName (exactly).")
    String name;

    @Option(names = "--max-items", paramLabel = "<n>", description = "At most this many (1-" + MAX_ITEMS
            + ", default: ${DEFAULT-VALUE}).")
    int maxItems = MAX_ITEMS;

    @Option(names = "--starting-token", paramLabel = "<token>", description = "The nextToken of the previous page.")
    String startingToken;

    @Option(names = "--json", description = "Print the ListBatch response as JSON instead of a table.")
    boolean json;

    @Mixin
    TableConnection connection;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (maxItems < 1 || maxItems > MAX_ITEMS) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-items must be 1 to " + MAX_ITEMS
                    + ", got " + maxItems);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (TableConnection.Stores stores = connection.open()) {
            BatchStore.BatchPage page;
            try {
                page = stores.batches().list(new BatchStore.BatchQuery(status, name, maxItems, startingToken));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--starting-token: " + e.getMessage());
            }
            if (json) {
                ObjectNode response = SettingsJson.MAPPER.createObjectNode();
                ArrayNode items = response.putArray("items");
                page.batches().forEach(batch -> items.add(BatchViews.listedBatch(batch)));
                response.put("nextToken", page.nextToken());
                out.println(response.toPrettyString());
            } else {
                out.printf("%-20s %-24s %-11s %-24s %9s %s%n", "BATCH", "NAME", "STATUS", "CREATED", "RUNS", "WORKFLOW");
                for (BatchRecord batch : page.batches()) {
                    out.printf("%-20s %-24s %-11s %-24s %9s %s%n", batch.batchId(),
                            batch.batchName() == null ? "-" : batch.batchName(), batch.status(), batch.creationTime(),
                            batch.totalRuns() == null ? "-" : batch.totalRuns(),
                            batch.workflow() == null || batch.workflow().workflowId() == null ? "-"
                                    : batch.workflow().workflowId());
                }
                out.printf("%d batch(es)%n", page.batches().size());
                if (page.nextToken() != null) {
                    out.printf("next token: %s%n", page.nextToken());
                }
            }
            out.flush();
            return Cli.EXIT_OK;
        }
    }
}
