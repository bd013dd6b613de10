package io.omicsbatch.testing;

import io.omicsbatch.batch.RunMessage;
import io.omicsbatch.batch.RunQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The run queue, recording what was sent: messages in send order, and messages sent again with their delay.
 * It can be told to stop accepting after a number of messages, as SqsRunQueue throws when a batch could not be
 * sent (the messages before it were sent: a send is not all-or-nothing).
 */
public final class RecordingRunQueue implements RunQueue {

    /** A message sent again, visible after {@code delay}. */
    public record Delayed(RunMessage message, Duration delay) {}

    private final List<RunMessage> sent = new ArrayList<>();
    private final List<Delayed> delayed = new ArrayList<>();
    private long acceptsBeforeFailing = Long.MAX_VALUE;

    @Override
    public synchronized void send(List<RunMessage> messages) {
        for (RunMessage message : messages) {
            if (acceptsBeforeFailing == 0) {
                throw new IllegalStateException("the run queue accepted no more messages (told to fail)");
            }
            acceptsBeforeFailing--;
            sent.add(message);
        }
    }

    @Override
    public synchronized void sendDelayed(RunMessage message, Duration delay) {
        delayed.add(new Delayed(message, delay));
    }

    /** After {@code messages} more messages, every send throws; {@link #accept()} undoes it. */
    public synchronized void failAfter(long messages) {
        acceptsBeforeFailing = messages;
    }

    public synchronized void accept() {
        acceptsBeforeFailing = Long.MAX_VALUE;
    }

    public synchronized List<RunMessage> sent() {
        return List.copyOf(sent);
    }

    public synchronized List<Delayed> delayed() {
        return List.copyOf(delayed);
    }
}
