package io.omicsbatch.local.pipeline;

import io.omicsbatch.resources.FunctionEnvironment;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.omicsbatch.intake.BatchPreflight;
import io.omicsbatch.batch.BatchRecord;
import io.omicsbatch.batch.BatchStore;
import io.omicsbatch.batch.ReconcileService;
import io.omicsbatch.functions.Components;
import io.omicsbatch.functions.FunctionSettings;
import io.omicsbatch.functions.ReconcileHandler;
import io.omicsbatch.functions.StatusHandler;
import io.omicsbatch.local.events.LocalEventBridgeApi;
import io.omicsbatch.local.lambda.LambdaEvents;
import io.omicsbatch.local.lambda.LocalContext;
import io.omicsbatch.util.DaemonThreads;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import io.omicsbatch.intake.IntakeService;
import io.omicsbatch.batch.OmicsRuns;
import io.omicsbatch.batch.RunQueue;
import io.omicsbatch.batch.RunStore;
import io.omicsbatch.batch.S3ObjectRef;
import io.omicsbatch.batch.SubmitService;
import io.omicsbatch.functions.IntakeHandler;
import io.omicsbatch.functions.OperationsHandler;
import io.omicsbatch.operations.OperationService;
import io.omicsbatch.functions.RunDeadLetterHandler;
import io.omicsbatch.functions.SubmitHandler;
import io.omicsbatch.functions.aws.AwsClients;
import io.omicsbatch.functions.aws.DynamoRunStore;
import io.omicsbatch.functions.aws.S3ObjectStore;
import io.omicsbatch.functions.aws.SqsRunQueue;
import io.omicsbatch.local.events.LocalEventBridge;
import io.omicsbatch.local.lambda.SqsEventSourceMapping;
import io.omicsbatch.local.simulator.Account;
import io.omicsbatch.local.simulator.OmicsSimulator;
import io.omicsbatch.local.simulator.SimulatorConfig;
import io.omicsbatch.local.standins.LocalStandIns;
import io.omicsbatch.resources.ResourceDefinitions;
import java.io.IOException;
import java.net.URI;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
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

    private static final Logger LOG = LoggerFactory.getLogger(LocalPipeline.class);
    /** The reconciler's patience with a stalled intake, scaled down from the cloud's two hours. */
    public static final Duration LOCAL_INTAKE_STALLED_AFTER = Duration.ofSeconds(30);
    /** A cancel's next sweep for submissions in flight, scaled down from the cloud's 30 seconds. */
    public static final Duration LOCAL_SWEEP_AGAIN = Duration.ofSeconds(1);

    /**
     * @param startRunTps         the submit function's configured StartRun rate
     * @param submitConcurrency   the run queue mapping's maximumConcurrency
     * @param submitBatchSize     the run queue mapping's batch size
     * @param submit              the submit function's retry settings
     * @param omicsDecorator      wraps StartRun, to inject faults a stand-in cannot produce (a Lambda crash)
     * @param reconcile           the reconciler's settings (scaled down from the cloud's minutes to seconds)
     * @param reconcileEvery      the reconcile schedule; {@code null} for no schedule (tests drive it themselves)
     * @param triggers            false: no event source mapping, rule or schedule; the handlers are only built
     * @param runQueueVisibility  the run queue's visibility timeout, scaled down locally; null keeps the definition's
     * @param partition           the partition of the stack's account (the simulator's account id is its config's)
     * @param environment         function environment variables ({@code FunctionSettings} names) over the local defaults
     */
    public record Options(SimulatorConfig simulator, double startRunTps, int submitConcurrency, int submitBatchSize,
                          SubmitService.Config submit, UnaryOperator<OmicsRuns> omicsDecorator,
                          ReconcileService.Config reconcile, Duration reconcileEvery, boolean triggers,
                          Duration runQueueVisibility, String partition, Map<String, String> environment) {

        public Options {
            environment = Map.copyOf(environment);
        }

        public Options(SimulatorConfig simulator, double startRunTps, int submitConcurrency, int submitBatchSize,
                       SubmitService.Config submit, UnaryOperator<OmicsRuns> omicsDecorator) {
            this(simulator, startRunTps, submitConcurrency, submitBatchSize, submit, omicsDecorator,
                    defaultReconcile(), Duration.ofSeconds(5), true, null, Account.DEFAULT.partition(), Map.of());
        }

        /**
         * One function environment variable, e.g. {@code RUNS_FILE_LOCATIONS} (locally none: only the settings bucket's
         * runs/) or {@code OMICS_ROLE_ARNS} (locally every role of the simulator's account).
         */
        public Options withEnvironment(String name, String value) {
            Map<String, String> more = new HashMap<>(environment);
            more.put(name, value);
            return new Options(simulator, startRunTps, submitConcurrency, submitBatchSize, submit, omicsDecorator,
                    reconcile, reconcileEvery, triggers, runQueueVisibility, partition, more);
        }

        /**
         * The local stand-in for the stack's {@code runsFileLocations}: runs files may be read from every bucket the
         * runner was given files for (besides the settings bucket's runs/, and never its batches/, reports/, results/).
         */
        public Options withRunsFilesFrom(Collection<String> buckets) {
            return withEnvironment(FunctionEnvironment.RUNS_FILE_LOCATIONS,
                    buckets.stream().distinct().map(bucket -> "s3://" + bucket + "/").collect(Collectors.joining(",")));
        }

        /** The handlers alone, wired to the stand-ins, with nothing that invokes them. */
        public Options withoutTriggers() {
            return new Options(simulator, startRunTps, submitConcurrency, submitBatchSize, submit, omicsDecorator,
                    reconcile, reconcileEvery, false, runQueueVisibility, partition, environment);
        }

        public Options withSubmitConcurrency(int concurrency) {
            return new Options(simulator, startRunTps, concurrency, submitBatchSize, submit, omicsDecorator,
                    reconcile, reconcileEvery, triggers, runQueueVisibility, partition, environment);
        }

        public Options withRunQueueVisibility(Duration visibility) {
            return new Options(simulator, startRunTps, submitConcurrency, submitBatchSize, submit, omicsDecorator,
                    reconcile, reconcileEvery, triggers, visibility, partition, environment);
        }

        public static Options defaults(SimulatorConfig simulator) {
            return new Options(simulator, simulator.startRunTps(), 2, 10,
                    new SubmitService.Config(8, Duration.ofMillis(500), Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(1)),
                    UnaryOperator.identity());
        }

        /** Stale after 5 s, GetRun at 5 per second, the run queue's own retention. */
        public static ReconcileService.Config defaultReconcile() {
            return new ReconcileService.Config(Duration.ofSeconds(5), 5, ResourceDefinitions.RUN_QUEUE.retentionPeriod(),
                    LOCAL_INTAKE_STALLED_AFTER, ReconcileService.Config.MAX_INTAKE_RESUMES);
        }

        public Options withReconcile(ReconcileService.Config config, Duration every) {
            return new Options(simulator, startRunTps, submitConcurrency, submitBatchSize, submit, omicsDecorator,
                    config, every, triggers, runQueueVisibility, partition, environment);
        }

        public Options withStartRunTps(double tps) {
            return new Options(simulator, tps, submitConcurrency, submitBatchSize, submit, omicsDecorator, reconcile,
                    reconcileEvery, triggers, runQueueVisibility, partition, environment);
        }

        public Options withOmicsDecorator(UnaryOperator<OmicsRuns> decorator) {
            return new Options(simulator, startRunTps, submitConcurrency, submitBatchSize, submit, decorator, reconcile,
                    reconcileEvery, triggers, runQueueVisibility, partition, environment);
        }

        public Options withSubmit(SubmitService.Config config) {
            return new Options(simulator, startRunTps, submitConcurrency, submitBatchSize, config, omicsDecorator,
                    reconcile, reconcileEvery, triggers, runQueueVisibility, partition, environment);
        }

        /** The stack's account: the simulator's account id in this partition. */
        public Options withAccount(Account account) {
            return new Options(simulator.withAccount(account.id()), startRunTps, submitConcurrency, submitBatchSize,
                    submit, omicsDecorator, reconcile, reconcileEvery, triggers, runQueueVisibility, account.partition(),
                    environment);
        }
    }

    /** The rule that feeds the status function: the stack's rule, same name and pattern. */
    public static final String STATUS_RULE = "omics-batch-run-status";
    /**
     * When a failed intake invocation's message is received again: the intake queue's visibility timeout (90 minutes)
     * scaled down, so that a batch whose intake is killed mid-expansion resumes in seconds.
     */
    public static final Duration INTAKE_REDELIVERY = Duration.ofSeconds(2);

    private final LocalStandIns aws;
    private final LocalEventBridge eventBridge;
    private final LocalEventBridgeApi eventBridgeApi;
    private final OmicsSimulator simulator;
    private final OmicsClient omicsClient;
    private final OmicsClient omicsReader;
    private final EventBridgeClient eventBridgeClient;
    private final Components components;
    private final SqsRunQueue runQueue;
    private final IntakeService intake;
    private final CrashingOmicsRuns crashingOmics;
    private final IntakeCrashes intakeCrashes;
    private final IntakeHandler intakeHandler;
    private final SubmitHandler submitHandler;
    private final RunDeadLetterHandler deadLetterHandler;
    private final StatusHandler statusHandler;
    private final ReconcileHandler reconcileHandler;
    private final OperationsHandler operationsHandler;
    private final ScheduledExecutorService reconcileSchedule =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("reconcile-schedule"));
    private final List<AutoCloseable> mappings = new ArrayList<>();
    private EndpointDiscovery endpointDiscovery;

    private LocalPipeline(Options options) throws IOException {
        Clock clock = Clock.systemUTC();
        this.aws = LocalStandIns.start();
        this.eventBridge = new LocalEventBridge();
        this.simulator = OmicsSimulator.builder().config(options.simulator()).partition(options.partition())
                .publisher(eventBridge).start();
        Account account = simulator.account();
        this.eventBridgeApi = LocalEventBridgeApi.start(eventBridge, account.id(), LocalStandIns.REGION.id());
        this.omicsClient = aws.configure(OmicsClient.builder(), simulator.endpoint())
                .overrideConfiguration(AwsClients.omicsOverrides().toBuilder()
                        .putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true).build())
                .build();
        this.omicsReader = aws.configure(OmicsClient.builder(), simulator.endpoint())
                .overrideConfiguration(AwsClients.omicsReaderOverrides().toBuilder()
                        .putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true).build())
                .build();
        this.eventBridgeClient = aws.configure(EventBridgeClient.builder(), eventBridgeApi.endpoint()).build();
        var sqs = aws.sqsClient();
        String runQueueUrl = aws.queueUrl(ResourceDefinitions.RUN_QUEUE.name());
        String intakeQueueUrl = aws.queueUrl(ResourceDefinitions.INTAKE_QUEUE.name());
        String operationsQueueUrl = aws.queueUrl(ResourceDefinitions.OPERATIONS_QUEUE.name());
        Map<String, String> environment = new HashMap<>();
        environment.put(FunctionEnvironment.RUN_QUEUE_URL, runQueueUrl);
        environment.put(FunctionEnvironment.INTAKE_QUEUE_URL, intakeQueueUrl);
        environment.put(FunctionEnvironment.OPERATIONS_QUEUE_URL, operationsQueueUrl);
        environment.put(FunctionEnvironment.START_RUN_TPS, Double.toString(options.startRunTps()));
        // The stack's account is the simulator's, and any role of it may be passed, as the simulator's StartRun lets
        // it be: a deployment's omicsRoleArns are its own business (tests set OMICS_ROLE_ARNS to rehearse them).
        environment.put(FunctionEnvironment.STACK_PARTITION, account.partition());
        environment.put(FunctionEnvironment.STACK_ACCOUNT_ID, account.id());
        environment.put(FunctionEnvironment.OMICS_ROLE_ARNS, "arn:" + account.partition() + ":iam::" + account.id() + ":role/*");
        environment.putAll(options.environment());
        this.components = new Components(FunctionSettings.from(environment), new Components.Clients(
                aws.dynamoDbClient(), sqs, aws.s3Client(), omicsClient, omicsReader, eventBridgeClient), clock);
        this.runQueue = new SqsRunQueue(sqs, runQueueUrl, 4);
        SimulatorConfig.LambdaFaults faults = options.simulator().lambdaFaults();
        this.intakeCrashes = faults.intakeCrashRate() > 0 ? new IntakeCrashes(faults.intakeCrashRate(), simulator.seed()) : null;
        aws.s3().deliverEachNotification(faults.duplicateNotifications());
        this.intake = intake(IntakeService.Config.defaults(options.startRunTps()));
        OmicsRuns omics = options.omicsDecorator().apply(components.omicsRuns());
        double crashRate = faults.crashAfterStartRunRate();
        this.crashingOmics = crashRate > 0 ? new CrashingOmicsRuns(omics, crashRate, simulator.seed()) : null;
        SubmitService submit = components.submit(crashingOmics != null ? crashingOmics : omics, options.submit());

        if (options.runQueueVisibility() != null) {
            // The local time scale: a crashed invocation's messages come back in seconds, not the cloud's 6 minutes.
            sqs.setQueueAttributes(b -> b.queueUrl(runQueueUrl).attributes(Map.of(
                    software.amazon.awssdk.services.sqs.model.QueueAttributeName.VISIBILITY_TIMEOUT,
                    Long.toString(options.runQueueVisibility().toSeconds()))));
        }
        this.intakeHandler = new IntakeHandler(intake, components.intakeQueue());
        this.submitHandler = new SubmitHandler(submit, runQueue, sqs, runQueueUrl);
        this.deadLetterHandler = new RunDeadLetterHandler(components.runs(), components.completion());
        this.statusHandler = new StatusHandler(components.status());
        this.reconcileHandler = new ReconcileHandler(components.reconcile(options.reconcile()));
        this.operationsHandler = new OperationsHandler(components.operations(components.runControl(),
                new OperationService.Config(LOCAL_SWEEP_AGAIN)), components.operationQueue());
        if (!options.triggers()) {
            return; // handlers only, invoked by the caller (the invoke command)
        }
        mappings.add(new SqsEventSourceMapping(new SqsEventSourceMapping.Config("intake", ResourceDefinitions.INTAKE_QUEUE.name(),
                intakeQueueUrl, 1, 2, Duration.ofMinutes(15), INTAKE_REDELIVERY), sqs, intakeHandler));
        mappings.add(new SqsEventSourceMapping(new SqsEventSourceMapping.Config("submit", ResourceDefinitions.RUN_QUEUE.name(),
                runQueueUrl, options.submitBatchSize(), options.submitConcurrency(), Duration.ofMinutes(1)), sqs,
                submitHandler));
        mappings.add(new SqsEventSourceMapping(new SqsEventSourceMapping.Config("run-dead-letter",
                ResourceDefinitions.RUN_QUEUE.deadLetterQueueName(), aws.queueUrl(ResourceDefinitions.RUN_QUEUE.deadLetterQueueName()),
                10, 1, Duration.ofMinutes(1)), sqs, deadLetterHandler));
        mappings.add(new SqsEventSourceMapping(new SqsEventSourceMapping.Config("operations",
                ResourceDefinitions.OPERATIONS_QUEUE.name(), operationsQueueUrl, 1, 2, Duration.ofMinutes(15),
                INTAKE_REDELIVERY), sqs, operationsHandler));
        eventBridge.putRule(STATUS_RULE, ResourceDefinitions.RUN_STATUS_CHANGE_PATTERN, this::invokeStatus);
        if (options.reconcileEvery() != null) {
            long every = options.reconcileEvery().toMillis();
            reconcileSchedule.scheduleWithFixedDelay(this::reconcileQuietly, every, every, TimeUnit.MILLISECONDS);
        }
    }

    public IntakeHandler intakeHandler() {
        return intakeHandler;
    }

    public SubmitHandler submitHandler() {
        return submitHandler;
    }

    public RunDeadLetterHandler deadLetterHandler() {
        return deadLetterHandler;
    }

    public OperationsHandler operationsHandler() {
        return operationsHandler;
    }

    /** Drops a request document at {@code <prefix><name>} in the settings bucket (e.g. cancel/), as a user would. */
    public S3ObjectRef dropRequest(String prefix, String name, byte[] content) {
        return put(aws.settingsBucket(), prefix + name, content);
    }

    public StatusHandler statusHandler() {
        return statusHandler;
    }

    public ReconcileHandler reconcileHandler() {
        return reconcileHandler;
    }

    /** As Lambda delivers an EventBridge event: the JSON deserialized by the runtime's own serialization. */
    private void invokeStatus(String eventJson) {
        statusHandler.handleRequest(LambdaEvents.fromJson(eventJson, ScheduledEvent.class),
                new LocalContext("omics-batch-status", Duration.ofSeconds(30)));
    }

    /** One scheduled reconcile invocation. */
    public ReconcileService.Report reconcileNow() {
        return reconcileHandler.handleRequest(new ScheduledEvent(), new LocalContext("omics-batch-reconcile",
                Duration.ofMinutes(5)));
    }

    private void reconcileQuietly() {
        try {
            reconcileNow();
        } catch (RuntimeException e) {
            LOG.warn("reconcile invocation failed (the next one retries): {}", e.toString());
        }
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

    public BatchStore batches() {
        return components.batches();
    }

    public DynamoRunStore runs() {
        return components.runs();
    }

    public Components components() {
        return components;
    }

    public IntakeService intake() {
        return intake;
    }

    /**
     * Another intake over the same stores and queue, with its own settings (e.g. a smaller checkpoint interval); with
     * {@code lambdaFaults.intakeCrashRate}, its ports crash as {@link IntakeCrashes} says.
     */
    public IntakeService intake(IntakeService.Config config) {
        BatchStore batches = components.batches();
        RunStore runs = components.runs();
        RunQueue queue = runQueue;
        if (intakeCrashes != null) {
            batches = intakeCrashes.batches(batches);
            runs = intakeCrashes.runs(runs);
            queue = intakeCrashes.queue(queue);
        }
        return new IntakeService(batches, runs, components.objects(), queue, components.workflows(),
                new BatchPreflight(components.settings().deployment()), config, Clock.systemUTC());
    }

    /** Intake invocations killed mid-expansion so far ({@code lambdaFaults.intakeCrashRate}). */
    public long intakeCrashes() {
        return intakeCrashes == null ? 0 : intakeCrashes.crashes();
    }

    /** S3 notifications delivered beyond the first copy so far ({@code lambdaFaults.duplicateNotifications}). */
    public long duplicateNotifications() {
        return aws.s3().duplicateNotificationsDelivered();
    }

    /** Submit crashes injected after StartRun so far ({@code lambdaFaults.crashAfterStartRunRate}). */
    public long submitCrashes() {
        return crashingOmics == null ? 0 : crashingOmics.crashes();
    }

    public S3ObjectStore objects() {
        return components.objects();
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
        Optional<BatchRecord> batch = batches().get(batchId);
        while (System.nanoTime() < deadline && (batch.isEmpty() || !condition.test(batch.get()))) {
            Thread.sleep(50);
            batch = batches().get(batchId);
        }
        return batch;
    }

    /**
     * The endpoint-url through which the operator commands ({@code --endpoint-url}) reach every local service: the
     * discovery document's url, served from the first call until {@link #close()}.
     */
    public synchronized URI endpointUrl() {
        if (endpointDiscovery == null) {
            endpointDiscovery = EndpointDiscovery.start(this, eventBridgeApi.endpoint());
        }
        return endpointDiscovery.url();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (endpointDiscovery != null) {
                endpointDiscovery.close();
            }
        }
        reconcileSchedule.shutdownNow();
        for (AutoCloseable mapping : mappings) {
            try {
                mapping.close();
            } catch (Exception e) {
                // closing is best effort; the stand-ins go next
            }
        }
        runQueue.close();
        omicsClient.close();
        omicsReader.close();
        simulator.close();
        eventBridge.close();
        eventBridgeClient.close();
        eventBridgeApi.close();
        aws.close();
    }
}
