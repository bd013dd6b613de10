package io.omicsbatch.cli;

import io.omicsbatch.batch.S3ObjectRef;
import io.omicsbatch.resources.ResourceDefinitions;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cancel}, {@code delete-runs} and {@code delete}: CancelRunBatch, DeleteRunBatch and DeleteBatch, requested by
 * writing the request document (BatchRequests); the stack carries it out. Exit 1 if there is no such batch.
 */
abstract class BatchOperationCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "<batchId>", description = "The batch id.")
    String batchId;

    @Mixin
    TableConnection connection;

    @Spec
    CommandSpec spec;

    /** The operation's prefix in the settings bucket. */
    abstract String prefix();

    /** What is requested, for the user: "cancel", ... */
    abstract String operation();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (TableConnection.Stores stores = connection.open()) {
            if (stores.batch(batchId, spec.commandLine().getErr()).isEmpty()) {
                return Cli.EXIT_INVALID;
            }
            S3ObjectRef request = BatchRequests.put(stores, BatchRequests.key(prefix(), batchId, Clock.systemUTC()),
                    BatchRequests.body(batchId));
            out.printf("requested %s of batch %s: %s%n", operation(), batchId, request.uri());
            out.flush();
            return Cli.EXIT_OK;
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = {"Cancel a batch (CancelRunBatch): no more submissions, and its runs that are not done are cancelled.",
                    "Writes the request to the settings bucket; 'status' shows the outcome.",
                    "Exit 0: requested; 1: no such batch; 2: usage or access error."})
    static final class Cancel extends BatchOperationCommand {
        @Override
        String prefix() {
            return ResourceDefinitions.CANCEL_PREFIX;
        }

        @Override
        String operation() {
            return "cancel";
        }
    }

    @Command(name = "delete-runs", mixinStandardHelpOptions = true,
            description = {"Delete the runs of a finished batch (DeleteRunBatch).",
                    "Writes the request to the settings bucket; 'status' shows the outcome.",
                    "Exit 0: requested; 1: no such batch; 2: usage or access error."})
    static final class DeleteRuns extends BatchOperationCommand {
        @Override
        String prefix() {
            return ResourceDefinitions.DELETE_RUNS_PREFIX;
        }

        @Override
        String operation() {
            return "deletion of the runs";
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = {"Delete a batch's records (DeleteBatch).",
                    "Writes the request to the settings bucket; 'status' shows the outcome.",
                    "Exit 0: requested; 1: no such batch; 2: usage or access error."})
    static final class Delete extends BatchOperationCommand {
        @Override
        String prefix() {
            return ResourceDefinitions.DELETE_BATCH_PREFIX;
        }

        @Override
        String operation() {
            return "deletion";
        }
    }
}
