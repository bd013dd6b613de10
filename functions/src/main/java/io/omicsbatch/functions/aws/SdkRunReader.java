package io.omicsbatch.functions.aws;

import io.omicsbatch.batch.RunDetails;
import io.omicsbatch.batch.RunReader;
import io.omicsbatch.batch.RunStatus;
import java.util.Optional;
import software.amazon.awssdk.services.omics.OmicsClient;
import software.amazon.awssdk.services.omics.model.GetRunResponse;
import software.amazon.awssdk.services.omics.model.ResourceNotFoundException;

/**
 * GetRun through the SDK. Unlike StartRun's client, this one keeps the SDK's retries: GetRun is safe to repeat,
 * and its throttling (~10 TPS per account) is best absorbed with backoff.
 */
public final class SdkRunReader implements RunReader {

    private final OmicsClient omics;

    public SdkRunReader(OmicsClient omics) {
        this.omics = omics;
    }

    @Override
    public Optional<RunDetails> getRun(String runId) {
        GetRunResponse run;
        try {
            run = omics.getRun(b -> b.id(runId));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
        return Optional.of(new RunDetails(run.id(), run.arn(), run.uuid(), status(run.statusAsString()),
                run.runOutputUri(), run.failureReason(), run.statusMessage(), run.startTime(), run.stopTime(),
                run.hasTags() ? run.tags() : java.util.Map.of()));
    }

    private static RunStatus status(String name) {
        if (name == null) {
            return null;
        }
        try {
            return RunStatus.valueOf(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
