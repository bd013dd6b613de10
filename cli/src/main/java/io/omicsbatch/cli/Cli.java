package io.omicsbatch.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The omics-batch command line: {@code java -jar local/target/omics-batch-local.jar <command>}.
 * Exit codes follow the CLI contract: 0 success, 1 the input was checked and found wanting, 2 usage or I/O.
 */
@Command(
        name = "omics-batch",
        mixinStandardHelpOptions = true,
        versionProvider = Cli.Version.class,
        description = "Bulk launcher for AWS HealthOmics workflow runs: local tools.",
        subcommands = {ValidateCommand.class, RunCommand.class, StatusCommand.class, RunsCommand.class, InvokeCommand.class,
                SimulatorCommand.class})
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

    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Cli());
        // I/O and other unexpected failures are exit 2, like usage errors, never a stack trace with exit 1.
        commandLine.setExecutionExceptionHandler((e, cl, parseResult) -> {
            cl.getErr().println("error: " + oneLine(e));
            return EXIT_USAGE;
        });
        return commandLine;
    }

    public static void main(String[] args) {
        int code;
        try {
            code = commandLine().execute(args);
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
    static String oneLine(Throwable e) {
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
