package io.omicsbatch.cli;

import io.omicsbatch.batch.BatchRecord;
import io.omicsbatch.batch.BatchStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code --wait}: after a command wrote its request, polls until the operation's end state, its refusal, or the
 * deadline. Polls start {@link #FIRST_POLL} apart and back off to {@link #MAX_POLL}; the last sleep is cut to the
 * deadline. Each operation's end is an {@link EndState} of the batch record; a refusal is the request's error report
 * ({@code reports/<prefix><name>.errors.json}), which the stack writes when the batch's status refuses the operation.
 */
final class OperationWait {

    static final Duration FIRST_POLL = Duration.ofMillis(250);
    static final Duration MAX_POLL = Duration.ofSeconds(5);
    /** How long {@code --wait} waits unless {@code --timeout} says otherwise. */
    static final long DEFAULT_TIMEOUT_SECONDS = 3600;

    /** What a poll found. */
    sealed interface State {
        String description();
    }

    /** Not there yet: the batch is in a status the operation passes through (or has not left yet). */
    record Waiting(String description) implements State {}

    /** The operation's end state. */
    record Succeeded(String description) implements State {}

    /** An end the operation did not want: refused, failed, or the batch went another way. */
    record Failed(String description) implements State {}

    /** No end within the timeout; {@code last} is what the last poll found. */
    record TimedOut(String description, Duration after) implements State {}

    /** The operation's end, judged from the batch's record (empty: there is no such batch). */
    @FunctionalInterface
    interface EndState {
        State of(Optional<BatchRecord> batch);
    }

    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** CancelRunBatch ends CANCELLED; any other terminal status means the batch ended before it could be cancelled. */
    static final EndState CANCELLED = batch -> {
        if (batch.isEmpty()) {
            return new Failed("there is no such batch (deleted?)");
        }
        BatchRecord b = batch.get();
        if (b.status() == BatchStatus.CANCELLED) {
            return new Succeeded("CANCELLED (CancelRun: " + b.count("successfulCancelSubmissionCount") + " succeeded, "
                    + b.count("failedCancelSubmissionCount") + " failed)");
        }
        if (b.status().isTerminal()) {
            return new Failed(b.status() + ": the batch ended before it could be cancelled");
        }
        return new Waiting(b.status().name());
    };

    /** DeleteRunBatch ends RUNS_DELETED, or RUNS_DELETE_FAILED when a DeleteRun failed. */
    static final EndState RUNS_DELETED = batch -> {
        if (batch.isEmpty()) {
            return new Failed("there is no such batch (deleted?)");
        }
        BatchRecord b = batch.get();
        String counts = " (DeleteRun: " + b.count("successfulDeleteSubmissionCount") + " succeeded, "
                + b.count("failedDeleteSubmissionCount") + " failed)";
        if (b.status() == BatchStatus.RUNS_DELETED) {
            return new Succeeded(BatchStatus.RUNS_DELETED + counts);
        }
        if (b.status() == BatchStatus.RUNS_DELETE_FAILED) {
            return new Failed(BatchStatus.RUNS_DELETE_FAILED + counts + "; 'runs <batchId> --json' names each failure");
        }
        return new Waiting(b.status().name());
    };

    /** DeleteBatch ends when there is no such batch. */
    static final EndState DELETED = batch -> batch.isEmpty()
            ? new Succeeded("deleted: there is no such batch now")
            : new Waiting(batch.get().status().name());

    /** A resubmit ends when its new batch exists (its intake then goes on as any batch's; 'status' follows it). */
    static final EndState CREATED = batch -> batch.isPresent()
            ? new Succeeded("created, " + batch.get().status() + (batch.get().resubmitOf() == null ? ""
                    : ", a resubmit of " + batch.get().resubmitOf()))
            : new Waiting("not created yet");

    private final Clock clock;
    private final Sleeper sleeper;

    OperationWait(Clock clock, Sleeper sleeper) {
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Real time. */
    static OperationWait realTime() {
        return new OperationWait(Clock.systemUTC(), duration -> Thread.sleep(duration.toMillis()));
    }

    /**
     * One poll: the batch's end state if it is reached, else the request's refusal if there is one, else the state
     * (a failure, or still waiting).
     */
    static State poll(Supplier<Optional<BatchRecord>> batch, EndState end, Supplier<Optional<String>> refusal) {
        State state = end.of(batch.get());
        if (state instanceof Succeeded) {
            return state;
        }
        Optional<String> refused = refusal.get();
        if (refused.isPresent()) {
            return new Failed("refused: " + refused.get());
        }
        return state;
    }

    /**
     * Polls until a poll succeeds or fails, or {@code timeout} has passed (a last poll at the deadline).
     *
     * @param progress told each new waiting description (e.g. the batch's status as it changes)
     */
    State await(Supplier<State> poll, Duration timeout, Consumer<String> progress) throws InterruptedException {
        Instant start = clock.instant();
        Instant deadline = start.plus(timeout);
        Duration interval = FIRST_POLL;
        String last = null;
        while (true) {
            State state = poll.get();
            if (!(state instanceof Waiting)) {
                return state;
            }
            if (!state.description().equals(last)) {
                last = state.description();
                progress.accept(last);
            }
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                return new TimedOut(state.description(), Duration.between(start, clock.instant()));
            }
            sleeper.sleep(interval.compareTo(left) < 0 ? interval : left);
            interval = interval.multipliedBy(2).compareTo(MAX_POLL) < 0 ? interval.multipliedBy(2) : MAX_POLL;
        }
    }
}
