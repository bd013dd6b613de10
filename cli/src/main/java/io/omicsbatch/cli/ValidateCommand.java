package io.omicsbatch.cli;

import io.omicsbatch.functions.FunctionSettings;
import io.omicsbatch.intake.BatchPreflight;
import io.omicsbatch.resources.FunctionEnvironment;
import io.omicsbatch.resources.ResourceDefinitions;
import io.omicsbatch.settings.BatchSettings;
import io.omicsbatch.settings.BatchSettingsValidator;
import io.omicsbatch.settings.BatchSettingsValidator.DocumentResult;
import io.omicsbatch.settings.BatchSettingsValidator.RunsFileResult;
import io.omicsbatch.settings.ErrorListing;
import io.omicsbatch.settings.RunsFileFormat;
import io.omicsbatch.settings.ValidationError;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code validate <settings.json> [--runs <runs.json|.csv|.tsv>]}: checks a batch-settings document, and the runs
 * file (or sample sheet) of an s3UriSettings batch, exactly as the intake function will (the same reader, byte checks and rules, and
 * the runs file only once the document is valid), without touching AWS. Exit 0 means the intake admits and
 * expands the batch, exit 1 that it fails it with the same errors. With {@code --account} and
 * {@code --settings-bucket} it also makes the intake's pre-flight for that deployment; only the checks that need
 * the account's workflows (GetWorkflow) and the runs file's S3 answer remain the intake's alone.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Validate a batch-settings document (and its runs file) as the intake function would.",
                "Exit 0: valid, one summary line. Exit 1: invalid, one '<JSON pointer>: <message> [rule]' line per error",
                "(the first " + ErrorListing.MAX_LISTED + ", then '... and N more errors'). Exit 2: usage or I/O error, or a crash."})
final class ValidateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "<settings.json>", description = "The batch-settings document.")
    Path settings;

    @Option(names = "--runs", paramLabel = "<runs.json|.csv|.tsv>",
            description = {"The runs file an s3UriSettings document points to, read from disk; pointers into it start with /runs/<index>.",
                    "Read as the s3UriSettings key's suffix says, as the intake reads it: .csv or .tsv a sample sheet, else JSON."})
    Path runs;

    @Option(names = "--account", paramLabel = "<account id>",
            description = {"Also make the intake's pre-flight, as the stack in this account would (role account and passability,",
                    "where the runs file lies); needs --settings-bucket."})
    String account;

    @Option(names = "--partition", paramLabel = "<partition>", defaultValue = "aws",
            description = "The stack's partition (default: ${DEFAULT-VALUE}).")
    String partition;

    @Option(names = "--settings-bucket", paramLabel = "<bucket>",
            description = "The stack's settings bucket (stack output SettingsBucketName).")
    String settingsBucket;

    @Option(names = "--omics-role-arns", paramLabel = "<arn>", split = ",",
            description = {"Roles the stack may pass (stack output PassableServiceRoles; default: roles named "
                    + ResourceDefinitions.DEFAULT_OMICS_ROLE_NAME_PATTERN + " in the account)."})
    List<String> omicsRoleArns;

    @Option(names = "--runs-file-locations", paramLabel = "<s3://bucket/prefix>", split = ",",
            description = "The stack's context runsFileLocations.")
    List<String> runsFileLocations;

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
        BatchPreflight preflight;
        try {
            preflight = preflight();
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return Cli.EXIT_USAGE;
        }
        DocumentResult document;
        RunsFileResult runsFile = null;
        boolean preflightPassed = true;
        try {
            document = validateDocument(validator);
            if (preflight != null && document.isValid()) {
                // As at intake: right after the document, before the runs file is read on its say-so.
                List<ValidationError> preflightErrors = preflight.check(document.settings(), settingsBucket);
                preflightErrors.forEach(listing::add);
                preflightPassed = preflightErrors.isEmpty();
            }
            if (runs != null) {
                if (document.settings() != null && document.settings().isInline()) {
                    err.println("error: --runs applies only to a document with batchRunSettings.s3UriSettings; "
                            + settings + " has inlineSettings");
                    return Cli.EXIT_USAGE;
                }
                if (document.isValid() && preflightPassed) {
                    RunsFileFormat format = runsFileFormat(document.settings().batchRunSettings().s3UriSettings());
                    try (InputStream in = open(runs)) {
                        runsFile = validator.validateRunsFile(in, format, document.mergeBase(), null);
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
        out.println(summary(document.settings(), runsFile) + (preflight == null
                ? "; pre-flight not checked: pass --account and --settings-bucket" : "; pre-flight passed"));
        out.flush();
        return Cli.EXIT_OK;
    }

    /**
     * The format the intake reads the runs file in: its key's suffix decides. A local file whose own suffix says
     * otherwise (runs.json for a key ending in .csv) is a usage error, not a verdict on the wrong reading.
     */
    private RunsFileFormat runsFileFormat(String s3UriSettings) {
        RunsFileFormat format = RunsFileFormat.of(s3UriSettings);
        String name = runs.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean suffixed = name.endsWith(".json") || name.endsWith(".csv") || name.endsWith(".tsv");
        if (suffixed && RunsFileFormat.of(name) != format) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--runs " + runs + " is a "
                    + RunsFileFormat.of(name).description() + ", but the intake reads " + s3UriSettings + " as a "
                    + format.description() + " (by the key's suffix): upload it under a key of the same suffix");
        }
        return format;
    }

    /** The intake's pre-flight for the deployment named on the command line, or null without {@code --account}. */
    private BatchPreflight preflight() {
        if (account == null) {
            if (settingsBucket != null || omicsRoleArns != null || runsFileLocations != null) {
                throw new IllegalArgumentException("--settings-bucket, --omics-role-arns and --runs-file-locations go with --account");
            }
            return null;
        }
        if (settingsBucket == null) {
            throw new IllegalArgumentException("--account needs --settings-bucket (the stack output SettingsBucketName)");
        }
        // The same parsing and defaults as the functions' own settings, so the check is the intake's.
        Map<String, String> environment = new HashMap<>();
        environment.put(FunctionEnvironment.STACK_ACCOUNT_ID, account);
        environment.put(FunctionEnvironment.STACK_PARTITION, partition);
        environment.put(FunctionEnvironment.OMICS_ROLE_ARNS, omicsRoleArns != null ? String.join(",", omicsRoleArns)
                : "arn:" + partition + ":iam::" + account + ":role/" + ResourceDefinitions.DEFAULT_OMICS_ROLE_NAME_PATTERN);
        if (runsFileLocations != null) {
            environment.put(FunctionEnvironment.RUNS_FILE_LOCATIONS, String.join(",", runsFileLocations));
        }
        return new BatchPreflight(FunctionSettings.from(environment).deployment());
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
