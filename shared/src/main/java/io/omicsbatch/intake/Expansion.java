package io.omicsbatch.intake;

import io.omicsbatch.batch.BatchRecord;
import io.omicsbatch.batch.BatchStatus;
import io.omicsbatch.batch.BatchStore;
import io.omicsbatch.batch.ObjectStore;
import io.omicsbatch.batch.RunMessage;
import io.omicsbatch.batch.RunQueue;
import io.omicsbatch.batch.RunRecord;
import io.omicsbatch.batch.RunStore;
import io.omicsbatch.batch.S3ObjectRef;
import io.omicsbatch.settings.BatchSettings;
import io.omicsbatch.settings.RunRequest;
import io.omicsbatch.settings.RunRequestMerger;
import io.omicsbatch.settings.RunSetting;
import io.omicsbatch.settings.RunEntries;
import io.omicsbatch.settings.RunsFileFormat;
import io.omicsbatch.settings.S3Location;
import io.omicsbatch.settings.SettingsJson;
import io.omicsbatch.settings.ValidationErrors;
import io.omicsbatch.util.DaemonThreads;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SUBMITTING batch → one run record and one run message per run setting, under the batch's expansion lease.
 *
 * <p>Only the lease holder expands, so concurrent deliveries of one notification never expand a batch twice at
 * once. Records are written only where none exists (a record, once written, belongs to the submit and status
 * functions), a chunk's records are written before its messages are sent, and the checkpoint only covers chunks
 * whose messages were all sent. A resumed expansion therefore starts at the checkpoint, creates what is missing, and
 * sends again only messages of runs still PENDING — which the submit function handles idempotently.
 */
final class Expansion {

    private static final Logger LOG = LoggerFactory.getLogger(Expansion.class);
    /** Sends one chunk's messages while the next chunk's records are written. */
    private static final ExecutorService SENDER = Executors.newCachedThreadPool(DaemonThreads.named("intake-chunk-sender"));

    private final BatchStore batches;
    private final RunStore runs;
    private final ObjectStore objects;
    private final RunQueue runQueue;
    private final int chunkSize;
    private final Clock clock;

    Expansion(BatchStore batches, RunStore runs, ObjectStore objects, RunQueue runQueue, int chunkSize, Clock clock) {
        this.batches = batches;
        this.runs = runs;
        this.objects = objects;
        this.runQueue = runQueue;
        this.chunkSize = chunkSize;
        this.clock = clock;
    }

    /**
     * Expands what is left of the batch while {@code hasTime} says so.
     *
     * @param invocationEnd when this invocation surely ends: the lease lapses then, even if it crashes first
     */
    IntakeService.Outcome run(String batchId, BatchSettings settings, BooleanSupplier hasTime, Instant invocationEnd) {
        String owner = UUID.randomUUID().toString();
        if (!batches.acquireExpansionLease(batchId, owner, invocationEnd)) {
            return IntakeService.Outcome.BUSY;
        }
        boolean released = false;
        try {
            BatchRecord batch = batches.get(batchId).orElseThrow();
            if ((batch.status() != BatchStatus.SUBMITTING && batch.status() != BatchStatus.STOPPING)
                    || batch.expansionComplete()) {
                return IntakeService.Outcome.ALREADY_DONE;
            }
            if (inputsChanged(batch)) {
                return IntakeService.Outcome.FAILED;
            }
            Chunks chunks = new Chunks(batchId, owner, batch.expandedRuns(), batch.recordsWrittenUpTo(), invocationEnd);
            // A resubmit batch's runs carry its lineage as a tag: the batch they were resubmitted from.
            RunRequestMerger merger = new RunRequestMerger(batchId, batch.resubmitOf(), settings.defaultRunSetting());
            try (RunSource source = runSource(batch, settings)) {
                long index = 0;
                while (index < batch.expandedRuns() && source.hasNext()) {
                    source.next(); // expanded by an earlier delivery
                    index++;
                }
                List<RunRequest> chunk = new ArrayList<>(chunkSize);
                while (source.hasNext()) {
                    chunk.add(merger.merge(source.next()));
                    if (chunk.size() == chunkSize || !source.hasNext()) {
                        if (!hasTime.getAsBoolean()) {
                            chunks.finish();
                            return IntakeService.Outcome.INTERRUPTED;
                        }
                        chunks.add(chunk);
                        chunk = new ArrayList<>(chunkSize);
                    }
                }
                chunks.finish();
                if (source.syntaxProblem() != null) {
                    fail(batchId, "RunsFileChanged", source.syntaxProblem());
                    return IntakeService.Outcome.FAILED;
                }
            } catch (ObjectStore.ObjectChangedException | ObjectStore.ObjectMissingException e) {
                fail(batchId, "RunsFileChanged", "the runs file changed after the batch was accepted: " + e.getMessage());
                return IntakeService.Outcome.FAILED;
            } catch (ObjectStore.AccessDeniedException e) {
                // Read access was taken away after the batch was accepted: no redelivery can change that.
                fail(batchId, "RunsFileAccessDenied", "the runs file " + batch.runsFileUri()
                        + " can no longer be read (access denied) after the batch was accepted");
                return IntakeService.Outcome.FAILED;
            } catch (LeaseLost e) {
                LOG.warn("batch {}: another intake invocation took the expansion over; this one stops", batchId);
                return IntakeService.Outcome.BUSY;
            } finally {
                // A chunk still being sent when the expansion stops early must not outlive the invocation: Lambda
                // would freeze it half-sent. Its runs are recorded, so whoever expands next resends what is missing.
                chunks.settleInFlight();
            }
            long expanded = chunks.checkpoint;
            if (expanded != batch.totalRuns()) {
                fail(batchId, "RunsFileChanged", "the runs file now holds " + expanded + " runs, not the "
                        + batch.totalRuns() + " accepted");
                return IntakeService.Outcome.FAILED;
            }
            if (inputsChanged(batch)) {
                return IntakeService.Outcome.FAILED;
            }
            if (!batches.markExpansionComplete(batchId, owner, expanded)) {
                LOG.warn("batch {}: the expansion lease lapsed before the expansion was recorded complete", batchId);
                return IntakeService.Outcome.BUSY;
            }
            released = true;
            batches.markInProgressIfAllSubmitted(batchId);
            return IntakeService.Outcome.EXPANDED;
        } finally {
            if (!released) {
                release(batchId, owner);
            }
        }
    }

    /** Best effort: a lease not given up lapses at the invocation's end anyway. */
    private void release(String batchId, String owner) {
        try {
            batches.releaseExpansionLease(batchId, owner);
        } catch (RuntimeException e) {
            LOG.warn("batch {}: could not give the expansion lease up; it lapses when this invocation ends", batchId, e);
        }
    }

    /** Thrown when the checkpoint cannot be saved because another invocation holds the lease now. */
    private static final class LeaseLost extends RuntimeException {
        LeaseLost() {
            super(null, null, false, false);
        }
    }

    /**
     * Writes chunks of run records and sends their messages, pipelined: while one chunk's messages are being
     * sent, the next chunk's records are written.
     */
    private final class Chunks {
        private final String batchId;
        private final String owner;
        private final Instant leaseUntil;
        /** Runs before this index may have a record from an earlier attempt; past it, none ever had one. */
        private final long maybeWritten;
        private long checkpoint;
        /** Where the chunk being added starts: the end of every chunk added so far. */
        private long next;
        private CompletableFuture<Long> sending;

        Chunks(String batchId, String owner, long checkpoint, long maybeWritten, Instant leaseUntil) {
            this.batchId = batchId;
            this.owner = owner;
            this.checkpoint = checkpoint;
            this.next = checkpoint;
            this.maybeWritten = maybeWritten;
            this.leaseUntil = leaseUntil;
        }

        void add(List<RunRequest> chunk) {
            List<RunRecord> records = new ArrayList<>(chunk.size());
            Instant now = clock.instant();
            for (RunRequest request : chunk) {
                records.add(RunRecord.pending(batchId, request.runSettingId(), request.requestId(), request.name(),
                        request.outputUri(), request.outputBucketOwnerId(), now));
            }
            long start = next;
            next += chunk.size();
            // The mark goes first, so that a crash after it leaves these runs in the conditional region for the next
            // attempt. Past the previous attempts' mark no run ever had a record, and only this lease holder writes
            // records: there the cheaper unconditional batch write cannot overwrite anything.
            if (!batches.markRecordsWriting(batchId, owner, next)) {
                throw new LeaseLost();
            }
            Set<String> decided;
            if (start < maybeWritten) {
                decided = runs.createPending(records);
            } else {
                runs.createFresh(records);
                decided = Set.of();
            }
            List<RunMessage> messages = new ArrayList<>(chunk.size());
            for (RunRequest request : chunk) {
                if (!decided.contains(request.runSettingId())) {
                    messages.add(new RunMessage(batchId, request.runSettingId(), request.toStartRunBody()));
                }
            }
            long end = awaitSent() + chunk.size();
            sending = CompletableFuture.supplyAsync(() -> {
                runQueue.send(messages);
                return end;
            }, SENDER);
        }

        void finish() {
            awaitSent();
        }

        /** Waits for a chunk still in flight without checkpointing it (the expansion stops early). */
        void settleInFlight() {
            if (sending != null) {
                try {
                    sending.join();
                } catch (CompletionException e) {
                    LOG.warn("batch {}: a chunk's messages failed to send as the expansion stopped: {}", batchId,
                            e.getCause() == null ? e : e.getCause().getClass().getSimpleName());
                } finally {
                    sending = null;
                }
            }
        }

        /** Waits for the chunk in flight and checkpoints it; returns the checkpoint. */
        private long awaitSent() {
            if (sending != null) {
                try {
                    checkpoint = sending.join();
                } catch (CompletionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : e;
                } finally {
                    sending = null;
                }
                if (!batches.saveCheckpoint(batchId, owner, checkpoint, leaseUntil)) {
                    throw new LeaseLost();
                }
            }
            return checkpoint;
        }
    }

    /** The batch fails if its settings object or runs file changed (ETag) before the expansion ended. */
    private boolean inputsChanged(BatchRecord batch) {
        S3ObjectRef source = batch.settingsObject();
        Optional<S3ObjectRef> settingsNow = objects.head(source.bucket(), source.key());
        if (settingsNow.isPresent() && !settingsNow.get().eTag().equals(source.eTag())) {
            fail(batch.batchId(), "SettingsChanged", "the settings object " + source.uri() + " changed (ETag "
                    + source.eTag() + " → " + settingsNow.get().eTag() + ") before every run was queued");
            return true;
        }
        if (batch.runsFileUri() != null) {
            S3Location runsFile = S3Location.parse(batch.runsFileUri(), true).location();
            Optional<S3ObjectRef> runsNow;
            try {
                runsNow = objects.head(runsFile.bucket(), runsFile.key());
            } catch (ObjectStore.AccessDeniedException e) {
                fail(batch.batchId(), "RunsFileAccessDenied", "the runs file " + batch.runsFileUri()
                        + " can no longer be read (access denied) after the batch was accepted");
                return true;
            }
            if (runsNow.isEmpty() || !runsNow.get().eTag().equals(batch.runsFileETag())) {
                fail(batch.batchId(), "RunsFileChanged", "the runs file " + batch.runsFileUri() + " changed (ETag "
                        + batch.runsFileETag() + " → " + runsNow.map(S3ObjectRef::eTag).orElse("deleted")
                        + ") before every run was queued");
                return true;
            }
        }
        return false;
    }

    private void fail(String batchId, String reason, String message) {
        if (batches.markFailed(batchId, List.of(BatchStatus.SUBMITTING, BatchStatus.STOPPING), reason, message, List.of(), 0)) {
            LOG.info("batch {} failed: {}", batchId, reason);
        }
    }

    private RunSource runSource(BatchRecord batch, BatchSettings settings) {
        if (settings.isInline()) {
            return new RunSource(settings.batchRunSettings().inlineSettings().iterator(), null, null);
        }
        S3Location runsFile = S3Location.parse(batch.runsFileUri(), true).location();
        InputStream in = objects.open(new S3ObjectRef(runsFile.bucket(), runsFile.key(), null, batch.runsFileETag()));
        ValidationErrors errors = new ValidationErrors(1, e -> { });
        try {
            // The same reader as at admission, by the key's suffix: a sample sheet's rows are its run settings.
            RunEntries reader = RunEntries.open(in, RunsFileFormat.of(runsFile.key()), errors);
            return new RunSource(new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return reader.hasNext();
                }

                @Override
                public RunSetting next() {
                    return SettingsJson.toRunSetting(reader.next().node());
                }
            }, () -> {
                reader.close();
                in.close();
            }, errors);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The run settings of a batch in order, from the document or streamed from the runs file. */
    private static final class RunSource implements AutoCloseable {
        private final Iterator<RunSetting> settings;
        private final CloseableIo closer;
        private final ValidationErrors errors;

        RunSource(Iterator<RunSetting> settings, CloseableIo closer, ValidationErrors errors) {
            this.settings = settings;
            this.closer = closer;
            this.errors = errors;
        }

        boolean hasNext() {
            return settings.hasNext();
        }

        RunSetting next() {
            return settings.next();
        }

        String syntaxProblem() {
            return errors == null || errors.isEmpty() ? null : "the runs file is no longer valid: " + errors.list().get(0).toLine();
        }

        @Override
        public void close() {
            if (closer != null) {
                try {
                    closer.close();
                } catch (IOException e) {
                    LOG.debug("closing the runs file", e);
                }
            }
        }
    }

    @FunctionalInterface
    private interface CloseableIo {
        void close() throws IOException;
    }
}
