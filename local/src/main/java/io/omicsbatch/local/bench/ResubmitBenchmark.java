package io.omicsbatch.local.bench;

import io.omicsbatch.batch.BatchRecord;
import io.omicsbatch.batch.BatchStatus;
import io.omicsbatch.batch.BatchStore;
import io.omicsbatch.batch.ObjectStore;
import io.omicsbatch.batch.RunRecord;
import io.omicsbatch.batch.RunStatus;
import io.omicsbatch.batch.RunStore;
import io.omicsbatch.batch.S3ObjectRef;
import io.omicsbatch.batch.SubmissionStatus;
import io.omicsbatch.operations.OperationRequest;
import io.omicsbatch.operations.OperationResult;
import io.omicsbatch.operations.ResubmitService;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Resubmit of every run of a batch whose runs file holds N run settings (default 100,000, about 29 MB), for the heap it
 * takes: the runs file is generated as it is read and the new runs file counted as it is written (as S3's adapter
 * spools it to a file), so the heap holds only what the resubmit itself keeps. Run it under a small -Xmx
 * ({@code bench/resubmit-100k} uses 64 MB): reading the file whole, as a JSON tree, runs out of it.
 *
 * <p>usage: java -Xmx64m -cp local/target/omics-batch-local.jar io.omicsbatch.local.bench.ResubmitBenchmark [runs]
 */
public final class ResubmitBenchmark {

    private static final String BUCKET = "omics-batch-settings";
    private static final String ORIGINAL = "0123456789abcdef0123";
    private static final String DOCUMENT = "{\"batchName\":\"bench\",\"defaultRunSetting\":{\"workflowId\":\"1234567\","
            + "\"roleArn\":\"arn:aws:iam::123456789012:role/OmicsWorkflowServiceRole\",\"outputUri\":\"s3://bench-results/out/\","
            + "\"parameters\":{\"ref_fasta\":\"s3://bench-inputs/GRCh38.fasta\"}},"
            + "\"batchRunSettings\":{\"s3UriSettings\":\"s3://" + BUCKET + "/runs/bench.json\"}}";

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Instant now = Instant.now();
        S3ObjectRef settings = new S3ObjectRef(BUCKET, "batches/bench.json", null, "settings-etag");
        BatchRecord original = new BatchRecord(ORIGINAL, "bench", BatchStatus.PROCESSED, settings,
                "s3://" + BUCKET + "/runs/bench.json", "runs-etag", runs, runs, true, null, null, List.of(), 0, Map.of(),
                now, now, null, now, Set.of(), now, null, 0, runs, null);
        GeneratedRuns objects = new GeneratedRuns(runs);
        ResubmitService resubmit = new ResubmitService(batches(original), failedRuns(runs), objects, settingsObject -> { },
                Clock.systemUTC());
        OperationRequest.Resubmit request = new OperationRequest.Resubmit(ORIGINAL, "bench-1",
                OperationRequest.Resubmit.DEFAULT_RUN_STATUSES, OperationRequest.Resubmit.DEFAULT_SUBMISSION_STATUSES,
                List.of(), null, null);

        HeapMeter.reset();
        long started = System.nanoTime();
        OperationResult result = resubmit.resubmit(request, new S3ObjectRef(BUCKET, "resubmit/bench.json", null, "request-etag"));
        double seconds = (System.nanoTime() - started) / 1e9;
        long peak = HeapMeter.peakBytes();

        if (result.outcome() != OperationResult.Outcome.DONE) {
            throw new IllegalStateException("the resubmit did not happen: " + result.detail());
        }
        System.out.printf(Locale.ROOT, "resubmit of %,d runs: runs file read %.1f MB, new runs file written %.1f MB, "
                        + "%.1f s, peak heap %s of max %s%n", runs, objects.read / 1048576.0, objects.written / 1048576.0,
                seconds, HeapMeter.mb(peak), HeapMeter.mb(Runtime.getRuntime().maxMemory()));
    }

    /** The original batch, and nothing else (the new batch is created and forgotten). */
    private static BatchStore batches(BatchRecord original) {
        return stub(BatchStore.class, (name, args) -> switch (name) {
            case "get" -> ORIGINAL.equals(args[0]) ? Optional.of(original) : Optional.empty();
            case "createIfAbsent" -> args[0];
            case "recordResubmittedAs" -> null;
            default -> throw new UnsupportedOperationException(name);
        });
    }

    /** Every run of the original FAILED, one record at a time. */
    private static RunStore failedRuns(int runs) {
        return stub(RunStore.class, (name, args) -> {
            if (!name.equals("forEachRun")) {
                throw new UnsupportedOperationException(name);
            }
            @SuppressWarnings("unchecked")
            Consumer<RunRecord> action = (Consumer<RunRecord>) args[1];
            Instant now = Instant.now();
            for (int i = 0; i < runs; i++) {
                action.accept(new RunRecord(ORIGINAL, id(i), "ob-" + i, null, null, null, SubmissionStatus.SUCCESS, null,
                        null, 1, Integer.toString(1_000_000 + i), null, null, RunStatus.FAILED, null, null, null, null,
                        null, now, now, now, now));
            }
            return null;
        });
    }

    private static String id(int i) {
        return String.format(Locale.ROOT, "NA%07d", i);
    }

    @FunctionalInterface
    private interface Calls {
        Object call(String method, Object[] args) throws Exception;
    }

    private static <T> T stub(Class<T> type, Calls calls) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> calls.call(method.getName(), args)));
    }

    /** The settings document, a runs file generated as it is read, and written objects counted, not kept. */
    private static final class GeneratedRuns implements ObjectStore {
        private final int runs;
        private long read;
        private long written;

        GeneratedRuns(int runs) {
            this.runs = runs;
        }

        @Override
        public Optional<S3ObjectRef> head(String bucket, String key) {
            return Optional.of(new S3ObjectRef(bucket, key, null, "written"));
        }

        @Override
        public InputStream open(S3ObjectRef object) {
            if (object.key().startsWith("batches/")) {
                return new ByteArrayInputStream(DOCUMENT.getBytes(StandardCharsets.UTF_8));
            }
            return new InputStream() {
                private byte[] chunk = "[".getBytes(StandardCharsets.UTF_8);
                private int at;
                private int next;

                @Override
                public int read() {
                    if (at == chunk.length && !refill()) {
                        return -1;
                    }
                    read++;
                    return chunk[at++] & 0xff;
                }

                @Override
                public int read(byte[] target, int off, int len) {
                    if (len == 0) {
                        return 0;
                    }
                    if (at == chunk.length && !refill()) {
                        return -1;
                    }
                    int n = Math.min(len, chunk.length - at);
                    System.arraycopy(chunk, at, target, off, n);
                    at += n;
                    read += n;
                    return n;
                }

                private boolean refill() {
                    if (next > runs) {
                        return false;
                    }
                    String text = next == runs ? "]" : (next > 0 ? "," : "") + entry(next);
                    next++;
                    chunk = text.getBytes(StandardCharsets.UTF_8);
                    at = 0;
                    return true;
                }
            };
        }

        private static String entry(int i) {
            return "{\"runSettingId\":\"" + id(i) + "\",\"name\":\"wgs-" + id(i) + "\",\"parameters\":{\"sample_id\":\""
                    + id(i) + "\",\"fastq_r1\":\"s3://bench-inputs/fastq/" + id(i) + "_R1.fastq.gz\",\"fastq_r2\":"
                    + "\"s3://bench-inputs/fastq/" + id(i) + "_R2.fastq.gz\",\"read_group\":\"RG-" + id(i)
                    + "\",\"min_qual\":30},\"runTags\":{\"sample\":\"" + id(i) + "\",\"cohort\":\"bench\"}}";
        }

        @Override
        public void put(String bucket, String key, byte[] content, String contentType) {
            written += content.length;
        }

        @Override
        public void write(String bucket, String key, String contentType, ContentWriter content) throws IOException {
            content.writeTo(new OutputStream() {
                @Override
                public void write(int b) {
                    written++;
                }

                @Override
                public void write(byte[] bytes, int off, int len) {
                    written += len;
                }
            });
        }
    }
}
