package io.omicsbatch.functions;

import io.omicsbatch.resources.ResourceDefinitions;
import java.util.Map;

/**
 * The functions' configuration, from their environment (set by the CDK stack). Table names default to the
 * shared resource definitions; queue URLs have no default. Nothing secret is configured here.
 */
public record FunctionSettings(
        String batchesTable,
        String runsTable,
        String pacingTable,
        String runQueueUrl,
        String intakeQueueUrl,
        double startRunTps,
        int maxAttempts,
        String batchEventBus,
        String batchEventSource,
        int staleRunMinutes,
        double getRunTps) {

    public static final String BATCHES_TABLE = "BATCHES_TABLE";
    public static final String RUNS_TABLE = "RUNS_TABLE";
    public static final String PACING_TABLE = "PACING_TABLE";
    public static final String RUN_QUEUE_URL = "RUN_QUEUE_URL";
    public static final String INTAKE_QUEUE_URL = "INTAKE_QUEUE_URL";
    public static final String START_RUN_TPS = "START_RUN_TPS";
    public static final String MAX_ATTEMPTS = "MAX_ATTEMPTS";
    /** The EventBridge bus (name or ARN) batch events go to; default: the account's default bus. */
    public static final String BATCH_EVENT_BUS = "BATCH_EVENT_BUS";
    /** The source of batch events; default {@value #DEFAULT_EVENT_SOURCE}. */
    public static final String BATCH_EVENT_SOURCE = "BATCH_EVENT_SOURCE";
    public static final String DEFAULT_EVENT_SOURCE = "omics-batch";
    /** The reconciler reads a run with GetRun after this long without news (default 15). */
    public static final String STALE_RUN_MINUTES = "STALE_RUN_MINUTES";
    /** The reconciler's GetRun rate (default 5; the API allows ~10 per account). */
    public static final String GET_RUN_TPS = "GET_RUN_TPS";

    public static FunctionSettings fromEnvironment() {
        return from(System.getenv());
    }

    public static FunctionSettings from(Map<String, String> env) {
        double tps = Double.parseDouble(env.getOrDefault(START_RUN_TPS, "1"));
        if (!(tps > 0)) {
            throw new IllegalArgumentException(START_RUN_TPS + " must be a positive number, got " + env.get(START_RUN_TPS));
        }
        int attempts = Integer.parseInt(env.getOrDefault(MAX_ATTEMPTS, "8"));
        if (attempts < 1) {
            throw new IllegalArgumentException(MAX_ATTEMPTS + " must be at least 1, got " + attempts);
        }
        int staleMinutes = Integer.parseInt(env.getOrDefault(STALE_RUN_MINUTES, "15"));
        if (staleMinutes < 1) {
            throw new IllegalArgumentException(STALE_RUN_MINUTES + " must be at least 1, got " + staleMinutes);
        }
        double getRunTps = Double.parseDouble(env.getOrDefault(GET_RUN_TPS, "5"));
        if (!(getRunTps > 0) || getRunTps > 10) {
            throw new IllegalArgumentException(GET_RUN_TPS + " must be in (0, 10], got " + env.get(GET_RUN_TPS));
        }
        return new FunctionSettings(
                env.getOrDefault(BATCHES_TABLE, ResourceDefinitions.BATCHES_TABLE.name()),
                env.getOrDefault(RUNS_TABLE, ResourceDefinitions.RUNS_TABLE.name()),
                env.getOrDefault(PACING_TABLE, ResourceDefinitions.PACING_TABLE.name()),
                env.get(RUN_QUEUE_URL),
                env.get(INTAKE_QUEUE_URL),
                tps,
                attempts,
                env.getOrDefault(BATCH_EVENT_BUS, "default"),
                env.getOrDefault(BATCH_EVENT_SOURCE, DEFAULT_EVENT_SOURCE),
                staleMinutes,
                getRunTps);
    }
}
