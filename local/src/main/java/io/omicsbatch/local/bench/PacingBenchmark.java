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
 * <p>usage: java -cp local/target/omics-batch-local.jar io.omicsbatch.local.bench.PacingBenchmark [runs] [quotaTps]
 */
public final class PacingBenchmark {

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        double quota = args.length > 1 ? Double.parseDouble(args[1]) : 20;
        System.out.printf(Locale.ROOT, "runs=%d quota=%.1f StartRun/s%n", runs, quota);
        Result ours = omicsBatch(runs, quota);
        print("omics-batch (submit function, paced at the quota)", ours, quota);
        Result naive = naiveLoop(runs, quota);
        print("naive loop (back to back, SDK default retries)", naive, quota);
    }

    record Result(int created, long calls, long throttled, int lost, double seconds) {}

    private static void print(String label, Result r, double quota) {
        double acceptedPerSecond = (r.created() - 1) / r.seconds();
        System.out.printf(Locale.ROOT, "%-52s created %d (lost %d) in %.1f s: %.2f accepted/s = %.3f of the quota; "
                        + "StartRun calls %d, throttled %d (%.1f%%)%n",
                label, r.created(), r.lost(), r.seconds(), acceptedPerSecond, acceptedPerSecond / quota, r.calls(), r.throttled(),
                100.0 * r.throttled() / r.calls());
    }

    private static SimulatorConfig simulator(double quota) {
        return new SimulatorConfig(7L, quota, 1_000_000, new SimulatorConfig.Range(60_000, 120_000), 0.0, null,
                SimulatorConfig.Faults.NONE, SimulatorConfig.LambdaFaults.NONE, null);
    }

    private static Result omicsBatch(int runs, double quota) throws Exception {
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
             OmicsClient omics = OmicsClient.builder().region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                             LocalStandIns.ACCESS_KEY_ID, LocalStandIns.SECRET_ACCESS_KEY)))
                     .endpointOverride(simulator.endpoint())
                     .overrideConfiguration(o -> o.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true))
                     .build()) {
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
            return new Result(result.created(), result.calls(), result.throttled(), lost, result.seconds());
        }
    }

    private static Result summarize(List<OmicsSimulator.StartRunCallRecord> calls, int runs) {
        List<Long> created = calls.stream().filter(c -> c.outcome().equals("CREATED"))
                .map(OmicsSimulator.StartRunCallRecord::receivedAtMillis).sorted().toList();
        long throttled = calls.stream().filter(c -> c.outcome().equals("THROTTLED")).count();
        double seconds = created.size() < 2 ? 0 : (created.get(created.size() - 1) - created.get(0)) / 1000.0;
        return new Result(created.size(), calls.size(), throttled, runs - created.size(), seconds);
    }
}
