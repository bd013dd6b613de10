package io.omicsbatch.local.bench;

import io.omicsbatch.resources.FunctionEnvironment;
import io.omicsbatch.batch.BatchRecord;
import io.omicsbatch.batch.BatchStatus;
import io.omicsbatch.batch.S3ObjectRef;
import io.omicsbatch.functions.FunctionSettings;
import io.omicsbatch.local.pipeline.LocalPipeline;
import io.omicsbatch.local.simulator.OmicsSimulator;
import io.omicsbatch.local.simulator.SimulatorConfig;
import io.omicsbatch.local.standins.LocalStandIns;
import io.omicsbatch.settings.BatchIdentity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.omics.OmicsClient;
import software.amazon.awssdk.services.omics.model.OmicsException;

/**
 * StartRun pacing against the simulator's quota: omics-batch's submit function (shared, adaptive schedule)
 * against a naive loop that calls StartRun back to back with the SDK's default retries, as users write today.
 * Reports accepted calls per second over the quota, and the fraction of calls throttled.
 *
 * <p>{@code recovery}: another client (retrying each call until it is admitted) takes half the quota for {@value #OTHER_CLIENT_SECONDS} s, starting
 * {@value #OTHER_CLIENT_AFTER_SECONDS} s after omics-batch's first run, then stops; reports omics-batch's accepted
 * rate before, during and after, and how long after the other client stopped its rate was back to 0.95 of the quota
 * (over a 10 s window).
 *
 * <p>usage: java -cp local/target/omics-batch-local.jar io.omicsbatch.local.bench.PacingBenchmark [runs] [quotaTps]
 * [ours|naive|both|recovery]
 */
public final class PacingBenchmark {

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        double quota = args.length > 1 ? Double.parseDouble(args[1]) : 20;
        System.out.printf(Locale.ROOT, "runs=%d quota=%.1f StartRun/s%n", runs, quota);
        String which = args.length > 2 ? args[2] : "both";
        if (which.equals("recovery")) {
            recovery(runs, quota);
            return;
        }
        if (!which.equals("naive")) {
            Result ours = omicsBatch(runs, quota);
            print("omics-batch (submit function, paced at the quota)", ours, quota);
        }
        if (!which.equals("ours")) {
            Result naive = naiveLoop(runs, quota);
            print("naive loop (back to back, SDK default retries)", naive, quota);
        }
    }

    /** omics-batch's (or the naive loop's) calls only; {@code createdAt} the arrival of each accepted call, in order. */
    record Result(int created, long calls, long throttled, int lost, double seconds, List<Long> createdAt) {}

    private static void print(String label, Result r, double quota) {
        double acceptedPerSecond = (r.created() - 1) / r.seconds();
        System.out.printf(Locale.ROOT, "%-52s created %d (lost %d) in %.1f s: %.2f accepted/s = %.3f of the quota; "
                        + "StartRun calls %d, throttled %d (%.1f%%)%n",
                label, r.created(), r.lost(), r.seconds(), acceptedPerSecond, acceptedPerSecond / quota, r.calls(), r.throttled(),
                100.0 * r.throttled() / r.calls());
        List<Long> gaps = new java.util.ArrayList<>();
        for (int i = 1; i < r.createdAt().size(); i++) {
            gaps.add(r.createdAt().get(i) - r.createdAt().get(i - 1));
        }
        gaps.sort(null);
        if (!gaps.isEmpty()) {
            System.out.printf(Locale.ROOT, "%-52s gap between admitted calls (ms, 1/quota = %.0f): median %d, p90 %d, p99 %d, max %d%n",
                    "", 1000 / quota, gaps.get(gaps.size() / 2), gaps.get(gaps.size() * 9 / 10), gaps.get(gaps.size() * 99 / 100),
                    gaps.get(gaps.size() - 1));
        }
    }

    private static SimulatorConfig simulator(double quota) {
        return new SimulatorConfig(7L, quota, 1_000_000, new SimulatorConfig.Range(60_000, 120_000), 0.0, null,
                SimulatorConfig.Faults.NONE, SimulatorConfig.LambdaFaults.NONE, null);
    }

    static final int OTHER_CLIENT_AFTER_SECONDS = 10;
    static final int OTHER_CLIENT_SECONDS = 60;
    private static final double RECOVERED = 0.95;
    private static final long RECOVERY_WINDOW_MILLIS = 10_000;

    private static Result omicsBatch(int runs, double quota) throws Exception {
        return omicsBatch(runs, quota, pipeline -> { });
    }

    /** omics-batch's batch while another client calls StartRun at half the quota for a while. */
    private static void recovery(int runs, double quota) throws Exception {
        long[] otherWindow = new long[2];
        long[] otherCalls = new long[2];
        Thread[] other = new Thread[1];
        Result ours = omicsBatch(runs, quota, pipeline -> {
            other[0] = new Thread(() -> otherClient(pipeline, quota / 2, otherWindow, otherCalls), "other-client");
            other[0].setDaemon(true);
            other[0].start();
        });
        other[0].join(); // its window and counts are read below
        List<Long> created = ours.createdAt();
        long start = otherWindow[0];
        long stop = otherWindow[1];
        System.out.printf(Locale.ROOT, "other client: %.2f StartRun/s wanted for %d s, retried until admitted: %d calls, "
                + "%d admitted (%.3f of the quota), %d throttled%n", quota / 2, OTHER_CLIENT_SECONDS, otherCalls[0],
                otherCalls[0] - otherCalls[1], (otherCalls[0] - otherCalls[1]) / (quota * OTHER_CLIENT_SECONDS), otherCalls[1]);
        System.out.printf(Locale.ROOT, "omics-batch: created %d, StartRun calls %d, throttled %d (%.1f%%)%n", ours.created(),
                ours.calls(), ours.throttled(), 100.0 * ours.throttled() / ours.calls());
        System.out.printf(Locale.ROOT, "omics-batch accepted/quota: before %.3f, during %.3f, the 30 s after %.3f%n",
                rate(created, created.get(0), start) / quota, rate(created, start, stop) / quota,
                rate(created, stop, stop + 30_000) / quota);
        Long recoveredAt = null;
        for (long t = stop; t + RECOVERY_WINDOW_MILLIS <= created.get(created.size() - 1); t += 100) {
            if (rate(created, t, t + RECOVERY_WINDOW_MILLIS) >= RECOVERED * quota) {
                recoveredAt = t + RECOVERY_WINDOW_MILLIS;
                break;
            }
        }
        System.out.println(recoveredAt == null
                ? "omics-batch never reached 0.95 of the quota over 10 s after the other client stopped (batch too short?)"
                : String.format(Locale.ROOT, "back to %.2f of the quota (over 10 s) %.1f s after the other client stopped",
                        RECOVERED, (recoveredAt - stop) / 1000.0));
    }

    /** Accepted calls per second in [from, to). */
    private static double rate(List<Long> created, long from, long to) {
        return created.stream().filter(t -> t >= from && t < to).count() * 1000.0 / (to - from);
    }

    /** Another tool in the account: StartRun on its own schedule, no retries, from 10 s after our first run for 60 s. */
    private static void otherClient(LocalPipeline pipeline, double rate, long[] window, long[] calls) {
        try (OmicsClient omics = client(pipeline.simulator().endpoint(), false)) {
            while (pipeline.simulator().startRunCalls().stream().noneMatch(c -> c.outcome().equals("CREATED"))) {
                Thread.sleep(10);
            }
            long first = pipeline.simulator().startRunCalls().stream().filter(c -> c.outcome().equals("CREATED"))
                    .mapToLong(OmicsSimulator.StartRunCallRecord::receivedAtMillis).min().orElseThrow();
            window[0] = first + OTHER_CLIENT_AFTER_SECONDS * 1000L;
            window[1] = window[0] + OTHER_CLIENT_SECONDS * 1000L;
            Thread.sleep(Math.max(0, window[0] - System.currentTimeMillis()));
            long interval = Math.round(1000 / rate);
            java.util.Random random = new java.util.Random(7);
            for (long next = window[0], i = 0; next < window[1]; next += interval, i++) {
                Thread.sleep(Math.max(0, next - System.currentTimeMillis()));
                long sample = i;
                // Insists until the call is admitted, retrying every 20-40 ms: it takes its half of the quota.
                for (boolean admitted = false; !admitted && System.currentTimeMillis() < window[1]; ) {
                    calls[0]++;
                    try {
                        omics.startRun(b -> b.workflowId("1234567").roleArn("arn:aws:iam::123456789012:role/R")
                                .outputUri("s3://bench-results/other/").requestId(OTHER_CLIENT + sample));
                        admitted = true;
                    } catch (OmicsException e) {
                        calls[1]++;
                        Thread.sleep(20 + random.nextInt(21));
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final String OTHER_CLIENT = "other-client-";

    /** @param sdkRetries the SDK's default retry strategy; without, one attempt per call */
    private static OmicsClient client(java.net.URI endpoint, boolean sdkRetries) {
        return OmicsClient.builder().region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        LocalStandIns.ACCESS_KEY_ID, LocalStandIns.SECRET_ACCESS_KEY)))
                .endpointOverride(endpoint)
                .overrideConfiguration(o -> {
                    o.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true);
                    if (!sdkRetries) {
                        o.retryStrategy(b -> b.maxAttempts(1));
                    }
                })
                .build();
    }

    private static Result omicsBatch(int runs, double quota, java.util.function.Consumer<LocalPipeline> whileRunning)
            throws Exception {
        LocalPipeline.Options base = LocalPipeline.Options.defaults(simulator(quota)).withStartRunTps(quota);
        LocalPipeline.Options options = new LocalPipeline.Options(base.simulator(), quota, 8, 10, base.submit(), base.omicsDecorator())
                .withEnvironment(FunctionEnvironment.RUNS_FILE_LOCATIONS, "s3://bench-inputs/");
        try (LocalPipeline pipeline = LocalPipeline.start(options)) {
            StringBuilder runsFile = new StringBuilder("[");
            for (int i = 0; i < runs; i++) {
                runsFile.append(i == 0 ? "" : ",").append("{\"runSettingId\":\"S").append(i)
                        .append("\",\"parameters\":{\"sample_id\":\"S").append(i).append("\"}}");
            }
            pipeline.put("bench-inputs", "runs.json", runsFile.append("]").toString().getBytes(StandardCharsets.UTF_8));
            String document = "{\"defaultRunSetting\":{\"workflowId\":\"1234567\",\"roleArn\":\"arn:aws:iam::123456789012:role/R\","
                    + "\"outputUri\":\"s3://bench-results/out/\"},\"batchRunSettings\":{\"s3UriSettings\":\"s3://bench-inputs/runs.json\"}}";
            S3ObjectRef dropped = pipeline.dropSettings("pacing.json", document.getBytes(StandardCharsets.UTF_8));
            whileRunning.accept(pipeline);
            String batchId = BatchIdentity.batchId(null, dropped.bucket(), dropped.key(), dropped.versionId(), dropped.eTag());
            BatchRecord batch = pipeline.awaitBatch(batchId, b -> b.status() == BatchStatus.INPROGRESS,
                    Duration.ofSeconds((long) (runs / quota * 3 + 60))).orElseThrow();
            if (batch.status() != BatchStatus.INPROGRESS) {
                throw new IllegalStateException("the batch did not finish submitting: " + batch.status());
            }
            return summarize(pipeline.simulator().startRunCalls(), runs);
        }
    }

    private static Result naiveLoop(int runs, double quota) throws Exception {
        try (OmicsSimulator simulator = OmicsSimulator.builder().config(simulator(quota)).start();
             OmicsClient omics = client(simulator.endpoint(), true)) {
            int lost = 0;
            for (int i = 0; i < runs; i++) {
                int sample = i;
                try {
                    omics.startRun(b -> b.workflowId("1234567").roleArn("arn:aws:iam::123456789012:role/R")
                            .outputUri("s3://bench-results/out/").requestId("naive-" + sample)
                            .parameters(Document.fromMap(Map.of("sample_id", Document.fromString("S" + sample)))));
                } catch (OmicsException e) {
                    lost++; // retries exhausted: in a naive script this run is simply not started
                }
            }
            Result result = summarize(simulator.startRunCalls(), runs);
            return new Result(result.created(), result.calls(), result.throttled(), lost, result.seconds(), result.createdAt());
        }
    }

    private static Result summarize(List<OmicsSimulator.StartRunCallRecord> all, int runs) {
        List<OmicsSimulator.StartRunCallRecord> calls = all.stream()
                .filter(c -> c.requestId() == null || !c.requestId().startsWith(OTHER_CLIENT)).toList();
        List<Long> created = calls.stream().filter(c -> c.outcome().equals("CREATED"))
                .map(OmicsSimulator.StartRunCallRecord::receivedAtMillis).sorted().toList();
        long throttled = calls.stream().filter(c -> c.outcome().equals("THROTTLED")).count();
        double seconds = created.size() < 2 ? 0 : (created.get(created.size() - 1) - created.get(0)) / 1000.0;
        return new Result(created.size(), calls.size(), throttled, runs - created.size(), seconds, created);
    }
}
