package io.omicsbatch.local.simulator;

import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledFuture;

/**
 * One run the simulator created. Only the members needed for events, ListRuns and the report are kept as
 * fields; GetRun re-reads the request body, so that 100,000 runs cost little more than their bodies.
 * Guarded by the engine's lock.
 */
final class SimRun {

    final long seq;
    final String id;
    final String uuid;
    final String arn;
    final String requestId;
    /** The body of the StartRun call that created the run, as received (the same String as the call record's). */
    final String createBody;
    /** The request the run was created from: {@link #createBody}, or the merged body of a duplicated run. */
    final String effectiveBody;
    final String name;
    final String workflowId;
    final String workflowName;
    final String runGroupId;
    final Integer priority;
    final Integer storageCapacity;
    final String storageType;
    final String workflowVersionName;
    final String runOutputUri;
    final Instant creationTime;
    /** The planned life: total duration and whether (and why) it fails. */
    final long durationMillis;
    final String plannedFailureReason;
    final String plannedFailureMessage;
    /** This run's own stream for event faults and event ids, independent of other runs' timing. */
    final SplittableRandom eventRandom;
    /** Started with retentionMode REMOVE: once ended, deleted when the retained-runs quota needs room. */
    final boolean removeWhenRetainedRunsFull;

    RunStatus status = RunStatus.PENDING;
    /** CancelRun was called: the run is STOPPING and ends CANCELLED. */
    boolean cancelRequested;
    Instant startTime;
    Instant stopTime;
    String failureReason;
    String statusMessage;
    ScheduledFuture<?> nextTransition;
    /** The status the run had when it was deleted (the report's {@code statusBeforeDeletion}). */
    RunStatus statusBeforeDeletion;

    SimRun(long seq, String id, String uuid, String arn, String requestId, String createBody, String effectiveBody, String name,
           String workflowId, String workflowName, String runGroupId, Integer priority, Integer storageCapacity,
           String storageType, String workflowVersionName, String runOutputUri, Instant creationTime,
           long durationMillis, String plannedFailureReason, String plannedFailureMessage,
           SplittableRandom eventRandom, boolean removeWhenRetainedRunsFull) {
        this.seq = seq;
        this.id = id;
        this.uuid = uuid;
        this.arn = arn;
        this.requestId = requestId;
        this.createBody = createBody;
        this.effectiveBody = effectiveBody;
        this.name = name;
        this.workflowId = workflowId;
        this.workflowName = workflowName;
        this.runGroupId = runGroupId;
        this.priority = priority;
        this.storageCapacity = storageCapacity;
        this.storageType = storageType;
        this.workflowVersionName = workflowVersionName;
        this.runOutputUri = runOutputUri;
        this.creationTime = creationTime;
        this.durationMillis = durationMillis;
        this.plannedFailureReason = plannedFailureReason;
        this.plannedFailureMessage = plannedFailureMessage;
        this.eventRandom = eventRandom;
        this.removeWhenRetainedRunsFull = removeWhenRetainedRunsFull;
    }

    boolean willFail() {
        return plannedFailureReason != null;
    }
}
