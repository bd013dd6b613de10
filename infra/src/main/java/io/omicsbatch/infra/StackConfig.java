package io.omicsbatch.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.omicsbatch.resources.ResourceDefinitions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The stack's configuration, from CDK context ({@code -c key=value} or {@code cdk.json}'s {@code context}).
 * Every key is optional; {@link #fromContext} validates the values so that a typo fails the synth with the
 * key's name instead of deploying something unintended. Lists may be JSON arrays or comma-separated strings.
 *
 * @param omicsRoleArns        HealthOmics service roles the submit function may pass to StartRun; empty means
 *                             {@link #DEFAULT_ROLE_PATTERN} in the deploying account
 * @param startRunTps          the account's StartRun quota the submit function paces to (requests per second)
 * @param maxActiveRuns        the account's active-run quota, when known (the dashboard's heading; submission waits on ServiceQuotaExceeded whatever it is)
 * @param runsFileLocations    S3 locations, besides the settings bucket's {@code runs/} prefix, that
 *                             {@code s3UriSettings} runs files may be read from
 * @param batchEventBus        name or ARN of the bus batch events are published to
 * @param alarmEmail           address subscribed to the alarm topic, or null
 * @param notifyEmail          address mailed when a batch ends (a topic of ours, subscribed), or null
 * @param notifyTopicArn       an existing SNS topic that also gets the batch-end message, or null
 * @param submitMaxConcurrency the submit event source mapping's maximum concurrency (2–1000)
 * @param reconcileMinutes     the reconcile schedule's period
 * @param maxAttempts          StartRun attempts with retryable errors before a submission fails
 * @param staleRunMinutes      how long a run may go without an event before the reconciler asks GetRun
 * @param getRunTps            the reconciler's GetRun rate
 * @param maxQuotaWaitHours    how long a submission may wait for StartRun's ServiceQuotaExceededException to clear
 */
public record StackConfig(
        List<String> omicsRoleArns,
        double startRunTps,
        Integer maxActiveRuns,
        List<S3Prefix> runsFileLocations,
        String batchEventBus,
        String alarmEmail,
        String notifyEmail,
        String notifyTopicArn,
        int submitMaxConcurrency,
        int reconcileMinutes,
        int maxAttempts,
        int staleRunMinutes,
        double getRunTps,
        double maxQuotaWaitHours) {

    /** PassRole's resource when no {@code omicsRoleArns} is given: roles named with this prefix. */
    public static final String DEFAULT_ROLE_NAME_PATTERN = ResourceDefinitions.DEFAULT_OMICS_ROLE_NAME_PATTERN;
    public static final String DEFAULT_ROLE_PATTERN = "arn:<partition>:iam::<account>:role/" + DEFAULT_ROLE_NAME_PATTERN;

    public static final String OMICS_ROLE_ARNS = "omicsRoleArns";
    public static final String START_RUN_TPS = "startRunTps";
    public static final String MAX_ACTIVE_RUNS = "maxActiveRuns";
    public static final String RUNS_FILE_LOCATIONS = "runsFileLocations";
    public static final String BATCH_EVENT_BUS = "batchEventBus";
    public static final String ALARM_EMAIL = "alarmEmail";
    public static final String NOTIFY_EMAIL = "notifyEmail";
    public static final String NOTIFY_TOPIC_ARN = "notifyTopicArn";
    public static final String SUBMIT_MAX_CONCURRENCY = "submitMaxConcurrency";
    public static final String RECONCILE_MINUTES = "reconcileMinutes";
    public static final String MAX_ATTEMPTS = "maxAttempts";
    public static final String STALE_RUN_MINUTES = "staleRunMinutes";
    public static final String GET_RUN_TPS = "getRunTps";
    public static final String MAX_QUOTA_WAIT_HOURS = "maxQuotaWaitHours";

    /** Every context key the stack reads. */
    public static final List<String> KEYS = List.of(OMICS_ROLE_ARNS, START_RUN_TPS, MAX_ACTIVE_RUNS, RUNS_FILE_LOCATIONS,
            BATCH_EVENT_BUS, ALARM_EMAIL, NOTIFY_EMAIL, NOTIFY_TOPIC_ARN, SUBMIT_MAX_CONCURRENCY, RECONCILE_MINUTES,
            MAX_ATTEMPTS, STALE_RUN_MINUTES, GET_RUN_TPS, MAX_QUOTA_WAIT_HOURS);

    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws(-[a-z]+)*:iam::\\d{12}:role/[\\w+=,.@*/-]+");
    private static final Pattern BUS_NAME = Pattern.compile("[/.\\-_A-Za-z0-9]{1,256}");
    private static final Pattern BUS_ARN = Pattern.compile("arn:aws(-[a-z]+)*:events:[a-z0-9-]+:\\d{12}:event-bus/[/.\\-_A-Za-z0-9]{1,256}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    /** A standard topic: EventBridge's SNS target does not set the message group a FIFO topic needs. */
    private static final Pattern TOPIC_ARN = Pattern.compile("arn:aws(-[a-z]+)*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,256}");

    public StackConfig {
        omicsRoleArns = List.copyOf(omicsRoleArns);
        runsFileLocations = List.copyOf(runsFileLocations);
        Objects.requireNonNull(batchEventBus, BATCH_EVENT_BUS);
    }

    public static StackConfig defaults() {
        return fromContext(key -> null);
    }

    /** Reads and validates every key; {@code context} returns null for an absent key. */
    public static StackConfig fromContext(Function<String, Object> context) {
        List<String> roles = list(context.apply(OMICS_ROLE_ARNS), OMICS_ROLE_ARNS);
        for (String role : roles) {
            if (!ROLE_ARN.matcher(role).matches()) {
                throw invalid(OMICS_ROLE_ARNS, role, "an IAM role ARN, e.g. arn:aws:iam::123456789012:role/OmicsServiceRole");
            }
        }
        List<S3Prefix> locations = new ArrayList<>();
        for (String uri : list(context.apply(RUNS_FILE_LOCATIONS), RUNS_FILE_LOCATIONS)) {
            locations.add(S3Prefix.parse(uri, RUNS_FILE_LOCATIONS));
        }
        String bus = string(context.apply(BATCH_EVENT_BUS));
        if (bus == null) {
            bus = "default";
        } else if (!BUS_NAME.matcher(bus).matches() && !BUS_ARN.matcher(bus).matches()) {
            throw invalid(BATCH_EVENT_BUS, bus, "an event bus name or ARN");
        }
        String email = string(context.apply(ALARM_EMAIL));
        if (email != null && !EMAIL.matcher(email).matches()) {
            throw invalid(ALARM_EMAIL, email, "an e-mail address");
        }
        String notifyEmail = string(context.apply(NOTIFY_EMAIL));
        if (notifyEmail != null && !EMAIL.matcher(notifyEmail).matches()) {
            throw invalid(NOTIFY_EMAIL, notifyEmail, "an e-mail address");
        }
        String notifyTopic = string(context.apply(NOTIFY_TOPIC_ARN));
        if (notifyTopic != null && !TOPIC_ARN.matcher(notifyTopic).matches()) {
            throw invalid(NOTIFY_TOPIC_ARN, notifyTopic, "the ARN of a standard (not FIFO) SNS topic, e.g. "
                    + "arn:aws:sns:us-east-1:123456789012:lab-batches");
        }
        double tps = number(context.apply(START_RUN_TPS), START_RUN_TPS, 1, 0.001, 1000);
        Double maxActive = context.apply(MAX_ACTIVE_RUNS) == null ? null
                : number(context.apply(MAX_ACTIVE_RUNS), MAX_ACTIVE_RUNS, 0, 1, 1_000_000);
        return new StackConfig(
                roles,
                tps,
                maxActive == null ? null : whole(maxActive, MAX_ACTIVE_RUNS),
                locations,
                bus,
                email,
                notifyEmail,
                notifyTopic,
                whole(number(context.apply(SUBMIT_MAX_CONCURRENCY), SUBMIT_MAX_CONCURRENCY, 2, 2, 1000), SUBMIT_MAX_CONCURRENCY),
                whole(number(context.apply(RECONCILE_MINUTES), RECONCILE_MINUTES, 5, 1, 1440), RECONCILE_MINUTES),
                whole(number(context.apply(MAX_ATTEMPTS), MAX_ATTEMPTS, 8, 1, 100), MAX_ATTEMPTS),
                whole(number(context.apply(STALE_RUN_MINUTES), STALE_RUN_MINUTES, 15, 1, 10_080), STALE_RUN_MINUTES),
                number(context.apply(GET_RUN_TPS), GET_RUN_TPS, 5, 0.1, 100),
                number(context.apply(MAX_QUOTA_WAIT_HOURS), MAX_QUOTA_WAIT_HOURS, 48, 0.1, 8760));
    }

    /** An {@code s3://bucket/prefix} location; the prefix may be empty (the whole bucket). */
    public record S3Prefix(String bucket, String prefix) {
        private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

        static S3Prefix parse(String uri, String key) {
            if (!uri.startsWith("s3://")) {
                throw invalid(key, uri, "an s3://bucket/prefix URI");
            }
            String rest = uri.substring("s3://".length());
            int slash = rest.indexOf('/');
            String bucket = slash < 0 ? rest : rest.substring(0, slash);
            String prefix = slash < 0 ? "" : rest.substring(slash + 1);
            if (!BUCKET.matcher(bucket).matches()) {
                throw invalid(key, uri, "an s3://bucket/prefix URI with a valid bucket name");
            }
            if (prefix.contains("*")) {
                throw invalid(key, uri, "a prefix without wildcards (everything under the prefix is readable)");
            }
            return new S3Prefix(bucket, prefix);
        }

        public String uri() {
            return "s3://" + bucket + "/" + prefix;
        }
    }

    private static List<String> list(Object value, String key) {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        if (value instanceof Collection<?> items) {
            for (Object item : items) {
                addTrimmed(out, String.valueOf(item));
            }
            return out;
        }
        String text = value.toString().trim();
        if (text.startsWith("[")) {
            try {
                JsonNode array = new ObjectMapper().readTree(text);
                if (!array.isArray()) {
                    throw invalid(key, text, "a JSON array of strings or a comma-separated list");
                }
                for (JsonNode item : array) {
                    if (!item.isTextual()) {
                        throw invalid(key, text, "a JSON array of strings or a comma-separated list");
                    }
                    addTrimmed(out, item.asText());
                }
                return out;
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw invalid(key, text, "a JSON array of strings or a comma-separated list");
            }
        }
        for (String item : text.split(",")) {
            addTrimmed(out, item);
        }
        return out;
    }

    private static void addTrimmed(List<String> out, String item) {
        String trimmed = item.trim();
        if (!trimmed.isEmpty()) {
            out.add(trimmed);
        }
    }

    private static String string(Object value) {
        if (value == null) {
            return null;
        }
        String text = value.toString().trim();
        return text.isEmpty() ? null : text;
    }

    private static double number(Object value, String key, double dflt, double min, double max) {
        if (value == null || value.toString().isBlank()) {
            return dflt;
        }
        double number;
        try {
            number = value instanceof Number n ? n.doubleValue() : Double.parseDouble(value.toString().trim());
        } catch (NumberFormatException e) {
            throw invalid(key, value, "a number");
        }
        if (!(number >= min && number <= max)) {
            throw invalid(key, value, "a number from " + plain(min) + " to " + plain(max));
        }
        return number;
    }

    private static int whole(double number, String key) {
        if (number != Math.rint(number)) {
            throw invalid(key, plain(number), "a whole number");
        }
        return (int) number;
    }

    private static String plain(double number) {
        return number == Math.rint(number) ? Long.toString((long) number) : Double.toString(number);
    }

    private static IllegalArgumentException invalid(String key, Object value, String expected) {
        return new IllegalArgumentException("context " + key + ": \"" + value + "\" is not " + expected);
    }
}
