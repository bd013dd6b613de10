package io.omicsbatch.settings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.omicsbatch.model.OmicsModel;
import io.omicsbatch.model.OmicsModel.Shape;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Validates a batch-settings document and, for s3UriSettings batches, its runs file, reporting every error
 * with its JSON pointer and rule. A document is accepted exactly when it has no error.
 *
 * <p>One deliberate difference from StartRunBatch: {@code requestId} is optional, because a dropped file is
 * already identified by its S3 object (see {@link BatchIdentity}).
 */
public final class BatchSettingsValidator {

    /** StartRunBatch's limit for a runs file given by s3UriSettings. */
    public static final int MAX_RUNS_FILE_ENTRIES = 100_000;

    private static final OmicsModel MODEL = OmicsModel.get();
    private static final Shape BATCH = MODEL.shape("StartRunBatchRequest");
    private static final Shape DEFAULT_RUN_SETTING = MODEL.shape("DefaultRunSetting");
    private static final Shape BATCH_RUN_SETTINGS = MODEL.shape("BatchRunSettings");
    private static final List<String> BATCH_REQUIRED = List.of("defaultRunSetting", "batchRunSettings");

    private final int errorLimit;
    private final Consumer<ValidationError> listener;
    private final boolean resubmit;

    public BatchSettingsValidator() {
        this(ValidationErrors.DEFAULT_LIMIT, error -> { });
    }

    /**
     * @param errorLimit how many errors each result keeps (all are counted)
     * @param listener   receives every error as it is found, kept or not
     */
    public BatchSettingsValidator(int errorLimit, Consumer<ValidationError> listener) {
        this(errorLimit, listener, false);
    }

    /**
     * @param resubmit the document is a resubmit batch's: its runs carry the lineage tag too, which counts toward
     *                 StartRun's 50 tags and the run message's size ({@link TrackingTags#count})
     */
    public BatchSettingsValidator(int errorLimit, Consumer<ValidationError> listener, boolean resubmit) {
        this.errorLimit = errorLimit;
        this.listener = listener;
        this.resubmit = resubmit;
    }

    /** The outcome for the settings document: the bound settings when valid, and every error found. */
    public record DocumentResult(BatchSettings settings, ValidationErrors errors, MergeBase mergeBase) {
        public boolean isValid() {
            return errors.isEmpty();
        }
    }

    /** The outcome for a runs file: how many entries it holds and every error found. */
    public record RunsFileResult(int entries, ValidationErrors errors) {
        public boolean isValid() {
            return errors.isEmpty();
        }
    }

    public DocumentResult validateDocument(String json) {
        try {
            return validateDocument(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new IllegalStateException("reading from memory cannot fail", e);
        }
    }

    /**
     * Reads the document as it streams, through the same byte checks as a runs file ({@link Utf8Input}).
     *
     * @throws IOException only when the stream cannot be read; bad JSON or bad bytes are validation errors
     */
    public DocumentResult validateDocument(InputStream in) throws IOException {
        ValidationErrors errors = new ValidationErrors(errorLimit, listener);
        JsonNode root;
        try (JsonSource source = new JsonSource(in, "", "the document", errors)) {
            if (source.refused()) {
                return new DocumentResult(null, errors, MergeBase.NONE);
            }
            try {
                if (source.next("") == null) {
                    if (!source.reportMalformed()) {
                        errors.add("", Rule.JSON_SYNTAX, "invalid JSON: the document is empty");
                    }
                    return new DocumentResult(null, errors, MergeBase.NONE);
                }
                root = source.readValue("");
                if (source.next("") != null) {
                    errors.add("", Rule.JSON_SYNTAX, "invalid JSON at line " + source.location().getLineNr()
                            + ", column " + source.location().getColumnNr() + ": unexpected content after the document");
                } else {
                    source.reportMalformed(); // bytes after the document that are not UTF-8
                }
            } catch (JsonProcessingException e) {
                source.reportFailure(e);
                return new DocumentResult(null, errors, MergeBase.NONE);
            }
        }
        MergeBase mergeBase = checkBatch(root, errors);
        BatchSettings settings = errors.isEmpty() ? SettingsJson.bind(root, BatchSettings.class) : null;
        return new DocumentResult(settings, errors, mergeBase);
    }

    /**
     * Validates a JSON runs file entry by entry, streaming, against the defaults of its (already validated)
     * document. Memory grows only with the set of runSettingIds.
     */
    public RunsFileResult validateRunsFile(InputStream in, MergeBase mergeBase) throws IOException {
        return validateRunsFile(in, RunsFileFormat.JSON, mergeBase, null);
    }

    /**
     * As {@link #validateRunsFile(InputStream, MergeBase)}, also checking each entry's merged parameters against the
     * workflow's parameter template when {@code parameters} is not null.
     */
    public RunsFileResult validateRunsFile(InputStream in, MergeBase mergeBase, WorkflowParameterCheck parameters)
            throws IOException {
        return validateRunsFile(in, RunsFileFormat.JSON, mergeBase, parameters);
    }

    /**
     * Validates a runs file in the given format (a JSON runs file or a sample sheet, {@link RunsFileFormat#of}): a
     * sheet's rows are checked as the entries of the equivalent runs file, and each of their errors names the row's
     * line of the sheet too.
     */
    public RunsFileResult validateRunsFile(InputStream in, RunsFileFormat format, MergeBase mergeBase,
                                           WorkflowParameterCheck parameters) throws IOException {
        ValidationErrors errors = new ValidationErrors(errorLimit, listener);
        RunSettingChecker checker = new RunSettingChecker(mergeBase, RunSettingsReader.ROOT);
        int entries;
        try (RunEntries reader = RunEntries.open(in, format, errors)) {
            while (reader.hasNext()) {
                RunSettingsReader.Entry entry = reader.next();
                // Past the limit we only count, so an oversized file cannot grow the runSettingId set.
                if (entry.index() < MAX_RUNS_FILE_ENTRIES) {
                    ValidationErrors entryErrors = reader.line() > 0 ? SampleSheetReader.atLine(errors, reader.line()) : errors;
                    checker.check(entry.node(), entry.index(), entryErrors);
                    if (parameters != null && entry.node().isObject()) {
                        parameters.checkRun(entry.node().get("parameters"), entry.node().get("engineSettings"),
                                Pointers.child(RunSettingsReader.ROOT, entry.index()), entryErrors);
                    }
                }
            }
            entries = reader.count();
        }
        if (entries > MAX_RUNS_FILE_ENTRIES) {
            errors.add(RunSettingsReader.ROOT, Rule.LIST_SIZE, (format.isSheet() ? "a sample sheet may hold at most "
                    + MAX_RUNS_FILE_ENTRIES + " rows after its header row" : "a runs file may hold at most "
                    + MAX_RUNS_FILE_ENTRIES + " run settings") + ", got " + entries);
        } else if (entries == 0 && errors.isEmpty()) {
            errors.add(RunSettingsReader.ROOT, Rule.LIST_SIZE, (format.isSheet()
                    ? "a sample sheet must hold at least 1 row after its header row" : "a runs file must hold at least 1 run setting")
                    + ", got 0");
        }
        return new RunsFileResult(entries, errors);
    }

    /**
     * Checks a valid document's parameters against the workflow's parameter templates: for an inline batch, every
     * run setting's merged parameters. A runs file's entries are checked by
     * {@link #validateRunsFile(InputStream, MergeBase, WorkflowParameterCheck)}.
     */
    public ValidationErrors checkParameters(BatchSettings settings, WorkflowParameterCheck parameters) {
        ValidationErrors errors = new ValidationErrors(errorLimit, listener);
        List<RunSetting> inline = settings.batchRunSettings().inlineSettings();
        if (inline != null) {
            for (int i = 0; i < inline.size(); i++) {
                parameters.checkRun(inline.get(i).parameters(), inline.get(i).engineSettings(),
                        Pointers.child("/batchRunSettings/inlineSettings", i), errors);
            }
        }
        return errors;
    }

    private MergeBase checkBatch(JsonNode root, ValidationErrors errors) {
        if (!ModelConstraints.checkStructure(root, "", BATCH, BATCH_REQUIRED, Map.of(), errors)) {
            return MergeBase.NONE;
        }
        JsonNode tags = root.get("tags");
        BatchRules.checkBatchTagCount(tags, "/tags", errors);
        BatchRules.checkTagKeys(tags, "/tags", false, errors);

        JsonNode defaults = root.get("defaultRunSetting");
        MergeBase mergeBase = MergeBase.of(null, null, resubmit);
        if (defaults != null && !defaults.isNull()) {
            long before = errors.total();
            checkDefaultRunSetting(defaults, errors);
            DefaultRunSetting valid = errors.total() == before ? SettingsJson.bind(defaults, DefaultRunSetting.class) : null;
            boolean roomForRuns = valid != null && new RunRequestSize(valid, resubmit).checkDefaults(errors);
            mergeBase = MergeBase.of(defaults, roomForRuns ? valid : null, resubmit);
        }
        JsonNode runSettings = root.get("batchRunSettings");
        if (runSettings != null && !runSettings.isNull()) {
            checkBatchRunSettings(runSettings, mergeBase, errors);
        }
        return mergeBase;
    }

    private void checkDefaultRunSetting(JsonNode defaults, ValidationErrors errors) {
        String pointer = "/defaultRunSetting";
        if (!ModelConstraints.checkStructure(defaults, pointer, DEFAULT_RUN_SETTING, DEFAULT_RUN_SETTING.required(),
                BatchRules.REJECTED_IN_BATCH, errors)) {
            return;
        }
        BatchRules.checkWorkflowType(defaults.get("workflowType"), pointer + "/workflowType", errors);
        BatchRules.checkRoleArn(defaults.get("roleArn"), pointer + "/roleArn", errors);
        BatchRules.checkS3Uri(defaults.get("outputUri"), pointer + "/outputUri", false, errors);
        JsonNode runTags = defaults.get("runTags");
        BatchRules.checkTagKeys(runTags, pointer + "/runTags", true, errors);
        int trackingTags = TrackingTags.count(resubmit);
        if (runTags != null && runTags.isObject() && runTags.size() + trackingTags > BatchRules.MAX_TAGS) {
            errors.add(pointer + "/runTags", Rule.TAG_COUNT, "every run would carry " + (runTags.size() + trackingTags)
                    + " tags (" + runTags.size() + " runTags + " + trackingTags
                    + " omics-batch tracking tags); StartRun accepts at most " + BatchRules.MAX_TAGS);
        }
    }

    private static void checkBatchRunSettings(JsonNode runSettings, MergeBase mergeBase, ValidationErrors errors) {
        String pointer = "/batchRunSettings";
        if (!ModelConstraints.checkStructure(runSettings, pointer, BATCH_RUN_SETTINGS, List.of(), Map.of(), errors)) {
            return;
        }
        JsonNode inline = runSettings.get("inlineSettings");
        JsonNode s3Uri = runSettings.get("s3UriSettings");
        boolean hasInline = inline != null && !inline.isNull();
        boolean hasS3Uri = s3Uri != null && !s3Uri.isNull();
        if (hasInline == hasS3Uri) {
            errors.add(pointer, Rule.ONE_OF, "must have exactly one of inlineSettings and s3UriSettings, "
                    + (hasInline ? "got both" : "got neither"));
        }
        if (hasInline && inline.isArray()) {
            RunSettingChecker checker = new RunSettingChecker(mergeBase, pointer + "/inlineSettings");
            for (int i = 0; i < inline.size(); i++) {
                checker.check(inline.get(i), i, errors);
            }
        }
        if (hasS3Uri) {
            BatchRules.checkS3Uri(s3Uri, pointer + "/s3UriSettings", true, errors);
        }
    }
}
