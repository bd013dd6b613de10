package io.omicsbatch.batch;

import com.fasterxml.jackson.core.JsonGenerator;
import io.omicsbatch.resources.ResourceDefinitions;
import io.omicsbatch.settings.SettingsJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The results manifest of a processed batch: {@code results/<batchId>/runs.csv} and {@code runs.json} next to the
 * settings, one row per run setting in runSettingId order.
 *
 * <p>The CSV is RFC 4180 (CRLF, every field that needs it quoted), UTF-8, so it opens cleanly in a spreadsheet;
 * a text cell starting with {@code = + - @} is prefixed with {@code '} so that a spreadsheet never evaluates it.
 * {@code duration} is in whole seconds. {@code runs.json} has the same fields (unprefixed) and a few more.
 */
public final class ResultsManifest {

    public static final List<String> COLUMNS = List.of("runSettingId", "name", "runId", "uuid", "submissionStatus",
            "submissionFailureReason", "status", "failureReason", "runOutputUri", "startTime", "stopTime", "duration");

    private final ByteArrayOutputStream csv = new ByteArrayOutputStream();
    private final ByteArrayOutputStream json = new ByteArrayOutputStream();
    private final JsonGenerator generator;
    private long rows;

    public ResultsManifest(BatchRecord batch) {
        try {
            generator = SettingsJson.MAPPER.getFactory().createGenerator(json);
            generator.writeStartObject();
            generator.writeStringField("batchId", batch.batchId());
            generator.writeStringField("batchName", batch.batchName());
            generator.writeArrayFieldStart("runs");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        csvLine(COLUMNS);
    }

    public static String key(String batchId, String fileName) {
        return ResourceDefinitions.RESULTS_PREFIX + batchId + "/" + fileName;
    }

    public static String csvUri(BatchRecord batch) {
        return uri(batch, "runs.csv");
    }

    /** The S3 URI of a file of the batch's results (runs.csv, runs.json, report.html). */
    public static String uri(BatchRecord batch, String fileName) {
        return "s3://" + batch.settingsObject().bucket() + "/" + key(batch.batchId(), fileName);
    }

    public void add(RunRecord run) {
        Long duration = run.startTime() != null && run.stopTime() != null
                ? Duration.between(run.startTime(), run.stopTime()).toSeconds() : null;
        csvLine(List.of(
                text(run.runSettingId()), text(run.runName()), text(run.runId()), text(run.uuid()),
                text(run.submissionStatus() == null ? null : run.submissionStatus().name()),
                text(run.submissionFailureReason()),
                text(run.status() == null ? null : run.status().name()),
                text(run.failureReason()), text(run.runOutputUri()),
                time(run.startTime()), time(run.stopTime()), duration == null ? "" : duration.toString()));
        try {
            generator.writeStartObject();
            generator.writeStringField("runSettingId", run.runSettingId());
            generator.writeStringField("name", run.runName());
            generator.writeStringField("requestId", run.requestId());
            generator.writeStringField("runId", run.runId());
            generator.writeStringField("uuid", run.uuid());
            generator.writeStringField("arn", run.arn());
            generator.writeStringField("submissionStatus",
                    run.submissionStatus() == null ? null : run.submissionStatus().name());
            generator.writeStringField("submissionFailureReason", run.submissionFailureReason());
            generator.writeStringField("submissionFailureMessage", run.submissionFailureMessage());
            generator.writeStringField("status", run.status() == null ? null : run.status().name());
            generator.writeStringField("failureReason", run.failureReason());
            generator.writeStringField("statusMessage", run.statusMessage());
            generator.writeStringField("runOutputUri", run.runOutputUri());
            generator.writeStringField("startTime", run.startTime() == null ? null : run.startTime().toString());
            generator.writeStringField("stopTime", run.stopTime() == null ? null : run.stopTime().toString());
            if (duration == null) {
                generator.writeNullField("duration");
            } else {
                generator.writeNumberField("duration", duration);
            }
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        rows++;
    }

    public long rows() {
        return rows;
    }

    public byte[] csv() {
        return csv.toByteArray();
    }

    /** Closes the JSON document: call once, after the last {@link #add}. */
    public byte[] json() {
        try {
            generator.writeEndArray();
            generator.writeNumberField("runCount", rows);
            generator.writeEndObject();
            generator.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return json.toByteArray();
    }

    private void csvLine(List<String> cells) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(quoted(cells.get(i)));
        }
        line.append("\r\n");
        csv.writeBytes(line.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String text(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        char first = value.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
                ? "'" + value : value;
    }

    private static String time(Instant value) {
        return value == null ? "" : value.toString();
    }

    private static String quoted(String cell) {
        boolean needs = cell.indexOf(',') >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0
                || cell.indexOf('\r') >= 0 || cell.startsWith(" ") || cell.endsWith(" ");
        return needs ? '"' + cell.replace("\"", "\"\"") + '"' : cell;
    }
}
