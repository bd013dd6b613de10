package io.omicsbatch.operations;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.batch.BatchCompletion;
import io.omicsbatch.batch.BatchStore;
import io.omicsbatch.batch.ObjectStore;
import io.omicsbatch.batch.RunReader;
import io.omicsbatch.batch.RunStore;
import io.omicsbatch.batch.S3ObjectRef;
import io.omicsbatch.batch.StartRunPacer;
import io.omicsbatch.batch.SubmitService;
import io.omicsbatch.resources.ResourceDefinitions;
import io.omicsbatch.settings.SettingsJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acts on one request document (S3 → the operations queue → the operations function): reads it, checks it, and
 * hands it to the service of its operation. Every step is idempotent, so a duplicate notification or a redelivery
 * after a crash does no harm. An invalid request, or one the batch's status refuses, gets a report:
 * {@code reports/<prefix><name>.errors.json} with JSON pointers and rules, as invalid batches do.
 */
public final class OperationService {

    private static final Logger LOG = LoggerFactory.getLogger(OperationService.class);

    /**
     * @param sweepAgainAfter how long a cancel waits before it sweeps again for submissions that were in flight
     */
    public record Config(Duration sweepAgainAfter) {
        public static Config defaults() {
            return new Config(Duration.ofSeconds(30));
        }
    }

    private final ObjectStore objects;
    private final CancelService cancel;
    private final RunDeletion runDeletion;
    private final BatchDeletion batchDeletion;
    private final ResubmitService resubmit;

    /**
     * @param reader      GetRun, to make sure a run id still names our run before DeleteRun (ids are reused)
     * @param cancelPacer the account-wide CancelRun pace; {@code deletePacer} DeleteRun's (10 per second each)
     */
    public OperationService(BatchStore batches, RunStore runs, ObjectStore objects, RunControl control, RunReader reader,
                            StartRunPacer cancelPacer, StartRunPacer deletePacer, BatchCompletion completion,
                            ResubmitService resubmit, Config config, Clock clock, SubmitService.Sleeper sleeper) {
        this.objects = objects;
        this.cancel = new CancelService(batches, runs, control, new PacedRunControl(cancelPacer, clock, sleeper),
                completion, config.sweepAgainAfter());
        this.runDeletion = new RunDeletion(batches, runs, control, reader, new PacedRunControl(deletePacer, clock, sleeper));
        this.batchDeletion = new BatchDeletion(batches, runs);
        this.resubmit = resubmit;
    }

    public OperationResult handle(S3ObjectRef request, BooleanSupplier hasTime) throws InterruptedException {
        OperationRequests.Operation operation = OperationRequests.Operation.ofKey(request.key()).orElse(null);
        if (operation == null) {
            return new OperationResult(OperationResult.Outcome.IGNORED, null, "not a request document", null);
        }
        byte[] document;
        try (InputStream in = objects.open(request)) {
            document = in.readNBytes(OperationRequests.MAX_REQUEST_BYTES + 1);
        } catch (ObjectStore.ObjectChangedException | ObjectStore.ObjectMissingException e) {
            LOG.info("ignoring a notification for a request version that no longer exists");
            return new OperationResult(OperationResult.Outcome.IGNORED, null, "version gone", null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        OperationRequests.Parsed parsed = OperationRequests.parse(operation, document);
        if (!parsed.valid()) {
            report(request, operation, null, parsed.errors());
            LOG.info("{} request rejected with {} errors", operation.apiName(), parsed.errors().size());
            return new OperationResult(OperationResult.Outcome.INVALID, null, parsed.errors().size() + " errors", null);
        }
        OperationRequest parsedRequest = parsed.request();
        OperationResult result;
        if (parsedRequest instanceof OperationRequest.Cancel c) {
            result = cancel.cancel(c.batchId(), hasTime);
        } else if (parsedRequest instanceof OperationRequest.DeleteRuns d) {
            result = runDeletion.deleteRuns(d.batchId(), hasTime);
        } else if (parsedRequest instanceof OperationRequest.DeleteBatch d) {
            result = batchDeletion.delete(d.batchId());
        } else {
            result = resubmit.resubmit((OperationRequest.Resubmit) parsedRequest, request);
        }
        if (result.outcome() == OperationResult.Outcome.REFUSED) {
            report(request, operation, parsedRequest.batchId(), List.of(new OperationRequests.OperationError("/batchId",
                    "batch-status", result.detail())));
        }
        LOG.info("{} of batch {}: {} ({})", operation.apiName(), result.batchId(), result.outcome(), result.detail());
        return result;
    }

    /** reports/&lt;prefix&gt;&lt;name&gt;.errors.json for the request at {@code <prefix><name>.json}. */
    public static String reportKey(String requestKey) {
        String stem = requestKey.endsWith(ResourceDefinitions.BATCHES_SUFFIX)
                ? requestKey.substring(0, requestKey.length() - ResourceDefinitions.BATCHES_SUFFIX.length()) : requestKey;
        return ResourceDefinitions.REPORTS_PREFIX + stem + ".errors.json";
    }

    private void report(S3ObjectRef request, OperationRequests.Operation operation, String batchId,
                        List<OperationRequests.OperationError> errors) {
        ObjectNode report = SettingsJson.MAPPER.createObjectNode();
        report.put("request", request.uri());
        if (request.versionId() != null) {
            report.put("requestVersionId", request.versionId());
        }
        report.put("operation", operation.apiName());
        if (batchId != null) {
            report.put("batchId", batchId);
        }
        report.put("errorCount", errors.size());
        ArrayNode list = report.putArray("errors");
        for (OperationRequests.OperationError error : errors) {
            list.addObject().put("pointer", error.pointer()).put("rule", error.rule()).put("message", error.message());
        }
        objects.put(request.bucket(), reportKey(request.key()), report.toPrettyString().getBytes(StandardCharsets.UTF_8),
                "application/json");
    }
}
