package io.omicsbatch.local.cli;

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
            cl.getErr().println("error: " + e.getMessage());
            return EXIT_USAGE;
        });
        return commandLine;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Cli.class.getPackage().getImplementationVersion();
            return new String[] {"omics-batch " + (version == null ? "development build" : version)};
        }
    }
}
