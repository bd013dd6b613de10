package io.omicsbatch.batch;

import io.omicsbatch.resources.MetricDefinitions;

/**
 * What the services count for the alarms and the dashboard (see {@link MetricDefinitions}): recorded as it
 * happens, published by {@link #flush()} once per function invocation. Recording never throws into the domain.
 */
public interface PipelineMetrics {

    /** What became of a StartRun answer. */
    enum Submission {
        /** The run is recorded as submitted. */
        SUBMITTED,
        /** A retryable error (throttling included): the message comes back later, one attempt spent. */
        RETRIED,
        /** ConflictException: StartRun is called again with the same requestId. */
        CONFLICT_RETRIED,
        /** The active-run quota: the message waits, no attempt spent. */
        QUOTA_WAIT,
        /** The submission failed for good (recorded once, however often the message is delivered). */
        FAILED;

        /** The {@value MetricDefinitions#OUTCOME} dimension's value: the name in CamelCase, e.g. ConflictRetried. */
        public String dimensionValue() {
            StringBuilder out = new StringBuilder();
            for (String part : name().split("_")) {
                out.append(part.charAt(0)).append(part.substring(1).toLowerCase(java.util.Locale.ROOT));
            }
            return out.toString();
        }
    }

    /** Records nothing: for tools and tests that publish no metrics. */
    PipelineMetrics NONE = new PipelineMetrics() {
        @Override
        public void submission(Submission outcome) {}

        @Override
        public void startRunThrottled() {}

        @Override
        public void pace(double callsPerSecond) {}

        @Override
        public void batchTransition(BatchStatus to) {}
    };

    void submission(Submission outcome);

    /** StartRun answered ThrottlingException. */
    void startRunThrottled();

    /** The shared StartRun pace now, in calls per second (it drops on throttling and recovers with time). */
    void pace(double callsPerSecond);

    /** A batch moved to {@code to} (the conditional write succeeded: once per transition). */
    void batchTransition(BatchStatus to);

    /** Publishes what was recorded since the last flush; the handlers call it once per invocation. */
    default void flush() {}
}
