package io.omicsbatch.local.cli;

import io.omicsbatch.cli.Cli;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.omicsbatch.batch.S3ObjectRef;
import io.omicsbatch.local.lambda.LambdaEvents;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * The invoke command, through the CLI as a user runs it, against real stand-ins. Each invocation starts (and
 * stops) its own stand-ins, so what it did is checked by what it printed. Usage errors are found before any
 * stand-in starts.
 */
class InvokeCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The bucket and key the sample S3 notifications name; the object's ETag is the MD5 of batch-settings.json. */
    private static final String SAMPLE_SETTINGS_URI =
            "s3://omics-batch-settings-123456789012-us-east-1/batches/batch-settings.json";

    @TempDir
    Path tmp;

    record Outcome(int exitCode, String out, String err) {
        JsonNode response() throws IOException {
            return JSON.readTree(out);
        }

        List<String> errLines() {
            return err.lines().toList();
        }
    }

    static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = LocalCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }

    private static String event(String name) {
        return RepoFiles.resolve("events/" + name).toString();
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(tmp.resolve(name), content);
    }

    @Test
    void intakeExpandsTheExampleBatchFromTheUploadedSettings() throws IOException {
        Outcome outcome = run("invoke", "intake", event("sqs-s3-notification-unversioned.json"),
                "--put", SAMPLE_SETTINGS_URI + "=" + event("batch-settings.json"));

        assertThat(outcome.exitCode()).as(outcome.err()).isZero();
        assertThat(outcome.out().lines()).hasSize(1);
        assertThat(outcome.response().get("batchItemFailures")).isEmpty();
        assertThat(outcome.err())
                .contains("uploaded ").contains("ETag 063f588c16b9daf9407221edebf2fcde")
                .containsPattern("INFO .*IntakeHandler - batch [0-9a-f]{20}: EXPANDED");
        assertThat(outcome.errLines()).last().asString()
                .startsWith("invoke intake: returned in ").endsWith("1 record, 0 batch item failures");
        // Run parameters and sample names stay out of INFO logs; nothing but the response on stdout.
        assertThat(outcome.err()).doesNotContain("NA12878").doesNotContain("fastq");
        assertThat(outcome.out()).doesNotContain("NA12878");
        // The loggers are as they were before the invocation.
        LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
        assertThat(logback.getLogger(InvokeCommand.OUR_LOGGERS).getLevel()).isNull();
        assertThat(logback.getLogger(InvokeCommand.OUR_LOGGERS).isAdditive()).isTrue();
        assertThat(logback.getLogger(InvokeCommand.STAND_IN_LOGGERS).getLevel()).isNull();
    }

    @Test
    void theVersionedSampleNotificationRunsUnchangedWithANoteOnWhyItsVersionIsNotFound() throws IOException {
        // The sample names version Wr8m... of the object; no upload can reproduce that version id.
        Outcome outcome = run("invoke", "intake", event("sqs-s3-notification.json"),
                "--put", SAMPLE_SETTINGS_URI + "=" + event("batch-settings.json"));

        assertThat(outcome.exitCode()).as(outcome.err()).isZero();
        assertThat(outcome.err()).contains("note: the event names version Wr8mC1bB0t9Qx3Dzl5x2ZK7v.uP4nH6s of "
                + SAMPLE_SETTINGS_URI + "; the uploaded object is unversioned");
        assertThat(outcome.response().get("batchItemFailures").isArray()).isTrue();
        assertThat(outcome.err()).doesNotContain("EXPANDED");
    }

    @Test
    void notesCompareTheNotifiedVersionAndETagWithTheUploadedObject() throws IOException {
        SQSEvent versioned = LambdaEvents.fromJson(Files.readString(Path.of(event("sqs-s3-notification.json"))), SQSEvent.class);
        SQSEvent unversioned = LambdaEvents.fromJson(
                Files.readString(Path.of(event("sqs-s3-notification-unversioned.json"))), SQSEvent.class);
        String bucket = "omics-batch-settings-123456789012-us-east-1";
        String key = "batches/batch-settings.json";
        S3ObjectRef sameContent = new S3ObjectRef(bucket, key, null, "063f588c16b9daf9407221edebf2fcde");
        S3ObjectRef otherContent = new S3ObjectRef(bucket, key, "v2", "0123456789abcdef0123456789abcdef");

        assertThat(InvokeCommand.notifiedObjectsThatDifferFromTheUploads(unversioned, Map.of(SAMPLE_SETTINGS_URI, sameContent)))
                .isEmpty();
        assertThat(InvokeCommand.notifiedObjectsThatDifferFromTheUploads(unversioned, Map.of(SAMPLE_SETTINGS_URI, otherContent)))
                .singleElement().asString().contains("names ETag 063f588c16b9daf9407221edebf2fcde")
                .contains("the uploaded object's is 0123456789abcdef0123456789abcdef");
        assertThat(InvokeCommand.notifiedObjectsThatDifferFromTheUploads(versioned, Map.of(SAMPLE_SETTINGS_URI, otherContent)))
                .singleElement().asString().contains("the uploaded object is version v2");
        assertThat(InvokeCommand.notifiedObjectsThatDifferFromTheUploads(versioned, Map.of())).isEmpty();
    }

    @Test
    void aMessageTheHandlerCannotReadIsABatchItemFailureAndTheInvocationStillSucceeds() throws IOException {
        Path twoMessages = write("two-messages.json", """
                {"Records": [
                  {"messageId": "test-event", "receiptHandle": "r1", "eventSource": "aws:sqs",
                   "body": "{\\"Service\\":\\"Amazon S3\\",\\"Event\\":\\"s3:TestEvent\\",\\"Bucket\\":\\"omics-batch-settings\\"}"},
                  {"messageId": "garbled", "receiptHandle": "r2", "eventSource": "aws:sqs", "body": "not json"}]}
                """);

        Outcome outcome = run("invoke", "intake", twoMessages.toString());

        assertThat(outcome.exitCode()).as(outcome.err()).isZero();
        assertThat(outcome.out().strip()).isEqualTo("{\"batchItemFailures\":[{\"itemIdentifier\":\"garbled\"}]}");
        assertThat(outcome.err()).contains("ERROR").contains("intake message garbled failed");
        assertThat(outcome.errLines()).last().asString().endsWith("2 records, 1 batch item failure");
    }

    @Test
    void statusOfARunTheSimulatorDoesNotKnowIsNotOurs() {
        Outcome outcome = run("invoke", "status", event("run-status-change.json"));

        assertThat(outcome.exitCode()).as(outcome.err()).isZero();
        assertThat(outcome.out().strip()).isEqualTo("\"NOT_OURS\"");
        assertThat(outcome.err()).containsPattern("INFO .*StatusHandler - run 1234567890 COMPLETED: NOT_OURS");
        assertThat(outcome.errLines()).last().asString().startsWith("invoke status: returned in ").endsWith("NOT_OURS");
        assertThat(outcome.err()).doesNotContain("NA12878"); // the event's runName stays out of the logs
    }

    @Test
    void reconcileOnEmptyTablesReportsACompletePass() throws IOException {
        Outcome outcome = run("invoke", "reconcile", event("reconcile-schedule.json"));

        assertThat(outcome.exitCode()).as(outcome.err()).isZero();
        JsonNode report = outcome.response();
        assertThat(report.get("batches").asInt()).isZero();
        assertThat(report.get("runsRead").asInt()).isZero();
        assertThat(report.get("runsChanged").asInt()).isZero();
        assertThat(report.get("complete").asBoolean()).isTrue();
        assertThat(outcome.errLines()).last().asString().startsWith("invoke reconcile: returned in ").endsWith("complete");
    }

    @Test
    void aHandlerThatThrowsExitsOneWithLambdasErrorJson() throws IOException {
        // Every GetRun fails: the status function's exception is what EventBridge would retry.
        Path failingSimulator = write("sim.json", "{\"faults\": {\"internalErrorRate\": 1.0}}");

        // The handler's class name is accepted for the function.
        Outcome outcome = run("invoke", "StatusHandler", event("run-status-change.json"), "--config", failingSimulator.toString());

        assertThat(outcome.exitCode()).as(outcome.err()).isEqualTo(1);
        JsonNode error = outcome.response();
        assertThat(error.get("errorType").asText()).isEqualTo("software.amazon.awssdk.services.omics.model.InternalServerException");
        assertThat(error.get("errorMessage").asText()).contains("internal error");
        assertThat(error.get("stackTrace")).isNotEmpty();
        assertThat(outcome.errLines()).last().asString()
                .startsWith("invoke status: failed in ").contains("InternalServerException");
    }

    @Test
    void anUnknownFunctionIsAUsageErrorNamingTheFunctions() {
        Outcome outcome = run("invoke", "expand", event("sqs-s3-notification.json"));

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).contains("unknown function 'expand'")
                .contains("intake, submit, run-dead-letter, status, reconcile");
        assertThat(outcome.out()).isEmpty();
    }

    @Test
    void aMissingEventFileIsAUsageError() {
        Outcome outcome = run("invoke", "intake", tmp.resolve("no-such-event.json").toString());

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.errLines()).containsExactly("error: no such file: " + tmp.resolve("no-such-event.json"));
        assertThat(outcome.out()).isEmpty();
    }

    @Test
    void anEventFileThatIsNotJsonIsAUsageError() throws IOException {
        Path notJson = write("event.json", "Records: [ {body: hello} ]\n");

        Outcome outcome = run("invoke", "intake", notJson.toString());

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.errLines()).singleElement().asString()
                .startsWith("error: " + notJson + " is not JSON: ").contains("line 1, column");
    }

    @Test
    void anEventOfAnotherFunctionsTypeIsAUsageError() {
        Outcome sqsForStatus = run("invoke", "status", event("sqs-s3-notification.json"));
        assertThat(sqsForStatus.exitCode()).isEqualTo(2);
        assertThat(sqsForStatus.err()).contains("has no \"detail-type\"").contains("takes an EventBridge event");

        Outcome scheduleForSubmit = run("invoke", "submit", event("reconcile-schedule.json"));
        assertThat(scheduleForSubmit.exitCode()).isEqualTo(2);
        assertThat(scheduleForSubmit.err()).contains("has no \"Records\" array").contains("takes an SQS event");
    }

    @Test
    void anEventThatDoesNotDeserializeIntoTheHandlersTypeIsAUsageError() throws IOException {
        Path badDetail = write("event.json", "{\"detail-type\": \"Run Status Change\", \"detail\": [1, 2]}");

        Outcome outcome = run("invoke", "status", badDetail.toString());

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).contains("does not deserialize into ScheduledEvent");
    }

    @Test
    void badPutArgumentsAreUsageErrors() {
        Outcome noEquals = run("invoke", "intake", event("sqs-s3-notification.json"), "--put", SAMPLE_SETTINGS_URI);
        assertThat(noEquals.exitCode()).isEqualTo(2);
        assertThat(noEquals.err()).contains("is not of the form s3://bucket/key=<local file>");

        Outcome badBucket = run("invoke", "intake", event("sqs-s3-notification.json"), "--put", "s3://Bad_Bucket/k.json=x.json");
        assertThat(badBucket.exitCode()).isEqualTo(2);
        assertThat(badBucket.err()).contains("bucket name \"Bad_Bucket\"");

        Outcome missingFile = run("invoke", "intake", event("sqs-s3-notification.json"),
                "--put", SAMPLE_SETTINGS_URI + "=" + tmp.resolve("nothing.json"));
        assertThat(missingFile.exitCode()).isEqualTo(2);
        assertThat(missingFile.errLines()).containsExactly("error: no such file: " + tmp.resolve("nothing.json"));
    }

    @Test
    void helpListsTheFunctionsAndTheirHandlers() {
        Outcome outcome = run("invoke", "--help");

        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.out()).contains("intake", "IntakeHandler", "submit", "SubmitHandler", "run-dead-letter",
                "RunDeadLetterHandler", "status", "StatusHandler", "reconcile", "ReconcileHandler", "--put", "--config");
    }
}
