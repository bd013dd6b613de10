package io.omicsbatch.local.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.batch.BatchRecord;
import io.omicsbatch.batch.BatchStatus;
import io.omicsbatch.intake.IntakeService;
import io.omicsbatch.resources.FunctionEnvironment;
import io.omicsbatch.batch.S3ObjectRef;
import io.omicsbatch.local.TestSupport;
import io.omicsbatch.cli.Cli;
import io.omicsbatch.local.cli.LocalCli;
import io.omicsbatch.local.simulator.SimulatorConfig;
import io.omicsbatch.resources.ResourceDefinitions;
import io.omicsbatch.settings.ErrorListing;
import io.omicsbatch.settings.RunRequestSize;
import io.omicsbatch.settings.RunsFileFormat;
import io.omicsbatch.settings.SettingsJson;
import io.omicsbatch.settings.ValidationError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code validate} and the intake judge a document alike: every document of the invalid corpus
 * ({@code shared/src/test/resources/invalid}) and hostile documents of our own go through both paths, the
 * {@code validate} command on files and {@link IntakeService#handle} on the same bytes in S3Proxy, with DynamoDB
 * Local and ElasticMQ behind it. Exit 0 must mean the batch was admitted and expanded, exit 1 that it failed
 * (ValidationFailed) with the same errors, line for line, and the same count. One set of stand-ins serves all.
 *
 * <p>The simulator's workflow here has no parameter template: the template check needs the account, so
 * {@code validate} cannot make it, and the corpus documents were not written against the example's template.
 */
class ValidateAndIntakeAgreeTest {

    private static final Path CORPUS = TestSupport.repoPath("shared/src/test/resources/invalid");
    private static final Pattern RUNS_FILE_URI = Pattern.compile("\"s3UriSettings\"\\s*:\\s*\"s3://([^/\"]+)/([^\"]+)\"");

    private static final String RUNS_FILE_LOCATIONS = "s3://lab-batches/,s3://lab-inputs/";
    private static LocalPipeline pipeline;
    private static IntakeService intake;

    @TempDir
    static Path files;

    @BeforeAll
    static void start() {
        SimulatorConfig c = PipelineTestSupport.simulator(200);
        SimulatorConfig simulator = new SimulatorConfig(c.seed(), c.startRunTps(), c.maxActiveRuns(), c.runDurationMillis(),
                c.failRate(), Map.of("1234567", new SimulatorConfig.Workflow(null, List.of(), Map.of())), c.faults(),
                c.lambdaFaults(), c.account());
        // No trigger: the test drives the intake itself, and the runs it queues need no submitting. The runs files of
        // the corpus and of the hostile cases lie where this deployment may read them (the pre-flight's location rule
        // needs the stack, which validate does not have).
        pipeline = LocalPipeline.start(LocalPipeline.Options.defaults(simulator).withoutTriggers()
                .withEnvironment(FunctionEnvironment.RUNS_FILE_LOCATIONS, RUNS_FILE_LOCATIONS));
        intake = pipeline.intake(new IntakeService.Config(200, ResourceDefinitions.RUN_QUEUE.retentionPeriod(), 500, 20));
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    /** A document, its runs file (or null), and what both paths must say of it (null: whatever they agree on). */
    record Case(String name, byte[] document, byte[] runsFile, Expected expected) {}

    /** The verdict: valid with this many runs, or invalid with this many errors, the first of them these lines. */
    record Expected(boolean valid, long count, List<String> firstLinesStartWith) {
        static Expected valid(long runs) {
            return new Expected(true, runs, List.of());
        }

        static Expected invalid(long errors, String... firstLinesStartWith) {
            return new Expected(false, errors, List.of(firstLinesStartWith));
        }
    }

    /** What one path said: valid and how many runs, or the listed error lines and the count of all errors. */
    record Verdict(boolean valid, long count, List<String> lines) {}

    @TestFactory
    Stream<DynamicTest> everyCorpusDocumentGetsTheSameVerdictAndErrors() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (Stream<Path> listing = Files.list(CORPUS)) {
            for (Path document : listing.filter(p -> p.toString().endsWith(".json") && !p.toString().endsWith(".runs.json"))
                    .sorted().toList()) {
                String name = document.getFileName().toString().replace(".json", "");
                // The runs file: JSON or a sample sheet (whose document's s3UriSettings key has the same suffix).
                Path runs = Stream.of(".runs.json", ".runs.csv", ".runs.tsv").map(suffix -> CORPUS.resolve(name + suffix))
                        .filter(Files::exists).findFirst().orElse(null);
                cases.add(new Case(name, Files.readAllBytes(document), runs != null ? Files.readAllBytes(runs) : null, null));
            }
        }
        assertThat(cases).hasSizeGreaterThan(100);
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> agree(c)));
    }

    @TestFactory
    Stream<DynamicTest> hostileDocumentsGetTheSameVerdictAndErrors() {
        return hostile().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> agree(c)));
    }

    private static List<Case> hostile() {
        List<Case> cases = new ArrayList<>();
        ObjectNode plain = PipelineTestSupport.inlineDocument("bom", 3);
        cases.add(new Case("utf8-with-a-byte-order-mark", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, bytes(plain)),
                null, Expected.valid(3)));

        ObjectNode longList = PipelineTestSupport.inlineDocument("intervals", 20);
        ((ObjectNode) longList.get("defaultRunSetting").get("parameters")).put("intervals", intervals(150_000));
        cases.add(new Case("a-150-kb-parameter-on-every-run", bytes(longList), null, Expected.valid(20)));

        ObjectNode tooLargeRun = PipelineTestSupport.inlineDocument("too-large-run", 3);
        ((ObjectNode) tooLargeRun.get("batchRunSettings").get("inlineSettings").get(1).get("parameters"))
                .put("intervals", intervals(1_100_000));
        cases.add(new Case("a-1.1-mb-parameter-on-one-run", bytes(tooLargeRun), null,
                Expected.invalid(1, "/batchRunSettings/inlineSettings/1: this run's StartRun request")));

        ObjectNode tooLargeDefaults = PipelineTestSupport.inlineDocument("too-large-defaults", 3);
        ((ObjectNode) tooLargeDefaults.get("defaultRunSetting").get("parameters")).put("intervals", intervals(1_100_000));
        cases.add(new Case("a-1.1-mb-default-parameter", bytes(tooLargeDefaults), null,
                Expected.invalid(1, "/defaultRunSetting: makes every run's StartRun request at least")));

        ObjectNode unknown = PipelineTestSupport.inlineDocument("unknown-members", 2);
        for (int i = 0; i < 8; i++) {
            ((ObjectNode) unknown.get("defaultRunSetting")).put(Character.toString('a' + i).repeat(40_000), i);
        }
        cases.add(new Case("eight-unknown-members-with-40000-character-names", bytes(unknown), null,
                Expected.invalid(8, "/defaultRunSetting/aaaa", "/defaultRunSetting/bbbb")));

        String surrogateName = PipelineTestSupport.inlineDocument("surrogate-name", 2).toString().replace("\"ref_fasta\":", "\"ref\\udc00fasta\":");
        cases.add(new Case("an-unpaired-surrogate-in-a-member-name", surrogateName.getBytes(StandardCharsets.UTF_8), null,
                Expected.invalid(1, "/defaultRunSetting/parameters: a member name of this object contains an unpaired surrogate")));

        ArrayNode manyErrors = SettingsJson.MAPPER.createArrayNode();
        for (int i = 0; i < 3_000; i++) {
            manyErrors.add(PipelineTestSupport.runSetting("errors", i).put("priority", -1).put("sampleId", "S" + i));
        }
        cases.add(new Case("a-runs-file-with-6000-errors", bytes(s3Document("errors")), bytes(manyErrors),
                Expected.invalid(6_000, "/runs/0/priority: must be between", "/runs/0/sampleId: unknown member")));

        ArrayNode longIds = SettingsJson.MAPPER.createArrayNode();
        for (int i = 0; i < 50; i++) {
            longIds.add(PipelineTestSupport.runSetting("ids", i).put("runSettingId", "S".repeat(20_000) + (i % 25)));
        }
        cases.add(new Case("a-runs-file-of-20000-character-ids", bytes(s3Document("ids")), bytes(longIds),
                Expected.invalid(75, "/runs/0/runSettingId: must be 1 to 128 characters long, got 20001")));

        ArrayNode oneTooLarge = PipelineTestSupport.runSettings("entry-too-large", 4);
        ((ObjectNode) oneTooLarge.get(2).get("parameters")).put("intervals", intervals(RunRequestSize.MAX_REQUEST_BYTES));
        cases.add(new Case("a-runs-file-entry-over-1-mib", bytes(s3Document("entry-too-large")), bytes(oneTooLarge),
                Expected.invalid(1, "/runs/2: this run's StartRun request")));

        // Sample sheets, read by the key's suffix on both paths: the errors point into the equivalent runs file.
        String sheet = "runSettingId,name,priority,json:intervals,fastq_r1,tag:cohort\r\n"
                + "S1,wgs-1,3,\"[\"\"chr1\"\"]\",s3://lab-in/S1.fq,c1\r\n"
                + "S2,\"wgs, \"\"two\"\"\",,,s3://lab-in/Größe.fq,\r\n";
        cases.add(new Case("a-csv-sample-sheet-with-a-byte-order-mark-and-crlf", bytes(s3Document("sheet", ".csv")),
                concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, sheet.getBytes(StandardCharsets.UTF_8)), Expected.valid(2)));
        cases.add(new Case("a-tsv-sample-sheet", bytes(s3Document("tsv", ".tsv")),
                "runSettingId\tsample_id\nS1\ta,b\nS2\t\"x\ty\"\n".getBytes(StandardCharsets.UTF_8), Expected.valid(2)));
        cases.add(new Case("a-sample-sheet-with-row-errors", bytes(s3Document("sheet-rows", ".csv")),
                ("runSettingId,priority,json:reads,sample_id\nS1,1,2,a\nS2,high,,b\nS3,1,2,c,d\nS1,,[1,\nS4,-5,,e\n")
                        .getBytes(StandardCharsets.UTF_8),
                Expected.invalid(5, "/runs/1/priority: must be an integer (digits, optionally after a minus sign), got \"high\" (sheet line 3) [sheet-cell]",
                        "/runs/2: this row has 5 fields, the header row 4", "/runs/3/parameters/reads: a json: cell must be a JSON value",
                        "/runs/3/runSettingId: runSettingId \"S1\" is already used at /runs/0/runSettingId",
                        "/runs/4/priority: must be between")));
        cases.add(new Case("a-sample-sheet-without-a-runSettingId-column", bytes(s3Document("sheet-header", ".csv")),
                "RunSettingId,engineSettings,sample_id\nS1,x,a\n".getBytes(StandardCharsets.UTF_8),
                Expected.invalid(3, "/runs/0/RunSettingId: column 1 \"RunSettingId\" looks like the member runSettingId",
                        "/runs/0/engineSettings: column 2", "/runs/0/runSettingId: the header row has no runSettingId column")));
        cases.add(new Case("a-latin-1-sample-sheet", bytes(s3Document("sheet-latin1", ".csv")),
                "runSettingId,sample_id\nS1,a\nS2,Gr\u00f6\u00dfe\n".getBytes(StandardCharsets.ISO_8859_1),
                Expected.invalid(1, "/runs/1: holds byte 0xF6 on line 3, which is not UTF-8")));
        cases.add(new Case("a-sample-sheet-with-an-unclosed-quote", bytes(s3Document("sheet-quote", ".csv")),
                "runSettingId,sample_id\nS1,\"a\nS2,b\n".getBytes(StandardCharsets.UTF_8),
                Expected.invalid(1, "/runs/0: the quoted field opened on line 2 is never closed (sheet line 4) [sheet-format]")));

        // The pre-flight, given the deployment on validate's command line: a role of another account, and a runs file
        // under the settings bucket's results/ (whose own errors are then never read, by either path).
        ObjectNode foreign = s3Document("foreign");
        ((ObjectNode) foreign.get("defaultRunSetting")).put("roleArn", "arn:aws:iam::210987654321:role/OmicsWorkflowServiceRole");
        ((ObjectNode) foreign.get("batchRunSettings")).put("s3UriSettings",
                "s3://" + ResourceDefinitions.LOCAL_SETTINGS_BUCKET + "/results/other-batch/runs.json");
        cases.add(new Case("a-foreign-role-and-a-runs-file-under-results", bytes(foreign), bytes(manyErrors),
                Expected.invalid(2, "/defaultRunSetting/roleArn: is a role of account 210987654321",
                        "/batchRunSettings/s3UriSettings: lies under s3://" + ResourceDefinitions.LOCAL_SETTINGS_BUCKET + "/results/")));
        return cases;
    }

    /** Both paths, then the same verdict and the same errors. */
    private static void agree(Case c) throws Exception {
        Verdict cli = validate(c);
        Verdict atIntake = intake(c);
        assertThat(atIntake).as("the intake's verdict on %s, against validate's", c.name()).isEqualTo(cli);
        if (c.expected() != null) {
            assertThat(cli.valid()).as("verdict").isEqualTo(c.expected().valid());
            assertThat(cli.count()).as(cli.valid() ? "runs" : "errors").isEqualTo(c.expected().count());
            for (int i = 0; i < c.expected().firstLinesStartWith().size(); i++) {
                assertThat(cli.lines().get(i)).startsWith(c.expected().firstLinesStartWith().get(i));
            }
        } else {
            assertThat(cli.valid()).as("every corpus document is invalid").isFalse();
        }
        assertThat(cli.lines()).hasSizeLessThanOrEqualTo(ErrorListing.MAX_LISTED)
                .allSatisfy(line -> assertThat(line.length())
                        .isLessThanOrEqualTo(ErrorListing.MAX_POINTER_CHARS + ErrorListing.MAX_MESSAGE_CHARS + 32));
    }

    /** {@code validate <document> [--runs <runs file>]}, in this JVM, as the CLI runs it. */
    private static Verdict validate(Case c) throws IOException {
        Path document = Files.write(files.resolve(c.name() + ".json"), c.document());
        // The pipeline's deployment, as a user passes a stack's outputs: the pre-flight is then compared too.
        List<String> args = new ArrayList<>(List.of("validate", document.toString(), "--account",
                pipeline.simulator().account().id(), "--settings-bucket", pipeline.aws().settingsBucket(),
                "--omics-role-arns", "arn:aws:iam::" + pipeline.simulator().account().id() + ":role/*",
                "--runs-file-locations", RUNS_FILE_LOCATIONS));
        if (c.runsFile() != null) {
            // Named with the key's suffix, as a user keeps the file they upload.
            Matcher uri = RUNS_FILE_URI.matcher(new String(c.document(), StandardCharsets.ISO_8859_1));
            RunsFileFormat format = uri.find() ? RunsFileFormat.of(uri.group(2)) : RunsFileFormat.JSON;
            String suffix = format == RunsFileFormat.JSON ? ".json" : "." + format.name().toLowerCase(java.util.Locale.ROOT);
            args.addAll(List.of("--runs", Files.write(files.resolve(c.name() + ".runs" + suffix), c.runsFile()).toString()));
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = LocalCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args.toArray(String[]::new));
        List<String> lines = out.toString().lines().toList();
        if (exit == Cli.EXIT_OK) {
            Matcher runs = Pattern.compile(", (\\d+) runs? of workflow").matcher(lines.get(0));
            assertThat(runs.find()).as("summary line %s", lines.get(0)).isTrue();
            return new Verdict(true, Long.parseLong(runs.group(1)), List.of());
        }
        assertThat(exit).as("exit code; stderr: %s", err).isEqualTo(Cli.EXIT_INVALID);
        Matcher count = Pattern.compile("invalid: (\\d+) errors?").matcher(err.toString());
        assertThat(count.find()).as("stderr %s", err).isTrue();
        long total = Long.parseLong(count.group(1));
        List<String> listed = lines;
        if (total > ErrorListing.MAX_LISTED) {
            assertThat(lines.get(lines.size() - 1)).isEqualTo("... and " + (total - ErrorListing.MAX_LISTED) + " more errors");
            listed = lines.subList(0, lines.size() - 1);
        }
        return new Verdict(false, total, listed);
    }

    /** The same bytes through the intake: the runs file where the document says, the document outside batches/. */
    private static Verdict intake(Case c) throws IOException {
        if (c.runsFile() != null) {
            Matcher uri = RUNS_FILE_URI.matcher(new String(c.document(), StandardCharsets.ISO_8859_1));
            assertThat(uri.find()).as("the s3UriSettings of %s", c.name()).isTrue();
            pipeline.put(uri.group(1), uri.group(2), c.runsFile());
        }
        forgetBatches();
        S3ObjectRef settings = pipeline.put(pipeline.aws().settingsBucket(), "agree/" + c.name() + ".json", c.document());
        IntakeService.Result result = intake.handle(settings, () -> true);
        BatchRecord batch = pipeline.batches().get(result.batchId()).orElseThrow();
        if (result.outcome() == IntakeService.Outcome.EXPANDED) {
            assertThat(batch.status()).isEqualTo(BatchStatus.SUBMITTING);
            assertThat(batch.expandedRuns()).isEqualTo((long) batch.totalRuns());
            return new Verdict(true, batch.totalRuns(), List.of());
        }
        assertThat(result.outcome()).as("outcome (%s: %s)", batch.failureReason(), batch.failureMessage())
                .isEqualTo(IntakeService.Outcome.FAILED);
        assertThat(batch.failureReason()).isEqualTo("ValidationFailed");
        String reportKey = ResourceDefinitions.REPORTS_PREFIX + result.batchId() + "/errors.json";
        assertThat(batch.failureMessage()).endsWith(reportKey);
        JsonNode report = SettingsJson.MAPPER.readTree(pipeline.aws().s3Client()
                .getObjectAsBytes(b -> b.bucket(settings.bucket()).key(reportKey)).asByteArray());
        List<String> lines = new ArrayList<>();
        report.get("errors").forEach(e -> lines.add(e.get("pointer").asText() + ": " + e.get("message").asText()
                + " [" + e.get("rule").asText() + "]"));
        long total = report.get("errorCount").asLong();
        assertThat(report.get("errorsNotListed").asLong()).isEqualTo(total - lines.size());
        assertThat(batch.errorCount()).isEqualTo(total);
        // The record keeps the first errors, cut shorter than the report's.
        assertThat(batch.errors()).isNotEmpty().hasSizeLessThanOrEqualTo(20);
        for (int i = 0; i < batch.errors().size(); i++) {
            BatchRecord.ErrorEntry onRecord = batch.errors().get(i);
            JsonNode inReport = report.get("errors").get(i);
            assertThat(onRecord.rule()).isEqualTo(inReport.get("rule").asText());
            assertThat(inReport.get("pointer").asText()).startsWith(uncut(onRecord.pointer()));
            assertThat(inReport.get("message").asText()).startsWith(uncut(onRecord.message()));
        }
        return new Verdict(false, total, lines);
    }

    /** Each case is a first batch: the corpus's documents share requestIds, which would make them one batch. */
    private static void forgetBatches() {
        String table = ResourceDefinitions.BATCHES_TABLE.name();
        var dynamo = pipeline.aws().dynamoDbClient();
        dynamo.scanPaginator(b -> b.tableName(table).projectionExpression("batchId")).items()
                .forEach(key -> dynamo.deleteItem(b -> b.tableName(table).key(key)));
    }

    private static String uncut(String text) {
        return text.endsWith(ValidationError.CUT) ? text.substring(0, text.length() - ValidationError.CUT.length()) : text;
    }

    private static ObjectNode s3Document(String batchName) {
        return s3Document(batchName, ".json");
    }

    private static ObjectNode s3Document(String batchName, String suffix) {
        ObjectNode doc = PipelineTestSupport.baseDocument(batchName);
        doc.putObject("batchRunSettings").put("s3UriSettings", "s3://lab-inputs/agree/" + batchName + "/runs" + suffix);
        return doc;
    }

    /** A BED-like list of calling intervals of about {@code chars} characters. */
    private static String intervals(int chars) {
        StringBuilder out = new StringBuilder(chars + 32);
        for (int i = 0; out.length() < chars; i++) {
            out.append("chr1:").append(i * 1000).append('-').append(i * 1000 + 999).append(',');
        }
        return out.toString();
    }

    private static byte[] bytes(JsonNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }
}
