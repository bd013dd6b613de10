package io.omicsbatch.settings;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The batch-settings document a user drops into S3: the StartRunBatch request shape. Exactly one of
 * {@code inlineSettings} and {@code s3UriSettings} is set once the document is valid.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BatchSettings(
        String batchName,
        String requestId,
        Map<String, String> tags,
        DefaultRunSetting defaultRunSetting,
        BatchRunSettings batchRunSettings) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BatchRunSettings(List<RunSetting> inlineSettings, String s3UriSettings) {}

    public boolean isInline() {
        return batchRunSettings.inlineSettings() != null;
    }
}
