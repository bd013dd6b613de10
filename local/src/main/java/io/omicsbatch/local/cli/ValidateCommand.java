package io.omicsbatch.local.cli;

import io.omicsbatch.settings.BatchSettings;
import io.omicsbatch.settings.BatchSettingsValidator;
import io.omicsbatch.settings.BatchSettingsValidator.DocumentResult;
import io.omicsbatch.settings.BatchSettingsValidator.RunsFileResult;
import io.omicsbatch.settings.ErrorListing;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code validate <settings.json> [--runs <runs.json>]}: checks a batch-settings document, and the runs file
 * of an s3UriSettings batch, exactly as the intake function will (the same reader, byte checks and rules, and
 * the runs file only once the document is valid), without touching AWS. Exit 0 means the intake admits and
 * expands the batch, exit 1 that it fails it with the same errors, short of the checks that need the account.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Validate a batch-settings document (and its runs file) as the intake function would.",
                "Exit 0: valid, one summary line. Exit 1: invalid, one '<JSON pointer>: <message> [rule]' line per error",
                "(the first " + ErrorListing.MAX_LISTED + ", then '... and N more errors'). Exit 2: usage or I/O error, or a crash."})
final class ValidateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "<settings.json>", description = "The batch-settings document.")
    Path settings;

    @Option(names = "--runs", paramLabel = "<runs.json>",
            description = "The runs file an s3UriSettings document points to, read from disk; pointers into it start with /runs/<index>.")
    Path runs;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // Errors are printed as they are found, listed as the intake's error report lists them: bounded, and only the
        // first ErrorListing.MAX_LISTED, so a runs file full of errors needs neither memory nor a flooded terminal.
        ErrorListing listing = new ErrorListing(error -> out.println(error.toLine()));
        BatchSettingsValidator validator = new BatchSettingsValidator(1, listing::add);
        DocumentResult document;
        RunsFileResult runsFile = null;
        try {
            document = validateDocument(validator);
            if (runs != null) {
                if (document.settings() != null && document.settings().isInline()) {
                    err.println("error: --runs applies only to a document with batchRunSettings.s3UriSettings; "
                            + settings + " has inlineSettings");
                    return Cli.EXIT_USAGE;
                }
                if (document.isValid()) {
                    try (InputStream in = open(runs)) {
                        runsFile = validator.validateRunsFile(in, document.mergeBase());
                    }
                }
            }
        } catch (NoSuchFileException e) {
            err.println("error: no such file: " + e.getFile());
            return Cli.EXIT_USAGE;
        } catch (IOException e) {
            err.println("error: cannot read: " + e.getMessage());
            return Cli.EXIT_USAGE;
        }

        if (listing.total() > 0) {
            if (listing.unlisted() > 0) {
                out.println("... and " + listing.unlisted() + " more " + errors(listing.unlisted()));
            }
            out.flush();
            err.println("invalid: " + listing.total() + " " + errors(listing.total()));
            if (runs != null && runsFile == null) {
                // As at intake, where a runs file is read only for a valid document.
                err.println("runs file not checked: the document has errors");
            }
            err.flush();
            return Cli.EXIT_INVALID;
        }
        out.println(summary(document.settings(), runsFile));
        out.flush();
        return Cli.EXIT_OK;
    }

    private static String errors(long count) {
        return count == 1 ? "error" : "errors";
    }

    private DocumentResult validateDocument(BatchSettingsValidator validator) throws IOException {
        try (InputStream in = open(settings)) {
            return validator.validateDocument(in);
        }
    }

    private static InputStream open(Path path) throws IOException {
        return new BufferedInputStream(Files.newInputStream(path), 1 << 16);
    }

    private String summary(BatchSettings batch, RunsFileResult runsFile) {
        String name = batch.batchName() == null ? settings.getFileName().toString() : "\"" + batch.batchName() + "\"";
        String workflow = "workflow " + batch.defaultRunSetting().workflowId();
        if (batch.isInline()) {
            int count = batch.batchRunSettings().inlineSettings().size();
            return "valid: batch " + name + ", " + count + (count == 1 ? " run" : " runs") + " of " + workflow
                    + " (inline settings)";
        }
        String source = batch.batchRunSettings().s3UriSettings();
        if (runsFile == null) {
            return "valid: batch " + name + " of " + workflow + ", runs from " + source
                    + " (runs file not checked: pass --runs <file>)";
        }
        return "valid: batch " + name + ", " + runsFile.entries() + (runsFile.entries() == 1 ? " run" : " runs")
                + " of " + workflow + " from " + source + " (checked " + runs + ")";
    }
}
