package io.omicsbatch.batch;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The report people look at: {@code results/<batchId>/report.html} beside the manifest, fed the same run records in
 * one pass. One self-contained XHTML file (it parses as XML and as HTML): inline SVG drawn here, one inline style
 * sheet allowed by its hash in a {@code Content-Security-Policy} that forbids everything else, no script, font or
 * image, no style attribute; it opens offline and under a strict policy.
 *
 * <p>It shows the batch's identity and counts, StartRun submissions over time against the configured StartRun rate,
 * each run's start-stop on a timeline (the number of runs running over time once there are more than
 * {@value #TIMELINE_ROWS}), a histogram of run durations, failures grouped by reason with their runSettingIds, and
 * each run's output location. Sample identifiers (runSettingIds) appear in it, as in the manifest beside it.
 *
 * <p>Memory: three {@code long} and one {@code byte} per run for the charts, the runSettingIds of failures, and the
 * outputs table as compact bytes (about 80 bytes a run); the page is about 80 bytes a run (8 MB for 100,000).
 */
public final class BatchReportPage {

    public static final String FILE_NAME = "report.html";
    public static final String CONTENT_TYPE = "text/html; charset=utf-8";
    /** Up to this many runs, the timeline draws one bar per run; beyond, how many run at once. */
    public static final int TIMELINE_ROWS = 300;

    static final String STYLE = String.join("\n",
            "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;margin:24px;color:#1b1f24;max-width:1000px}",
            "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d0d7de}",
            "h3{font-size:14px;margin:14px 0 4px}table{border-collapse:collapse;font-size:13px}",
            "td,th{border:1px solid #d0d7de;padding:2px 8px;text-align:left}td.n{text-align:right}",
            "p.note{color:#57606a;font-size:13px}p.ids{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;overflow-wrap:anywhere}",
            "table.out td{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;border:none;padding:0 12px 0 0}",
            "svg{display:block;margin:8px 0}svg text{font-size:11px;fill:#57606a}",
            ".axis{stroke:#8c959f;stroke-width:1}.grid{stroke:#eaeef2;stroke-width:1}",
            ".bar{fill:#0969da}.quota{stroke:#cf222e;stroke-width:2;stroke-dasharray:6 4}text.quota{fill:#cf222e;stroke:none}",
            ".COMPLETED{fill:#1a7f37}.FAILED{fill:#cf222e}.CANCELLED{fill:#9a6700}.OTHER{fill:#8c959f}",
            ".legend{font-size:12px}");

    private static final int WIDTH = 960;
    private static final int LEFT = 64;
    private static final int RIGHT = 24;
    private static final int TOP = 16;
    private static final int BOTTOM = 36;
    private static final int BINS = 120;
    private static final int HISTOGRAM_BINS = 30;
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final BatchRecord batch;
    private final double startRunTps;

    private final Longs submissions = new Longs();
    private final Longs starts = new Longs();
    private final Longs stops = new Longs();
    private final ByteArrayOutputStream outcomes = new ByteArrayOutputStream();
    private final List<String> timelineIds = new ArrayList<>();
    private final Map<String, List<String>> failures = new TreeMap<>();
    private final Map<RunStatus, Long> runStatusCounts = new EnumMap<>(RunStatus.class);
    private final Map<SubmissionStatus, Long> submissionCounts = new EnumMap<>(SubmissionStatus.class);
    private final ByteArrayOutputStream outputRows = new ByteArrayOutputStream();
    private final DataOutputStream outputs = new DataOutputStream(outputRows);
    private String outputPrefix;
    private long rows;

    /**
     * @param startRunTps the StartRun rate the submit function paces to (the quota line), or NaN if not known
     */
    public BatchReportPage(BatchRecord batch, double startRunTps) {
        this.batch = batch;
        this.startRunTps = startRunTps;
    }

    public void add(RunRecord run) {
        rows++;
        if (run.submissionStatus() != null) {
            submissionCounts.merge(run.submissionStatus(), 1L, Long::sum);
        }
        if (run.status() != null) {
            runStatusCounts.merge(run.status(), 1L, Long::sum);
        }
        if (run.submittedAt() != null) {
            submissions.add(run.submittedAt().toEpochMilli());
        }
        if (run.startTime() != null && run.stopTime() != null) {
            starts.add(run.startTime().toEpochMilli());
            stops.add(run.stopTime().toEpochMilli());
            outcomes.write(outcome(run.status()));
            if (starts.size <= TIMELINE_ROWS) {
                timelineIds.add(run.runSettingId());
            }
        }
        if (run.submissionStatus() == SubmissionStatus.FAILED) {
            failures.computeIfAbsent("submission failed: " + orUnknown(run.submissionFailureReason()),
                    k -> new ArrayList<>()).add(run.runSettingId());
        } else if (run.status() == RunStatus.FAILED) {
            failures.computeIfAbsent("run failed: " + orUnknown(run.failureReason()), k -> new ArrayList<>())
                    .add(run.runSettingId());
        }
        String output = run.runOutputUri();
        try {
            outputs.writeUTF(run.runSettingId());
            outputs.writeUTF(statusLabel(run));
            outputs.writeUTF(output == null ? "" : output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (output != null && !output.isEmpty()) {
            outputPrefix = outputPrefix == null ? directoryOf(output) : commonPrefix(outputPrefix, output);
        }
    }

    public long rows() {
        return rows;
    }

    /** The page; call once, after the last {@link #add}. */
    public byte[] html() {
        Xml page = new Xml();
        page.raw("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\"><head>"
                + "<meta charset=\"utf-8\"/>");
        page.raw("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src '"
                + styleHash() + "'\"/>");
        page.raw("<title>").text("omics-batch " + batch.batchId()
                + (batch.batchName() == null ? "" : " " + batch.batchName())).raw("</title>");
        page.raw("<style>").raw(STYLE).raw("</style></head><body>");

        page.raw("<h1>").text("Batch " + (batch.batchName() == null ? batch.batchId() : batch.batchName()))
                .raw("</h1>");
        page.raw("<p class=\"note\">Sample identifiers (runSettingIds) appear in this report, as in the results "
                + "manifest beside it: keep it where the manifest is.</p>");
        identity(page);
        counts(page);
        charts(page);
        failures(page);
        outputs(page);
        page.raw("</body></html>\n");
        return page.bytes();
    }

    static String styleHash() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(STYLE.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void identity(Xml page) {
        page.raw("<h2>Batch</h2><table id=\"identity\">");
        row(page, "batch id", batch.batchId());
        row(page, "batch name", batch.batchName());
        // Written just before the batch's move to PROCESSED, once every run is settled.
        row(page, "status", batch.allRunsSettled() && batch.status() == BatchStatus.INPROGRESS
                ? BatchStatus.PROCESSED.name() : batch.status() == null ? null : batch.status().name());
        row(page, "settings", batch.settingsObject() == null ? null : batch.settingsObject().uri());
        row(page, "created", time(batch.creationTime()));
        row(page, "all submitted", time(batch.submittedTime()));
        if (stops.size > 0) {
            row(page, "last run stopped", time(Instant.ofEpochMilli(stops.max())));
        }
        if (batch.failureReason() != null) {
            row(page, "failure reason", batch.failureReason());
        }
        row(page, "StartRun rate", Double.isNaN(startRunTps) ? "not known" : number(startRunTps) + " per second");
        page.raw("</table>");
    }

    private void counts(Xml page) {
        page.raw("<h2>Counts</h2><table id=\"counts\"><tr><th>what</th><th>runs</th></tr>");
        count(page, "total", "runs (rows of the manifest)", rows);
        if (batch.totalRuns() != null) {
            count(page, "totalRuns", "runs in the batch settings", batch.totalRuns());
        }
        for (SubmissionStatus status : SubmissionStatus.values()) {
            long n = submissionCounts.getOrDefault(status, 0L);
            if (n > 0 || status == SubmissionStatus.SUCCESS || status == SubmissionStatus.FAILED) {
                count(page, "submission-" + status.name(), "submission " + status.name(), n);
            }
        }
        for (RunStatus status : RunStatus.values()) {
            long n = runStatusCounts.getOrDefault(status, 0L);
            if (n > 0 || status.isTerminal()) {
                count(page, "run-" + status.name(), "run " + status.name(), n);
            }
        }
        page.raw("</table>");
    }

    private void charts(Xml page) {
        long t0 = Math.min(submissions.min(), starts.min());
        long t1 = Math.max(submissions.max(), stops.max());
        page.raw("<h2>Submissions over time</h2>");
        if (submissions.size == 0) {
            page.raw("<p class=\"note\">No run was started.</p>");
        } else {
            submissionsChart(page, t0, Math.max(t1, t0 + 1000));
        }
        page.raw("<h2>Runs over time</h2>");
        if (starts.size == 0) {
            page.raw("<p class=\"note\">No run has both a start and a stop time.</p>");
        } else {
            timeline(page, t0, Math.max(t1, t0 + 1000));
            page.raw("<h2>Run durations</h2>");
            histogram(page);
        }
    }

    private void submissionsChart(Xml page, long t0, long t1) {
        double binMillis = (t1 - t0) / (double) BINS;
        long[] bins = new long[BINS];
        for (int i = 0; i < submissions.size; i++) {
            bins[bin(submissions.values[i], t0, binMillis)]++;
        }
        double peak = 0;
        for (long n : bins) {
            peak = Math.max(peak, n / (binMillis / 1000));
        }
        boolean quota = !Double.isNaN(startRunTps);
        double yMax = niceCeiling(Math.max(peak, quota ? startRunTps : 0) * 1.15);
        int height = 220;
        Chart chart = new Chart(page, height, "StartRun calls that started a run, per second, in " + BINS
                + " intervals of " + duration(Math.round(binMillis)) + (quota ? ", against the StartRun rate" : ""));
        chart.timeAxis(t0, t1);
        chart.yAxis(yMax, "per s");
        for (int i = 0; i < BINS; i++) {
            if (bins[i] == 0) {
                continue;
            }
            double rate = bins[i] / (binMillis / 1000);
            double x = chart.x(t0 + i * binMillis, t0, t1);
            double w = Math.max(1, chart.plotWidth() / (double) BINS - 0.5);
            double y = chart.y(rate, yMax);
            page.raw("<rect class=\"bar\" x=\"" + f(x) + "\" y=\"" + f(y) + "\" width=\"" + f(w) + "\" height=\""
                    + f(chart.y(0, yMax) - y) + "\"/>");
        }
        if (quota) {
            double y = chart.y(startRunTps, yMax);
            page.raw("<line id=\"quota-line\" class=\"quota\" x1=\"" + LEFT + "\" x2=\"" + (WIDTH - RIGHT) + "\" y1=\""
                    + f(y) + "\" y2=\"" + f(y) + "\"/>");
            page.raw("<text class=\"quota\" x=\"" + (WIDTH - RIGHT - 4) + "\" y=\"" + f(y - 4)
                    + "\" text-anchor=\"end\">").text("StartRun rate " + number(startRunTps) + "/s").raw("</text>");
        }
        chart.end();
        page.raw("<p class=\"note\">").text(submissions.size + " runs started between " + time(Instant.ofEpochMilli(t0))
                + " and " + time(Instant.ofEpochMilli(submissions.max())) + "; peak " + number(peak) + " per second.")
                .raw("</p>");
    }

    private void timeline(Xml page, long t0, long t1) {
        int n = starts.size;
        byte[] status = outcomes.toByteArray();
        if (n <= TIMELINE_ROWS) {
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Long.compare(starts.values[a], starts.values[b]));
            int rowHeight = n <= 60 ? 10 : n <= 150 ? 5 : 3;
            int height = TOP + BOTTOM + n * rowHeight;
            Chart chart = new Chart(page, height, "Each run from start to stop (one row a run, by start time), "
                    + "colored by outcome");
            chart.timeAxis(t0, t1);
            for (int row = 0; row < n; row++) {
                int i = order[row];
                double x0 = chart.x(starts.values[i], t0, t1);
                double x1 = chart.x(stops.values[i], t0, t1);
                page.raw("<rect class=\"" + OUTCOMES[status[i]] + "\" x=\"" + f(x0) + "\" y=\""
                        + (TOP + row * rowHeight) + "\" width=\"" + f(Math.max(1, x1 - x0)) + "\" height=\""
                        + Math.max(1, rowHeight - 1) + "\"><title>");
                page.text(timelineIds.get(i) + ": " + OUTCOMES[status[i]] + ", "
                        + duration(stops.values[i] - starts.values[i])).raw("</title></rect>");
            }
            chart.end();
        } else {
            double binMillis = (t1 - t0) / (double) BINS;
            long[][] running = new long[OUTCOMES.length][BINS];
            for (int i = 0; i < n; i++) {
                int first = bin(starts.values[i], t0, binMillis);
                int last = bin(stops.values[i], t0, binMillis);
                for (int b = first; b <= last; b++) {
                    running[status[i]][b]++;
                }
            }
            long peak = 0;
            for (int b = 0; b < BINS; b++) {
                long sum = 0;
                for (long[] series : running) {
                    sum += series[b];
                }
                peak = Math.max(peak, sum);
            }
            double yMax = countCeiling(peak);
            Chart chart = new Chart(page, 240, n + " runs, aggregated: how many were running in each of " + BINS
                    + " intervals of " + duration(Math.round(binMillis)) + ", by outcome");
            chart.timeAxis(t0, t1);
            chart.yAxis(yMax, "runs");
            double w = Math.max(1, chart.plotWidth() / (double) BINS - 0.5);
            for (int b = 0; b < BINS; b++) {
                double base = 0;
                double x = chart.x(t0 + b * binMillis, t0, t1);
                for (int s = 0; s < OUTCOMES.length; s++) {
                    long count = running[s][b];
                    if (count == 0) {
                        continue;
                    }
                    double yTop = chart.y(base + count, yMax);
                    double yBottom = chart.y(base, yMax);
                    page.raw("<rect class=\"" + OUTCOMES[s] + "\" x=\"" + f(x) + "\" y=\"" + f(yTop) + "\" width=\""
                            + f(w) + "\" height=\"" + f(yBottom - yTop) + "\"/>");
                    base += count;
                }
            }
            chart.end();
        }
        legend(page);
    }

    private void histogram(Xml page) {
        int n = starts.size;
        long longest = 0;
        for (int i = 0; i < n; i++) {
            longest = Math.max(longest, stops.values[i] - starts.values[i]);
        }
        double binMillis = Math.max(1, longest) / (double) HISTOGRAM_BINS;
        long[] bins = new long[HISTOGRAM_BINS];
        long[] sorted = new long[n];
        for (int i = 0; i < n; i++) {
            long d = Math.max(0, stops.values[i] - starts.values[i]);
            sorted[i] = d;
            bins[(int) Math.min(HISTOGRAM_BINS - 1, Math.floor(d / binMillis))]++;
        }
        Arrays.sort(sorted);
        long peak = Arrays.stream(bins).max().orElse(1);
        double yMax = countCeiling(peak);
        Chart chart = new Chart(page, 220, "Run durations (start to stop) in " + HISTOGRAM_BINS + " bins of "
                + duration(Math.round(binMillis)));
        chart.yAxis(yMax, "runs");
        double plot = chart.plotWidth();
        for (int b = 0; b <= HISTOGRAM_BINS; b += 5) {
            double x = LEFT + plot * b / HISTOGRAM_BINS;
            page.raw("<line class=\"axis\" x1=\"" + f(x) + "\" x2=\"" + f(x) + "\" y1=\"" + chart.bottom() + "\" y2=\""
                    + (chart.bottom() + 4) + "\"/><text x=\"" + f(x) + "\" y=\"" + (chart.bottom() + 16)
                    + "\" text-anchor=\"middle\">").text(duration(Math.round(b * binMillis))).raw("</text>");
        }
        for (int b = 0; b < HISTOGRAM_BINS; b++) {
            if (bins[b] == 0) {
                continue;
            }
            double x = LEFT + plot * b / HISTOGRAM_BINS;
            double y = chart.y(bins[b], yMax);
            page.raw("<rect class=\"bar\" x=\"" + f(x + 0.5) + "\" y=\"" + f(y) + "\" width=\""
                    + f(plot / HISTOGRAM_BINS - 1) + "\" height=\"" + f(chart.y(0, yMax) - y) + "\"><title>");
            page.text(bins[b] + " runs of " + duration(Math.round(b * binMillis)) + " to "
                    + duration(Math.round((b + 1) * binMillis))).raw("</title></rect>");
        }
        chart.end();
        page.raw("<p class=\"note\">").text(n + " runs: median " + duration(sorted[n / 2]) + ", 90th percentile "
                + duration(sorted[Math.min(n - 1, (int) Math.floor(n * 0.9))]) + ", longest " + duration(longest) + ".")
                .raw("</p>");
    }

    private void failures(Xml page) {
        page.raw("<h2>Failures by reason</h2>");
        if (failures.isEmpty()) {
            page.raw("<p class=\"note\">No run failed.</p>");
            return;
        }
        page.raw("<div id=\"failures\">");
        failures.forEach((reason, ids) -> {
            page.raw("<h3>").text(reason + " (" + ids.size() + ")").raw("</h3><p class=\"ids\">")
                    .text(String.join(", ", ids)).raw("</p>");
        });
        page.raw("</div>");
    }

    private void outputs(Xml page) {
        page.raw("<h2>Run outputs</h2>");
        String prefix = outputPrefix == null ? "" : outputPrefix;
        if (!prefix.isEmpty()) {
            page.raw("<p class=\"note\">Every output is under ").text(prefix).raw(
                    "; the table shows the rest of each location.</p>");
        }
        page.raw("<table class=\"out\" id=\"outputs\"><tr><th>runSettingId</th><th>outcome</th><th>output</th></tr>");
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(outputRows.toByteArray()))) {
            for (long i = 0; i < rows; i++) {
                String id = in.readUTF();
                String status = in.readUTF();
                String output = in.readUTF();
                page.raw("<tr><td>").text(id).raw("</td><td>").text(status).raw("</td><td>")
                        .text(output.startsWith(prefix) ? output.substring(prefix.length()) : output)
                        .raw("</td></tr>");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        page.raw("</table>");
    }

    private static void legend(Xml page) {
        page.raw("<svg width=\"420\" height=\"18\" viewBox=\"0 0 420 18\" class=\"legend\" "
                + "xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"legend\">");
        for (int s = 0; s < OUTCOMES.length; s++) {
            page.raw("<rect class=\"" + OUTCOMES[s] + "\" x=\"" + (s * 105) + "\" y=\"4\" width=\"10\" height=\"10\"/>"
                    + "<text x=\"" + (s * 105 + 14) + "\" y=\"13\">" + OUTCOMES[s].toLowerCase(Locale.ROOT) + "</text>");
        }
        page.raw("</svg>");
    }

    private static final String[] OUTCOMES = {"COMPLETED", "FAILED", "CANCELLED", "OTHER"};

    private static int outcome(RunStatus status) {
        if (status == RunStatus.COMPLETED) {
            return 0;
        }
        if (status == RunStatus.FAILED) {
            return 1;
        }
        return status == RunStatus.CANCELLED ? 2 : 3;
    }

    private static String statusLabel(RunRecord run) {
        if (run.submissionStatus() == SubmissionStatus.FAILED) {
            return "not started";
        }
        return run.status() == null ? String.valueOf(run.submissionStatus()) : run.status().name();
    }

    private static int bin(long t, long t0, double binMillis) {
        return (int) Math.max(0, Math.min(BINS - 1, Math.floor((t - t0) / binMillis)));
    }

    private static String directoryOf(String uri) {
        int slash = uri.lastIndexOf('/', uri.endsWith("/") ? uri.length() - 2 : uri.length() - 1);
        return slash < 0 ? uri : uri.substring(0, slash + 1);
    }

    /** The longest common prefix that ends at a '/' (so a run id is never cut in two). */
    private static String commonPrefix(String prefix, String uri) {
        int n = 0;
        int max = Math.min(prefix.length(), uri.length());
        while (n < max && prefix.charAt(n) == uri.charAt(n)) {
            n++;
        }
        return n == prefix.length() ? prefix : directoryOf(prefix.substring(0, n) + "x");
    }

    private static String orUnknown(String reason) {
        return reason == null || reason.isBlank() ? "(no reason given)" : reason;
    }

    private static void row(Xml page, String name, String value) {
        page.raw("<tr><th>").text(name).raw("</th><td>").text(value == null ? "-" : value).raw("</td></tr>");
    }

    private static void count(Xml page, String id, String label, long value) {
        page.raw("<tr><td>").text(label).raw("</td><td class=\"n\" id=\"count-" + id + "\">")
                .text(Long.toString(value)).raw("</td></tr>");
    }

    private static String time(Instant value) {
        return value == null ? null : UTC.format(value);
    }

    static String duration(long millis) {
        double s = millis / 1000.0;
        if (millis < 1000) {
            return millis + " ms";
        }
        if (s < 120) {
            return number(Math.round(s * 10) / 10.0) + " s";
        }
        if (s < 7200) {
            return number(Math.round(s / 6) / 10.0) + " min";
        }
        if (s < 172_800) {
            return number(Math.round(s / 360) / 10.0) + " h";
        }
        return number(Math.round(s / 8640) / 10.0) + " d";
    }

    static String number(double value) {
        if (value == Math.rint(value)) {
            return Long.toString((long) value);
        }
        return String.format(Locale.ROOT, "%.2f", value).replaceAll("0+$", "");
    }

    private static String f(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static double niceCeiling(double value) {
        if (!(value > 0)) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    /** The top of a count axis: above the peak, with four whole-numbered steps. */
    private static double countCeiling(long peak) {
        return Math.max(4, Math.ceil(niceCeiling(peak * 1.1) / 4) * 4);
    }

    /** One SVG chart: a plot area with margins for the axes. */
    private static final class Chart {
        private final Xml page;
        private final int height;

        Chart(Xml page, int height, String caption) {
            this.page = page;
            this.height = height;
            page.raw("<p class=\"note\">").text(caption).raw("</p>");
            page.raw("<svg width=\"" + WIDTH + "\" height=\"" + height + "\" viewBox=\"0 0 " + WIDTH + " " + height
                    + "\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"").text(caption).raw("\">");
            page.raw("<line class=\"axis\" x1=\"" + LEFT + "\" x2=\"" + LEFT + "\" y1=\"" + TOP + "\" y2=\"" + bottom()
                    + "\"/><line class=\"axis\" x1=\"" + LEFT + "\" x2=\"" + (WIDTH - RIGHT) + "\" y1=\"" + bottom()
                    + "\" y2=\"" + bottom() + "\"/>");
        }

        int bottom() {
            return height - BOTTOM;
        }

        double plotWidth() {
            return WIDTH - LEFT - RIGHT;
        }

        double x(double t, long t0, long t1) {
            return LEFT + plotWidth() * (t - t0) / (double) (t1 - t0);
        }

        double y(double value, double yMax) {
            return bottom() - (bottom() - TOP) * value / yMax;
        }

        void yAxis(double yMax, String unit) {
            for (int i = 0; i <= 4; i++) {
                double value = yMax * i / 4;
                double y = y(value, yMax);
                page.raw("<line class=\"grid\" x1=\"" + (LEFT + 1) + "\" x2=\"" + (WIDTH - RIGHT) + "\" y1=\"" + f(y)
                        + "\" y2=\"" + f(y) + "\"/><text x=\"" + (LEFT - 6) + "\" y=\"" + f(y + 4)
                        + "\" text-anchor=\"end\">").text(number(Math.round(value * 100) / 100.0)).raw("</text>");
            }
            page.raw("<text x=\"" + (LEFT - 6) + "\" y=\"" + (TOP - 4) + "\" text-anchor=\"end\">").text(unit)
                    .raw("</text>");
        }

        void timeAxis(long t0, long t1) {
            for (int i = 0; i <= 6; i++) {
                double t = t0 + (t1 - t0) * i / 6.0;
                double x = x(t, t0, t1);
                page.raw("<line class=\"axis\" x1=\"" + f(x) + "\" x2=\"" + f(x) + "\" y1=\"" + bottom() + "\" y2=\""
                        + (bottom() + 4) + "\"/><text x=\"" + f(x) + "\" y=\"" + (bottom() + 16)
                        + "\" text-anchor=\"middle\">").text("+" + duration(Math.round(t - t0))).raw("</text>");
            }
            page.raw("<text x=\"" + LEFT + "\" y=\"" + (bottom() + 30) + "\">")
                    .text("time since " + time(Instant.ofEpochMilli(t0))).raw("</text>");
        }

        void end() {
            page.raw("</svg>");
        }
    }

    /** The page being written: markup as is, text escaped (and stripped of characters XML cannot carry). */
    private static final class Xml {
        private final StringBuilder out = new StringBuilder(1 << 16);
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);

        Xml raw(String markup) {
            out.append(markup);
            flushIfLarge();
            return this;
        }

        Xml text(String value) {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                switch (c) {
                    case '&' -> out.append("&amp;");
                    case '<' -> out.append("&lt;");
                    case '>' -> out.append("&gt;");
                    case '"' -> out.append("&quot;");
                    case '\'' -> out.append("&#39;");
                    default -> {
                        if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
                            if (c == 0xFFFE || c == 0xFFFF) {
                                out.append('\uFFFD');
                            } else {
                                out.append(c);
                            }
                        }
                    }
                }
            }
            flushIfLarge();
            return this;
        }

        private void flushIfLarge() {
            if (out.length() > 1 << 16) {
                bytes.writeBytes(out.toString().getBytes(StandardCharsets.UTF_8));
                out.setLength(0);
            }
        }

        byte[] bytes() {
            bytes.writeBytes(out.toString().getBytes(StandardCharsets.UTF_8));
            out.setLength(0);
            return bytes.toByteArray();
        }
    }

    /** A growable array of longs (one per run: no boxing for 100,000 runs). */
    private static final class Longs {
        long[] values = new long[64];
        int size;

        void add(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        long min() {
            long min = Long.MAX_VALUE;
            for (int i = 0; i < size; i++) {
                min = Math.min(min, values[i]);
            }
            return min;
        }

        long max() {
            long max = Long.MIN_VALUE;
            for (int i = 0; i < size; i++) {
                max = Math.max(max, values[i]);
            }
            return max;
        }
    }
}
