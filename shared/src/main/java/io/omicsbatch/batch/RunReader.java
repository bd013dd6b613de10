package io.omicsbatch.batch;

import java.util.Optional;

/** HealthOmics GetRun, as the status and reconcile functions need it. */
public interface RunReader {

    /**
     * The run, or empty if HealthOmics does not know it (never existed, or deleted).
     *
     * @throws RuntimeException on any other error (throttling included, once the client's retries are spent);
     *                          the caller retries later
     */
    Optional<RunDetails> getRun(String runId);
}
