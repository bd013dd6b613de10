package io.omicsbatch.local.pipeline;

import io.omicsbatch.batch.BatchRecord;
import io.omicsbatch.batch.IntakeService;
import io.omicsbatch.batch.OmicsRuns;
import io.omicsbatch.batch.S3ObjectRef;
import io.omicsbatch.batch.SubmitService;
import io.omicsbatch.functions.IntakeHandler;
import io.omicsbatch.functions.RunDeadLetterHandler;
import io.omicsbatch.functions.SubmitHandler;
import io.omicsbatch.functions.aws.AwsClients;
import io.omicsbatch.functions.aws.DynamoBatchStore;
import io.omicsbatch.functions.aws.DynamoRunStore;
import io.omicsbatch.functions.aws.DynamoStartRunPacer;
import io.omicsbatch.functions.aws.S3ObjectStore;
import io.omicsbatch.functions.aws.SdkOmicsRuns;
import io.omicsbatch.functions.aws.SqsRunQueue;
import io.omicsbatch.local.events.LocalEventBridge;
import io.omicsbatch.local.lambda.SqsEventSourceMapping;
import io.omicsbatch.local.simulator.OmicsSimulator;
import io.omicsbatch.local.simulator.SimulatorConfig;
import io.omicsbatch.local.standins.LocalStandIns;
import io.omicsbatch.resources.ResourceDefinitions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.omics.OmicsClient;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * The whole pipeline on one machine: the AWS stand-ins, the HealthOmics simulator and the production
 * handlers, built with the same domain services and adapters as in Lambda and driven with Lambda's SQS
 * semantics ({@link SqsEventSourceMapping}). Only the clients differ: they point at the stand-ins.
 */
public final class LocalPipeline implements AutoCloseable {

    /**
     * @param startRunTps         the submit function's configured StartRun rate
     * @param submitConcurrency   the run queue mapping's maximumConcurrency
     * @param submitBatchSize     the run queue mapping's batch size
     * @param submit              the submit function's retry settings
     * @param omicsDecorator      wraps StartRun, to inject faults a stand-in cannot produce (a Lambda crash)
     */
    public record Options(SimulatorConfig simulator, double startRunTps, int submitConcurrency, int submitBatchSize,
                          SubmitService.Config submit, UnaryOperator<OmicsRuns> omicsDecorator) {

        public static Options defaults(SimulatorConfig simulator) {
            return new Options(simulator, simulator.startRunTps(), 2, 10,
                    new SubmitService.Config(8, Duration.ofMillis(500), Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(1)),
                    UnaryOperator.identity());
        }

        public Options withStartRunTps(double tps) {
            return new Options(simulator, tps, submitConcurrency, submitBatchSize, submit, omicsDecorator);
        }

        public Options withOmicsDecorator(UnaryOperator<OmicsRuns> decorator) {
            return new Options(simulator, startRunTps, submitConcurrency, submitBatchSize, submit, decorator);
        }

        public Options withSubmit(SubmitService.Config config) {
            return new Options(simulator, startRunTps, submitConcurrency, submitBatchSize, config, omicsDecorator);
        }
    }

    private final LocalStandIns aws;
    private final LocalEventBridge eventBridge;
    private final OmicsSimulator simulator;
    private final OmicsClient omicsClient;
    private final DynamoBatchStore batches;
    private final DynamoRunStore runs;
    private final S3ObjectStore objects;
    private final SqsRunQueue runQueue;
    private final IntakeService intake;
    private final CrashingOmicsRuns crashingOmics;
    private final List<AutoCloseable> mappings = new ArrayList<>();

    private LocalPipeline(Options options) throws IOException {
        Clock clock = Clock.systemUTC();
        this.aws = LocalStandIns.start();
        this.eventBridge = new LocalEventBridge();
        this.simulator = OmicsSimulator.builder().config(options.simulator()).publisher(eventBridge).start();
        this.omicsClient = aws.configure(OmicsClient.builder(), simulator.endpoint())
                .overrideConfiguration(AwsClients.omicsOverrides().toBuilder()
                        .putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true).build())
                .build();
        var dynamo = aws.dynamoDbClient();
        var sqs = aws.sqsClient();
        this.batches = new DynamoBatchStore(dynamo, ResourceDefinitions.BATCHES_TABLE.name(), clock);
        this.runs = new DynamoRunStore(dynamo, ResourceDefinitions.RUNS_TABLE.name(), ResourceDefinitions.BATCHES_TABLE.name(), clock);
        this.objects = new S3ObjectStore(aws.s3Client());
        String runQueueUrl = aws.queueUrl(ResourceDefinitions.RUN_QUEUE.name());
        String intakeQueueUrl = aws.queueUrl(ResourceDefinitions.INTAKE_QUEUE.name());
        this.runQueue = new SqsRunQueue(sqs, runQueueUrl, 4);
        this.intake = new IntakeService(batches, runs, objects, runQueue,
                IntakeService.Config.defaults(options.startRunTps()), clock);
        OmicsRuns omics = options.omicsDecorator().apply(new SdkOmicsRuns(omicsClient));
        double crashRate = options.simulator().lambdaFaults().crashAfterStartRunRate();
        this.crashingOmics = crashRate > 0 ? new CrashingOmicsRuns(omics, crashRate, simulator.seed()) : null;
        SubmitService submit = new SubmitService(batches, runs,
                crashingOmics != null ? crashingOmics : omics,
                new DynamoStartRunPacer(dynamo, ResourceDefinitions.PACING_TABLE.name(), "StartRun", options.startRunTps(), clock),
                options.submit(), clock, duration -> Thread.sleep(duration.toMillis()), new SecureRandom()::nextLong);

        mappings.add(new SqsEventSourceMapping(new SqsEventSourceMapping.Config("intake", ResourceDefinitions.INTAKE_QUEUE.name(),
                intakeQueueUrl, 1, 2, Duration.ofMinutes(15)), sqs, new IntakeHandler(intake, sqs, intakeQueueUrl)));
        mappings.add(new SqsEventSourceMapping(new SqsEventSourceMapping.Config("submit", ResourceDefinitions.RUN_QUEUE.name(),
                runQueueUrl, options.submitBatchSize(), options.submitConcurrency(), Duration.ofMinutes(1)), sqs,
                new SubmitHandler(submit, runQueue, sqs, runQueueUrl)));
        mappings.add(new SqsEventSourceMapping(new SqsEventSourceMapping.Config("run-dead-letter",
                ResourceDefinitions.RUN_QUEUE.deadLetterQueueName(), aws.queueUrl(ResourceDefinitions.RUN_QUEUE.deadLetterQueueName()),
                10, 1, Duration.ofMinutes(1)), sqs, new RunDeadLetterHandler(runs, batches)));
    }

    public static LocalPipeline start(Options options) {
        try {
            return new LocalPipeline(options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public LocalStandIns aws() {
        return aws;
    }

    public OmicsSimulator simulator() {
        return simulator;
    }

    public LocalEventBridge eventBridge() {
        return eventBridge;
    }

    public DynamoBatchStore batches() {
        return batches;
    }

    public DynamoRunStore runs() {
        return runs;
    }

    public IntakeService intake() {
        return intake;
    }

    /** Another intake over the same stores and queue, with its own settings (e.g. a smaller checkpoint interval). */
    public IntakeService intake(IntakeService.Config config) {
        return new IntakeService(batches, runs, objects, runQueue, config, Clock.systemUTC());
    }

    /** Submit crashes injected after StartRun so far ({@code lambdaFaults.crashAfterStartRunRate}). */
    public long submitCrashes() {
        return crashingOmics == null ? 0 : crashingOmics.crashes();
    }

    public S3ObjectStore objects() {
        return objects;
    }

    /** Uploads an object to a bucket (created if needed), as a user would. */
    public S3ObjectRef put(String bucket, String key, byte[] content) {
        var s3 = aws.s3Client();
        if (!s3.listBuckets().buckets().stream().anyMatch(b -> b.name().equals(bucket))) {
            s3.createBucket(b -> b.bucket(bucket));
        }
        PutObjectResponse response = s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content));
        return new S3ObjectRef(bucket, key, response.versionId(), response.eTag().replace("\"", ""));
    }

    /** Drops a settings document at {@code batches/<name>} in the settings bucket, which notifies the intake. */
    public S3ObjectRef dropSettings(String name, byte[] content) {
        return put(aws.settingsBucket(), ResourceDefinitions.BATCHES_PREFIX + name, content);
    }

    /** Polls the batch record until the condition holds or the deadline passes; returns the last record seen. */
    public Optional<BatchRecord> awaitBatch(String batchId, Predicate<BatchRecord> condition, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<BatchRecord> batch = batches.get(batchId);
        while (System.nanoTime() < deadline && (batch.isEmpty() || !condition.test(batch.get()))) {
            Thread.sleep(50);
            batch = batches.get(batchId);
        }
        return batch;
    }

    @Override
    public void close() {
        for (AutoCloseable mapping : mappings) {
            try {
                mapping.close();
            } catch (Exception e) {
                // closing is best effort; the stand-ins go next
            }
        }
        runQueue.close();
        omicsClient.close();
        simulator.close();
        eventBridge.close();
        aws.close();
    }
}
