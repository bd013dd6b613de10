package io.omicsbatch.intake;

import io.omicsbatch.batch.BatchRecord;
import io.omicsbatch.batch.BatchStatus;
import io.omicsbatch.batch.BatchStore;
import io.omicsbatch.batch.ObjectStore;
import io.omicsbatch.batch.S3ObjectRef;
import io.omicsbatch.batch.WorkflowCatalog;
import io.omicsbatch.resources.ResourceDefinitions;
import io.omicsbatch.settings.BatchSettings;
import io.omicsbatch.settings.BatchSettingsValidator;
import io.omicsbatch.settings.DefaultRunSetting;
import io.omicsbatch.settings.Rule;
import io.omicsbatch.settings.RunsFileFormat;
import io.omicsbatch.settings.S3Location;
import io.omicsbatch.settings.ValidationError;
import io.omicsbatch.settings.WorkflowParameterCheck;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CREATING → PENDING or FAILED: everything the record cannot yet vouch for is checked before a single run is
 * expanded — the document, the workflow's parameter template, the runs file, and whether the batch can be
 * submitted at all before its messages expire. Every error goes to the error report; the first few to the record.
 */
final class Admission {

    private static final Logger LOG = LoggerFactory.getLogger(Admission.class);
    static final String VALIDATION_FAILED = "ValidationFailed";

    private final BatchStore batches;
    private final ObjectStore objects;
    private final WorkflowCatalog workflows;
    private final BatchPreflight preflight;
    private final IntakeService.Config config;

    Admission(BatchStore batches, ObjectStore objects, WorkflowCatalog workflows, BatchPreflight preflight,
              IntakeService.Config config) {
        this.batches = batches;
        this.objects = objects;
        this.workflows = workflows;
        this.preflight = preflight;
        this.config = config;
    }

    /**
     * Decides a CREATING batch. The transition it makes is conditional: a concurrent delivery may have decided first,
     * and the caller reads the record again either way.
     */
    void admit(BatchRecord batch, BatchSettingsValidator.DocumentResult document, BatchSettingsValidator validator,
               ErrorReport report) {
        String batchId = batch.batchId();
        BatchSettings settings = document.settings();
        if (!document.isValid()) {
            fail(batch, VALIDATION_FAILED, report);
            return;
        }
        // Before anything is read on the document's say-so: the role and where the runs file lies.
        List<ValidationError> preflightErrors = preflight.check(settings, batch.settingsObject().bucket());
        if (!preflightErrors.isEmpty()) {
            preflightErrors.forEach(report::add);
            fail(batch, VALIDATION_FAILED, report);
            return;
        }
        WorkflowParameterCheck parameters = null;
        WorkflowCatalog.Lookup workflow = lookUpWorkflow(batchId, settings.defaultRunSetting());
        if (workflow instanceof WorkflowCatalog.NotFound notFound) {
            report.add(new ValidationError("/defaultRunSetting/workflowId", Rule.WORKFLOW_NOT_FOUND, notFound.message()));
            fail(batch, VALIDATION_FAILED, report);
            return;
        }
        if (workflow instanceof WorkflowCatalog.Template template) {
            parameters = new WorkflowParameterCheck(settings.defaultRunSetting(), template.optionalByName(),
                    template.profiles(), template.profileTemplates());
            // Every error is reported: for a runs file, its entries are checked below even if the defaults fail.
            validator.checkParameters(settings, parameters);
        }
        int totalRuns;
        String runsFileETag = null;
        if (settings.isInline()) {
            totalRuns = settings.batchRunSettings().inlineSettings().size();
        } else {
            S3Location runsFile = S3Location.parse(settings.batchRunSettings().s3UriSettings(), true).location();
            Optional<S3ObjectRef> current;
            try {
                current = objects.head(runsFile.bucket(), runsFile.key());
            } catch (ObjectStore.AccessDeniedException e) {
                failUnreadable(batch, runsFile.uri(), true, report);
                return;
            }
            if (current.isEmpty()) {
                failUnreadable(batch, runsFile.uri(), false, report);
                return;
            }
            BatchSettingsValidator.RunsFileResult runsResult;
            try (InputStream in = objects.open(current.get())) {
                runsResult = validator.validateRunsFile(in, RunsFileFormat.of(runsFile.key()), document.mergeBase(), parameters);
            } catch (ObjectStore.AccessDeniedException e) {
                failUnreadable(batch, runsFile.uri(), true, report);
                return;
            } catch (ObjectStore.ObjectChangedException | ObjectStore.ObjectMissingException e) {
                failWithMessage(batchId, "RunsFileChanged", "the runs file changed while it was read: " + e.getMessage());
                return;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (!runsResult.isValid()) {
                fail(batch, VALIDATION_FAILED, report);
                return;
            }
            totalRuns = runsResult.entries();
            runsFileETag = current.get().eTag();
        }
        if (report.count() > 0) {
            fail(batch, VALIDATION_FAILED, report);
            return;
        }
        Optional<String> infeasible = feasibilityProblem(totalRuns);
        if (infeasible.isPresent()) {
            failWithMessage(batchId, "SubmissionInfeasible", infeasible.get());
            return;
        }
        if (!batches.markPending(batchId, totalRuns, runsFileETag)) {
            LOG.info("batch {}: another delivery decided it first", batchId);
        }
    }

    /**
     * The workflow's parameter template, when it can be had: a run of a named workflow version may have another
     * template than the workflow's (GetWorkflow describes the default version), so those runs are left to StartRun.
     */
    private WorkflowCatalog.Lookup lookUpWorkflow(String batchId, DefaultRunSetting defaults) {
        if (defaults.workflowVersionName() != null) {
            return new WorkflowCatalog.Unchecked("a workflow version is named; GetWorkflow describes the default version");
        }
        WorkflowCatalog.Lookup lookup = workflows.parameterTemplate(defaults.workflowId(), defaults.workflowOwnerId());
        if (lookup instanceof WorkflowCatalog.Unchecked unchecked) {
            LOG.warn("batch {}: parameters not checked against workflow {} ({}); StartRun checks each run",
                    batchId, defaults.workflowId(), unchecked.reason());
        } else if (lookup instanceof WorkflowCatalog.NoTemplate) {
            LOG.info("batch {}: workflow {} declares no parameter template; parameters not checked",
                    batchId, defaults.workflowId());
        }
        return lookup;
    }

    /**
     * At the configured StartRun rate, can every run be submitted before its message expires? The run queue's
     * retention bounds how long a message can wait.
     */
    Optional<String> feasibilityProblem(int totalRuns) {
        double seconds = totalRuns / config.startRunTps();
        long allowed = config.runQueueRetention().toSeconds();
        if (seconds <= allowed) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT,
                "at %.3f StartRun calls per second, %d runs need %.1f days to submit, longer than the run queue's "
                        + "%.1f-day message retention; raise the StartRun quota and the configured rate, or split the batch "
                        + "into batches of at most %d runs",
                config.startRunTps(), totalRuns, seconds / 86400.0, allowed / 86400.0,
                (long) Math.floor(allowed * config.startRunTps())));
    }

    /** CREATING → FAILED: the runs file answered 403 ({@code denied}) or 404, which no retry can change. */
    private void failUnreadable(BatchRecord batch, String runsFileUri, boolean denied, ErrorReport report) {
        report.add(BatchPreflight.runsFileUnreadable(runsFileUri, denied));
        fail(batch, denied ? "RunsFileAccessDenied" : "RunsFileNotFound", report);
    }

    /** CREATING → FAILED with the validation errors: the first few on the record, all of them in the report. */
    private void fail(BatchRecord batch, String reason, ErrorReport report) {
        String batchId = batch.batchId();
        String reportKey = ResourceDefinitions.REPORTS_PREFIX + batchId + "/errors.json";
        String bucket = batch.settingsObject().bucket();
        objects.put(bucket, reportKey, report.toJson(batchId, batch.settingsObject().uri()), "application/json");
        List<ValidationError> first = report.first(config.errorsOnRecord());
        String message = report.count() + (report.count() == 1 ? " error" : " errors") + " in " + batch.settingsObject().uri()
                + (first.isEmpty() ? "" : "; first: " + first.get(0).toLine()) + "; errors: s3://" + bucket + "/" + reportKey;
        List<BatchRecord.ErrorEntry> entries = first.stream()
                .map(e -> new BatchRecord.ErrorEntry(e.pointer(), e.rule().id(), e.message())).toList();
        if (batches.markFailed(batchId, List.of(BatchStatus.CREATING), reason, message, entries, report.count())) {
            LOG.info("batch {} failed ({}) with {} errors", batchId, reason, report.count());
        }
    }

    private void failWithMessage(String batchId, String reason, String message) {
        if (batches.markFailed(batchId, List.of(BatchStatus.CREATING), reason, message, List.of(), 0)) {
            LOG.info("batch {} failed: {}", batchId, reason);
        }
    }
}
