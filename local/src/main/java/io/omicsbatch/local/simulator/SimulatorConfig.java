package io.omicsbatch.local.simulator;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The simulator's configuration, read from a {@code sim.json} (docs/local.md, "Configuration"). Every key is
 * optional; an unknown key, a wrong type or an out-of-range value is rejected with a
 * {@link SimulatorConfigException} naming the key (as a dotted path, e.g. {@code faults.dropEventRate}).
 *
 * <p>Defaults (those of the DESIGN example): {@code seed} none (a random seed is drawn and reported),
 * {@code startRunTps} 10.0, {@code maxActiveRuns} 1000, {@code runDurationMillis} {min 200, max 1000},
 * {@code failRate} 0.0, {@code workflows} absent (every numeric workflow id exists and accepts any
 * parameters), every fault rate 0.0, {@code reorderEvents} false, {@code eventDelayMillis} {min 0, max 0},
 * {@code lambdaFaults.crashAfterStartRunRate} 0.0, {@code lambdaFaults.intakeCrashRate} 0.0,
 * {@code lambdaFaults.duplicateNotifications} 1, {@code account} 123456789012, {@code maxRetainedRuns} none
 * (no limit on retained runs), {@code startRunBurst} 1 (a strict quota).
 *
 * @param seed the seed of every random decision, or null when none was configured
 * @param workflows the configured workflows by id, or null when the key is absent (any workflow exists)
 * @param lambdaFaults parsed and exposed for the local runner; the simulator itself does not use it
 * @param account the id of the account the simulator plays, or null when none was configured
 *                ({@link Account#DEFAULT}'s, unless {@code run} takes it from the document)
 * @param maxRetainedRuns the account's retained-runs quota: runs not deleted, whatever their status
 *                        ({@link #UNLIMITED_RETAINED_RUNS} when not configured)
 * @param startRunBurst the StartRun token bucket's capacity: how many calls may arrive back to back after a pause.
 *                      1 (the default) admits no call less than 1/startRunTps after the last admitted one
 */
public record SimulatorConfig(
        Long seed,
        double startRunTps,
        int maxActiveRuns,
        Range runDurationMillis,
        double failRate,
        Map<String, Workflow> workflows,
        Faults faults,
        LambdaFaults lambdaFaults,
        String account,
        int maxRetainedRuns,
        int startRunBurst) {

    public static final double DEFAULT_START_RUN_TPS = 10.0;
    public static final int DEFAULT_MAX_ACTIVE_RUNS = 1000;
    public static final Range DEFAULT_RUN_DURATION_MILLIS = new Range(200, 1000);
    /** {@code maxRetainedRuns} when the key is absent: runs are never deleted for the retained-runs quota. */
    public static final int UNLIMITED_RETAINED_RUNS = Integer.MAX_VALUE;
    /** Beyond this, the quota would hardly be a quota. */
    private static final int MAX_START_RUN_BURST = 10_000;
    /** A strict StartRun quota: no burst. */
    public static final int DEFAULT_START_RUN_BURST = 1;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final Pattern WORKFLOW_ID = Pattern.compile("[0-9]{1,18}");
    private static final List<String> ROOT_KEYS = List.of("seed", "account", "startRunTps", "maxActiveRuns",
            "runDurationMillis", "failRate", "workflows", "faults", "lambdaFaults", "maxRetainedRuns", "startRunBurst");
    private static final List<String> RANGE_KEYS = List.of("min", "max");
    private static final List<String> WORKFLOW_KEYS = List.of("parameterTemplate", "profiles", "profileParameterTemplates");
    private static final List<String> PARAMETER_KEYS = List.of("description", "optional");
    private static final List<String> FAULT_KEYS = List.of("internalErrorRate", "requestTimeoutRate", "dropEventRate",
            "duplicateEventRate", "reorderEvents", "eventDelayMillis", "conflictOnReplayRate", "deleteRunDeniedRate");
    private static final List<String> LAMBDA_FAULT_KEYS = List.of("crashAfterStartRunRate", "intakeCrashRate",
            "duplicateNotifications");
    /** More copies of one notification would only test the SQS stand-in's thread pool. */
    private static final int MAX_DUPLICATE_NOTIFICATIONS = 100;

    public SimulatorConfig {
        workflows = workflows == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(workflows));
        if (account != null && !Account.isAccountId(account)) {
            throw new IllegalArgumentException("account must be 12 digits, got " + account);
        }
        if (maxRetainedRuns < 1) {
            throw new IllegalArgumentException("maxRetainedRuns must be at least 1, got " + maxRetainedRuns);
        }
        if (startRunBurst < 1) {
            throw new IllegalArgumentException("startRunBurst must be at least 1, got " + startRunBurst);
        }
    }

    /** With a strict StartRun quota (burst 1). */
    public SimulatorConfig(Long seed, double startRunTps, int maxActiveRuns, Range runDurationMillis, double failRate,
                           Map<String, Workflow> workflows, Faults faults, LambdaFaults lambdaFaults, String account,
                           int maxRetainedRuns) {
        this(seed, startRunTps, maxActiveRuns, runDurationMillis, failRate, workflows, faults, lambdaFaults, account,
                maxRetainedRuns, DEFAULT_START_RUN_BURST);
    }

    /** Without a retained-runs quota. */
    public SimulatorConfig(Long seed, double startRunTps, int maxActiveRuns, Range runDurationMillis, double failRate,
                           Map<String, Workflow> workflows, Faults faults, LambdaFaults lambdaFaults, String account) {
        this(seed, startRunTps, maxActiveRuns, runDurationMillis, failRate, workflows, faults, lambdaFaults, account,
                UNLIMITED_RETAINED_RUNS);
    }

    /** An inclusive range of milliseconds. */
    public record Range(long min, long max) {}

    /**
     * One workflow the simulator knows. A workflow with profiles is a Nextflow workflow (GetWorkflow says so); the
     * others are WDL.
     *
     * @param parameterTemplate         the parameters it accepts, or null when the workflow accepts any parameters
     * @param profiles                  its Nextflow profiles (empty for none), as GetWorkflow's {@code profiles}
     * @param profileParameterTemplates the parameters a run of a profile accepts, for the profiles that have their
     *                                  own template ({@code profileParameterTemplates}); the others use
     *                                  {@code parameterTemplate}
     */
    public record Workflow(Map<String, Parameter> parameterTemplate, List<String> profiles,
                           Map<String, Map<String, Parameter>> profileParameterTemplates) {
        public Workflow {
            parameterTemplate = parameterTemplate == null ? null
                    : Collections.unmodifiableMap(new LinkedHashMap<>(parameterTemplate));
            profiles = List.copyOf(profiles);
            profileParameterTemplates = Collections.unmodifiableMap(new LinkedHashMap<>(profileParameterTemplates));
        }
    }

    /** One entry of a parameter template; a parameter without {@code optional} is required, as in HealthOmics. */
    public record Parameter(String description, boolean optional) {}

    /** Faults injected into API calls and into the event stream. */
    public record Faults(double internalErrorRate, double requestTimeoutRate, double dropEventRate,
                         double duplicateEventRate, boolean reorderEvents, Range eventDelayMillis,
                         double conflictOnReplayRate, double deleteRunDeniedRate) {
        public static final Faults NONE = new Faults(0, 0, 0, 0, false, new Range(0, 0), 0, 0);

        /** Without conflicts on replay. */
        public Faults(double internalErrorRate, double requestTimeoutRate, double dropEventRate,
                      double duplicateEventRate, boolean reorderEvents, Range eventDelayMillis) {
            this(internalErrorRate, requestTimeoutRate, dropEventRate, duplicateEventRate, reorderEvents,
                    eventDelayMillis, 0);
        }

        /** Without denied DeleteRun calls. */
        public Faults(double internalErrorRate, double requestTimeoutRate, double dropEventRate,
                      double duplicateEventRate, boolean reorderEvents, Range eventDelayMillis,
                      double conflictOnReplayRate) {
            this(internalErrorRate, requestTimeoutRate, dropEventRate, duplicateEventRate, reorderEvents,
                    eventDelayMillis, conflictOnReplayRate, 0);
        }
    }

    /**
     * Faults of the local runner's functions and triggers; read by {@code run}, not by the simulator.
     *
     * @param crashAfterStartRunRate per StartRun call that returned: the submit invocation is killed before it
     *                               records the run
     * @param intakeCrashRate        per chunk of an expansion: the intake invocation is killed somewhere in it
     * @param duplicateNotifications how many times every S3 notification is delivered (at once); 1 is S3's usual
     */
    public record LambdaFaults(double crashAfterStartRunRate, double intakeCrashRate, int duplicateNotifications) {
        public static final LambdaFaults NONE = new LambdaFaults(0, 0, 1);
    }

    public static SimulatorConfig defaults() {
        return new SimulatorConfig(null, DEFAULT_START_RUN_TPS, DEFAULT_MAX_ACTIVE_RUNS, DEFAULT_RUN_DURATION_MILLIS,
                0.0, null, Faults.NONE, LambdaFaults.NONE, null);
    }

    public Optional<Long> configuredSeed() {
        return Optional.ofNullable(seed);
    }

    public Optional<String> configuredAccount() {
        return Optional.ofNullable(account);
    }

    /** The configured account id, else {@link Account#DEFAULT}'s. */
    public String accountOrDefault() {
        return account != null ? account : Account.DEFAULT.id();
    }

    /** The workflow with this id, or empty when workflows are configured and it is not among them. */
    public Optional<Workflow> workflow(String id) {
        if (workflows == null) {
            return Optional.of(new Workflow(null, List.of(), Map.of()));
        }
        return Optional.ofNullable(workflows.get(id));
    }

    public SimulatorConfig withSeed(long newSeed) {
        return new SimulatorConfig(newSeed, startRunTps, maxActiveRuns, runDurationMillis, failRate, workflows, faults,
                lambdaFaults, account, maxRetainedRuns, startRunBurst);
    }

    public SimulatorConfig withAccount(String accountId) {
        return new SimulatorConfig(seed, startRunTps, maxActiveRuns, runDurationMillis, failRate, workflows, faults,
                lambdaFaults, accountId, maxRetainedRuns, startRunBurst);
    }

    public SimulatorConfig withMaxRetainedRuns(int limit) {
        return new SimulatorConfig(seed, startRunTps, maxActiveRuns, runDurationMillis, failRate, workflows, faults,
                lambdaFaults, account, limit, startRunBurst);
    }

    public SimulatorConfig withStartRunBurst(int burst) {
        return new SimulatorConfig(seed, startRunTps, maxActiveRuns, runDurationMillis, failRate, workflows, faults,
                lambdaFaults, account, maxRetainedRuns, burst);
    }

    /** Reads a sim.json file; error messages start with the file's path. */
    public static SimulatorConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new SimulatorConfigException("no such file: " + file);
        } catch (IOException e) {
            throw new SimulatorConfigException("cannot read " + file + ": " + e.getMessage());
        }
        try {
            return parse(text);
        } catch (SimulatorConfigException e) {
            throw new SimulatorConfigException(file + ": " + e.getMessage());
        }
    }

    /** Parses the text of a sim.json. */
    public static SimulatorConfig parse(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new SimulatorConfigException("the simulator config is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw new SimulatorConfigException("the simulator config is empty: expected a JSON object");
        }
        return fromJson(root);
    }

    public static SimulatorConfig fromJson(JsonNode root) {
        requireObject(root, "", ROOT_KEYS);
        SimulatorConfig d = defaults();
        Long seed = root.has("seed") ? integer(root.get("seed"), "seed", Long.MIN_VALUE, Long.MAX_VALUE) : null;
        double tps = root.has("startRunTps") ? positive(root.get("startRunTps"), "startRunTps") : d.startRunTps();
        int maxActive = root.has("maxActiveRuns")
                ? (int) integer(root.get("maxActiveRuns"), "maxActiveRuns", 1, Integer.MAX_VALUE) : d.maxActiveRuns();
        Range duration = root.has("runDurationMillis")
                ? range(root.get("runDurationMillis"), "runDurationMillis", d.runDurationMillis()) : d.runDurationMillis();
        double failRate = root.has("failRate") ? rate(root.get("failRate"), "failRate") : d.failRate();
        Map<String, Workflow> workflows = root.has("workflows") ? workflows(root.get("workflows")) : null;
        Faults faults = root.has("faults") ? faults(root.get("faults")) : Faults.NONE;
        LambdaFaults lambdaFaults = root.has("lambdaFaults") ? lambdaFaults(root.get("lambdaFaults")) : LambdaFaults.NONE;
        String account = root.has("account") ? account(root.get("account")) : null;
        int maxRetained = root.has("maxRetainedRuns")
                ? (int) integer(root.get("maxRetainedRuns"), "maxRetainedRuns", 1, Integer.MAX_VALUE)
                : UNLIMITED_RETAINED_RUNS;
        int burst = root.has("startRunBurst")
                ? (int) integer(root.get("startRunBurst"), "startRunBurst", 1, MAX_START_RUN_BURST) : DEFAULT_START_RUN_BURST;
        return new SimulatorConfig(seed, tps, maxActive, duration, failRate, workflows, faults, lambdaFaults, account,
                maxRetained, burst);
    }

    private static LambdaFaults lambdaFaults(JsonNode node) {
        requireObject(node, "lambdaFaults", LAMBDA_FAULT_KEYS);
        LambdaFaults d = LambdaFaults.NONE;
        return new LambdaFaults(
                node.has("crashAfterStartRunRate")
                        ? rate(node.get("crashAfterStartRunRate"), "lambdaFaults.crashAfterStartRunRate")
                        : d.crashAfterStartRunRate(),
                node.has("intakeCrashRate") ? rate(node.get("intakeCrashRate"), "lambdaFaults.intakeCrashRate")
                        : d.intakeCrashRate(),
                node.has("duplicateNotifications")
                        ? (int) integer(node.get("duplicateNotifications"), "lambdaFaults.duplicateNotifications", 1,
                                MAX_DUPLICATE_NOTIFICATIONS)
                        : d.duplicateNotifications());
    }

    private static String account(JsonNode node) {
        if (!node.isTextual()) {
            throw typeError("account", "a string of 12 digits (an AWS account id)", node);
        }
        if (!Account.isAccountId(node.textValue())) {
            throw new SimulatorConfigException("account: must be 12 digits (an AWS account id), got \""
                    + node.textValue() + "\"");
        }
        return node.textValue();
    }

    private static Map<String, Workflow> workflows(JsonNode node) {
        requireObject(node, "workflows", null);
        Map<String, Workflow> workflows = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> entry = fields.next();
            String id = entry.getKey();
            String key = "workflows." + id;
            if (!WORKFLOW_ID.matcher(id).matches()) {
                throw new SimulatorConfigException(key + ": a workflow id must be 1 to 18 digits (0-9), got \"" + id + "\"");
            }
            JsonNode workflow = entry.getValue();
            requireObject(workflow, key, WORKFLOW_KEYS);
            Map<String, Parameter> template = workflow.has("parameterTemplate")
                    ? parameterTemplate(workflow.get("parameterTemplate"), key + ".parameterTemplate") : null;
            List<String> profiles = workflow.has("profiles") ? profiles(workflow.get("profiles"), key + ".profiles") : List.of();
            Map<String, Map<String, Parameter>> profileTemplates = new LinkedHashMap<>();
            if (workflow.has("profileParameterTemplates")) {
                String templatesKey = key + ".profileParameterTemplates";
                requireObject(workflow.get("profileParameterTemplates"), templatesKey, null);
                Iterator<Map.Entry<String, JsonNode>> byProfile = workflow.get("profileParameterTemplates").fields();
                while (byProfile.hasNext()) {
                    Map.Entry<String, JsonNode> profile = byProfile.next();
                    String profileKey = templatesKey + "." + profile.getKey();
                    if (!profiles.contains(profile.getKey())) {
                        throw new SimulatorConfigException(profileKey + ": not one of the workflow's profiles "
                                + profiles + " (" + key + ".profiles)");
                    }
                    profileTemplates.put(profile.getKey(), parameterTemplate(profile.getValue(), profileKey));
                }
            }
            workflows.put(id, new Workflow(template, profiles, profileTemplates));
        }
        return workflows;
    }

    private static List<String> profiles(JsonNode node, String key) {
        if (!node.isArray()) {
            throw typeError(key, "an array of profile names", node);
        }
        List<String> profiles = new ArrayList<>();
        for (JsonNode profile : node) {
            if (!profile.isTextual() || profile.textValue().isEmpty() || profile.textValue().length() > 128) {
                throw new SimulatorConfigException(key + ": a profile name must be a string of 1 to 128 characters");
            }
            if (profiles.contains(profile.textValue())) {
                throw new SimulatorConfigException(key + ": profile \"" + profile.textValue() + "\" is listed twice");
            }
            profiles.add(profile.textValue());
        }
        return profiles;
    }

    private static Map<String, Parameter> parameterTemplate(JsonNode node, String templateKey) {
        requireObject(node, templateKey, null);
        Map<String, Parameter> template = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> parameters = node.fields();
        while (parameters.hasNext()) {
            Map.Entry<String, JsonNode> parameter = parameters.next();
            String parameterKey = templateKey + "." + parameter.getKey();
            if (parameter.getKey().isEmpty() || parameter.getKey().length() > 128) {
                throw new SimulatorConfigException(parameterKey + ": a parameter name must be 1 to 128 characters");
            }
            JsonNode spec = parameter.getValue();
            requireObject(spec, parameterKey, PARAMETER_KEYS);
            String description = null;
            if (spec.has("description")) {
                if (!spec.get("description").isTextual()) {
                    throw typeError(parameterKey + ".description", "a string", spec.get("description"));
                }
                description = spec.get("description").textValue();
            }
            boolean optional = false;
            if (spec.has("optional")) {
                if (!spec.get("optional").isBoolean()) {
                    throw typeError(parameterKey + ".optional", "true or false", spec.get("optional"));
                }
                optional = spec.get("optional").booleanValue();
            }
            template.put(parameter.getKey(), new Parameter(description, optional));
        }
        return template;
    }

    private static Faults faults(JsonNode node) {
        requireObject(node, "faults", FAULT_KEYS);
        Faults d = Faults.NONE;
        boolean reorder = d.reorderEvents();
        if (node.has("reorderEvents")) {
            if (!node.get("reorderEvents").isBoolean()) {
                throw typeError("faults.reorderEvents", "true or false", node.get("reorderEvents"));
            }
            reorder = node.get("reorderEvents").booleanValue();
        }
        return new Faults(
                node.has("internalErrorRate") ? rate(node.get("internalErrorRate"), "faults.internalErrorRate") : 0.0,
                node.has("requestTimeoutRate") ? rate(node.get("requestTimeoutRate"), "faults.requestTimeoutRate") : 0.0,
                node.has("dropEventRate") ? rate(node.get("dropEventRate"), "faults.dropEventRate") : 0.0,
                node.has("duplicateEventRate") ? rate(node.get("duplicateEventRate"), "faults.duplicateEventRate") : 0.0,
                reorder,
                node.has("eventDelayMillis")
                        ? range(node.get("eventDelayMillis"), "faults.eventDelayMillis", d.eventDelayMillis())
                        : d.eventDelayMillis(),
                node.has("conflictOnReplayRate")
                        ? rate(node.get("conflictOnReplayRate"), "faults.conflictOnReplayRate") : 0.0,
                node.has("deleteRunDeniedRate")
                        ? rate(node.get("deleteRunDeniedRate"), "faults.deleteRunDeniedRate") : 0.0);
    }

    private static Range range(JsonNode node, String key, Range defaults) {
        requireObject(node, key, RANGE_KEYS);
        long min = node.has("min") ? integer(node.get("min"), key + ".min", 0, Long.MAX_VALUE / 4) : defaults.min();
        long max = node.has("max") ? integer(node.get("max"), key + ".max", 0, Long.MAX_VALUE / 4)
                : Math.max(defaults.max(), min);
        if (min > max) {
            throw new SimulatorConfigException(key + ": min (" + min + ") must not be greater than max (" + max + ")");
        }
        return new Range(min, max);
    }

    private static void requireObject(JsonNode node, String key, List<String> knownKeys) {
        if (!node.isObject()) {
            throw typeError(key.isEmpty() ? "the simulator config" : key, "a JSON object", node);
        }
        if (knownKeys == null) {
            return;
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!knownKeys.contains(name)) {
                String path = key.isEmpty() ? name : key + "." + name;
                throw new SimulatorConfigException("unknown key \"" + path + "\" (known keys"
                        + (key.isEmpty() ? "" : " in " + key) + ": " + String.join(", ", knownKeys) + ")");
            }
        }
    }

    private static long integer(JsonNode node, String key, long min, long max) {
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw typeError(key, "a whole number", node);
        }
        long value = node.longValue();
        if (value < min || value > max) {
            String bounds = max >= Integer.MAX_VALUE ? "at least " + min : "between " + min + " and " + max;
            throw new SimulatorConfigException(key + ": must be " + bounds + ", got " + value);
        }
        return value;
    }

    private static double positive(JsonNode node, String key) {
        if (!node.isNumber()) {
            throw typeError(key, "a number", node);
        }
        double value = node.doubleValue();
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new SimulatorConfigException(key + ": must be a number greater than 0, got " + node.asText());
        }
        return value;
    }

    private static double rate(JsonNode node, String key) {
        if (!node.isNumber()) {
            throw typeError(key, "a number between 0 and 1", node);
        }
        double value = node.doubleValue();
        if (!(value >= 0 && value <= 1)) {
            throw new SimulatorConfigException(key + ": must be between 0 and 1, got " + node.asText());
        }
        return value;
    }

    private static SimulatorConfigException typeError(String key, String expected, JsonNode got) {
        String kind = got.isTextual() ? "a string" : got.isNumber() ? "a number" : got.isBoolean() ? "a boolean"
                : got.isArray() ? "an array" : got.isObject() ? "an object" : "null";
        return new SimulatorConfigException(key + ": must be " + expected + ", got " + kind);
    }
}
