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
 * writing the request document (BatchRequests); the stack carries it out. Exit 1 if there is no such batch. With
 * {@code --wait}, waits for the operation's end state ({@link #end()}): exit 0 when it is reached, 1 when the
 * operation is refused or the batch ends otherwise, or at the timeout.
 */
abstract class BatchOperationCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "<batchId>", description = "The batch id.")
    String batchId;

    @Mixin
    TableConnection connection;

    @Mixin
    WaitOptions waiting;

    @Spec
    CommandSpec spec;

    /** The operation's prefix in the settings bucket. */
    abstract String prefix();

    /** What is requested, for the user: "cancel", ... */
    abstract String operation();

    /** The operation's end state, as {@code --wait} waits for it. */
    abstract OperationWait.EndState end();

    @Override
    public Integer call() {
        waiting.check(spec.commandLine());
        PrintWriter out = spec.commandLine().getOut();
        try (TableConnection.Stores stores = connection.open()) {
            if (stores.batch(batchId, spec.commandLine().getErr()).isEmpty()) {
                return Cli.EXIT_INVALID;
            }
            S3ObjectRef request = BatchRequests.put(stores, BatchRequests.key(prefix(), batchId, Clock.systemUTC()),
                    BatchRequests.body(batchId));
            out.printf("requested %s of batch %s: %s%n", operation(), batchId, request.uri());
            out.flush();
            return waiting.wait ? waiting.await(stores, batchId, end(), request, out, spec.commandLine().getErr())
                    : Cli.EXIT_OK;
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = {"Cancel a batch (CancelRunBatch): no more submissions, and its runs that are not done are cancelled.",
                    "Writes the request to the settings bucket; 'status' shows the outcome, --wait waits for CANCELLED.",
                    "Exit 0: requested (with --wait: CANCELLED); 1: no such batch (with --wait: refused, ended otherwise, "
                            + "or --timeout); 2: usage or access error."})
    static final class Cancel extends BatchOperationCommand {
        @Override
        String prefix() {
            return ResourceDefinitions.CANCEL_PREFIX;
        }

        @Override
        OperationWait.EndState end() {
            return OperationWait.CANCELLED;
        }

        @Override
        String operation() {
            return "cancel";
        }
    }

    @Command(name = "delete-runs", mixinStandardHelpOptions = true,
            description = {"Delete the runs of a finished batch (DeleteRunBatch).",
                    "Writes the request to the settings bucket; 'status' shows the outcome, --wait waits for "
                            + "RUNS_DELETED or RUNS_DELETE_FAILED.",
                    "Exit 0: requested (with --wait: RUNS_DELETED); 1: no such batch (with --wait: RUNS_DELETE_FAILED, "
                            + "refused, or --timeout); 2: usage or access error."})
    static final class DeleteRuns extends BatchOperationCommand {
        @Override
        String prefix() {
            return ResourceDefinitions.DELETE_RUNS_PREFIX;
        }

        @Override
        OperationWait.EndState end() {
            return OperationWait.RUNS_DELETED;
        }

        @Override
        String operation() {
            return "deletion of the runs";
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = {"Delete a batch's records (DeleteBatch).",
                    "Writes the request to the settings bucket; 'status' shows the outcome, --wait waits until the "
                            + "batch is gone.",
                    "Exit 0: requested (with --wait: deleted); 1: no such batch (with --wait: refused, or --timeout); "
                            + "2: usage or access error."})
    static final class Delete extends BatchOperationCommand {
        @Override
        String prefix() {
            return ResourceDefinitions.DELETE_BATCH_PREFIX;
        }

        @Override
        OperationWait.EndState end() {
            return OperationWait.DELETED;
        }

        @Override
        String operation() {
            return "deletion";
        }
    }
}
