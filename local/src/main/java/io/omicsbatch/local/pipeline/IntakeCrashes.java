package io.omicsbatch.local.pipeline;

import io.omicsbatch.batch.BatchRecord;
import io.omicsbatch.batch.BatchStatus;
import io.omicsbatch.batch.BatchStore;
import io.omicsbatch.batch.RunChange;
import io.omicsbatch.batch.RunMessage;
import io.omicsbatch.batch.RunQueue;
import io.omicsbatch.batch.RunRecord;
import io.omicsbatch.batch.RunStore;
import io.omicsbatch.batch.StartedRun;
import io.omicsbatch.local.simulator.Seeds;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Kills the intake function in the middle of an expansion, as a Lambda timeout would
 * ({@code lambdaFaults.intakeCrashRate}): each chunk of an expansion dies with the configured probability, at one
 * of three points of the ports the intake writes through:
 *
 * <ol>
 *   <li>after its run records were written, before any of its messages was sent ({@link RunStore#createPending});
 *   <li>while its messages are sent: after a random number of the SendMessageBatch calls ({@link RunQueue#send});
 *   <li>after its checkpoint was saved ({@link BatchStore#saveCheckpoint}).
 * </ol>
 *
 * Each point strikes with the probability that makes one chunk's three together the configured rate. Whether it
 * strikes is drawn from the seed, the chunk (its batch and first run, or its checkpoint) and how often that point of
 * that chunk was reached before, never from the order in which concurrent invocations happen to arrive: the same
 * seed kills the same attempts. The crash is a {@link SimulatedLambdaCrash}, so the invocation fails and its
 * notification is received again after the redelivery delay, as a timed-out one would be after its visibility
 * timeout. The intake's internals are not touched: only its ports are wrapped.
 */
final class IntakeCrashes {

    /** SQS's SendMessageBatch limit: a crash in the middle of sending falls between two such calls. */
    private static final int SEND_BATCH = 10;
    private static final int POINTS = 3;

    private final double ratePerPoint;
    private final long seed;
    /** How often each point of each chunk was reached; held in memory only, never logged (keys name runs). */
    private final Map<String, AtomicLong> attempts = new ConcurrentHashMap<>();
    private final AtomicLong crashes = new AtomicLong();

    /** @param seed the simulator's seed */
    IntakeCrashes(double ratePerChunk, long seed) {
        this.ratePerPoint = 1 - Math.pow(1 - ratePerChunk, 1.0 / POINTS);
        this.seed = seed;
    }

    /** Crashes injected so far. */
    long crashes() {
        return crashes.get();
    }

    /** The draws of this attempt at this point of this chunk; the first decides whether it strikes. */
    private SplittableRandom draws(String point, String chunk) {
        String key = point + "\0" + chunk;
        long attempt = attempts.computeIfAbsent(key, k -> new AtomicLong()).getAndIncrement();
        return Seeds.stream(seed, "intake-crashes\0" + key, attempt);
    }

    private boolean strikes(SplittableRandom draws) {
        return draws.nextDouble() < ratePerPoint;
    }

    private SimulatedLambdaCrash crash(String where) {
        crashes.incrementAndGet();
        return new SimulatedLambdaCrash(where);
    }

    RunStore runs(RunStore delegate) {
        return new CrashingRunStore(delegate);
    }

    RunQueue queue(RunQueue delegate) {
        return new RunQueue() {
            @Override
            public void send(List<RunMessage> messages) {
                SplittableRandom draws = messages.isEmpty() ? null
                        : draws("messages", messages.get(0).batchId() + "/" + messages.get(0).runSettingId());
                if (draws == null || !strikes(draws)) {
                    delegate.send(messages);
                    return;
                }
                int batches = (messages.size() + SEND_BATCH - 1) / SEND_BATCH;
                int sent = Math.min(messages.size(), draws.nextInt(batches + 1) * SEND_BATCH);
                if (sent > 0) {
                    delegate.send(messages.subList(0, sent));
                }
                throw crash("while sending run messages (" + sent + " of " + messages.size() + " sent)");
            }

            @Override
            public void sendDelayed(RunMessage message, Duration delay) {
                delegate.sendDelayed(message, delay);
            }
        };
    }

    BatchStore batches(BatchStore delegate) {
        return new CrashingBatchStore(delegate);
    }

    private final class CrashingRunStore implements RunStore {
        private final RunStore delegate;

        CrashingRunStore(RunStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public void createFresh(List<RunRecord> runs) {
            delegate.createFresh(runs);
            if (!runs.isEmpty() && strikes(draws("records", runs.get(0).batchId() + "/" + runs.get(0).runSettingId()))) {
                throw crash("after writing run records, before sending their messages");
            }
        }

        @Override
        public Set<String> createPending(List<RunRecord> runs) {
            Set<String> decided = delegate.createPending(runs);
            if (!runs.isEmpty() && strikes(draws("records", runs.get(0).batchId() + "/" + runs.get(0).runSettingId()))) {
                throw crash("after writing run records, before sending their messages");
            }
            return decided;
        }

        @Override
        public Optional<RunRecord> get(String batchId, String runSettingId) {
            return delegate.get(batchId, runSettingId);
        }

        @Override
        public boolean recordSubmitted(String batchId, String runSettingId, StartedRun run) {
            return delegate.recordSubmitted(batchId, runSettingId, run);
        }

        @Override
        public boolean recordSubmissionFailed(String batchId, String runSettingId, String reason, String message) {
            return delegate.recordSubmissionFailed(batchId, runSettingId, reason, message);
        }

        @Override
        public int recordAttempt(String batchId, String runSettingId, String lastError) {
            return delegate.recordAttempt(batchId, runSettingId, lastError);
        }

        @Override
        public void recordRequeued(String batchId, String runSettingId) {
            delegate.recordRequeued(batchId, runSettingId);
        }

        @Override
        public Optional<RunRecord> findByUuid(String uuid) {
            return delegate.findByUuid(uuid);
        }

        @Override
        public boolean applyChange(RunRecord observed, RunChange change) {
            return delegate.applyChange(observed, change);
        }

        @Override
        public void forEachRun(String batchId, Consumer<RunRecord> action) {
            delegate.forEachRun(batchId, action);
        }

        @Override
        public List<RunRecord> unsettledRuns(String batchId, Instant before) {
            return delegate.unsettledRuns(batchId, before);
        }

        @Override
        public void recordChecked(String batchId, String runSettingId) {
            delegate.recordChecked(batchId, runSettingId);
        }
    }

    private final class CrashingBatchStore implements BatchStore {
        private final BatchStore delegate;

        CrashingBatchStore(BatchStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public boolean saveCheckpoint(String batchId, String owner, long expandedRuns, Instant until) {
            boolean saved = delegate.saveCheckpoint(batchId, owner, expandedRuns, until);
            if (strikes(draws("checkpoint", batchId + "/" + expandedRuns))) {
                throw crash("after saving the expansion checkpoint");
            }
            return saved;
        }

        @Override
        public boolean markRecordsWriting(String batchId, String owner, long upTo) {
            return delegate.markRecordsWriting(batchId, owner, upTo);
        }

        @Override
        public boolean acquireExpansionLease(String batchId, String owner, Instant until) {
            return delegate.acquireExpansionLease(batchId, owner, until);
        }

        @Override
        public void releaseExpansionLease(String batchId, String owner) {
            delegate.releaseExpansionLease(batchId, owner);
        }

        @Override
        public boolean recordIntakeResume(BatchRecord observed) {
            return delegate.recordIntakeResume(observed);
        }

        @Override
        public BatchRecord createIfAbsent(BatchRecord initial) {
            return delegate.createIfAbsent(initial);
        }

        @Override
        public Optional<BatchRecord> get(String batchId) {
            return delegate.get(batchId);
        }

        @Override
        public boolean markPending(String batchId, int totalRuns, String runsFileETag) {
            return delegate.markPending(batchId, totalRuns, runsFileETag);
        }

        @Override
        public boolean markSubmitting(String batchId) {
            return delegate.markSubmitting(batchId);
        }

        @Override
        public boolean markFailed(String batchId, List<BatchStatus> from, String reason, String message,
                                  List<BatchRecord.ErrorEntry> errors, long errorCount) {
            return delegate.markFailed(batchId, from, reason, message, errors, errorCount);
        }

        @Override
        public boolean markExpansionComplete(String batchId, String owner, long expandedRuns) {
            return delegate.markExpansionComplete(batchId, owner, expandedRuns);
        }

        @Override
        public boolean markInProgressIfAllSubmitted(String batchId) {
            return delegate.markInProgressIfAllSubmitted(batchId);
        }

        @Override
        public boolean markProcessed(String batchId) {
            return delegate.markProcessed(batchId);
        }

        @Override
        public void markAnnounced(String batchId, BatchStatus status) {
            delegate.markAnnounced(batchId, status);
        }

        @Override
        public List<BatchRecord> listUnfinished() {
            return delegate.listUnfinished();
        }
    }
}
