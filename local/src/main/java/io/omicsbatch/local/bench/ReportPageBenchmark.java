package io.omicsbatch.local.bench;

import io.omicsbatch.batch.BatchRecord;
import io.omicsbatch.batch.BatchReportPage;
import io.omicsbatch.batch.ResultsManifest;
import io.omicsbatch.batch.RunRecord;
import io.omicsbatch.batch.RunStatus;
import io.omicsbatch.batch.S3ObjectRef;
import io.omicsbatch.batch.SubmissionStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;

/**
 * What writing a batch's results costs when its last run settles: the manifest (CSV, JSON) and the report page fed
 * the same run records in one pass, as {@code BatchCompletion.writeManifest} does, for a synthetic batch (runs
 * generated one at a time, as the runs table pages them: 2% of submissions and 3% of runs fail, StartRun at 50/s,
 * runs of 20 min to 3 h). Reports time, sizes and peak heap; writes the page if given a path. With {@code page-only},
 * the manifest is left out, to see the page's own share.
 * usage: ReportPageBenchmark [runs] [page.html|-] [page-only]
 */
public final class ReportPageBenchmark {

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Path out = args.length > 1 && !args[1].equals("-") ? Path.of(args[1]) : null;
        boolean pageOnly = args.length > 2 && args[2].equals("page-only");
        Instant t0 = Instant.parse("2026-11-01T08:00:00Z");
        BatchRecord batch = BatchRecord.creating("5f0c1e2d3a4b5c6d7e8f", "wgs-germline-cohort-" + runs,
                new S3ObjectRef("omics-batch-settings-123456789012-us-east-1", "batches/cohort.json", null, "etag"),
                null, t0);
        for (int repeat = 1; repeat <= 3; repeat++) {
            HeapMeter.reset();
            long before = HeapMeter.peakBytes();
            long started = System.nanoTime();
            ResultsManifest manifest = new ResultsManifest(batch);
            BatchReportPage page = new BatchReportPage(batch, 50);
            Random random = new Random(7);
            for (int i = 0; i < runs; i++) {
                RunRecord run = run(i, t0, random);
                if (!pageOnly) {
                    manifest.add(run);
                }
                page.add(run);
            }
            byte[] csv = pageOnly ? new byte[0] : manifest.csv();
            byte[] json = pageOnly ? new byte[0] : manifest.json();
            byte[] html = page.html();
            double seconds = (System.nanoTime() - started) / 1e9;
            long peak = HeapMeter.peakBytes();
            System.out.printf(java.util.Locale.ROOT,
                    "repeat %d: %d runs in %.2f s; report.html %.1f MB (%d bytes a run), runs.csv %.1f MB, runs.json %.1f MB;"
                            + " peak heap %s (%s before)%n", repeat, runs, seconds, html.length / 1048576.0,
                    html.length / Math.max(1, runs), csv.length / 1048576.0, json.length / 1048576.0,
                    HeapMeter.mb(peak), HeapMeter.mb(before));
            if (out != null && repeat == 1) {
                Files.write(out, html);
                System.out.println("page written to " + out);
            }
        }
    }

    private static RunRecord run(int i, Instant t0, Random random) {
        String id = String.format("HG%06d", i);
        Instant submitted = t0.plusMillis(i * 20L + random.nextInt(15));
        if (random.nextInt(100) < 2) {
            return new RunRecord("b", id, "ob-b-" + id, "wgs-" + id, "s3://lab-results/wgs/", null,
                    SubmissionStatus.FAILED, random.nextBoolean() ? "ValidationException" : "AccessDeniedException",
                    "message", 1, null, null, null, null, null, null, null, null, null, t0, null, t0, submitted);
        }
        String runId = Integer.toString(1_000_000 + i * 7);
        Instant start = submitted.plusSeconds(30 + random.nextInt(600));
        Instant stop = start.plusSeconds(1200 + random.nextInt(9600));
        boolean failed = random.nextInt(100) < 3;
        return new RunRecord("b", id, "ob-b-" + id, "wgs-" + id, "s3://lab-results/wgs/", null, SubmissionStatus.SUCCESS,
                null, null, 1, runId, "uuid-" + i, "arn:aws:omics:us-east-1:123456789012:run/" + runId,
                failed ? RunStatus.FAILED : RunStatus.COMPLETED, "s3://lab-results/wgs/" + runId + "/",
                failed ? (random.nextBoolean() ? "OUT_OF_MEMORY" : "STARTUP_TIMEOUT") : null, null, start, stop, t0,
                submitted, submitted, stop);
    }
}
