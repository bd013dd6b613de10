package io.omicsbatch.settings;

import com.fasterxml.jackson.databind.JsonNode;
import io.omicsbatch.resources.ResourceDefinitions;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * The request-size rule: each run's StartRun request travels whole in one run message, so the merged request
 * must fit in one SQS message ({@link ResourceDefinitions#MAX_MESSAGE_BYTES}) with room for the envelope around
 * it. Judged on the request {@link RunRequestMerger} builds, serialized as the run message carries it, so a batch
 * that passes cannot meet SQS's MessageTooLong after its run records are written.
 *
 * <p>Merging every run of a 100,000-run file would double the time {@code validate} takes, for runs that are
 * nowhere near the limit. So a run is merged and measured only when a cheap upper bound of its request's size
 * ({@link #upperBound(JsonNode)}) does not already show that it fits; the verdict is exact either way.
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
    /** The longest JSON of a number bound as a double (e.g. -2.2250738585072014E-308), with room to spare. */
    private static final int MAX_DECIMAL_BYTES = 32;
    /** The most bytes one UTF-16 character of a string can take in JSON: an escape of backslash, u and four hex digits. */
    private static final int MAX_BYTES_PER_CHAR = 6;

    private final RunRequestMerger merger;
    /** The request of the smallest run: the defaults' part of every run's request, and at most that. */
    private final long baseBytes;

    RunRequestSize(DefaultRunSetting defaults) {
        this(defaults, false);
    }

    /** @param resubmit the runs are a resubmit batch's, whose requests carry the lineage tag (a batch id) too */
    RunRequestSize(DefaultRunSetting defaults, boolean resubmit) {
        this.merger = new RunRequestMerger(ANY_BATCH_ID, resubmit ? ANY_BATCH_ID : null, defaults);
        this.baseBytes = bytes(SMALLEST_RUN);
    }

    /**
     * Reports, once at {@code /defaultRunSetting}, defaults that make every run's request too large.
     *
     * @return false if they do (checking each run would only repeat it)
     */
    boolean checkDefaults(ValidationErrors errors) {
        if (baseBytes <= MAX_REQUEST_BYTES) {
            return true;
        }
        errors.add("/defaultRunSetting", Rule.REQUEST_SIZE, String.format(Locale.ROOT,
                "makes every run's StartRun request at least %,d bytes of JSON, over the %,d bytes a run message carries; %s",
                baseBytes, MAX_REQUEST_BYTES, ADVICE));
        return false;
    }

    /** Reports, at the run setting, a merged request too large for its run message; {@code entry} must be valid. */
    void check(JsonNode entry, String pointer, ValidationErrors errors) {
        if (baseBytes + upperBound(entry) <= MAX_REQUEST_BYTES) {
            return;
        }
        long bytes = bytes(SettingsJson.toRunSetting(entry));
        if (bytes > MAX_REQUEST_BYTES) {
            errors.add(pointer, Rule.REQUEST_SIZE, String.format(Locale.ROOT,
                    "this run's StartRun request (defaultRunSetting merged with this run setting) is %,d bytes of JSON, "
                            + "over the %,d bytes a run message carries; %s", bytes, MAX_REQUEST_BYTES, ADVICE));
        }
    }

    /** The exact size of the run's request, as its run message carries it. */
    long bytes(RunSetting run) {
        return SettingsJson.utf8Length(merger.merge(run).toStartRunBody());
    }

    /**
     * At least what a run setting adds to the smallest run's request. The merge puts each of the run's members into
     * the request once (a parameter or tag as an entry of the merged object, an override in place of the default's
     * value, the runSettingId as the value of a tracking tag in place of the smallest run's), so the request is at
     * most the smallest run's plus the JSON of the run's members with their commas. This bounds that JSON from above
     * however it is written: 6 bytes a character of a string, 32 a decimal, the digits of an integer, brackets,
     * quotes, colons and commas.
     */
    static long upperBound(JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT: {
                long bytes = 2;
                for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    bytes += 2L + (long) MAX_BYTES_PER_CHAR * field.getKey().length() + 1 + upperBound(field.getValue()) + 1;
                }
                return bytes;
            }
            case ARRAY: {
                long bytes = 2;
                for (JsonNode element : node) {
                    bytes += upperBound(element) + 1;
                }
                return bytes;
            }
            case STRING:
                return 2L + (long) MAX_BYTES_PER_CHAR * node.textValue().length();
            case NUMBER:
                return node.isIntegralNumber() ? node.asText().length() : MAX_DECIMAL_BYTES;
            default:
                return 5; // true, false, null
        }
    }
}
