package io.omicsbatch.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.batch.S3ObjectRef;
import io.omicsbatch.resources.ResourceDefinitions;
import io.omicsbatch.settings.BatchIdentity;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code resubmit <batchId> [--run-setting-ids a,b] [--request-id r] [--cache-id c] [--cache-behavior b]}: a new batch
 * of a batch's runs (all, or those named), requested by writing the resubmit document. Its first line is the new
 * batch's id alone, {@link BatchIdentity#resubmitBatchId} of the request object written (or of the requestId), which
 * is the id the stack gives the batch.
 */
@Command(name = "resubmit", mixinStandardHelpOptions = true,
        description = {"Start a new batch with the runs of a batch (all, or --run-setting-ids).",
                "Prints the new batch's id alone on the first line, then where the request went; --wait waits until "
                        + "the new batch exists.",
                "Exit 0: requested (with --wait: the new batch exists); 1: no such batch (with --wait: refused, or "
                        + "--timeout); 2: usage or access error."})
final class ResubmitCommand implements Callable<Integer> {

    /** The model's CacheBehavior. */
    enum CacheBehavior { CACHE_ON_FAILURE, CACHE_ALWAYS }

    private static final Pattern CACHE_ID = Pattern.compile("[0-9]{1,18}");

    @Parameters(index = "0", paramLabel = "<batchId>", description = "The batch to resubmit.")
    String batchId;

    @Option(names = "--run-setting-ids", paramLabel = "<id>", split = ",",
            description = "Only these runs (runSettingIds, comma-separated or repeated).")
    List<String> runSettingIds;

    @Option(names = "--request-id", paramLabel = "<token>",
            description = "Idempotency token: the same token makes the same batch, however often it is sent.")
    String requestId;

    @Option(names = "--cache-id", paramLabel = "<id>", description = "Run cache for the new runs.")
    String cacheId;

    @Option(names = "--cache-behavior", paramLabel = "<behavior>", description = "${COMPLETION-CANDIDATES}.")
    CacheBehavior cacheBehavior;

    @Mixin
    TableConnection connection;

    @Mixin
    WaitOptions waiting;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ObjectNode body = body();
        waiting.check(spec.commandLine());
        PrintWriter out = spec.commandLine().getOut();
        try (TableConnection.Stores stores = connection.open()) {
            if (stores.batch(batchId, spec.commandLine().getErr()).isEmpty()) {
                return Cli.EXIT_INVALID;
            }
            S3ObjectRef request = BatchRequests.put(stores,
                    BatchRequests.key(ResourceDefinitions.RESUBMIT_PREFIX, batchId, Clock.systemUTC()), body);
            String newBatchId = BatchIdentity.resubmitBatchId(requestId, request.bucket(), request.key(),
                    request.versionId(), request.eTag());
            out.println(newBatchId);
            out.printf("requested resubmission of batch %s: %s%n", batchId, request.uri());
            out.flush();
            return waiting.wait ? waiting.await(stores, newBatchId, OperationWait.CREATED, request, out,
                    spec.commandLine().getErr()) : Cli.EXIT_OK;
        }
    }

    private ObjectNode body() {
        ObjectNode body = BatchRequests.body(batchId);
        if (requestId != null) {
            if (requestId.isEmpty() || requestId.length() > 128) {
                throw usage("--request-id must be 1 to 128 characters");
            }
            body.put("requestId", requestId);
        }
        if (runSettingIds != null) {
            ArrayNode ids = body.putArray("runSettingIds");
            for (String id : runSettingIds) {
                if (id.isBlank() || id.length() > 128) {
                    throw usage("--run-setting-ids: each id must be 1 to 128 characters, got \"" + id + "\"");
                }
                ids.add(id);
            }
        }
        if (cacheId != null) {
            if (!CACHE_ID.matcher(cacheId).matches()) {
                throw usage("--cache-id must be 1 to 18 digits, got " + cacheId);
            }
            body.put("cacheId", cacheId);
        }
        if (cacheBehavior != null) {
            body.put("cacheBehavior", cacheBehavior.name());
        }
        return body;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
