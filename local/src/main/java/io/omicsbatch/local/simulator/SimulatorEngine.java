package io.omicsbatch.local.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.omicsbatch.local.events.EventPublisher;
import io.omicsbatch.local.simulator.SimulatorConfig.Parameter;
import io.omicsbatch.local.simulator.SimulatorConfig.Workflow;
import io.omicsbatch.settings.ModelChecks;
import io.omicsbatch.settings.ValidationError;
import io.omicsbatch.settings.ValidationErrors;
import io.omicsbatch.settings.WorkflowParameterCheck;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated HealthOmics service behind the HTTP binding: runs, their lifecycle, idempotency, quotas, fault
 * injection and the ground truth. Every operation holds the engine's lock for its whole duration, so each call
 * is atomic and the seeded streams are drawn in call order.
 */
final class SimulatorEngine implements AutoCloseable {

    /** The outcome of a StartRun call, as the report names it. */
    enum Outcome { CREATED, REPLAYED, CONFLICT, THROTTLED, QUOTA_EXCEEDED, REJECTED }

    /** A fault injected into one API call. */
    enum ApiFault { NONE, INTERNAL_ERROR, REQUEST_TIMEOUT }

    /** One StartRun call as received. {@code injectedFault} is the error the caller got instead of the outcome. */
    record StartRunCall(long receivedAtMillis, String requestId, Outcome outcome, String rawBody, String runId,
                        String errorType, String injectedFault) {}

    /** A response: status code and JSON body (null for none). */
    record Response(int status, ObjectNode body) {}

    static final String DEFAULT_REGION = "us-east-1";
    static final int DEFAULT_STORAGE_CAPACITY = 1200;
    static final int LIST_RUNS_DEFAULT_PAGE = 100;

    private static final Logger LOG = LoggerFactory.getLogger(SimulatorEngine.class);
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ISO_INSTANT;
    private static final Pattern S3_URI = Pattern.compile("s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?");
    private static final Pattern NUMERIC_ID = Pattern.compile("[0-9]{1,18}");
    private static final List<String> FAILURE_REASONS = List.of(
            "RUN_TASK_FAILED", "WORKFLOW_RUN_FAILED", "OUT_OF_MEMORY_ERROR", "FILE_SYSTEM_OUT_OF_SPACE", "SERVICE_ERROR");
    private static final Map<String, String> FAILURE_MESSAGES = Map.of(
            "RUN_TASK_FAILED", "The run failed because a task failed (simulated failure).",
            "WORKFLOW_RUN_FAILED", "The workflow run failed; see the engine log stream (simulated failure).",
            "OUT_OF_MEMORY_ERROR", "A workflow task ran out of memory (simulated failure).",
            "FILE_SYSTEM_OUT_OF_SPACE", "The file system does not have enough space (simulated failure).",
            "SERVICE_ERROR", "A transient error occurred in the service (simulated failure).");

    private final SimulatorConfig config;
    private final long seed;
    private final Account account;
    private final String region;
    private final Clock clock;
    private final TokenBucket startRunBucket;
    private final SplittableRandom idRandom;
    private final SplittableRandom lifecycleRandom;
    private final SplittableRandom apiFaultRandom;
    private final ScheduledThreadPoolExecutor lifecycle;
    private final RunEventEmitter events;
    private final Instant startedAt;

    private final List<SimRun> runs = new ArrayList<>();
    private final Map<String, SimRun> runsById = new HashMap<>();
    private final Map<String, SimRun> runsByRequestId = new HashMap<>();
    /** Ended runs started with retentionMode REMOVE, oldest first: deleted when the retained-runs quota is full. */
    private final TreeMap<Long, SimRun> removable = new TreeMap<>();
    /** Ids of deleted runs, given to the next runs created, as the service reuses them. */
    private final ArrayDeque<String> freedIds = new ArrayDeque<>();
    private final List<StartRunCall> calls = new ArrayList<>();
    /** The last body seen per requestId, so that retries of one body share one String. */
    private final Map<String, String> lastBodyByRequestId = new HashMap<>();
    /** Same-request replays so far per requestId, and the requestIds whose last replay was answered with a conflict. */
    private final Map<String, Integer> replaysByRequestId = new HashMap<>();
    private final java.util.Set<String> conflictedLastReplay = new java.util.HashSet<>();
    private long conflictsOnReplay;
    private long throttledCalls;
    private long quotaExceededCalls;
    private long internalErrors;
    private long requestTimeouts;
    private int activeRuns;
    /** Runs not deleted, whatever their status: what {@code maxRetainedRuns} limits. */
    private int retainedRuns;
    private long runsDeleted;
    private boolean closed;

    SimulatorEngine(SimulatorConfig config, long seed, Account account, String region, Clock clock,
                    LongSupplier nanoTime, EventPublisher publisher, ThreadFactory threads) {
        this.config = config;
        this.seed = seed;
        this.account = account;
        this.region = region;
        this.clock = clock;
        this.startRunBucket = new TokenBucket(config.startRunTps(), config.startRunBurst(), nanoTime);
        this.idRandom = Seeds.stream(seed, Seeds.IDS);
        this.lifecycleRandom = Seeds.stream(seed, Seeds.LIFECYCLE);
        this.apiFaultRandom = Seeds.stream(seed, Seeds.API_FAULTS);
        this.lifecycle = new ScheduledThreadPoolExecutor(1, threads);
        this.lifecycle.setRemoveOnCancelPolicy(true);
        this.lifecycle.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.events = new RunEventEmitter(publisher, config.faults(), account.id(), region, JSON, threads);
        this.startedAt = clock.instant();
    }

    // ---------------------------------------------------------------------------------------------- StartRun

    /** When a request reached the service's front door, before it waits for anything inside. */
    record Arrival(long millis, long nanos) {}

    Arrival arrival() {
        return new Arrival(clock.millis(), startRunBucket.now());
    }

    /**
     * The quota is judged at the call's arrival, as the service's front door does, not when the simulated service gets
     * to the call: other requests holding the engine would otherwise shift calls' arrivals for the bucket.
     */
    synchronized Response startRun(String rawBody, Arrival arrival) {
        long receivedAt = arrival.millis();
        ApiFault fault = rollFault();
        JsonNode parsed = parseOrNull(rawBody);
        String requestId = parsed != null && parsed.isObject() && parsed.path("requestId").isTextual()
                ? parsed.get("requestId").textValue() : null;
        String body = shareBody(requestId, rawBody);
        boolean recorded = false;
        try {
            if (fault == ApiFault.INTERNAL_ERROR) {
                throw internalError();
            }
            if (!startRunBucket.tryAcquire(arrival.nanos())) {
                throttledCalls++;
                throw new ApiException(ApiException.THROTTLING, "Rate exceeded: StartRun allows "
                        + formatRate(config.startRunTps()) + " requests per second in this account");
            }
            if (parsed == null) {
                throw ApiException.validation("The request body is not valid JSON");
            }
            ValidationErrors errors = ModelChecks.check(parsed, "StartRunRequest");
            if (!errors.isEmpty()) {
                throw ApiException.validation(describe(errors));
            }
            Outcome outcome;
            SimRun run = runsByRequestId.get(requestId);
            if (run != null) {
                if (!sameRequest(run, body)) {
                    throw ApiException.conflict("The requestId " + requestId + " was already used by run " + run.id
                            + " with a different request; a requestId identifies exactly one request");
                }
                if (conflictOnReplay(requestId)) {
                    calls.add(new StartRunCall(receivedAt, requestId, Outcome.CONFLICT, body, null,
                            ApiException.CONFLICT, ApiException.CONFLICT));
                    recorded = true;
                    throw ApiException.conflict("The request with requestId " + requestId
                            + " is already being processed (simulated); retry it");
                }
                outcome = Outcome.REPLAYED;
            } else {
                run = create((ObjectNode) parsed, body, requestId);
                outcome = Outcome.CREATED;
            }
            String injected = fault == ApiFault.REQUEST_TIMEOUT ? ApiException.REQUEST_TIMEOUT : null;
            calls.add(new StartRunCall(receivedAt, requestId, outcome, body, run.id, null, injected));
            recorded = true;
            LOG.trace("StartRun: {} run {}", outcome, run.id);
            if (fault == ApiFault.REQUEST_TIMEOUT) {
                requestTimeouts++;
                throw new ApiException(ApiException.REQUEST_TIMEOUT, "The request timed out (simulated, after run "
                        + run.id + " was " + (outcome == Outcome.CREATED ? "created" : "returned") + ")");
            }
            return new Response(201, startRunResponse(run));
        } catch (ApiException e) {
            if (!recorded) {
                calls.add(new StartRunCall(receivedAt, requestId, outcomeOf(e), body, null, e.errorType(),
                        fault == ApiFault.INTERNAL_ERROR ? ApiException.INTERNAL_SERVER : null));
                LOG.trace("StartRun: {} ({})", outcomeOf(e), e.errorType());
            }
            throw e;
        }
    }

    /**
     * Whether this same-request replay is answered with a ConflictException ({@code faults.conflictOnReplayRate}).
     * The draw depends only on the seed, the requestId and the replay's index, so concurrent callers do not shift
     * one another's. A conflict resolves on its own, as the service's does: the replay after a conflicted one is
     * answered normally.
     */
    /** Whether DeleteRun of this run is denied ({@code faults.deleteRunDeniedRate}): decided per run by the seed. */
    private boolean deleteRunDenied(SimRun run) {
        double rate = config.faults().deleteRunDeniedRate();
        return rate > 0 && Seeds.stream(seed, Seeds.DELETE_DENIALS, run.seq).nextDouble() < rate;
    }

    private boolean conflictOnReplay(String requestId) {
        double rate = config.faults().conflictOnReplayRate();
        int index = replaysByRequestId.merge(requestId, 1, Integer::sum);
        if (rate <= 0 || conflictedLastReplay.remove(requestId)) {
            return false;
        }
        double roll = Seeds.stream(seed, Seeds.CONFLICTS, requestId.hashCode() * 1_000_003L + index).nextDouble();
        if (roll < rate) {
            conflictedLastReplay.add(requestId);
            conflictsOnReplay++;
            return true;
        }
        return false;
    }

    private static Outcome outcomeOf(ApiException e) {
        return switch (e.errorType()) {
            case ApiException.THROTTLING -> Outcome.THROTTLED;
            case ApiException.SERVICE_QUOTA_EXCEEDED -> Outcome.QUOTA_EXCEEDED;
            default -> Outcome.REJECTED;
        };
    }

    private SimRun create(ObjectNode request, String rawBody, String requestId) {
        ObjectNode effective = request;
        String effectiveBody = rawBody;
        String sourceRunId = text(request, "runId");
        if (sourceRunId != null) {
            SimRun source = runsById.get(sourceRunId);
            if (source == null) {
                throw ApiException.notFound("Run " + sourceRunId + " (runId, the run to duplicate) was not found");
            }
            effective = (ObjectNode) parse(source.effectiveBody);
            effective.remove("runId");
            effective.setAll(request);
            effectiveBody = effective.toString();
        }
        String roleArn = text(effective, "roleArn");
        Account roleAccount = Account.ofRoleArn(roleArn).orElseThrow(() -> ApiException.validation(
                "roleArn must be an IAM role ARN, arn:aws:iam::<account id>:role/<name>"));
        if (!roleAccount.partition().equals(account.partition())) {
            throw new ApiException(ApiException.ACCESS_DENIED, "The caller in partition " + account.partition()
                    + " is not authorized to pass a role of partition " + roleAccount.partition() + " (iam:PassRole)");
        }
        if (!roleAccount.id().equals(account.id())) {
            throw new ApiException(ApiException.ACCESS_DENIED, "The caller in account " + account.id()
                    + " is not authorized to pass the role of account " + roleAccount.id() + " (iam:PassRole)");
        }
        String outputUri = text(effective, "outputUri");
        if (!S3_URI.matcher(outputUri).matches()) {
            throw ApiException.validation("outputUri must be an S3 URI, s3://<bucket>/<prefix>");
        }
        String workflowId = text(effective, "workflowId");
        if (workflowId == null) {
            throw ApiException.validation("workflowId is required unless runId names a run to duplicate");
        }
        Workflow workflow = config.workflow(workflowId).orElseThrow(() -> ApiException.notFound(
                "Workflow " + workflowId + " was not found"));
        checkParameters(effective.get("parameters"), effective.get("engineSettings"), workflowId, workflow);
        if (activeRuns >= config.maxActiveRuns()) {
            quotaExceededCalls++;
            throw new ApiException(ApiException.SERVICE_QUOTA_EXCEEDED, "The maximum number of active runs ("
                    + config.maxActiveRuns() + ") has been reached");
        }
        makeRoomForARetainedRun();

        long seq = runs.size();
        String id = newRunId();
        String uuid = Seeds.uuid(idRandom).toString();
        String arn = arn("omics", region) + "run/" + id;
        RunRange range = new RunRange(config.runDurationMillis().min(), config.runDurationMillis().max());
        long duration = range.min + lifecycleRandom.nextLong(range.max - range.min + 1);
        double failRoll = lifecycleRandom.nextDouble();
        String failureReason = FAILURE_REASONS.get(lifecycleRandom.nextInt(FAILURE_REASONS.size()));
        if (!(failRoll < config.failRate())) {
            failureReason = null;
        }
        String storageType = Optional.ofNullable(text(effective, "storageType")).orElse("STATIC");
        Integer storageCapacity = effective.path("storageCapacity").isIntegralNumber()
                ? Integer.valueOf(effective.get("storageCapacity").intValue())
                : "STATIC".equals(storageType) ? Integer.valueOf(DEFAULT_STORAGE_CAPACITY) : null;
        SimRun run = new SimRun(seq, id, uuid, arn, requestId, rawBody, effectiveBody, text(effective, "name"), workflowId,
                workflowName(workflowId), text(effective, "runGroupId"),
                effective.path("priority").isIntegralNumber() ? effective.get("priority").intValue() : null,
                storageCapacity, storageType, text(effective, "workflowVersionName"), runOutputUri(outputUri, id),
                clock.instant(), duration, failureReason,
                failureReason == null ? null : FAILURE_MESSAGES.get(failureReason),
                Seeds.stream(seed, Seeds.EVENTS, seq),
                "REMOVE".equals(text(effective, "retentionMode")));
        runs.add(run);
        runsById.put(id, run);
        runsByRequestId.put(requestId, run);
        activeRuns++;
        retainedRuns++;
        events.emit(run, RunStatus.PENDING, run.creationTime);
        scheduleNext(run);
        return run;
    }

    private record RunRange(long min, long max) {}

    /**
     * The retained-runs quota ({@code maxRetainedRuns}): every run not deleted counts, whatever its status. When it is
     * full, the oldest ended runs started with retentionMode REMOVE are deleted to make room (each with its DELETED
     * event, its id free for the next run); with none to delete (RETAIN runs only must be deleted by hand),
     * StartRun is ServiceQuotaExceededException until runs are deleted.
     */
    private void makeRoomForARetainedRun() {
        while (retainedRuns >= config.maxRetainedRuns() && !removable.isEmpty()) {
            delete(removable.firstEntry().getValue());
        }
        if (retainedRuns >= config.maxRetainedRuns()) {
            quotaExceededCalls++;
            throw new ApiException(ApiException.SERVICE_QUOTA_EXCEEDED, "The maximum number of retained runs ("
                    + config.maxRetainedRuns() + ") has been reached; delete runs, or start them with retentionMode "
                    + "REMOVE so that the oldest are deleted to make room");
        }
    }

    /**
     * Deletes an ended run, as DeleteRun and the retained-runs quota do: it leaves GetRun and ListRuns (404), frees
     * its place in the quota and its id (the next run created takes it), and emits its DELETED event. A replay of its
     * StartRun request still answers it, now DELETED. Called under the engine's lock.
     */
    private void delete(SimRun run) {
        RunStatus from = run.status;
        run.statusBeforeDeletion = from;
        run.status = RunStatus.DELETED;
        runsById.remove(run.id);
        removable.remove(run.seq);
        freedIds.addLast(run.id);
        retainedRuns--;
        runsDeleted++;
        LOG.trace("run {}: {} -> DELETED", run.id, from);
        events.emit(run, RunStatus.DELETED, clock.instant());
        notifyAll();
    }

    /** A run reached COMPLETED, FAILED or CANCELLED. */
    private void ended(SimRun run) {
        if (run.removeWhenRetainedRunsFull) {
            removable.put(run.seq, run);
        }
    }

    /**
     * Against the template of the run's profile ({@code engineSettings.profile}, else the default profile when the
     * workflow has it), or the workflow's own template.
     */
    private void checkParameters(JsonNode parameters, JsonNode engineSettings, String workflowId, Workflow workflow) {
        JsonNode named = engineSettings == null ? null : engineSettings.get("profile");
        String profile = named != null && named.isTextual() ? named.textValue() : null;
        if (profile != null && !workflow.profiles().isEmpty() && !workflow.profiles().contains(profile)) {
            throw ApiException.validation("Profile " + profile + " is not a profile of workflow " + workflowId
                    + "; its profiles are " + String.join(", ", workflow.profiles()));
        }
        if (profile == null && workflow.profiles().contains(WorkflowParameterCheck.DEFAULT_PROFILE)) {
            profile = WorkflowParameterCheck.DEFAULT_PROFILE;
        }
        Map<String, Parameter> template = profile != null && workflow.profileParameterTemplates().containsKey(profile)
                ? workflow.profileParameterTemplates().get(profile) : workflow.parameterTemplate();
        if (template == null) {
            return;
        }
        List<String> problems = new ArrayList<>();
        TreeSet<String> missing = new TreeSet<>();
        template.forEach((name, spec) -> {
            if (!spec.optional() && (parameters == null || !parameters.has(name) || parameters.get(name).isNull())) {
                missing.add(name);
            }
        });
        if (!missing.isEmpty()) {
            problems.add("missing required parameters " + String.join(", ", missing));
        }
        TreeSet<String> unknown = new TreeSet<>();
        if (parameters != null && parameters.isObject()) {
            parameters.fieldNames().forEachRemaining(name -> {
                if (!template.containsKey(name)) {
                    unknown.add(name);
                }
            });
        }
        if (!unknown.isEmpty()) {
            problems.add("parameters not in the parameter template: " + String.join(", ", unknown));
        }
        if (!problems.isEmpty()) {
            throw ApiException.validation("Invalid parameters for workflow " + workflowId + ": "
                    + String.join("; ", problems));
        }
    }

    /** Byte-identical, or the same JSON value (member order and whitespace aside). */
    private static boolean sameRequest(SimRun run, String body) {
        if (run.createBody.equals(body)) {
            return true;
        }
        JsonNode a = parseOrNull(run.createBody);
        JsonNode b = parseOrNull(body);
        return a != null && a.equals(b);
    }

    private String newRunId() {
        if (!freedIds.isEmpty()) {
            return freedIds.pollFirst();
        }
        String id;
        do {
            id = Long.toString(1_000_000L + idRandom.nextLong(9_000_000L));
        } while (runsById.containsKey(id));
        return id;
    }

    private ObjectNode startRunResponse(SimRun run) {
        ObjectNode out = JSON.createObjectNode();
        out.put("arn", run.arn);
        out.put("id", run.id);
        out.put("status", run.status.name());
        JsonNode request = parse(run.effectiveBody);
        if (request.has("tags")) {
            out.set("tags", request.get("tags"));
        }
        out.put("uuid", run.uuid);
        out.put("runOutputUri", run.runOutputUri);
        out.put("networkingMode", Optional.ofNullable(text(request, "networkingMode")).orElse("RESTRICTED"));
        return out;
    }

    // --------------------------------------------------------------------------------------------- lifecycle

    /** PENDING -> STARTING at 10% of the run's duration, RUNNING at 20%, STOPPING at 80%, terminal at 100%. */
    private void scheduleNext(SimRun run) {
        long d = run.durationMillis;
        long delay;
        RunStatus from = run.status;
        switch (from) {
            case PENDING -> delay = d / 10;
            case STARTING -> delay = d / 5 - d / 10;
            case RUNNING -> delay = d * 4 / 5 - d / 5;
            case STOPPING -> delay = d - d * 4 / 5;
            default -> {
                return;
            }
        }
        try {
            run.nextTransition = lifecycle.schedule(() -> advance(run, from), delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shutDown) {
            run.nextTransition = null;
        }
    }

    private synchronized void advance(SimRun run, RunStatus from) {
        if (closed || run.status != from) {
            return;
        }
        Instant now = clock.instant();
        switch (from) {
            case PENDING -> run.status = RunStatus.STARTING;
            case STARTING -> {
                run.status = RunStatus.RUNNING;
                run.startTime = now;
            }
            case RUNNING -> run.status = RunStatus.STOPPING;
            case STOPPING -> {
                run.stopTime = now;
                activeRuns--;
                if (run.cancelRequested) {
                    run.status = RunStatus.CANCELLED;
                    run.statusMessage = "The run was cancelled by the user.";
                } else if (run.willFail()) {
                    run.status = RunStatus.FAILED;
                    run.failureReason = run.plannedFailureReason;
                    run.statusMessage = run.plannedFailureMessage;
                } else {
                    run.status = RunStatus.COMPLETED;
                }
                ended(run);
            }
            default -> {
                return;
            }
        }
        LOG.trace("run {}: {} -> {}", run.id, from, run.status);
        events.emit(run, run.status, now);
        scheduleNext(run);
        notifyAll();
    }

    // ---------------------------------------------------------------------------------- other operations

    synchronized Response getRun(String id) {
        ApiFault fault = rollFault();
        failIfInternal(fault);
        SimRun run = findRun(id);
        ObjectNode out = getRunResponse(run);
        return respond(fault, new Response(200, out), "GetRun");
    }

    /**
     * As HealthOmics: a run not yet terminal goes STOPPING at once (an event), then CANCELLED shortly after (a tenth of
     * its duration at most, a second at most); a run already terminal, or already being cancelled, is a conflict.
     */
    synchronized Response cancelRun(String id) {
        ApiFault fault = rollFault();
        failIfInternal(fault);
        SimRun run = findRun(id);
        if (run.status.isTerminal()) {
            throw ApiException.conflict("Run " + id + " is " + run.status + " and cannot be cancelled");
        }
        if (run.cancelRequested) {
            throw ApiException.conflict("Run " + id + " is already being cancelled");
        }
        if (run.nextTransition != null) {
            run.nextTransition.cancel(false);
        }
        RunStatus from = run.status;
        run.cancelRequested = true;
        run.status = RunStatus.STOPPING;
        LOG.trace("run {}: {} -> STOPPING (CancelRun)", run.id, from);
        events.emit(run, RunStatus.STOPPING, clock.instant());
        try {
            run.nextTransition = lifecycle.schedule(() -> advance(run, RunStatus.STOPPING),
                    Math.max(1, Math.min(1000, run.durationMillis / 10)), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shutDown) {
            run.nextTransition = null;
        }
        notifyAll();
        return respond(fault, new Response(202, null), "CancelRun");
    }

    synchronized Response deleteRun(String id) {
        ApiFault fault = rollFault();
        failIfInternal(fault);
        SimRun run = findRun(id);
        if (!run.status.isTerminal()) {
            throw ApiException.conflict("Run " + id + " is " + run.status
                    + "; only a COMPLETED, FAILED or CANCELLED run can be deleted (cancel it first)");
        }
        if (deleteRunDenied(run)) {
            // As an IAM or SCP deny on some runs would: the same run is refused every time, not retryable.
            throw ApiException.accessDenied("User is not authorized to perform: omics:DeleteRun on resource: "
                    + run.arn + " with an explicit deny");
        }
        delete(run);
        return respond(fault, new Response(202, null), "DeleteRun");
    }

    synchronized Response listRuns(Map<String, String> query) {
        ApiFault fault = rollFault();
        failIfInternal(fault);
        String name = query.get("name");
        if (name != null && (name.isEmpty() || name.codePointCount(0, name.length()) > 128)) {
            throw ApiException.validation("name must be 1 to 128 characters long");
        }
        String runGroupId = query.get("runGroupId");
        if (runGroupId != null && !NUMERIC_ID.matcher(runGroupId).matches()) {
            throw ApiException.validation("runGroupId must be 1 to 18 digits");
        }
        RunStatus status = null;
        if (query.get("status") != null) {
            try {
                status = RunStatus.valueOf(query.get("status"));
            } catch (IllegalArgumentException e) {
                throw ApiException.validation("status must be one of PENDING, STARTING, RUNNING, STOPPING, COMPLETED, "
                        + "DELETED, CANCELLED, FAILED");
            }
        }
        int maxResults = LIST_RUNS_DEFAULT_PAGE;
        if (query.get("maxResults") != null) {
            try {
                maxResults = Integer.parseInt(query.get("maxResults"));
            } catch (NumberFormatException e) {
                maxResults = -1;
            }
            if (maxResults < 1 || maxResults > 100) {
                throw ApiException.validation("maxResults must be between 1 and 100");
            }
        }
        long startSeq = runs.size() - 1L;
        if (query.get("startingToken") != null) {
            startSeq = decodeToken(query.get("startingToken"));
        }
        ArrayNode items = JSON.createArrayNode();
        String nextToken = null;
        // Newest first; a token is the creation sequence of the next run to return, stable as runs are added.
        for (long seq = Math.min(startSeq, runs.size() - 1L); seq >= 0; seq--) {
            SimRun run = runs.get((int) seq);
            if (run.status == RunStatus.DELETED) {
                continue; // gone from the API, as from GetRun
            }
            if ((name != null && !name.equals(run.name)) || (runGroupId != null && !runGroupId.equals(run.runGroupId))
                    || (status != null && status != run.status)) {
                continue;
            }
            if (items.size() == maxResults) {
                nextToken = encodeToken(seq);
                break;
            }
            items.add(runListItem(run));
        }
        ObjectNode out = JSON.createObjectNode();
        out.set("items", items);
        if (nextToken != null) {
            out.put("nextToken", nextToken);
        }
        return respond(fault, new Response(200, out), "ListRuns");
    }

    synchronized Response getWorkflow(String id) {
        ApiFault fault = rollFault();
        failIfInternal(fault);
        checkId(id, "workflow id");
        Workflow workflow = config.workflow(id).orElseThrow(() -> ApiException.notFound("Workflow " + id
                + " was not found"));
        ObjectNode out = JSON.createObjectNode();
        out.put("arn", arn("omics", region) + "workflow/" + id);
        out.put("id", id);
        out.put("status", "ACTIVE");
        out.put("type", "PRIVATE");
        out.put("name", workflowName(id));
        out.put("description", "Simulated workflow " + id);
        out.put("engine", workflow.profiles().isEmpty() ? "WDL" : "NEXTFLOW");
        out.put("main", "main.wdl");
        out.put("digest", "sha256:" + UUID.nameUUIDFromBytes(("digest:" + id).getBytes(StandardCharsets.UTF_8))
                .toString().replace("-", ""));
        if (workflow.parameterTemplate() != null) {
            putTemplate(out.putObject("parameterTemplate"), workflow.parameterTemplate());
        }
        if (!workflow.profiles().isEmpty()) {
            workflow.profiles().forEach(out.putArray("profiles")::add);
            ObjectNode byProfile = out.putObject("profileParameterTemplates");
            workflow.profileParameterTemplates().forEach((profile, parameters) ->
                    putTemplate(byProfile.putObject(profile), parameters));
        }
        out.put("storageCapacity", DEFAULT_STORAGE_CAPACITY);
        out.put("creationTime", timestamp(startedAt));
        out.putObject("tags");
        out.put("storageType", "STATIC");
        out.put("uuid", workflowUuid(id));
        return respond(fault, new Response(200, out), "GetWorkflow");
    }

    private static void putTemplate(ObjectNode out, Map<String, Parameter> template) {
        template.forEach((name, parameter) -> {
            ObjectNode entry = out.putObject(name);
            if (parameter.description() != null) {
                entry.put("description", parameter.description());
            }
            entry.put("optional", parameter.optional());
        });
    }

    private ObjectNode getRunResponse(SimRun run) {
        JsonNode request = parse(run.effectiveBody);
        ObjectNode out = JSON.createObjectNode();
        out.put("arn", run.arn);
        out.put("id", run.id);
        copy(request, out, "cacheId");
        copy(request, out, "cacheBehavior");
        out.put("status", run.status.name());
        out.put("workflowId", run.workflowId);
        out.put("workflowType", Optional.ofNullable(text(request, "workflowType")).orElse("PRIVATE"));
        copy(request, out, "runId");
        copy(request, out, "roleArn");
        copy(request, out, "name");
        copy(request, out, "runGroupId");
        copy(request, out, "priority");
        copy(request, out, "parameters");
        if (run.storageCapacity != null) {
            out.put("storageCapacity", run.storageCapacity);
        }
        copy(request, out, "outputUri");
        copy(request, out, "logLevel");
        out.put("startedBy", arn("iam", "") + "root");
        out.put("creationTime", timestamp(run.creationTime));
        if (run.startTime != null) {
            out.put("startTime", timestamp(run.startTime));
        }
        if (run.stopTime != null) {
            out.put("stopTime", timestamp(run.stopTime));
        }
        if (run.statusMessage != null) {
            out.put("statusMessage", run.statusMessage);
        }
        out.set("tags", request.has("tags") ? request.get("tags") : JSON.createObjectNode());
        out.put("retentionMode", Optional.ofNullable(text(request, "retentionMode")).orElse("RETAIN"));
        if (run.failureReason != null) {
            out.put("failureReason", run.failureReason);
        }
        out.putObject("logLocation").put("runLogStream", "run/" + run.id);
        out.put("uuid", run.uuid);
        out.put("runOutputUri", run.runOutputUri);
        out.put("storageType", run.storageType);
        copy(request, out, "workflowOwnerId");
        copy(request, out, "workflowVersionName");
        out.put("workflowUuid", workflowUuid(run.workflowId));
        out.put("networkingMode", Optional.ofNullable(text(request, "networkingMode")).orElse("RESTRICTED"));
        copy(request, out, "scratchStorageMode");
        if (request.hasNonNull("configurationName")) {
            ObjectNode configuration = out.putObject("configuration");
            configuration.set("name", request.get("configurationName"));
            configuration.put("arn", arn("omics", region) + "configuration/"
                    + request.get("configurationName").asText());
        }
        copy(request, out, "engineSettings");
        return out;
    }

    /** {@code arn:<partition>:<service>:<region>:<account>:}, the prefix of the simulated account's ARNs. */
    private String arn(String service, String arnRegion) {
        return "arn:" + account.partition() + ":" + service + ":" + arnRegion + ":" + account.id() + ":";
    }

    private ObjectNode runListItem(SimRun run) {
        ObjectNode item = JSON.createObjectNode();
        item.put("arn", run.arn);
        item.put("id", run.id);
        item.put("status", run.status.name());
        item.put("workflowId", run.workflowId);
        if (run.name != null) {
            item.put("name", run.name);
        }
        if (run.priority != null) {
            item.put("priority", run.priority);
        }
        if (run.storageCapacity != null) {
            item.put("storageCapacity", run.storageCapacity);
        }
        item.put("creationTime", timestamp(run.creationTime));
        if (run.startTime != null) {
            item.put("startTime", timestamp(run.startTime));
        }
        if (run.stopTime != null) {
            item.put("stopTime", timestamp(run.stopTime));
        }
        item.put("storageType", run.storageType);
        if (run.workflowVersionName != null) {
            item.put("workflowVersionName", run.workflowVersionName);
        }
        return item;
    }

    // ------------------------------------------------------------------------------------------- faults

    private ApiFault rollFault() {
        // Two draws per call, always, so that one fault decision never shifts the next call's.
        double internal = apiFaultRandom.nextDouble();
        double timeout = apiFaultRandom.nextDouble();
        if (internal < config.faults().internalErrorRate()) {
            return ApiFault.INTERNAL_ERROR;
        }
        return timeout < config.faults().requestTimeoutRate() ? ApiFault.REQUEST_TIMEOUT : ApiFault.NONE;
    }

    private void failIfInternal(ApiFault fault) {
        if (fault == ApiFault.INTERNAL_ERROR) {
            throw internalError();
        }
    }

    private ApiException internalError() {
        internalErrors++;
        return new ApiException(ApiException.INTERNAL_SERVER,
                "An internal error occurred (simulated; the request had no effect)");
    }

    /** A request timeout replaces a successful response only: the operation's effect has happened. */
    private Response respond(ApiFault fault, Response response, String operation) {
        if (fault == ApiFault.REQUEST_TIMEOUT) {
            requestTimeouts++;
            throw new ApiException(ApiException.REQUEST_TIMEOUT, "The request timed out (simulated, after "
                    + operation + " took effect)");
        }
        return response;
    }

    // ------------------------------------------------------------------------------------- ground truth

    synchronized ObjectNode groundTruth() {
        ObjectNode out = JSON.createObjectNode();
        out.put("startRunCalls", calls.size());
        out.put("throttledCalls", throttledCalls);
        out.put("runsCreated", runs.size());
        ArrayNode requests = out.putArray("startRunRequests");
        for (StartRunCall call : calls) {
            ObjectNode entry = requests.addObject();
            entry.put("receivedAtMillis", call.receivedAtMillis());
            entry.put("requestId", call.requestId());
            entry.put("outcome", call.outcome().name());
            JsonNode body = parseOrNull(call.rawBody());
            entry.set("body", body != null ? body : TextNode.valueOf(call.rawBody()));
            entry.put("runId", call.runId());
            entry.put("errorType", call.errorType());
            entry.put("injectedFault", call.injectedFault());
        }
        ArrayNode runList = out.putArray("runs");
        for (SimRun run : runs) {
            ObjectNode entry = runList.addObject();
            entry.put("id", run.id);
            entry.put("uuid", run.uuid);
            entry.put("requestId", run.requestId);
            entry.put("status", run.status.name());
            entry.put("failureReason", run.failureReason);
            entry.put("arn", run.arn);
            entry.put("plannedDurationMillis", run.durationMillis);
            if (run.statusBeforeDeletion != null) {
                entry.put("statusBeforeDeletion", run.statusBeforeDeletion.name());
            }
        }
        out.put("seed", seed);
        out.put("account", account.id());
        out.put("partition", account.partition());
        out.put("quotaExceededCalls", quotaExceededCalls);
        out.put("retainedRuns", retainedRuns);
        out.put("runsDeleted", runsDeleted);
        ObjectNode faults = out.putObject("apiFaults");
        faults.put("internalErrors", internalErrors);
        faults.put("requestTimeouts", requestTimeouts);
        faults.put("conflictsOnReplay", conflictsOnReplay);
        ObjectNode eventCounts = out.putObject("events");
        eventCounts.put("emitted", events.emitted());
        eventCounts.put("published", events.published());
        eventCounts.put("dropped", events.dropped());
        eventCounts.put("duplicated", events.duplicated());
        eventCounts.put("reordered", events.reordered());
        eventCounts.put("publishFailures", events.failed());
        eventCounts.put("pending", events.pending());
        return out;
    }

    synchronized List<StartRunCall> startRunCalls() {
        return List.copyOf(calls);
    }

    synchronized int activeRuns() {
        return activeRuns;
    }

    synchronized Optional<RunStatus> status(String runId) {
        return Optional.ofNullable(runsById.get(runId)).map(run -> run.status);
    }

    long pendingEvents() {
        return events.pending();
    }

    long seed() {
        return seed;
    }

    /** Waits until no run is active and every event was delivered, or the deadline passes. */
    boolean awaitIdle(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (this) {
            while (activeRuns > 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                wait(Math.min(left, 50));
            }
        }
        while (events.pending() > 0) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(2);
        }
        return true;
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        lifecycle.shutdownNow();
        events.close();
        try {
            lifecycle.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------------------------------- helpers

    private SimRun findRun(String id) {
        checkId(id, "run id");
        SimRun run = runsById.get(id);
        if (run == null) {
            throw ApiException.notFound("Run " + id + " was not found");
        }
        return run;
    }

    private static void checkId(String id, String what) {
        if (!NUMERIC_ID.matcher(id).matches()) {
            throw ApiException.validation("The " + what + " must be 1 to 18 digits");
        }
    }

    private String workflowName(String workflowId) {
        return "workflow-" + workflowId;
    }

    private static String workflowUuid(String workflowId) {
        return UUID.nameUUIDFromBytes(("workflow:" + workflowId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    static String runOutputUri(String outputUri, String runId) {
        return outputUri.endsWith("/") ? outputUri + runId : outputUri + "/" + runId;
    }

    static String timestamp(Instant instant) {
        return TIMESTAMP.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    private static final String TOKEN_PREFIX = "sim-runs:";

    private static String encodeToken(long seq) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((TOKEN_PREFIX + seq).getBytes(StandardCharsets.UTF_8));
    }

    private long decodeToken(String token) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (text.startsWith(TOKEN_PREFIX)) {
                long seq = Long.parseLong(text.substring(TOKEN_PREFIX.length()));
                if (seq >= 0 && seq < runs.size()) {
                    return seq;
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw ApiException.validation("startingToken is not a token this service returned");
    }

    private String shareBody(String requestId, String body) {
        if (requestId == null) {
            return body;
        }
        String last = lastBodyByRequestId.get(requestId);
        if (body.equals(last)) {
            return last;
        }
        lastBodyByRequestId.put(requestId, body);
        return body;
    }

    private static String describe(ValidationErrors errors) {
        StringBuilder message = new StringBuilder();
        message.append(errors.total()).append(errors.total() == 1 ? " validation error" : " validation errors")
                .append(" detected: ");
        Iterator<ValidationError> it = errors.list().iterator();
        while (it.hasNext()) {
            ValidationError error = it.next();
            message.append(error.pointer()).append(": ").append(error.message());
            if (it.hasNext()) {
                message.append("; ");
            }
        }
        return message.toString();
    }

    private static String formatRate(double rate) {
        return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
    }

    private static void copy(JsonNode from, ObjectNode to, String member) {
        JsonNode value = from.get(member);
        if (value != null && !value.isNull()) {
            to.set(member, value);
        }
    }

    private static String text(JsonNode node, String member) {
        JsonNode value = node.get(member);
        return value != null && value.isTextual() ? value.textValue() : null;
    }

    static JsonNode parseOrNull(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            return node == null || node.isMissingNode() ? null : node;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static JsonNode parse(String text) {
        JsonNode node = parseOrNull(text);
        if (node == null) {
            throw new IllegalStateException("a stored request body no longer parses");
        }
        return node;
    }
}
