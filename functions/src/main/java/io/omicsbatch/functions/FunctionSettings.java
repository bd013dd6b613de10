package io.omicsbatch.functions;

import io.omicsbatch.intake.BatchPreflight;
import static io.omicsbatch.resources.FunctionEnvironment.*;

import io.omicsbatch.resources.FunctionEnvironment;
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
        List<S3Location> runsFileLocations,
        double maxQuotaWaitHours,
        String operationsQueueUrl) {

    /** The source of batch events unless {@code BATCH_EVENT_SOURCE} names another. */
    public static final String DEFAULT_EVENT_SOURCE = "omics-batch";

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
        double quotaWaitHours = Double.parseDouble(env.getOrDefault(MAX_QUOTA_WAIT_HOURS, "48"));
        if (!(quotaWaitHours > 0) || quotaWaitHours > 24 * 365) {
            throw new IllegalArgumentException(MAX_QUOTA_WAIT_HOURS + " must be a number of hours in (0, 8760], got "
                    + env.get(MAX_QUOTA_WAIT_HOURS));
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
                locations(env.get(RUNS_FILE_LOCATIONS)),
                quotaWaitHours,
                env.get(FunctionEnvironment.OPERATIONS_QUEUE_URL));
    }

    /** The stack's partition ({@code STACK_PARTITION}), {@code aws} when the environment does not say. */
    public String partition() {
        return stackPartition == null ? "aws" : stackPartition;
    }

    /** How long a submission may wait for the StartRun quota ({@code MAX_QUOTA_WAIT_HOURS}). */
    public java.time.Duration maxQuotaWait() {
        return java.time.Duration.ofMillis(Math.round(maxQuotaWaitHours * 3_600_000));
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
