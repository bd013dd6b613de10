package io.omicsbatch.functions;

import io.omicsbatch.intake.BatchPreflight;
import io.omicsbatch.resources.ResourceDefinitions;
import io.omicsbatch.settings.S3Location;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The functions' configuration, from their environment (set by the CDK stack). Table names default to the
 * shared resource definitions; queue URLs and the intake's deployment facts have no default. Nothing secret is
 * configured here.
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
        double getRunTps,
        String stackPartition,
        String stackAccountId,
        List<String> omicsRoleArns,
        List<S3Location> runsFileLocations) {

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
    /** The partition the stack runs in; the intake accepts only roles of it. */
    public static final String STACK_PARTITION = "STACK_PARTITION";
    /** The account the stack runs in; the intake accepts only roles of it. */
    public static final String STACK_ACCOUNT_ID = "STACK_ACCOUNT_ID";
    /** Comma-separated role ARNs (IAM {@code *} wildcards) the submit function may pass: its iam:PassRole resources. */
    public static final String OMICS_ROLE_ARNS = "OMICS_ROLE_ARNS";
    /** Comma-separated {@code s3://bucket/prefix} locations runs files may be read from besides the settings bucket's runs/. */
    public static final String RUNS_FILE_LOCATIONS = "RUNS_FILE_LOCATIONS";

    private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12}");
    private static final Pattern PARTITION = Pattern.compile("aws(-[a-z]+)*");
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/[\\w+=,.@*/-]+");

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
                getRunTps,
                matching(env, STACK_PARTITION, PARTITION, "a partition, e.g. aws"),
                matching(env, STACK_ACCOUNT_ID, ACCOUNT_ID, "a 12-digit account id"),
                roleArns(env.get(OMICS_ROLE_ARNS)),
                locations(env.get(RUNS_FILE_LOCATIONS)));
    }

    /**
     * What the intake's pre-flight judges documents against. Required: without it the intake would have to accept
     * any role and read any runs file its IAM role reaches.
     *
     * @throws IllegalStateException naming the variables that are not set
     */
    public BatchPreflight.Deployment deployment() {
        List<String> missing = new ArrayList<>();
        if (stackPartition == null) {
            missing.add(STACK_PARTITION);
        }
        if (stackAccountId == null) {
            missing.add(STACK_ACCOUNT_ID);
        }
        if (omicsRoleArns.isEmpty()) {
            missing.add(OMICS_ROLE_ARNS);
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("the intake needs " + String.join(", ", missing) + " in its environment");
        }
        return new BatchPreflight.Deployment(stackPartition, stackAccountId, omicsRoleArns, runsFileLocations);
    }

    private static String matching(Map<String, String> env, String name, Pattern pattern, String expected) {
        String value = env.get(name);
        if (value != null && !pattern.matcher(value).matches()) {
            throw new IllegalArgumentException(name + " must be " + expected + ", got " + value);
        }
        return value;
    }

    private static List<String> roleArns(String value) {
        List<String> roles = items(value);
        for (String role : roles) {
            if (!ROLE_ARN.matcher(role).matches()) {
                throw new IllegalArgumentException(OMICS_ROLE_ARNS + " must list IAM role ARNs, got " + role);
            }
        }
        return roles;
    }

    private static List<S3Location> locations(String value) {
        List<S3Location> locations = new ArrayList<>();
        for (String uri : items(value)) {
            S3Location.Parsed parsed = S3Location.parse(uri, false);
            if (!parsed.isValid() || uri.contains("*")) {
                throw new IllegalArgumentException(RUNS_FILE_LOCATIONS + " must list s3://bucket/prefix URIs without "
                        + "wildcards, got " + uri);
            }
            locations.add(parsed.location());
        }
        return locations;
    }

    private static List<String> items(String value) {
        List<String> items = new ArrayList<>();
        if (value != null) {
            for (String item : value.split(",")) {
                if (!item.isBlank()) {
                    items.add(item.trim());
                }
            }
        }
        return items;
    }
}
