package io.omicsbatch.operations;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.omicsbatch.batch.RunStatus;
import io.omicsbatch.batch.SubmissionStatus;
import io.omicsbatch.resources.ResourceDefinitions;
import io.omicsbatch.settings.BatchIdentity;
import io.omicsbatch.settings.Rule;
import io.omicsbatch.settings.SettingsJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a request document: which operation its key's prefix names, and its members, each checked with a JSON
 * pointer and a rule when wrong (the same rule ids as the settings validator's).
 */
public final class OperationRequests {

    /** The operations, by the prefix their request documents are written under. */
    public enum Operation {
        CANCEL(ResourceDefinitions.CANCEL_PREFIX, "CancelRunBatch"),
        DELETE_RUNS(ResourceDefinitions.DELETE_RUNS_PREFIX, "DeleteRunBatch"),
        DELETE_BATCH(ResourceDefinitions.DELETE_BATCH_PREFIX, "DeleteBatch"),
        RESUBMIT(ResourceDefinitions.RESUBMIT_PREFIX, "Resubmit");

        private final String prefix;
        private final String apiName;

        Operation(String prefix, String apiName) {
            this.prefix = prefix;
            this.apiName = apiName;
        }

        public String prefix() {
            return prefix;
        }

        /** The managed API's operation name (Resubmit has none: it is ours). */
        public String apiName() {
            return apiName;
        }

        /** The operation whose prefix the key is under, if it is a request document ({@code <prefix><name>.json}). */
        public static Optional<Operation> ofKey(String key) {
            if (key == null || !key.endsWith(ResourceDefinitions.BATCHES_SUFFIX)) {
                return Optional.empty();
            }
            for (Operation operation : values()) {
                if (key.startsWith(operation.prefix) && key.length() > operation.prefix.length()
                        + ResourceDefinitions.BATCHES_SUFFIX.length()) {
                    return Optional.of(operation);
                }
            }
            return Optional.empty();
        }
    }

    /** One broken rule of a request: where, which rule, and a sentence for a person. */
    public record OperationError(String pointer, String rule, String message) {}

    /** The request, or what is wrong with it. */
    public record Parsed(OperationRequest request, List<OperationError> errors) {
        public boolean valid() {
            return errors.isEmpty();
        }
    }

    /** Request documents are small; a larger one is refused before it is parsed. */
    public static final int MAX_REQUEST_BYTES = 64 * 1024;

    private static final Pattern BATCH_ID = Pattern.compile("[0-9a-f]{" + BatchIdentity.BATCH_ID_LENGTH + "}");
    private static final Pattern CACHE_ID = Pattern.compile("[0-9]{1,18}");
    private static final Set<String> CACHE_BEHAVIORS = Set.of("CACHE_ON_FAILURE", "CACHE_ALWAYS");
    private static final Set<String> BATCH_ID_MEMBERS = Set.of("batchId");
    private static final Set<String> RESUBMIT_MEMBERS = Set.of("batchId", "requestId", "runStatuses",
            "submissionStatuses", "runSettingIds", "cacheId", "cacheBehavior");

    private OperationRequests() {}

    public static Parsed parse(Operation operation, byte[] document) {
        List<OperationError> errors = new ArrayList<>();
        if (document.length > MAX_REQUEST_BYTES) {
            errors.add(new OperationError("", Rule.RANGE.id(), "the request is " + document.length
                    + " bytes; at most " + MAX_REQUEST_BYTES + " are read"));
            return new Parsed(null, errors);
        }
        JsonNode root;
        try {
            root = SettingsJson.MAPPER.readTree(new String(document, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            errors.add(new OperationError("", Rule.JSON_SYNTAX.id(), "not JSON: " + e.getOriginalMessage()));
            return new Parsed(null, errors);
        }
        if (root == null || !root.isObject()) {
            errors.add(new OperationError("", Rule.TYPE.id(), "the request must be a JSON object"));
            return new Parsed(null, errors);
        }
        Set<String> allowed = operation == Operation.RESUBMIT ? RESUBMIT_MEMBERS : BATCH_ID_MEMBERS;
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                errors.add(new OperationError("/" + name.replace("~", "~0").replace("/", "~1"), Rule.UNKNOWN_MEMBER.id(),
                        "unknown member; " + operation.apiName() + " takes " + String.join(", ", allowed.stream().sorted().toList())));
            }
        }
        String batchId = text(root, "batchId", true, errors);
        if (batchId != null && !BATCH_ID.matcher(batchId).matches()) {
            errors.add(new OperationError("/batchId", Rule.PATTERN.id(), "a batch id is "
                    + BatchIdentity.BATCH_ID_LENGTH + " lowercase hexadecimal characters (see `omics-batch status`)"));
        }
        OperationRequest request = switch (operation) {
            case CANCEL -> new OperationRequest.Cancel(batchId);
            case DELETE_RUNS -> new OperationRequest.DeleteRuns(batchId);
            case DELETE_BATCH -> new OperationRequest.DeleteBatch(batchId);
            case RESUBMIT -> resubmit(root, batchId, errors);
        };
        return errors.isEmpty() ? new Parsed(request, List.of()) : new Parsed(null, errors);
    }

    private static OperationRequest resubmit(JsonNode root, String batchId, List<OperationError> errors) {
        String requestId = text(root, "requestId", false, errors);
        if (requestId != null && (requestId.isEmpty() || requestId.codePointCount(0, requestId.length()) > 128)) {
            errors.add(new OperationError("/requestId", Rule.LENGTH.id(), "requestId must be 1 to 128 characters long"));
        }
        Set<RunStatus> runStatuses = enums(root, "runStatuses", RunStatus.class, errors);
        Set<SubmissionStatus> submissionStatuses = enums(root, "submissionStatuses", SubmissionStatus.class, errors);
        if (submissionStatuses != null && !Set.of(SubmissionStatus.FAILED).containsAll(submissionStatuses)) {
            errors.add(new OperationError("/submissionStatuses", Rule.ENUM.id(),
                    "only FAILED submissions can be resubmitted (a successful one is chosen by its run status)"));
        }
        List<String> runSettingIds = null;
        JsonNode ids = root.get("runSettingIds");
        if (ids != null) {
            if (!ids.isArray() || ids.isEmpty()) {
                errors.add(new OperationError("/runSettingIds", Rule.TYPE.id(), "runSettingIds must be a non-empty array of strings"));
            } else {
                runSettingIds = new ArrayList<>();
                for (int i = 0; i < ids.size(); i++) {
                    if (!ids.get(i).isTextual()) {
                        errors.add(new OperationError("/runSettingIds/" + i, Rule.TYPE.id(), "a runSettingId is a string"));
                    } else {
                        runSettingIds.add(ids.get(i).textValue());
                    }
                }
            }
        }
        String cacheId = text(root, "cacheId", false, errors);
        if (cacheId != null && !CACHE_ID.matcher(cacheId).matches()) {
            errors.add(new OperationError("/cacheId", Rule.PATTERN.id(), "a run cache id is 1 to 18 digits"));
        }
        String cacheBehavior = text(root, "cacheBehavior", false, errors);
        if (cacheBehavior != null && !CACHE_BEHAVIORS.contains(cacheBehavior)) {
            errors.add(new OperationError("/cacheBehavior", Rule.ENUM.id(), "cacheBehavior must be CACHE_ON_FAILURE or CACHE_ALWAYS"));
        }
        if (cacheBehavior != null && cacheId == null) {
            errors.add(new OperationError("/cacheBehavior", Rule.REQUIRED.id(), "cacheBehavior needs a cacheId"));
        }
        boolean chosen = runStatuses != null || submissionStatuses != null || runSettingIds != null;
        return new OperationRequest.Resubmit(batchId, requestId,
                chosen ? (runStatuses == null ? Set.of() : runStatuses) : OperationRequest.Resubmit.DEFAULT_RUN_STATUSES,
                chosen ? (submissionStatuses == null ? Set.of() : submissionStatuses)
                        : OperationRequest.Resubmit.DEFAULT_SUBMISSION_STATUSES,
                runSettingIds == null ? List.of() : List.copyOf(new LinkedHashSet<>(runSettingIds)), cacheId, cacheBehavior);
    }

    private static String text(JsonNode root, String member, boolean required, List<OperationError> errors) {
        JsonNode value = root.get(member);
        if (value == null || value.isNull()) {
            if (required) {
                errors.add(new OperationError("/" + member, Rule.REQUIRED.id(), member + " is required"));
            }
            return null;
        }
        if (!value.isTextual()) {
            errors.add(new OperationError("/" + member, Rule.TYPE.id(), member + " must be a string"));
            return null;
        }
        return value.textValue();
    }

    private static <E extends Enum<E>> Set<E> enums(JsonNode root, String member, Class<E> type, List<OperationError> errors) {
        JsonNode values = root.get(member);
        if (values == null) {
            return null;
        }
        if (!values.isArray()) {
            errors.add(new OperationError("/" + member, Rule.TYPE.id(), member + " must be an array of strings"));
            return null;
        }
        Set<E> set = EnumSet.noneOf(type);
        for (int i = 0; i < values.size(); i++) {
            try {
                set.add(Enum.valueOf(type, values.get(i).asText()));
            } catch (IllegalArgumentException e) {
                errors.add(new OperationError("/" + member + "/" + i, Rule.ENUM.id(), "must be one of "
                        + java.util.Arrays.toString(type.getEnumConstants())));
            }
        }
        return set;
    }
}
