package io.omicsbatch.settings;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** The rules a batch adds on top of the service model's member constraints. */
final class BatchRules {

    /** StartRun and every other tagged AWS resource accept at most 50 tags. */
    static final int MAX_TAGS = 50;

    /** Members the service has that a batch refuses, with the reason given to the user. */
    static final Map<String, String> REJECTED_IN_BATCH = Map.of(
            "runId", "runId (re-running an existing run) is not accepted in a batch: every run setting starts a new run");

    private static final Pattern IAM_ROLE_ARN =
            Pattern.compile("arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/[\\w+=,.@/-]+");

    private BatchRules() {}

    static void checkWorkflowType(JsonNode workflowType, String pointer, ValidationErrors errors) {
        if (workflowType != null && "READY2RUN".equals(workflowType.textValue())) {
            errors.add(pointer, Rule.NOT_IN_BATCH,
                    "READY2RUN workflows cannot be started in a batch (as with StartRunBatch); use a PRIVATE workflow");
        }
    }

    /** Checked only once the model's own pattern (arn:.+) holds, so one mistake gives one error. */
    static void checkRoleArn(JsonNode roleArn, String pointer, ValidationErrors errors) {
        if (roleArn == null || !roleArn.isTextual()) {
            return;
        }
        String text = roleArn.textValue();
        if (ModelConstraints.pattern("arn:.+").matcher(text).matches() && text.length() <= 128 && !IAM_ROLE_ARN.matcher(text).matches()) {
            errors.add(pointer, Rule.IAM_ROLE_ARN,
                    "must be an IAM role ARN, arn:aws:iam::<12-digit account id>:role/<name>, got \"" + text + "\"");
        }
    }

    static void checkS3Uri(JsonNode uri, String pointer, boolean keyRequired, ValidationErrors errors) {
        if (uri == null || !uri.isTextual() || uri.textValue().isEmpty() || uri.textValue().length() > 750) {
            return; // type and length are the model's rules, already reported
        }
        S3Location.Parsed parsed = S3Location.parse(uri.textValue(), keyRequired);
        if (!parsed.isValid()) {
            errors.add(pointer, parsed.rule(), parsed.problem());
        }
    }

    /**
     * Tag keys must not use the {@code aws:} prefix AWS reserves; run tags must not set our own tracking tags,
     * which every run carries.
     */
    static void checkTagKeys(JsonNode tags, String pointer, boolean runTags, ValidationErrors errors) {
        if (tags == null || !tags.isObject()) {
            return;
        }
        tags.fieldNames().forEachRemaining(key -> {
            if (key.toLowerCase(Locale.ROOT).startsWith("aws:")) {
                errors.add(Pointers.child(pointer, key), Rule.TAG_KEY, "tag keys must not start with \"aws:\", which AWS reserves");
            } else if (runTags && key.startsWith(TrackingTags.PREFIX)) {
                errors.add(Pointers.child(pointer, key), Rule.RESERVED_TAG, "tag keys starting with \""
                        + TrackingTags.PREFIX + "\" are reserved for omics-batch's tracking tags "
                        + TrackingTags.BATCH_ID + ", " + TrackingTags.RUN_SETTING_ID + " and " + TrackingTags.RESUBMIT_OF);
            }
        });
    }

    static void checkBatchTagCount(JsonNode tags, String pointer, ValidationErrors errors) {
        if (tags != null && tags.isObject() && tags.size() > MAX_TAGS) {
            errors.add(pointer, Rule.TAG_COUNT, "at most " + MAX_TAGS + " tags are allowed, got " + tags.size());
        }
    }
}
