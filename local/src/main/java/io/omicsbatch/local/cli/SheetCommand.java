package io.omicsbatch.local.cli;

import io.omicsbatch.batch.WorkflowCatalog;
import io.omicsbatch.cli.Cli;
import io.omicsbatch.functions.aws.AwsClients;
import io.omicsbatch.functions.aws.RetryableIoHttpClient;
import io.omicsbatch.functions.aws.SdkWorkflowCatalog;
import io.omicsbatch.settings.ErrorListing;
import io.omicsbatch.settings.RunsFileFormat;
import io.omicsbatch.settings.SampleSheets;
import io.omicsbatch.settings.ValidationErrors;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.omics.OmicsClient;
import software.amazon.awssdk.services.omics.OmicsClientBuilder;

/**
 * {@code sheet template|to-json|from-json}: sample sheets (CSV or TSV runs files, by their suffix) made from a
 * workflow's parameter template, and turned into JSON runs files and back. An output file is never one that exists:
 * the commands refuse to overwrite anything, and remove what they wrote when the input turns out to have errors.
 */
@Command(name = "sheet", mixinStandardHelpOptions = true,
        description = {"Sample sheets: CSV or TSV runs files, one run per row (see the README, 'Sample sheets').",
                "Exit 0: done. Exit 1: the input has errors, one '<JSON pointer>: <message> [rule]' line each, nothing written.",
                "Exit 2: usage or I/O error (an output file that exists is one)."},
        subcommands = {SheetCommand.Template.class, SheetCommand.ToJson.class, SheetCommand.FromJson.class})
final class SheetCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: template, to-json or from-json");
    }

    /** The sheet format a file's name gives, or a usage error naming the option. */
    private static RunsFileFormat sheetFormat(CommandSpec spec, Path file, String what) {
        RunsFileFormat format = RunsFileFormat.of(file.getFileName().toString());
        if (!format.isSheet()) {
            throw new CommandLine.ParameterException(spec.commandLine(), what + " " + file
                    + " must end in .csv or .tsv: the suffix says how the sheet is delimited, as an S3 key's does at intake");
        }
        return format;
    }

    /** Creates the output, refusing one that exists (whatever it is: an input, a sheet, a directory). */
    private static OutputStream create(Path output) throws IOException {
        return new BufferedOutputStream(Files.newOutputStream(output, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), 1 << 16);
    }

    private static InputStream open(Path path) throws IOException {
        return new BufferedInputStream(Files.newInputStream(path), 1 << 16);
    }

    /**
     * Runs a conversion into a new file: exit 0, exit 1 after listing the input's errors (the output removed), or exit
     * 2 for an output that exists or an input that cannot be read.
     */
    private static int convert(CommandSpec spec, Path input, Path output, Conversion conversion) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ErrorListing listing = new ErrorListing(error -> out.println(error.toLine()));
        ValidationErrors errors = new ValidationErrors(1, listing::add);
        int rows;
        boolean created = false;
        try {
            if (!Files.isRegularFile(input)) {
                throw new NoSuchFileException(input.toString());
            }
            try (OutputStream file = create(output)) {
                created = true;
                rows = conversion.run(file, errors);
            }
        } catch (FileAlreadyExistsException e) {
            err.println("error: " + output + " exists; sheet never overwrites a file: choose a new output path");
            return Cli.EXIT_USAGE;
        } catch (NoSuchFileException e) {
            deleteQuietly(created, output);
            err.println("error: no such file: " + e.getFile());
            return Cli.EXIT_USAGE;
        } catch (IOException e) {
            deleteQuietly(created, output);
            err.println("error: cannot convert: " + e.getMessage());
            return Cli.EXIT_USAGE;
        }
        if (listing.total() > 0) {
            deleteQuietly(true, output);
            if (listing.unlisted() > 0) {
                out.println("... and " + listing.unlisted() + " more errors");
            }
            out.flush();
            err.println("invalid: " + listing.total() + (listing.total() == 1 ? " error" : " errors") + " in " + input
                    + "; nothing written");
            err.flush();
            return Cli.EXIT_INVALID;
        }
        out.println("wrote " + output + ": " + rows + (rows == 1 ? " run" : " runs") + " from " + input);
        out.flush();
        return Cli.EXIT_OK;
    }

    private static void deleteQuietly(boolean created, Path output) {
        if (!created) {
            return;
        }
        try {
            Files.deleteIfExists(output);
        } catch (IOException e) {
            // what is left is incomplete, and the error said the conversion failed
        }
    }

    @FunctionalInterface
    private interface Conversion {
        int run(OutputStream out, ValidationErrors errors) throws IOException;
    }

    @Command(name = "to-json", mixinStandardHelpOptions = true,
            description = "Write the JSON runs file a sample sheet stands for (the entries validate and the intake read from it).")
    static final class ToJson implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "<sheet.csv|.tsv>", description = "The sample sheet.")
        Path sheet;

        @Parameters(index = "1", paramLabel = "<runs.json>", description = "The runs file to write; must not exist.")
        Path output;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            RunsFileFormat format = sheetFormat(spec, sheet, "<sheet>");
            return convert(spec, sheet, output, (out, errors) -> {
                try (InputStream in = open(sheet)) {
                    return SampleSheets.toJson(in, format, out, errors);
                }
            });
        }
    }

    @Command(name = "from-json", mixinStandardHelpOptions = true,
            description = {"Write the sample sheet that stands for a JSON runs file. Parameters whose values are all non-empty",
                    "text get a text column; the others a json:<name> column of JSON values."})
    static final class FromJson implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "<runs.json>", description = "The JSON runs file.")
        Path runs;

        @Parameters(index = "1", paramLabel = "<sheet.csv|.tsv>", description = "The sheet to write; must not exist.")
        Path output;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            RunsFileFormat format = sheetFormat(spec, output, "<sheet>");
            return convert(spec, runs, output, (out, errors) -> {
                Writer text = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
                int rows = SampleSheets.fromJson(() -> open(runs), format, text, errors);
                text.flush();
                return rows;
            });
        }
    }

    @Command(name = "template", mixinStandardHelpOptions = true,
            description = {"Write the header row of a sample sheet for a workflow, from its parameter template (GetWorkflow):",
                    "runSettingId, the required parameters, then the optional ones marked ' (optional)' (a note the reader ignores).",
                    "Against the account (default credentials, --region), or the local runner's or simulator's HealthOmics",
                    "endpoint (--endpoint-url, as './omics-batch simulator' or 'run --keep-running' print it)."})
    static final class Template implements Callable<Integer> {
        @Option(names = "--workflow", required = true, paramLabel = "<id>", description = "The workflow id.")
        String workflowId;

        @Option(names = "--workflow-owner-id", paramLabel = "<account id>", description = "The owner of a shared workflow.")
        String workflowOwnerId;

        @Option(names = "--profile", paramLabel = "<name>",
                description = "A Nextflow profile whose own parameter template (profileParameterTemplates) adds columns.")
        String profile;

        @Option(names = "--region", paramLabel = "<region>",
                description = "AWS region of the workflow (default: AWS_REGION / the profile's region).")
        String region;

        @Option(names = "--endpoint-url", paramLabel = "<url>",
                description = "HealthOmics endpoint, e.g. the local simulator's; credentials then default to local ones.")
        URI endpoint;

        @Option(names = {"-o", "--output"}, paramLabel = "<sheet.csv|.tsv>",
                description = "Write the header to this new file (its suffix picks CSV or TSV) instead of standard output (CSV).")
        Path output;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            RunsFileFormat format = output == null ? RunsFileFormat.CSV : sheetFormat(spec, output, "--output");
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            WorkflowCatalog.Lookup lookup;
            try (OmicsClient omics = client()) {
                lookup = new SdkWorkflowCatalog(omics).parameterTemplate(workflowId, workflowOwnerId);
            }
            Map<String, Boolean> parameters = new LinkedHashMap<>();
            if (lookup instanceof WorkflowCatalog.NotFound notFound) {
                err.println("error: " + notFound.message());
                return Cli.EXIT_INVALID;
            } else if (lookup instanceof WorkflowCatalog.Unchecked unchecked) {
                err.println("error: cannot read workflow " + workflowId + "'s parameter template (" + unchecked.reason() + ")");
                return Cli.EXIT_USAGE;
            } else if (lookup instanceof WorkflowCatalog.Template template) {
                if (template.optionalByName() != null) {
                    parameters.putAll(template.optionalByName());
                }
                if (profile != null) {
                    Map<String, Boolean> ofProfile = template.profileTemplates().get(profile);
                    if (ofProfile == null) {
                        err.println("error: workflow " + workflowId + " has no parameter template for profile " + profile
                                + " (profiles with one: " + String.join(", ", template.profileTemplates().keySet()) + ")");
                        return Cli.EXIT_USAGE;
                    }
                    ofProfile.forEach(parameters::putIfAbsent);
                } else if (template.optionalByName() == null) {
                    err.println("error: workflow " + workflowId + " has parameter templates only for its profiles; pass "
                            + "--profile <name> (one of: " + String.join(", ", template.profileTemplates().keySet()) + ")");
                    return Cli.EXIT_USAGE;
                }
            } else {
                err.println("note: workflow " + workflowId + " declares no parameter template; the header has runSettingId only");
            }
            String header = SampleSheets.templateHeader(parameters, format);
            if (output == null) {
                out.print(header);
                out.flush();
                return Cli.EXIT_OK;
            }
            try (OutputStream file = create(output)) {
                file.write(header.getBytes(StandardCharsets.UTF_8));
            } catch (FileAlreadyExistsException e) {
                err.println("error: " + output + " exists; sheet never overwrites a file: choose a new output path");
                return Cli.EXIT_USAGE;
            }
            out.println("wrote " + output + ": runSettingId and " + parameters.size() + " parameter columns of workflow " + workflowId);
            out.flush();
            return Cli.EXIT_OK;
        }

        /** GetWorkflow as the intake reads it: the reader's retries and the members SDK 2.40.2 does not model. */
        private OmicsClient client() {
            OmicsClientBuilder builder = OmicsClient.builder()
                    .httpClient(new RetryableIoHttpClient(UrlConnectionHttpClient.builder().build()))
                    .overrideConfiguration(AwsClients.omicsReaderOverrides());
            if (region != null) {
                builder.region(Region.of(region));
            } else if (endpoint != null) {
                builder.region(Region.US_EAST_1);
            }
            AwsCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
            if (endpoint != null) {
                builder.endpointOverride(endpoint);
                // The simulator takes any keys and serves the API on its one host: no "workflows-" host prefix.
                builder.overrideConfiguration(AwsClients.omicsReaderOverrides().toBuilder()
                        .putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true).build());
                credentials = AwsCredentialsProviderChain.of(credentials,
                        StaticCredentialsProvider.create(AwsBasicCredentials.create("omicsbatchlocal", "omicsbatchlocal")));
            }
            return builder.credentialsProvider(credentials).build();
        }
    }
}
