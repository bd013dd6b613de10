package io.omicsbatch.local.cli;

import io.omicsbatch.cli.Cli;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.omicsbatch.batch.ReconcileService;
import io.omicsbatch.batch.S3Notifications;
import io.omicsbatch.batch.S3ObjectRef;
import io.omicsbatch.functions.IntakeHandler;
import io.omicsbatch.functions.ReconcileHandler;
import io.omicsbatch.functions.RunDeadLetterHandler;
import io.omicsbatch.functions.StatusHandler;
import io.omicsbatch.functions.SubmitHandler;
import io.omicsbatch.local.lambda.LambdaEvents;
import io.omicsbatch.local.lambda.LocalContext;
import io.omicsbatch.local.pipeline.LocalPipeline;
import io.omicsbatch.local.simulator.SimulatorConfig;
import io.omicsbatch.local.simulator.SimulatorConfigException;
import io.omicsbatch.settings.S3Location;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code invoke <function> <event.json> [--put s3://bucket/key=<file>]... [--config <sim.json>]}: one production
 * handler, invoked once against freshly started stand-ins, as {@code sam local invoke} does. The event is
 * deserialized by the Lambda runtime's own serialization library into the handler's input type; the response is
 * printed on stdout as the JSON Lambda would return, the handler's log lines (our loggers at INFO for the
 * invocation) and a final summary on stderr.
 *
 * <p>Exit 0 when the handler returned (an SQS response may still list batch item failures); 1 when it threw
 * (stdout then carries Lambda's {@code errorType}/{@code errorMessage} JSON); 2 on usage or I/O errors, an event
 * that is not the handler's input type among them.
 */
@Command(name = "invoke", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Invoke one handler once against freshly started local stand-ins, as",
                "'sam local invoke' does: DynamoDB Local, ElasticMQ, S3Proxy, the HealthOmics",
                "simulator and a local EventBridge start, provisioned, without any trigger; the",
                "--put files are uploaded; the handler gets the event, deserialized as Lambda",
                "does. Its response (JSON, as Lambda returns it) goes to stdout, its log lines",
                "and a one-line summary to stderr. Nothing survives the command.",
                "",
                "Functions (the handler's class name is accepted too):",
                "  intake           IntakeHandler         SQS event   -> SQSBatchResponse",
                "  submit           SubmitHandler         SQS event   -> SQSBatchResponse",
                "  run-dead-letter  RunDeadLetterHandler  SQS event   -> SQSBatchResponse",
                "  status           StatusHandler         Run Status Change event -> outcome",
                "  reconcile        ReconcileHandler      scheduled event         -> report",
                "Sample events are in events/.",
                "",
                "Exit 0: the handler returned (an SQS response lists any batch item failures).",
                "Exit 1: the handler threw; stdout has Lambda's errorType/errorMessage JSON.",
                "Exit 2: usage or I/O error, or an event that is not the function's input type.",
                ""},
        footer = {"", "Example (the sample notification names this bucket and key, and the ETag of",
                "events/batch-settings.json):",
                "  B=s3://omics-batch-settings-123456789012-us-east-1",
                "  invoke intake events/sqs-s3-notification-unversioned.json \\",
                "      --put $B/batches/batch-settings.json=events/batch-settings.json"})
final class InvokeCommand implements Callable<Integer> {

    /** The logger hierarchy raised to INFO for the invocation: the handlers and the domain services. */
    static final String OUR_LOGGERS = "io.omicsbatch";
    /** Our stand-ins (simulator, S3 notifications, event bridge): noise here, kept at WARN. */
    static final String STAND_IN_LOGGERS = "io.omicsbatch.local";
    private static final String LOG_PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** The five functions of the stack, with their input type and the timeout their local context reports. */
    enum Function {
        INTAKE("intake", IntakeHandler.class, SQSEvent.class, Duration.ofMinutes(15)),
        SUBMIT("submit", SubmitHandler.class, SQSEvent.class, Duration.ofMinutes(1)),
        RUN_DEAD_LETTER("run-dead-letter", RunDeadLetterHandler.class, SQSEvent.class, Duration.ofMinutes(1)),
        STATUS("status", StatusHandler.class, ScheduledEvent.class, Duration.ofSeconds(30)),
        RECONCILE("reconcile", ReconcileHandler.class, ScheduledEvent.class, Duration.ofMinutes(5));

        final String cliName;
        final Class<?> handlerClass;
        final Class<?> eventType;
        final Duration timeout;

        Function(String cliName, Class<?> handlerClass, Class<?> eventType, Duration timeout) {
            this.cliName = cliName;
            this.handlerClass = handlerClass;
            this.eventType = eventType;
            this.timeout = timeout;
        }

        String functionName() {
            return "omics-batch-" + cliName;
        }

        boolean takesSqs() {
            return eventType == SQSEvent.class;
        }

        static Function find(String name) {
            for (Function function : values()) {
                if (function.cliName.equalsIgnoreCase(name) || function.handlerClass.getSimpleName().equalsIgnoreCase(name)
                        || function.functionName().equalsIgnoreCase(name)) {
                    return function;
                }
            }
            return null;
        }

        static String names() {
            return Arrays.stream(values()).map(f -> f.cliName).collect(Collectors.joining(", "));
        }

        Object invoke(LocalPipeline pipeline, Object event, Context context) {
            return switch (this) {
                case INTAKE -> pipeline.intakeHandler().handleRequest((SQSEvent) event, context);
                case SUBMIT -> pipeline.submitHandler().handleRequest((SQSEvent) event, context);
                case RUN_DEAD_LETTER -> pipeline.deadLetterHandler().handleRequest((SQSEvent) event, context);
                case STATUS -> pipeline.statusHandler().handleRequest((ScheduledEvent) event, context);
                case RECONCILE -> pipeline.reconcileHandler().handleRequest((ScheduledEvent) event, context);
            };
        }
    }

    /** One {@code --put s3://bucket/key=<file>}. */
    record Put(S3Location target, Path file) {}

    /** Splits at the last '=' (S3 keys often hold '=', as in {@code date=2025-06-02/}; local file names rarely do). */
    static final class PutConverter implements CommandLine.ITypeConverter<Put> {
        @Override
        public Put convert(String value) {
            int equals = value.lastIndexOf('=');
            if (!value.startsWith(S3Location.SCHEME) || equals < 0 || equals == value.length() - 1) {
                throw new CommandLine.TypeConversionException(
                        "'" + value + "' is not of the form s3://bucket/key=<local file>");
            }
            S3Location.Parsed parsed = S3Location.parse(value.substring(0, equals), true);
            if (!parsed.isValid()) {
                throw new CommandLine.TypeConversionException(
                        "'" + value.substring(0, equals) + "' " + parsed.problem());
            }
            return new Put(parsed.location(), Path.of(value.substring(equals + 1)));
        }
    }

    @Parameters(index = "0", paramLabel = "<function>",
            description = "intake, submit, run-dead-letter, status or reconcile (or the handler's class name).")
    String functionName;

    @Parameters(index = "1", paramLabel = "<event.json>",
            description = "The event, in the JSON Lambda passes the function (see events/ for samples).")
    Path eventFile;

    @Option(names = "--put", paramLabel = "<s3-uri=file>", converter = PutConverter.class,
            description = {"s3://bucket/key=<local file>: upload the file before the invocation (the bucket "
                    + "is created if needed); repeatable. The object's ETag and version are printed."})
    List<Put> puts = new ArrayList<>();

    @Option(names = "--config", paramLabel = "<sim.json>",
            description = "Simulator config (seed, quotas, durations, workflows, faults); every key optional.")
    Path config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Function function = Function.find(functionName);
        if (function == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "unknown function '" + functionName + "'; one of " + Function.names());
        }

        // Everything that can be checked without the stand-ins is checked before they start.
        Object event;
        Map<Put, byte[]> uploads = new LinkedHashMap<>();
        SimulatorConfig simConfig;
        try {
            event = readEvent(function);
            for (Put put : puts) {
                uploads.put(put, Files.readAllBytes(put.file()));
            }
            simConfig = config == null ? SimulatorConfig.defaults() : SimulatorConfig.load(config);
        } catch (UsageProblem e) {
            return usageError(err, e.getMessage());
        } catch (NoSuchFileException e) {
            return usageError(err, "no such file: " + e.getFile());
        } catch (IOException e) {
            return usageError(err, "cannot read: " + e.getMessage());
        } catch (SimulatorConfigException e) {
            return usageError(err, e.getMessage());
        }

        err.println("invoke " + function.cliName + ": starting the local stand-ins");
        err.flush();
        Outcome outcome;
        LocalPipeline pipeline;
        try {
            pipeline = LocalPipeline.start(LocalPipeline.Options.defaults(simConfig).withoutTriggers()
                    .withRunsFilesFrom(puts.stream().map(put -> put.target().bucket()).toList()));
        } catch (RuntimeException e) {
            return usageError(err, "the local stand-ins could not start: " + e);
        }
        try {
            Map<String, S3ObjectRef> stored = new LinkedHashMap<>();
            for (Map.Entry<Put, byte[]> upload : uploads.entrySet()) {
                S3Location target = upload.getKey().target();
                S3ObjectRef object;
                try {
                    object = pipeline.put(target.bucket(), target.key(), upload.getValue());
                } catch (RuntimeException e) {
                    return usageError(err, "could not upload " + upload.getKey().file() + " to " + target.uri() + ": " + e);
                }
                stored.put(object.uri(), object);
                err.println("uploaded " + upload.getKey().file() + " to " + target.uri() + " (ETag " + object.eTag()
                        + (object.versionId() == null ? ", unversioned" : ", version " + object.versionId()) + ")");
            }
            if (function == Function.INTAKE) {
                notifiedObjectsThatDifferFromTheUploads((SQSEvent) event, stored).forEach(err::println);
            }
            err.flush();
            outcome = invoke(pipeline, function, event, err);
            out.println(outcome.responseJson());
            out.flush();
        } finally {
            try {
                pipeline.close();
            } catch (RuntimeException e) {
                err.println("warning: the local stand-ins did not stop cleanly: " + e);
            }
        }
        err.println(outcome.summary(function));
        err.flush();
        return outcome.failed() ? Cli.EXIT_INVALID : Cli.EXIT_OK;
    }

    private static int usageError(PrintWriter err, String message) {
        err.println("error: " + message);
        err.flush();
        return Cli.EXIT_USAGE;
    }

    /**
     * A note for each object the intake event names that was uploaded with another version or ETag: the intake
     * reads exactly the version (or, without one, the ETag) the notification names, so it will not find it. The
     * event is passed on unchanged; the note only says why the outcome will be what it is.
     */
    static List<String> notifiedObjectsThatDifferFromTheUploads(SQSEvent event, Map<String, S3ObjectRef> uploaded) {
        List<String> notes = new ArrayList<>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            List<S3ObjectRef> named;
            try {
                named = message.getBody() == null ? List.of() : S3Notifications.settingsObjects(message.getBody());
            } catch (RuntimeException notANotification) {
                continue; // the handler will say so
            }
            for (S3ObjectRef object : named) {
                S3ObjectRef stored = uploaded.get(object.uri());
                if (stored == null) {
                    continue;
                }
                if (object.versionId() != null && !object.versionId().equals(stored.versionId())) {
                    notes.add("note: the event names version " + object.versionId() + " of " + object.uri()
                            + "; the uploaded object is " + (stored.versionId() == null ? "unversioned"
                            : "version " + stored.versionId()) + ", so the intake will not find the version it names"
                            + " (an event without versionId is matched by ETag alone)");
                } else if (object.versionId() == null && object.eTag() != null && !object.eTag().isEmpty()
                        && !object.eTag().equals(stored.eTag())) {
                    notes.add("note: the event names ETag " + object.eTag() + " for " + object.uri()
                            + "; the uploaded object's is " + stored.eTag() + ", so the intake will see it as changed");
                }
            }
        }
        return notes;
    }

    /** The event file, checked to be JSON of the function's event shape, then deserialized as Lambda does. */
    private Object readEvent(Function function) throws IOException, UsageProblem {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(eventFile))).toString();
        } catch (CharacterCodingException e) {
            throw new UsageProblem(eventFile + " is not JSON: it is not UTF-8 text");
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw new UsageProblem(eventFile + " is not JSON: " + e.getOriginalMessage() + where);
        }
        if (root == null || root.isMissingNode()) {
            throw new UsageProblem(eventFile + " is not JSON: it is empty");
        }
        String expected = "the " + function.cliName + " function takes " + (function.takesSqs()
                ? "an SQS event, {\"Records\": [{\"messageId\", \"body\", ...}]}"
                : "an EventBridge event, {\"detail-type\", \"source\", \"detail\", ...}");
        if (!root.isObject()) {
            throw new UsageProblem(eventFile + " is not an event object: " + expected);
        }
        if (function.takesSqs()) {
            JsonNode records = root.get("Records");
            if (records == null || !records.isArray()) {
                throw new UsageProblem(eventFile + " has no \"Records\" array: " + expected);
            }
            for (JsonNode record : records) {
                if (!record.isObject() || !record.path("body").isTextual()) {
                    throw new UsageProblem(eventFile + " has a record that is not an SQS message with a string \"body\": "
                            + expected);
                }
            }
        } else if (!root.path("detail-type").isTextual()) {
            throw new UsageProblem(eventFile + " has no \"detail-type\": " + expected);
        }
        try {
            return LambdaEvents.fromJson(text, function.eventType);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String message = cause.getMessage() == null ? cause.toString() : cause.getMessage().lines().findFirst().orElse("");
            throw new UsageProblem(eventFile + " does not deserialize into " + function.eventType.getSimpleName() + ": "
                    + message);
        }
    }

    /** One invocation, with our loggers at INFO and written to the command's stderr while it runs. */
    private static Outcome invoke(LocalPipeline pipeline, Function function, Object event, PrintWriter err) {
        LocalContext context = new LocalContext(function.functionName(), function.timeout);
        int records = event instanceof SQSEvent sqs && sqs.getRecords() != null ? sqs.getRecords().size() : 0;
        long started = System.nanoTime();
        try (LogScope ignored = HandlerLogs.capture(err)) {
            Object response = function.invoke(pipeline, event, context);
            return new Outcome(context.getAwsRequestId(), elapsed(started), records, response, null);
        } catch (RuntimeException | Error e) {
            return new Outcome(context.getAwsRequestId(), elapsed(started), records, null, e);
        }
    }

    private static Duration elapsed(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** What the handler returned or threw. */
    record Outcome(String requestId, Duration duration, int records, Object response, Throwable error) {

        boolean failed() {
            return error != null;
        }

        /** The response as Lambda serializes a handler's result (its runtime's Jackson), or Lambda's error JSON. */
        String responseJson() {
            if (error != null) {
                try {
                    return JSON.writeValueAsString(errorJson(error));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            }
            if (response == null) {
                return "null";
            }
            return serialize(response);
        }

        @SuppressWarnings("unchecked")
        private static <T> String serialize(T value) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            JacksonFactory.getInstance().getSerializer((Class<T>) value.getClass()).toJson(value, bytes);
            return bytes.toString(StandardCharsets.UTF_8);
        }

        /** As the Lambda Java runtime reports an unhandled exception. */
        private static Map<String, Object> errorJson(Throwable error) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("errorMessage", error.getMessage());
            json.put("errorType", error.getClass().getName());
            json.put("stackTrace", Arrays.stream(error.getStackTrace()).map(StackTraceElement::toString).toList());
            if (error.getCause() != null && error.getCause() != error) {
                json.put("cause", errorJson(error.getCause()));
            }
            return json;
        }

        String summary(Function function) {
            String head = "invoke " + function.cliName + ": " + (failed() ? "failed" : "returned") + " in "
                    + duration.toMillis() + " ms (request " + requestId + "): ";
            if (failed()) {
                return head + error.getClass().getName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
            }
            if (response instanceof SQSBatchResponse batch) {
                int failures = batch.getBatchItemFailures() == null ? 0 : batch.getBatchItemFailures().size();
                return head + plural(records, "record") + ", " + plural(failures, "batch item failure");
            }
            if (response instanceof ReconcileService.Report report) {
                return head + plural(report.batches(), "batch") + ", " + report.runsRead() + " runs read, "
                        + report.runsChanged() + " changed, " + report.expiredSubmissions() + " expired submissions, "
                        + report.processed() + " processed, " + (report.complete() ? "complete" : "incomplete");
            }
            return head + response;
        }

        private static String plural(int count, String noun) {
            String plural = noun.endsWith("h") ? noun + "es" : noun + "s";
            return count + " " + (count == 1 ? noun : plural);
        }
    }

    /**
     * For the invocation: the {@code io.omicsbatch} loggers at INFO, written to the command's stderr (and not
     * twice through the root appender); our stand-ins and third-party libraries stay at WARN. Restored on close.
     * Nothing happens if SLF4J is not bound to logback.
     */
    /** What {@link HandlerLogs#capture} returns: closing it restores the loggers. */
    interface LogScope extends AutoCloseable {
        @Override
        void close();
    }

    static final class HandlerLogs implements LogScope {

        private final ch.qos.logback.classic.Logger ours;
        private final ch.qos.logback.classic.Logger standIns;
        private final Level oursLevel;
        private final boolean oursAdditive;
        private final Level standInsLevel;
        private final AppenderBase<ILoggingEvent> appender;

        private HandlerLogs(LoggerContext logback, PrintWriter err) {
            this.ours = logback.getLogger(OUR_LOGGERS);
            this.standIns = logback.getLogger(STAND_IN_LOGGERS);
            this.oursLevel = ours.getLevel();
            this.oursAdditive = ours.isAdditive();
            this.standInsLevel = standIns.getLevel();
            PatternLayout layout = new PatternLayout();
            layout.setContext(logback);
            layout.setPattern(LOG_PATTERN);
            layout.start();
            this.appender = new AppenderBase<>() {
                @Override
                protected void append(ILoggingEvent event) {
                    String line = layout.doLayout(event);
                    synchronized (err) {
                        err.print(line);
                        err.flush();
                    }
                }
            };
            appender.setContext(logback);
            appender.setName("invoke-" + Integer.toHexString(System.identityHashCode(this)));
            appender.start();
            ours.addAppender(appender);
            ours.setAdditive(false);
            ours.setLevel(Level.INFO);
            if (standInsLevel == null) {
                standIns.setLevel(Level.WARN); // a level set explicitly (logback.xml) is left as it is
            }
        }

        static LogScope capture(PrintWriter err) {
            if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
                return new HandlerLogs(logback, err);
            }
            return () -> { };
        }

        @Override
        public void close() {
            ours.setLevel(oursLevel);
            ours.setAdditive(oursAdditive);
            ours.detachAppender(appender);
            appender.stop();
            standIns.setLevel(standInsLevel);
        }
    }

    /** A problem with the command's input, reported as a usage error (exit 2). */
    private static final class UsageProblem extends Exception {
        UsageProblem(String message) {
            super(message);
        }
    }
}
