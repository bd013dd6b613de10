package io.omicsbatch.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.omicsbatch.settings.SettingsJson;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The e-mail sent when a batch ends: which batch events it follows and the text an EventBridge input transformer
 * makes of them (paths in {@link BatchNotificationPaths}). One source for the stack's rule and for the local runner,
 * which renders the same transformer from its own final batch event.
 *
 * <p>The text is a multi-line template: EventBridge wants each line of a text input as a JSON string, so the
 * message shows each line in double quotes. It names the batch, its status, counts, failure reason (a code, never
 * the message, which may quote a runSettingId) and where the manifest, the report and the settings are; no run
 * setting, run name or parameter.
 */
public final class BatchNotification {

    /** The statuses that end a batch (and a failed deletion of its runs): one e-mail each. */
    public static final List<BatchStatus> STATUSES = List.of(BatchStatus.PROCESSED, BatchStatus.FAILED,
            BatchStatus.CANCELLED, BatchStatus.RUNS_DELETE_FAILED);

    /** The message, one element a line, with {@code <name>} placeholders of {@link BatchNotificationPaths#PATHS}. */
    public static final List<String> LINES = List.of(
            "omics-batch: batch <batchName> (<batchId>) is <status>",
            "Runs: <totalRuns>. Submissions: <startedSubmissions> started, <failedSubmissions> failed to start, "
                    + "<pendingSubmissions> pending.",
            "Run outcomes: <completedRuns> completed, <failedRuns> failed, <cancelledRuns> cancelled, "
                    + "<deletedRuns> deleted.",
            "Failure reason (failed batches only): <failureReason>",
            "Results manifest (CSV): <resultsUri>",
            "Report (open in a browser): <reportUri>",
            "Batch settings: <settingsUri>",
            "Account <account>, region <region>, event time <time>.");

    private static final Pattern PLACEHOLDER = Pattern.compile("<([A-Za-z0-9]+)>");

    private BatchNotification() {}

    /** The rule's event pattern, as JSON: batch events of {@code source} whose status is one of {@link #STATUSES}. */
    public static String eventPattern(String source) {
        var pattern = SettingsJson.MAPPER.createObjectNode();
        pattern.putArray("source").add(source);
        pattern.putArray("detail-type").add(BatchEvents.DETAIL_TYPE);
        var statuses = pattern.putObject("detail").putArray("status");
        STATUSES.forEach(status -> statuses.add(status.name()));
        return pattern.toString();
    }

    /**
     * The template's text with each placeholder replaced by {@code field} of its name (the stack passes CDK's
     * event-field tokens), lines joined by newlines.
     */
    public static String text(UnaryOperator<String> field) {
        StringBuilder out = new StringBuilder();
        for (String line : LINES) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            Matcher m = PLACEHOLDER.matcher(line);
            while (m.find()) {
                String name = m.group(1);
                if (!BatchNotificationPaths.PATHS.containsKey(name)) {
                    throw new IllegalStateException("template placeholder <" + name + "> has no path");
                }
                m.appendReplacement(out, Matcher.quoteReplacement(field.apply(name)));
            }
            m.appendTail(out);
        }
        return out.toString();
    }

    /** The input transformer: the paths, and each line as a JSON string (as CDK's multi-line text input writes it). */
    public static InputTransformer transformer() {
        StringBuilder template = new StringBuilder();
        for (String line : LINES) {
            if (!template.isEmpty()) {
                template.append('\n');
            }
            template.append(jsonString(line));
        }
        return new InputTransformer(BatchNotificationPaths.PATHS, template.toString());
    }

    /** The message SNS would send for this batch event (the whole event: source, detail-type, time, detail...). */
    public static String render(JsonNode event) {
        return transformer().apply(event);
    }

    private static String jsonString(String line) {
        try {
            return SettingsJson.MAPPER.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
