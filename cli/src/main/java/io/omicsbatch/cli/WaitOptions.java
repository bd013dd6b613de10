package io.omicsbatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.omicsbatch.batch.S3ObjectRef;
import io.omicsbatch.operations.OperationService;
import io.omicsbatch.settings.SettingsJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@code --wait [--timeout <s>]} of cancel, delete-runs, delete and resubmit: after the request is written, wait for
 * the operation's end state ({@link OperationWait}), print it on stdout, and exit 0 when it is the one asked for,
 * 1 when the operation was refused or ended otherwise, or when the timeout passed first.
 */
final class WaitOptions {

    @Option(names = "--wait", description = "Wait until the operation's end state and print it "
            + "(exit 1 if it is refused, ends otherwise, or --timeout passes first).")
    boolean wait;

    @Option(names = "--timeout", paramLabel = "<seconds>", description = "With --wait: give up after this long "
            + "(default: " + OperationWait.DEFAULT_TIMEOUT_SECONDS + ").")
    Long timeoutSeconds;

    /** Usage errors of the options, before anything is written. */
    void check(CommandLine commandLine) {
        if (timeoutSeconds != null && !wait) {
            throw new CommandLine.ParameterException(commandLine, "--timeout applies only with --wait");
        }
        if (timeoutSeconds != null && timeoutSeconds < 0) {
            throw new CommandLine.ParameterException(commandLine, "--timeout must be 0 or more seconds, got " + timeoutSeconds);
        }
    }

    /**
     * Waits for {@code watched} (the batch, or a resubmit's new batch) to reach the operation's end; prints the end.
     *
     * @param request the request document written: its error report, if the stack writes one, is the refusal
     * @return the exit code
     */
    int await(TableConnection.Stores stores, String watched, OperationWait.EndState end, S3ObjectRef request,
              PrintWriter out, PrintWriter err) {
        String reportKey = OperationService.reportKey(request.key());
        Duration timeout = Duration.ofSeconds(timeoutSeconds == null ? OperationWait.DEFAULT_TIMEOUT_SECONDS : timeoutSeconds);
        OperationWait.State state;
        try {
            state = OperationWait.realTime().await(() -> OperationWait.poll(() -> stores.batches().get(watched), end,
                    () -> refusal(stores, request.bucket(), reportKey)), timeout, status -> {
                        err.println("waiting: batch " + watched + " is " + status);
                        err.flush();
                    });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
        if (state instanceof OperationWait.Succeeded) {
            out.printf("batch %s: %s%n", watched, state.description());
            out.flush();
            return Cli.EXIT_OK;
        }
        if (state instanceof OperationWait.TimedOut timedOut) {
            out.printf("batch %s: timed out after %d s waiting; it is %s%n", watched, timedOut.after().toSeconds(),
                    timedOut.description());
        } else {
            out.printf("batch %s: %s%n", watched, state.description());
        }
        out.flush();
        return Cli.EXIT_INVALID;
    }

    /** The first error of the request's report, if the stack wrote one (not readable counts as not there yet). */
    private static Optional<String> refusal(TableConnection.Stores stores, String bucket, String reportKey) {
        byte[] report;
        try {
            report = stores.s3().getObjectAsBytes(b -> b.bucket(bucket).key(reportKey)).asByteArray();
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404 || e.statusCode() == 403) {
                return Optional.empty();
            }
            throw e;
        }
        try {
            JsonNode json = SettingsJson.MAPPER.readTree(report);
            JsonNode first = json.path("errors").path(0);
            int more = json.path("errorCount").asInt(1) - 1;
            return Optional.of(first.path("message").asText("see s3://" + bucket + "/" + reportKey)
                    + (first.has("rule") ? " [" + first.path("rule").asText() + "]" : "")
                    + (more > 0 ? " ... and " + more + " more errors" : "")
                    + " (s3://" + bucket + "/" + reportKey + ")");
        } catch (IOException e) {
            return Optional.of("see s3://" + bucket + "/" + reportKey);
        }
    }
}
