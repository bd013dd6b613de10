package io.omicsbatch.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.batch.OmicsRuns;
import io.omicsbatch.operations.RunControl;
import io.omicsbatch.batch.RunDetails;
import io.omicsbatch.batch.RunReader;
import io.omicsbatch.batch.RunStatus;
import io.omicsbatch.batch.StartedRun;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * HealthOmics' StartRun and GetRun in memory. StartRun is idempotent by requestId, as the service is: the same
 * request again returns the same run, another request with a used requestId is a ConflictException. Run ids,
 * uuids and ARNs are deterministic (ids count up from 1000001, uuids derive from the requestId). A test moves runs
 * through their lifecycle ({@link #advance}, {@link #fail}, {@link #delete}, {@link #deleteAndReuseId}), and scripts StartRun's errors
 * ({@link StartRunErrors}), either instead of starting the run or after starting it (the answer was lost).
 */
public final class InMemoryOmics implements OmicsRuns, RunReader, RunControl {

    public static final String ARN_PREFIX = "arn:aws:omics:us-east-1:123456789012:run/";

    /** One StartRun call: its requestId and CREATED, REPLAYED or the error's name. */
    public record StartRunCall(String requestId, String outcome) {}

    private record Scripted(StartRunException error, boolean afterStarting) {}

    private static final class Run {
        final String id;
        final String uuid;
        final ObjectNode request;
        final Map<String, String> tags;
        final String runOutputUri;
        RunStatus status = RunStatus.PENDING;
        String failureReason;
        String statusMessage;
        Instant startTime;
        Instant stopTime;

        Run(String id, String uuid, ObjectNode request, Map<String, String> tags, String runOutputUri) {
            this.id = id;
            this.uuid = uuid;
            this.request = request;
            this.tags = tags;
            this.runOutputUri = runOutputUri;
        }

        RunDetails details() {
            return new RunDetails(id, ARN_PREFIX + id, uuid, status, runOutputUri, failureReason, statusMessage,
                    startTime, stopTime, tags);
        }
    }

    private final Clock clock;
    private final Map<String, Run> runsByRequestId = new HashMap<>();
    private final Map<String, Run> runsById = new LinkedHashMap<>();
    private final Deque<Scripted> startRunScript = new ArrayDeque<>();
    private final Deque<RuntimeException> getRunScript = new ArrayDeque<>();
    private final List<StartRunCall> startRunCalls = new ArrayList<>();
    private final List<String> getRunCalls = new ArrayList<>();
    private final Deque<String> freedIds = new ArrayDeque<>();
    private final List<String> cancelRunCalls = new ArrayList<>();
    private final List<String> deleteRunCalls = new ArrayList<>();
    private final Deque<RunControl.RunControlException> cancelRunScript = new ArrayDeque<>();
    private final Deque<RunControl.RunControlException> deleteRunScript = new ArrayDeque<>();
    private long nextRunNumber = 1_000_001;
    private int runsCreated;

    public InMemoryOmics(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized StartedRun startRun(ObjectNode startRunBody) {
        String requestId = startRunBody.path("requestId").asText(null);
        Scripted scripted = startRunScript.pollFirst();
        if (scripted != null && !scripted.afterStarting()) {
            startRunCalls.add(new StartRunCall(requestId, scripted.error().errorName()));
            throw scripted.error();
        }
        Run run = requestId == null ? null : runsByRequestId.get(requestId);
        String outcome = "REPLAYED";
        if (run != null && !run.request.equals(startRunBody)) {
            StartRunException conflict = StartRunErrors.conflict("The requestId " + requestId
                    + " was already used by run " + run.id + " with a different request");
            startRunCalls.add(new StartRunCall(requestId, conflict.errorName()));
            throw conflict;
        }
        if (run == null) {
            run = create(startRunBody, requestId);
            outcome = "CREATED";
        }
        if (scripted != null) {
            startRunCalls.add(new StartRunCall(requestId, scripted.error().errorName()));
            throw scripted.error();
        }
        startRunCalls.add(new StartRunCall(requestId, outcome));
        return new StartedRun(run.id, ARN_PREFIX + run.id, run.uuid, run.status, run.runOutputUri);
    }

    @Override
    public synchronized Optional<RunDetails> getRun(String runId) {
        getRunCalls.add(runId);
        RuntimeException scripted = getRunScript.pollFirst();
        if (scripted != null) {
            throw scripted;
        }
        return Optional.ofNullable(runsById.get(runId)).map(Run::details);
    }

    /** As HealthOmics: a run not yet terminal goes STOPPING (a test then moves it to CANCELLED); else a ConflictException. */
    @Override
    public synchronized void cancelRun(String runId) {
        cancelRunCalls.add(runId);
        RunControl.RunControlException scripted = cancelRunScript.pollFirst();
        if (scripted != null) {
            throw scripted;
        }
        Run run = runsById.get(runId);
        if (run == null) {
            throw new RunControl.RunControlException(RunControl.ErrorKind.FINAL, "ResourceNotFoundException",
                    "no run " + runId, null);
        }
        if (run.status.isTerminal() || run.status == RunStatus.STOPPING) {
            throw new RunControl.RunControlException(RunControl.ErrorKind.FINAL, "ConflictException",
                    "run " + runId + " is " + run.status, null);
        }
        run.status = RunStatus.STOPPING;
    }

    /** As HealthOmics: only a COMPLETED, FAILED or CANCELLED run; GetRun no longer knows it afterwards. */
    @Override
    public synchronized void deleteRun(String runId) {
        deleteRunCalls.add(runId);
        RunControl.RunControlException scripted = deleteRunScript.pollFirst();
        if (scripted != null) {
            throw scripted;
        }
        Run run = runsById.get(runId);
        if (run == null) {
            throw new RunControl.RunControlException(RunControl.ErrorKind.FINAL, "ResourceNotFoundException",
                    "no run " + runId, null);
        }
        if (!run.status.isTerminal()) {
            throw new RunControl.RunControlException(RunControl.ErrorKind.FINAL, "ConflictException",
                    "run " + runId + " is " + run.status, null);
        }
        runsById.remove(runId);
    }

    /** The next CancelRun call throws {@code error} and changes nothing. */
    public synchronized void failNextCancelRun(RunControl.RunControlException error) {
        cancelRunScript.addLast(error);
    }

    /** The next DeleteRun call throws {@code error} and changes nothing. */
    public synchronized void failNextDeleteRun(RunControl.RunControlException error) {
        deleteRunScript.addLast(error);
    }

    public synchronized List<String> cancelRunCalls() {
        return List.copyOf(cancelRunCalls);
    }

    public synchronized List<String> deleteRunCalls() {
        return List.copyOf(deleteRunCalls);
    }

    /** The next StartRun call throws {@code error} and starts nothing (calls queue up in order). */
    public synchronized void failNextStartRun(StartRunException error) {
        startRunScript.addLast(new Scripted(error, false));
    }

    /** The next StartRun call starts (or finds) the run, then throws {@code error}: the answer was lost. */
    public synchronized void failNextStartRunAfterStarting(StartRunException error) {
        startRunScript.addLast(new Scripted(error, true));
    }

    /** The next GetRun call throws {@code error} (e.g. throttling once the SDK's retries are spent). */
    public synchronized void failNextGetRun(RuntimeException error) {
        getRunScript.addLast(error);
    }

    /** Moves the run to {@code status}; it has a start time from RUNNING on and a stop time once terminal. */
    public synchronized void advance(String runId, RunStatus status) {
        Run run = existing(runId);
        run.status = status;
        if (status.rank() >= RunStatus.RUNNING.rank() && run.startTime == null) {
            run.startTime = clock.instant();
        }
        if (status.isTerminal() && run.stopTime == null) {
            run.stopTime = clock.instant();
        }
    }

    /** The run fails with the service's reason and message. */
    public synchronized void fail(String runId, String failureReason, String statusMessage) {
        advance(runId, RunStatus.FAILED);
        Run run = existing(runId);
        run.failureReason = failureReason;
        run.statusMessage = statusMessage;
    }

    /** The run is deleted: GetRun no longer knows it; a replay of its request answers it DELETED. */
    public synchronized void delete(String runId) {
        existing(runId).status = RunStatus.DELETED;
        runsById.remove(runId);
    }

    /**
     * The run is deleted and its id goes to the next run StartRun creates, as HealthOmics reuses the ids of deleted
     * runs (a REMOVE-mode run deleted for the retained-runs quota makes room for the run that takes its id).
     */
    public synchronized void deleteAndReuseId(String runId) {
        delete(runId);
        freedIds.addLast(runId);
    }

    /** The run was deleted and its id now names another run (another uuid, none of our tags). */
    public synchronized void reuseId(String runId) {
        existing(runId);
        String uuid = UUID.nameUUIDFromBytes(("reused:" + runId).getBytes(StandardCharsets.UTF_8)).toString();
        runsById.put(runId, new Run(runId, uuid, null, Map.of(), null));
    }

    /** The run as GetRun would describe it now, without counting a call. */
    public synchronized Optional<RunDetails> run(String runId) {
        return Optional.ofNullable(runsById.get(runId)).map(Run::details);
    }

    /** The run started for a requestId, even if deleted since. */
    public synchronized Optional<RunDetails> runForRequest(String requestId) {
        return Optional.ofNullable(runsByRequestId.get(requestId)).map(Run::details);
    }

    /** How many runs StartRun created. */
    public synchronized int runsCreated() {
        return runsCreated;
    }

    public synchronized List<StartRunCall> startRunCalls() {
        return List.copyOf(startRunCalls);
    }

    public synchronized List<String> getRunCalls() {
        return List.copyOf(getRunCalls);
    }

    private Run create(ObjectNode body, String requestId) {
        String id = freedIds.isEmpty() ? Long.toString(nextRunNumber++) : freedIds.pollFirst();
        String uuid = UUID.nameUUIDFromBytes(("run:" + (requestId == null ? id : requestId))
                .getBytes(StandardCharsets.UTF_8)).toString();
        Map<String, String> tags = new LinkedHashMap<>();
        body.path("tags").fields().forEachRemaining(tag -> tags.put(tag.getKey(), tag.getValue().asText()));
        String outputUri = body.path("outputUri").asText(null);
        String runOutputUri = outputUri == null ? null : (outputUri.endsWith("/") ? outputUri : outputUri + "/") + id;
        Run run = new Run(id, uuid, body.deepCopy(), Map.copyOf(tags), runOutputUri);
        if (requestId != null) {
            runsByRequestId.put(requestId, run);
        }
        runsById.put(id, run);
        runsCreated++;
        return run;
    }

    private Run existing(String runId) {
        Run run = runsById.get(runId);
        if (run == null) {
            throw new IllegalArgumentException("no run " + runId);
        }
        return run;
    }
}
