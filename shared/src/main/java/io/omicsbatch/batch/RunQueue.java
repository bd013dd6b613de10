package io.omicsbatch.batch;

import java.time.Duration;
import java.util.List;

/** The run queue: one message per run to submit. */
public interface RunQueue {

    /** Sends every message (in batches of 10, in parallel); throws if any could not be sent. */
    void send(List<RunMessage> messages);

    /** Sends one message again, visible after the delay (at most SQS's 15 minutes), with a fresh receive count. */
    void sendDelayed(RunMessage message, Duration delay);
}
