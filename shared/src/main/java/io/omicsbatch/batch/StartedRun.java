package io.omicsbatch.batch;

/** What StartRun answered: the run's identities and first status. */
public record StartedRun(String runId, String arn, String uuid, RunStatus status, String runOutputUri) {}
