package io.omicsbatch.local.bench;

import io.omicsbatch.resources.FunctionEnvironment;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.batch.BatchRecord;
import io.omicsbatch.batch.BatchStatus;
import io.omicsbatch.batch.RunStatus;
import io.omicsbatch.functions.FunctionSettings;
import io.omicsbatch.functions.StatusHandler;
import io.omicsbatch.local.lambda.LambdaEvents;
import io.omicsbatch.local.lambda.LocalContext;
import io.omicsbatch.local.pipeline.LocalPipeline;
import io.omicsbatch.local.simulator.SimulatorConfig;
import io.omicsbatch.settings.BatchIdentity;
import io.omicsbatch.settings.SettingsJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * Status event throughput of one status function instance (one thread, as one Lambda instance handles one event
 * at a time) against DynamoDB Local, GetRun served by the simulator. Per batch of N runs: every run's STARTING,
 * RUNNING, STOPPING and terminal event, plus a duplicate of each, shuffled. Non-terminal events cost one index
 * query, one consistent read and one transaction; terminal ones add GetRun and, for the last, the manifest.
 *
 * <p>usage: java -cp local/target/omics-batch-local.jar io.omicsbatch.local.bench.StatusBenchmark [runs] [repeats]
 */
public final class StatusBenchmark {

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        SimulatorConfig simulator = new SimulatorConfig(5L, 1000, 1_000_000, new SimulatorConfig.Range(50, 200), 0.2,
                null, new SimulatorConfig.Faults(0, 0, 1.0, 0, false, new SimulatorConfig.Range(0, 0)),
                SimulatorConfig.LambdaFaults.NONE, null);
        LocalPipeline.Options options = LocalPipeline.Options.defaults(simulator).withStartRunTps(1000)
                .withReconcile(LocalPipeline.Options.defaultReconcile(), null)
                .withEnvironment(FunctionEnvironment.RUNS_FILE_LOCATIONS, "s3://lab-inputs/");
        double[] rates = new double[repeats];
        try (LocalPipeline pipeline = LocalPipeline.start(options)) {
            StatusHandler handler = new StatusHandler(pipeline.components().status());
            // Warm-up: JIT, connections.
            measure(pipeline, handler, Math.min(runs, 100), "warmup");
            for (int i = 0; i < repeats; i++) {
                rates[i] = measure(pipeline, handler, runs, "r" + i);
            }
        }
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "status events/s, one instance (%d runs x 8 events, %d repeats): median %.0f "
                + "(all: %s); cores %d%n", runs, repeats, sorted[repeats / 2], Arrays.toString(round(rates)),
                Runtime.getRuntime().availableProcessors());
    }

    private static double measure(LocalPipeline pipeline, StatusHandler handler, int runs, String label) throws Exception {
        String batchName = "statusbench-" + label;
        ObjectNode doc = SettingsJson.MAPPER.createObjectNode();
        doc.put("batchName", batchName);
        ObjectNode defaults = doc.putObject("defaultRunSetting");
        defaults.put("workflowId", "1234567");
        defaults.put("roleArn", "arn:aws:iam::123456789012:role/OmicsWorkflowServiceRole");
        defaults.put("outputUri", "s3://lab-results/" + batchName + "/");
        doc.putObject("batchRunSettings").put("s3UriSettings", "s3://lab-inputs/" + batchName + "/runs.json");
        ArrayNode settings = SettingsJson.MAPPER.createArrayNode();
        for (int i = 0; i < runs; i++) {
            settings.addObject().put("runSettingId", "S" + i).putObject("parameters").put("sample", "S" + i);
        }
        pipeline.put("lab-inputs", batchName + "/runs.json", settings.toString().getBytes(StandardCharsets.UTF_8));
        var dropped = pipeline.dropSettings(batchName + ".json", doc.toString().getBytes(StandardCharsets.UTF_8));
        String batchId = BatchIdentity.batchId(null, dropped.bucket(), dropped.key(), dropped.versionId(), dropped.eTag());
        BatchRecord batch = pipeline.awaitBatch(batchId, b -> b.status() == BatchStatus.INPROGRESS
                || b.status() == BatchStatus.FAILED, Duration.ofMinutes(5)).orElseThrow();
        if (batch.status() != BatchStatus.INPROGRESS) {
            throw new IllegalStateException("batch " + batch.status() + ": " + batch.failureMessage());
        }
        if (!pipeline.simulator().awaitIdle(Duration.ofMinutes(5))) {
            throw new IllegalStateException("simulator runs did not finish");
        }
        String prefix = "ob-" + batchId + "-";
        List<String> events = new ArrayList<>();
        for (JsonNode run : pipeline.simulator().groundTruth().path("runs")) {
            if (!run.path("requestId").asText().startsWith(prefix)) {
                continue;
            }
            for (RunStatus status : List.of(RunStatus.STARTING, RunStatus.RUNNING, RunStatus.STOPPING,
                    RunStatus.valueOf(run.path("status").asText()))) {
                String event = event(run, status);
                events.add(event);
                events.add(event);
            }
        }
        Collections.shuffle(events, new Random(1));
        List<ScheduledEvent> parsed = new ArrayList<>(events.size());
        for (String event : events) {
            parsed.add(LambdaEvents.fromJson(event, ScheduledEvent.class));
        }
        LocalContext context = new LocalContext("omics-batch-status", Duration.ofSeconds(30));
        long start = System.nanoTime();
        for (ScheduledEvent event : parsed) {
            handler.handleRequest(event, context);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        BatchRecord after = pipeline.batches().get(batchId).orElseThrow();
        if (after.status() != BatchStatus.PROCESSED) {
            throw new IllegalStateException("batch not PROCESSED after every event: " + after.status() + " " + after.counts());
        }
        double rate = parsed.size() / seconds;
        System.out.printf(Locale.ROOT, "%-8s %d events in %.2f s: %.0f events/s%n", label, parsed.size(), seconds, rate);
        return rate;
    }

    private static String event(JsonNode run, RunStatus status) {
        ObjectNode event = SettingsJson.MAPPER.createObjectNode();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", "Run Status Change");
        event.put("source", "aws.omics");
        event.put("account", "123456789012");
        event.put("time", "2026-11-21T00:00:00Z");
        event.put("region", "us-east-1");
        event.putArray("resources").add(run.path("arn").asText());
        ObjectNode detail = event.putObject("detail");
        detail.put("omicsVersion", "1.0.0");
        detail.put("arn", run.path("arn").asText());
        detail.put("status", status.name());
        detail.put("uuid", run.path("uuid").asText());
        detail.put("runId", run.path("id").asText());
        return event.toString();
    }

    private static long[] round(double[] values) {
        return Arrays.stream(values).mapToLong(Math::round).toArray();
    }

    private StatusBenchmark() {}
}
