package io.omicsbatch.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The omics-batch operator command line: {@code java -jar cli/target/omics-batch-cli.jar <command>}, against a
 * deployed stack or the local runner; the local jar adds run, invoke and simulator to it.
 * Exit codes follow the CLI contract: 0 success, 1 the input was checked and found wanting, 2 usage or I/O.
 */
@Command(
        name = "omics-batch",
        mixinStandardHelpOptions = true,
        versionProvider = Cli.Version.class,
        description = "Bulk launcher for AWS HealthOmics workflow runs: the operator commands.",
        subcommands = {ValidateCommand.class, ListCommand.class, StatusCommand.class, RunsCommand.class,
                BatchOperationCommand.Cancel.class, BatchOperationCommand.DeleteRuns.class, BatchOperationCommand.Delete.class,
                ResubmitCommand.class})
public final class Cli implements Runnable {

    public static final int EXIT_OK = 0;
    public static final int EXIT_INVALID = 1;
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    /** The operator commands. */
    public static CommandLine commandLine() {
        return withExitCodes(new CommandLine(new Cli()));
    }

    /** The CLI's handling of failures, on a command line built here or by the local runner's. */
    public static CommandLine withExitCodes(CommandLine commandLine) {
        // I/O and other unexpected failures are exit 2, like usage errors, never a stack trace with exit 1.
        commandLine.setExecutionExceptionHandler((e, cl, parseResult) -> {
            cl.getErr().println("error: " + oneLine(e));
            return EXIT_USAGE;
        });
        return commandLine;
    }

    public static void main(String[] args) {
        execute(commandLine(), args);
    }

    /** Runs the command line and exits the JVM with its exit code, as the jars' main methods do. */
    public static void execute(CommandLine commandLine, String[] args) {
        int code;
        try {
            code = commandLine.execute(args);
        } catch (OutOfMemoryError e) {
            // Errors pass picocli by; a JVM dying of one would exit 1, which means "invalid" here.
            System.err.println("error: out of memory (heap limit " + Runtime.getRuntime().maxMemory() / (1024 * 1024)
                    + " MB); give the JVM more, e.g. OMICS_BATCH_JAVA_OPTS=-Xmx2g ./omics-batch ...");
            code = EXIT_USAGE;
        } catch (Throwable e) { // any other crash too: exit 2 with one line, never a stack trace and exit 1
            System.err.println("error: " + oneLine(e));
            code = EXIT_USAGE;
        }
        System.exit(code);
    }

    /** A throwable as one line: its class when it has no message, its message's first line otherwise. */
    public static String oneLine(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Cli.class.getPackage().getImplementationVersion();
            return new String[] {"omics-batch " + (version == null ? "development build" : version)};
        }
    }
}
