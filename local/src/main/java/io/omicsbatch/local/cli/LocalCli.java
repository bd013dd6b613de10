package io.omicsbatch.local.cli;

import io.omicsbatch.cli.Cli;
import picocli.CommandLine;

/**
 * The local jar's command line, {@code java -jar local/target/omics-batch-local.jar <command>}: the operator commands
 * of {@link Cli} and the local runner's own, run, invoke and simulator.
 */
public final class LocalCli {

    private LocalCli() {}

    public static CommandLine commandLine() {
        CommandLine commandLine = Cli.commandLine()
                .addSubcommand(new RunCommand())
                .addSubcommand(new InvokeCommand())
                .addSubcommand(new SimulatorCommand())
                .addSubcommand(new SheetCommand());
        commandLine.getCommandSpec().usageMessage().description(
                "Bulk launcher for AWS HealthOmics workflow runs: the operator commands and the local runner.");
        return Cli.withExitCodes(commandLine);
    }

    public static void main(String[] args) {
        Cli.execute(commandLine(), args);
    }
}
