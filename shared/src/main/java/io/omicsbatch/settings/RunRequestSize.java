package io.omicsbatch.settings;

import io.omicsbatch.resources.ResourceDefinitions;
import java.util.Locale;

/**
 * The request-size rule: each run's StartRun request travels whole in one run message, so the merged request
 * must fit in one SQS message ({@link ResourceDefinitions#MAX_MESSAGE_BYTES}) with room for the envelope around
 * it. Measured exactly, on the request {@link RunRequestMerger} builds and serialized as the run message carries
 * it, so a batch that passes cannot meet SQS's MessageTooLong after its run records are written.
 */
public final class RunRequestSize {

    /**
     * Bytes of a run message kept for what wraps the request: the batch id, the runSettingId (at most 128
     * characters, 768 bytes even if every one is escaped), the JSON around them (under 100 bytes) and room for
     * message attributes.
     */
    public static final int ENVELOPE_RESERVE_BYTES = 4_096;
    /** The largest StartRun request body a run message carries. */
    public static final int MAX_REQUEST_BYTES = ResourceDefinitions.MAX_MESSAGE_BYTES - ENVELOPE_RESERVE_BYTES;
    /** Every batch id has this length, so the size is exact before the batch id is known. */
    private static final String ANY_BATCH_ID = "0".repeat(BatchIdentity.BATCH_ID_LENGTH);
    /** The smallest run setting: what every run's request holds at least. */
    private static final RunSetting SMALLEST_RUN = new RunSetting("-", null, null, null, null, null, null, null);
    private static final String ADVICE = "shorten its parameters (a long list belongs in a file in S3, passed by its URI)";

    private final RunRequestMerger merger;

    RunRequestSize(DefaultRunSetting defaults) {
        this.merger = new RunRequestMerger(ANY_BATCH_ID, defaults);
    }

    /**
     * Reports, once at {@code /defaultRunSetting}, defaults that make every run's request too large.
     *
     * @return false if they do (checking each run would only repeat it)
     */
    boolean checkDefaults(ValidationErrors errors) {
        long bytes = bytes(SMALLEST_RUN);
        if (bytes <= MAX_REQUEST_BYTES) {
            return true;
        }
        errors.add("/defaultRunSetting", Rule.REQUEST_SIZE, String.format(Locale.ROOT,
                "makes every run's StartRun request at least %,d bytes of JSON, over the %,d bytes a run message carries; %s",
                bytes, MAX_REQUEST_BYTES, ADVICE));
        return false;
    }

    /** Reports, at the run setting, a merged request too large for its run message. */
    void check(RunSetting run, String pointer, ValidationErrors errors) {
        long bytes = bytes(run);
        if (bytes > MAX_REQUEST_BYTES) {
            errors.add(pointer, Rule.REQUEST_SIZE, String.format(Locale.ROOT,
                    "this run's StartRun request (defaultRunSetting merged with this run setting) is %,d bytes of JSON, "
                            + "over the %,d bytes a run message carries; %s", bytes, MAX_REQUEST_BYTES, ADVICE));
        }
    }

    private long bytes(RunSetting run) {
        return SettingsJson.utf8Length(merger.merge(run).toStartRunBody());
    }
}
