package io.omicsbatch.local.pipeline;

import io.omicsbatch.batch.BatchStore;
import io.omicsbatch.batch.RunMessage;
import io.omicsbatch.batch.RunQueue;
import io.omicsbatch.batch.RunRecord;
import io.omicsbatch.batch.RunStore;
import io.omicsbatch.local.simulator.Seeds;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

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

    /** The run store, dying after a chunk's records were written (either way they are written). */
    RunStore runs(RunStore delegate) {
        return intercepting(RunStore.class, delegate, (method, args, result) -> {
            if (method.equals("createPending") || method.equals("createFresh")) {
                List<?> runs = (List<?>) args[0];
                RunRecord first = runs.isEmpty() ? null : (RunRecord) runs.get(0);
                if (first != null && strikes(draws("records", first.batchId() + "/" + first.runSettingId()))) {
                    throw crash("after writing run records, before sending their messages");
                }
            }
        });
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

    /** The batch store, dying after a chunk's checkpoint was saved. */
    BatchStore batches(BatchStore delegate) {
        return intercepting(BatchStore.class, delegate, (method, args, result) -> {
            if (method.equals("saveCheckpoint") && strikes(draws("checkpoint", args[0] + "/" + args[2]))) {
                throw crash("after saving the expansion checkpoint");
            }
        });
    }

    /** What happens after a call of the port went through: may throw the crash. */
    @FunctionalInterface
    private interface AfterCall {
        void after(String method, Object[] args, Object result);
    }

    /** Every call goes to {@code delegate}; {@code after} sees each one that returned, by the port method's name. */
    private static <T> T intercepting(Class<T> port, T delegate, AfterCall after) {
        return port.cast(Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.invoke(delegate, args);
            }
            Object result;
            try {
                result = method.invoke(delegate, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            after.after(method.getName(), args, result);
            return result;
        }));
    }
}
