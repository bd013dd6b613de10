package io.omicsbatch.local.cli;

import io.omicsbatch.cli.BatchViews;
import io.omicsbatch.cli.Cli;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.batch.BatchNotification;
import io.omicsbatch.batch.BatchRecord;
import io.omicsbatch.batch.BatchReportPage;
import io.omicsbatch.batch.ResultsManifest;
import io.omicsbatch.batch.RunStatus;
import io.omicsbatch.batch.S3ObjectRef;
import io.omicsbatch.local.pipeline.LocalPipeline;
import io.omicsbatch.local.simulator.Account;
import io.omicsbatch.local.simulator.SimulatorConfig;
import io.omicsbatch.local.simulator.SimulatorConfigException;
import io.omicsbatch.resources.ResourceDefinitions;
import io.omicsbatch.settings.SettingsJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code run <settings.json> [--put s3://bucket/key=<file>]... [--config <sim.json>] [--start-run-tps <n>]
 * [--report <report.json>]}: the whole pipeline on this machine (docs/local.md). Exit 0 when the batch ended
 * PROCESSED (failed runs included), 1 when it ended FAILED or CANCELLED (or did not end within --timeout), 2 on
 * usage errors.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a batch end to end on this machine: local AWS stand-ins, the HealthOmics simulator",
                "and the production handlers, from the dropped settings file to the results manifest.",
                "Exit 0: PROCESSED (failed runs included); 1: FAILED or CANCELLED (--cancel-after), or --timeout; 2: usage error."})
final class RunCommand implements Callable<Integer> {

    private static final Pattern PUT = Pattern.compile("s3://([^/]+)/(.+?)=(.+)");
    /** The results manifest's files, as the status function writes them under results/&lt;batchId&gt;/. */
    private static final List<String> MANIFESTS = List.of("runs.csv", "runs.json");
    /** The report page beside the report: out/report.json, out/report.html. */
    private static final String PAGE = "html";
    /** The batch-end message a deployed stack would e-mail, beside the report. */
    private static final String NOTIFICATION = "notification.txt";
    /** The local rule that catches the batch-end events, as the stack's notification rule does. */
    static final String NOTIFICATION_RULE = "omics-batch-notify";

    @Parameters(index = "0", paramLabel = "<settings.json>", description = "The batch-settings document to drop.")
    Path settings;

    @Option(names = "--put", paramLabel = "s3://bucket/key=<file>",
            description = "Upload a local file first (e.g. the runs file or .csv/.tsv sample sheet an s3UriSettings batch names). Repeatable.")
    List<String> puts = new ArrayList<>();

    @Option(names = "--config", paramLabel = "<sim.json>",
            description = "Simulator config: quota, active runs, durations, failure rate, workflows, faults.")
    Path config;

    @Option(names = "--start-run-tps", paramLabel = "<n>",
            description = "The submit function's StartRun rate (default: the simulator's quota).")
    Double startRunTps;

    @Option(names = "--report", paramLabel = "<report.json>",
            description = {"Write the report here, and the results manifest, the report page and the batch-end message",
                    "next to it, named after it (out/report.json: out/report.runs.csv, out/report.runs.json,",
                    "out/report.html, out/report.notification.txt). Never one of the input files."})
    Path report;

    @Option(names = "--timeout", paramLabel = "<seconds>", description = "Give up after this long (default: no limit).")
    Long timeoutSeconds;

    @Option(names = "--keep-running",
            description = "After the batch ends, keep the stand-ins up (Ctrl-C stops) to query them with status/runs.")
    boolean keepRunning;

    @Option(names = "--cancel-after", paramLabel = "<n>",
            description = {"Cancel the batch once n submissions have succeeded, as a user does: a cancel request",
                    "document put under cancel/ (the run then ends CANCELLED, exit 1)."})
    Long cancelAfter;

    @Option(names = "--progress", paramLabel = "<mode>",
            description = "auto (a live bar on a terminal, lines otherwise), bar, lines or none. Default: ${DEFAULT-VALUE}.")
    String progress = "auto";

    @Spec
    CommandSpec spec;

    private record Upload(String bucket, String key, Path file) {}

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<Upload> uploads = new ArrayList<>();
        for (String put : puts) {
            Matcher m = PUT.matcher(put);
            if (!m.matches()) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--put must be s3://bucket/key=<local file>, got: " + put);
            }
            uploads.add(new Upload(m.group(1), m.group(2), Path.of(m.group(3))));
        }
        if (startRunTps != null && !(startRunTps > 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--start-run-tps must be positive, got " + startRunTps);
        }
        if (cancelAfter != null && cancelAfter < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--cancel-after must be 0 or more, got " + cancelAfter);
        }
        if (!List.of("auto", "bar", "lines", "none").contains(progress)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--progress must be auto, bar, lines or none");
        }
        byte[] document = read(settings);
        List<Path> inputs = new ArrayList<>(List.of(settings));
        for (Upload upload : uploads) {
            read(upload.file()); // every file readable before anything starts
            inputs.add(upload.file());
        }
        if (config != null) {
            inputs.add(config);
        }
        if (report != null) {
            refuseToOverwrite(inputs, outputs(report));
        }
        SimulatorConfig simulator;
        try {
            simulator = config == null ? SimulatorConfig.defaults() : SimulatorConfig.load(config);
        } catch (SimulatorConfigException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        double tps = startRunTps != null ? startRunTps : simulator.startRunTps();
        Account account = rehearsedAccount(simulator, document);

        long started = System.nanoTime();
        out.printf("omics-batch local run: %s (StartRun at %s/s, simulator quota %s/s, account %s)%n",
                settings.getFileName(), number(tps), number(simulator.startRunTps()), account.id());
        out.flush();
        LocalPipeline.Options options = LocalPipeline.Options.defaults(simulator).withAccount(account)
                .withStartRunTps(tps)
                .withSubmitConcurrency(submitConcurrency(tps))
                .withRunQueueVisibility(Duration.ofSeconds(10))
                .withRunsFilesFrom(uploads.stream().map(Upload::bucket).toList());
        try (LocalPipeline pipeline = LocalPipeline.start(options)) {
            for (Upload upload : uploads) {
                pipeline.put(upload.bucket(), upload.key(), Files.readAllBytes(upload.file()));
            }
            java.util.concurrent.atomic.AtomicReference<String> batchEnd = new java.util.concurrent.atomic.AtomicReference<>();
            pipeline.eventBridge().putRule(NOTIFICATION_RULE,
                    BatchNotification.eventPattern(pipeline.components().settings().batchEventSource()), batchEnd::set);
            String key = ResourceDefinitions.BATCHES_PREFIX + settings.getFileName();
            S3ObjectRef dropped = pipeline.dropSettings(settings.getFileName().toString(), document);
            out.printf("dropped s3://%s/%s; DynamoDB at %s%n", dropped.bucket(), key, pipeline.aws().dynamoDbEndpoint());
            out.flush();

            Progress bar = Progress.of(progress, out, simulator.startRunTps());
            long deadline = timeoutSeconds == null ? Long.MAX_VALUE : System.nanoTime() + timeoutSeconds * 1_000_000_000L;
            BatchRecord batch = null;
            Optional<String> batchId = Optional.empty();
            boolean cancelRequested = false;
            while (System.nanoTime() < deadline) {
                if (batchId.isEmpty()) {
                    batchId = batchIdOf(pipeline, dropped); // a scan, until the intake has created the batch
                }
                batch = batchId.flatMap(id -> pipeline.batches().get(id)).orElse(null);
                if (batch != null) {
                    bar.update(batch, (System.nanoTime() - started) / 1e9);
                    if (batch.isFinal()) {
                        break;
                    }
                    if (cancelAfter != null && !cancelRequested
                            && batch.count("successfulStartSubmissionCount") >= cancelAfter) {
                        S3ObjectRef request = pipeline.dropRequest(ResourceDefinitions.CANCEL_PREFIX,
                                settings.getFileName().toString(), cancelRequest(batch.batchId()));
                        cancelRequested = true;
                        out.printf("%ncancel requested after %d successful submissions: s3://%s/%s%n",
                                batch.count("successfulStartSubmissionCount"), request.bucket(), request.key());
                        out.flush();
                    }
                }
                Thread.sleep(200);
            }
            bar.finish();
            if (batch == null || !batch.isFinal()) {
                out.printf("timed out after %d s; batch %s%n", timeoutSeconds,
                        batch == null ? "not created" : batch.batchId() + " is " + batch.status());
                out.flush();
                return Cli.EXIT_INVALID;
            }
            pipeline.eventBridge().awaitQuiescence(Duration.ofSeconds(5));
            double seconds = (System.nanoTime() - started) / 1e9;
            ObjectNode reportJson = report(pipeline, batch);
            ObjectNode runner = reportJson.putObject("runner");
            runner.put("seconds", Math.round(seconds * 10) / 10.0);
            runner.put("startRunTps", tps);
            runner.put("submitCrashes", pipeline.submitCrashes());
            runner.put("intakeCrashes", pipeline.intakeCrashes());
            runner.put("duplicateNotifications", pipeline.duplicateNotifications());
            runner.put("peakHeapBytes", peakHeapBytes());
            summary(out, batch, reportJson, seconds, tps, simulator.startRunTps());
            String notification = awaitBatchEnd(batchEnd, batch, Duration.ofSeconds(10));
            if (notification != null) {
                out.println("notification (the e-mail a stack deployed with notifyEmail sends):");
                notification.lines().forEach(line -> out.println("  " + line));
            }
            if (report != null) {
                writeReport(pipeline, batch, reportJson, notification, out);
            }
            out.flush();
            if (keepRunning) {
                URI endpointUrl = pipeline.endpointUrl();
                out.printf("endpoint-url %s%n", endpointUrl);
                out.printf("stand-ins kept running; try: ./omics-batch status %s --endpoint-url %s   (Ctrl-C stops)%n",
                        batch.batchId(), endpointUrl);
                out.printf("HealthOmics simulator at %s (e.g. ./omics-batch sheet template --workflow <id> --endpoint-url %s)%n",
                        pipeline.simulator().endpoint(), pipeline.simulator().endpoint());
                out.flush();
                try {
                    new java.util.concurrent.CountDownLatch(1).await(); // until Ctrl-C, or the thread is interrupted
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return batch.status() == io.omicsbatch.batch.BatchStatus.PROCESSED ? Cli.EXIT_OK : Cli.EXIT_INVALID;
        }
    }

    /** A CancelRunBatch request document. */
    private static byte[] cancelRequest(String batchId) {
        ObjectNode request = SettingsJson.MAPPER.createObjectNode().put("batchId", batchId);
        return request.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "cannot read " + file + ": " + e.getMessage());
        }
    }

    /**
     * The account the rehearsal plays (the simulator's, and the stack's): the config's {@code account} if it names
     * one (in the default partition), else that of the document's {@code defaultRunSetting.roleArn}, so that a real
     * document's role may be passed; else the default. A document that cannot be read leaves it to the intake to say why.
     */
    static Account rehearsedAccount(SimulatorConfig simulator, byte[] document) {
        if (simulator.configuredAccount().isPresent()) {
            return new Account(Account.DEFAULT.partition(), simulator.configuredAccount().get());
        }
        JsonNode role;
        try {
            role = SettingsJson.MAPPER.readTree(document).path("defaultRunSetting").path("roleArn");
        } catch (IOException e) {
            return Account.DEFAULT;
        }
        return Account.ofRoleArn(role.isTextual() ? role.textValue() : null).orElse(Account.DEFAULT);
    }

    /**
     * The message the stack's notification rule would send for the batch's final event, rendered from the event our
     * local rule caught (it is published just after the status change the loop saw, so it may still be on its way);
     * null if the batch's status is not one that is notified, or no event came within {@code timeout}.
     */
    private static String awaitBatchEnd(java.util.concurrent.atomic.AtomicReference<String> batchEnd, BatchRecord batch,
                                        Duration timeout) throws IOException, InterruptedException {
        if (!BatchNotification.STATUSES.contains(batch.status())) {
            return null;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String event = batchEnd.get();
            if (event != null) {
                JsonNode tree = SettingsJson.MAPPER.readTree(event);
                if (tree.path("detail").path("status").asText().equals(batch.status().name())) {
                    return BatchNotification.render(tree);
                }
            }
            Thread.sleep(50);
        }
        return null;
    }

    /** The batch created for the dropped object (there is one: the stand-ins are fresh). */
    private static Optional<String> batchIdOf(LocalPipeline pipeline, S3ObjectRef dropped) {
        var items = pipeline.aws().dynamoDbClient().scan(b -> b.tableName(ResourceDefinitions.BATCHES_TABLE.name())
                .consistentRead(true).filterExpression("settingsKey = :key")
                .expressionAttributeValues(Map.of(":key", AttributeValue.fromS(dropped.key())))).items();
        return items.isEmpty() ? Optional.empty() : Optional.of(items.get(0).get("batchId").s());
    }

    /** The run report (docs/local.md): the batch, every run, and the simulator's own view. */
    static ObjectNode report(LocalPipeline pipeline, BatchRecord batch) {
        ObjectNode report = SettingsJson.MAPPER.createObjectNode();
        report.set("batch", BatchViews.batch(batch, pipeline.components().settings().partition(), null));
        ArrayNode runs = report.putArray("runs");
        pipeline.runs().forEachRun(batch.batchId(), run -> runs.add(BatchViews.run(run)));
        report.set("simulator", pipeline.simulator().groundTruth());
        return report;
    }

    private void writeReport(LocalPipeline pipeline, BatchRecord batch, ObjectNode reportJson, String notification,
                             PrintWriter out) throws IOException {
        Path target = report.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Files.write(target, SettingsJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(reportJson));
        out.printf("report       %s%n", report);
        if (batch.status() == io.omicsbatch.batch.BatchStatus.PROCESSED) {
            for (String name : MANIFESTS) {
                byte[] manifest = pipeline.aws().s3Client().getObjectAsBytes(b -> b.bucket(batch.settingsObject().bucket())
                        .key(ResultsManifest.key(batch.batchId(), name))).asByteArray();
                Path copy = manifestCopy(report, name);
                Files.write(copy, manifest);
                out.printf("manifest     %s%n", copy);
            }
            byte[] page = pipeline.aws().s3Client().getObjectAsBytes(b -> b.bucket(batch.settingsObject().bucket())
                    .key(ResultsManifest.key(batch.batchId(), BatchReportPage.FILE_NAME))).asByteArray();
            Path copy = manifestCopy(report, PAGE);
            Files.write(copy, page);
            out.printf("report page  %s%n", copy);
        }
        if (notification != null) {
            Path copy = manifestCopy(report, NOTIFICATION);
            Files.writeString(copy, notification + "\n");
            out.printf("notification %s%n", copy);
        }
    }

    /**
     * Where a manifest is copied: beside the report and named after it (out/report.json: out/report.runs.csv), so
     * that it cannot land on a file of the user's that merely shares the manifest's name, such as a runs file.
     */
    static Path manifestCopy(Path report, String manifestName) {
        String name = report.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        return report.resolveSibling(base + "." + manifestName);
    }

    private static List<Path> outputs(Path report) {
        List<Path> outputs = new ArrayList<>(List.of(report));
        MANIFESTS.forEach(name -> outputs.add(manifestCopy(report, name)));
        outputs.add(manifestCopy(report, PAGE));
        outputs.add(manifestCopy(report, NOTIFICATION));
        return outputs;
    }

    /**
     * Usage error if an output would replace an input file. Only an existing output can be one (inputs were read),
     * and {@link Files#isSameFile} sees through relative paths, symbolic links and hard links alike.
     */
    private void refuseToOverwrite(List<Path> inputs, List<Path> outputs) {
        for (Path output : outputs) {
            if (!Files.exists(output)) {
                continue;
            }
            for (Path input : inputs) {
                boolean same;
                try {
                    same = Files.isSameFile(input, output);
                } catch (IOException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "cannot compare " + output + " with "
                            + input + ": " + e.getMessage());
                }
                if (same) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--report " + report + " would write "
                            + output + ", which is the input file " + input + "; choose another report path");
                }
            }
        }
    }

    private static void summary(PrintWriter out, BatchRecord batch, ObjectNode report, double seconds, double tps,
                                double quota) {
        out.println();
        out.printf("batch        %s%s: %s in %.1f s%n", batch.batchId(),
                batch.batchName() == null ? "" : " (" + batch.batchName() + ")", batch.status(), seconds);
        if (batch.failureReason() != null) {
            out.printf("failure      %s: %s%n", batch.failureReason(), batch.failureMessage());
            batch.errors().forEach(e -> out.printf("             %s: %s [%s]%n", e.pointer(), e.message(), e.rule()));
            if (batch.errorCount() > batch.errors().size()) {
                out.printf("             ... %d errors in all%n", batch.errorCount());
            }
        }
        out.printf("runs         %s total%n", batch.totalRuns() == null ? "-" : batch.totalRuns());
        out.printf("submissions  successful %d   failed %d   pending %d%n", batch.count("successfulStartSubmissionCount"),
                batch.count("failedStartSubmissionCount"), batch.count("pendingStartSubmissionCount"));
        StringBuilder statuses = new StringBuilder();
        // Outcomes first, deletions last (a deleted run is one whose outcome was never learned).
        java.util.List<RunStatus> order = new java.util.ArrayList<>(java.util.List.of(RunStatus.values()));
        order.remove(RunStatus.DELETED);
        order.add(RunStatus.DELETED);
        for (RunStatus status : order) {
            long count = batch.count(status.countAttribute());
            if (count > 0 || status.isTerminal()) {
                statuses.append(String.format("%s %d   ", status.name().toLowerCase(java.util.Locale.ROOT), count));
            }
        }
        out.printf("run status   %s%n", statuses.toString().trim());
        JsonNode sim = report.path("simulator");
        out.printf("StartRun     %d calls: %d runs created, %d throttled, %d quota-exceeded (rate %s/s, quota %s/s)%n",
                sim.path("startRunCalls").asLong(), sim.path("runsCreated").asLong(), sim.path("throttledCalls").asLong(),
                sim.path("quotaExceededCalls").asLong(), number(tps), number(quota));
        JsonNode runner = report.path("runner");
        long intakeCrashes = runner.path("intakeCrashes").asLong();
        long duplicates = runner.path("duplicateNotifications").asLong();
        long submitCrashes = runner.path("submitCrashes").asLong();
        if (intakeCrashes + duplicates + submitCrashes > 0) {
            out.printf("injected     intake crashes %d   duplicate notifications %d   submit crashes %d%n", intakeCrashes,
                    duplicates, submitCrashes);
        }
        if (batch.status() == io.omicsbatch.batch.BatchStatus.PROCESSED) {
            out.printf("results      %s%n", ResultsManifest.csvUri(batch));
        }
    }

    /**
     * The run queue mapping's maximumConcurrency: one submit invocation handles about 10 StartRun calls a second
     * locally (each with its DynamoDB writes), so a higher rate needs more of them; the pace stays the shared one.
     */
    static int submitConcurrency(double tps) {
        return (int) Math.max(2, Math.min(16, Math.ceil(tps / 10)));
    }

    /** The heap's high-water mark: the sum of the heap pools' peaks since the JVM started. */
    private static long peakHeapBytes() {
        long peak = 0;
        for (java.lang.management.MemoryPoolMXBean pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(java.util.Locale.ROOT, "%.2f", value);
    }
}
