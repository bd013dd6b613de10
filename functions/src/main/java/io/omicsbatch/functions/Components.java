package io.omicsbatch.functions;

import io.omicsbatch.batch.AnnouncingBatchStore;
import io.omicsbatch.batch.BatchCompletion;
import io.omicsbatch.intake.BatchPreflight;
import io.omicsbatch.batch.BatchEvents;
import io.omicsbatch.intake.IntakeQueue;
import io.omicsbatch.intake.IntakeService;
import io.omicsbatch.batch.OmicsRuns;
import io.omicsbatch.batch.PipelineMetrics;
import io.omicsbatch.batch.ReconcileService;
import io.omicsbatch.batch.RunReader;
import io.omicsbatch.batch.StatusService;
import io.omicsbatch.batch.SubmitService;
import io.omicsbatch.batch.WorkflowCatalog;
import io.omicsbatch.functions.aws.AwsClients;
import io.omicsbatch.functions.aws.DynamoBatchStore;
import io.omicsbatch.functions.aws.DynamoRunStore;
import io.omicsbatch.functions.aws.DynamoStartRunPacer;
import io.omicsbatch.functions.aws.EmfPipelineMetrics;
import io.omicsbatch.functions.aws.EventBridgeBatchEvents;
import io.omicsbatch.functions.aws.S3ObjectStore;
import io.omicsbatch.functions.aws.SdkOmicsRuns;
import io.omicsbatch.functions.aws.SdkRunReader;
import io.omicsbatch.functions.aws.SdkWorkflowCatalog;
import io.omicsbatch.functions.aws.SdkRunControl;
import io.omicsbatch.functions.aws.SqsIntakeQueue;
import io.omicsbatch.functions.aws.SqsOperationQueue;
import io.omicsbatch.operations.OperationQueue;
import io.omicsbatch.operations.OperationService;
import io.omicsbatch.operations.ResubmitService;
import io.omicsbatch.operations.RunControl;
import io.omicsbatch.functions.aws.SqsRunQueue;
import io.omicsbatch.resources.ResourceDefinitions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.omics.OmicsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The domain services wired to their AWS adapters, the same way for every function and for the local runner
 * (which passes clients pointed at its stand-ins). Built once per function instance.
 *
 * <p>Each service and adapter is wired when it is first asked for, and asks for the clients it needs then. A function
 * ({@link #fromEnvironment()}) builds a client only when the first adapter that needs it is wired, that is in its
 * handler's constructor: each handler builds the clients its services use and no other (the dead-letter handler, for
 * one, never builds SQS or HealthOmics clients). Two adapters that act only when a batch changes state build their
 * client when first used instead: the batch events (EventBridge) and the completion's reports (S3; the intake and the
 * operations, which read S3 on every message, build it with the handler). SnapStart priming builds and primes every
 * client the handler's services use, those too.
 */
public final class Components {

    private final FunctionSettings settings;
    private final Clock clock;
    private final ClientSource clients;
    private final PipelineMetrics metrics;
    private final Lazy<BatchEvents> events;
    private final Lazy<OmicsRuns> omicsRuns;
    private final Lazy<RunReader> runReader;
    private final Lazy<WorkflowCatalog> workflows;
    private final Lazy<AnnouncingBatchStore> batches;
    private final Lazy<DynamoRunStore> runs;
    private final Lazy<S3ObjectStore> objects;
    private final Lazy<S3ObjectStore> reports;
    private final Lazy<BatchCompletion> completion;
    private final Lazy<IntakeQueue> intakeQueue;
    private DynamoStartRunPacer startRunPacer;

    /** The operations' account-wide pace of CancelRun and of DeleteRun: each API allows 10 per second. */
    public static final double RUN_CONTROL_TPS = 10;

    /** Where the wiring gets its clients: given all at once ({@link Clients}), or built on first use ({@link OnDemandClients}). */
    interface ClientSource {
        DynamoDbClient dynamo();

        SqsClient sqs();

        S3Client s3();

        OmicsClient omicsStarter();

        OmicsClient omicsReader();

        EventBridgeClient eventBridge();

        /** S3 for an adapter that seldom needs it: the client, once first asked for; null if there is none. */
        default Supplier<S3Client> s3WhenUsed() {
            return s3() == null ? null : this::s3;
        }

        /** EventBridge for an adapter that seldom needs it: the client, once first asked for. */
        default Supplier<EventBridgeClient> eventBridgeWhenUsed() {
            return this::eventBridge;
        }
    }

    /** The clients this wiring needs; any may be null if the function does not use it. */
    public record Clients(DynamoDbClient dynamo, SqsClient sqs, S3Client s3, OmicsClient omicsStarter,
                          OmicsClient omicsReader, EventBridgeClient eventBridge) implements ClientSource {

        /** All six production clients at once (the function's region, default credentials, one HTTP client). */
        public static Clients of(AwsClients aws) {
            return new Clients(aws.dynamoDb(), aws.sqs(), aws.s3(), aws.omics(), aws.omicsReader(), aws.eventBridge());
        }
    }

    public Components(FunctionSettings settings, Clients clients, Clock clock) {
        this(settings, clients, clock, batchEvents(settings, clients));
    }

    private static BatchEvents batchEvents(FunctionSettings settings, ClientSource clients) {
        return new EventBridgeBatchEvents(clients.eventBridgeWhenUsed(), settings.batchEventBus(),
                settings.batchEventSource());
    }

    public Components(FunctionSettings settings, Clients clients, Clock clock, BatchEvents events) {
        this(settings, clients, clock, events, PipelineMetrics.NONE);
    }

    /** @param metrics what the services count, published by the handlers once per invocation */
    public Components(FunctionSettings settings, Clients clients, Clock clock, BatchEvents events, PipelineMetrics metrics) {
        this(settings, (ClientSource) clients, clock, () -> events, metrics);
    }

    private Components(FunctionSettings settings, ClientSource clients, Clock clock, Supplier<BatchEvents> events,
                       PipelineMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
        this.clock = clock;
        this.clients = clients;
        this.events = new Lazy<>(events);
        this.omicsRuns = new Lazy<>(() -> clients.omicsStarter() == null ? null : new SdkOmicsRuns(clients.omicsStarter()));
        this.runReader = new Lazy<>(() -> clients.omicsReader() == null ? null : new SdkRunReader(clients.omicsReader()));
        this.workflows = new Lazy<>(() -> clients.omicsReader() == null ? null : new SdkWorkflowCatalog(clients.omicsReader()));
        this.batches = new Lazy<>(() -> new AnnouncingBatchStore(
                new DynamoBatchStore(clients.dynamo(), settings.batchesTable(), clock), this.events.get(),
                settings.partition(), metrics));
        this.runs = new Lazy<>(() -> new DynamoRunStore(clients.dynamo(), settings.runsTable(), settings.batchesTable(), clock));
        this.objects = new Lazy<>(() -> clients.s3() == null ? null : new S3ObjectStore(clients.s3()));
        this.reports = new Lazy<>(() -> {
            Supplier<S3Client> s3 = clients.s3WhenUsed();
            return s3 == null ? null : new S3ObjectStore(s3);
        });
        this.completion = new Lazy<>(() -> new BatchCompletion(batches(), runs(), reports.get(), settings.startRunTps()));
        this.intakeQueue = new Lazy<>(() -> new SqsIntakeQueue(clients.sqs(), settings.intakeQueueUrl()));
    }

    /** Lambda: the functions publish their metrics (EMF to the function's log group), primed for SnapStart
     * ({@link SnapStartPriming}) before the snapshot. */
    public static Components fromEnvironment() {
        return forFunction(FunctionSettings.fromEnvironment(), new OnDemandClients(AwsClients.fromEnvironment()),
                Core.getGlobalContext());
    }

    /**
     * A function's wiring: each client built when the first adapter that needs it is wired (or used, for the batch
     * events and reports), and the SnapStart priming registered with {@code crac} for every client the handler's
     * services use, built by then if they were not yet.
     */
    static Components forFunction(FunctionSettings settings, OnDemandClients clients, Context<Resource> crac) {
        SnapStartPriming.register(clients::used, settings, crac);
        return new Components(settings, clients, Clock.systemUTC(), () -> batchEvents(settings, clients),
                new EmfPipelineMetrics());
    }

    public PipelineMetrics metrics() {
        return metrics;
    }

    /** The StartRun pace now, calls per second (one DynamoDB read), of the pacer {@link #submit()} built. */
    public DoubleSupplier startRunPace() {
        return () -> startRunPacer.currentRate();
    }

    public FunctionSettings settings() {
        return settings;
    }

    /** Where intake continuations go (the intake's own, and the reconciler's restarts of stalled batches). */
    public IntakeQueue intakeQueue() {
        return intakeQueue.get();
    }

    public SqsClient sqs() {
        return clients.sqs();
    }

    public AnnouncingBatchStore batches() {
        return batches.get();
    }

    public DynamoRunStore runs() {
        return runs.get();
    }

    public S3ObjectStore objects() {
        return objects.get();
    }

    public BatchCompletion completion() {
        return completion.get();
    }

    public IntakeService intake() {
        return intake(IntakeService.Config.defaults(settings.startRunTps()));
    }

    /** The intake service with its own settings (e.g. a smaller checkpoint interval). */
    public IntakeService intake(IntakeService.Config config) {
        return new IntakeService(batches(), runs(), objects(), new SqsRunQueue(clients.sqs(), settings.runQueueUrl(), 4),
                workflows(), new BatchPreflight(settings.deployment()), config, clock);
    }

    public WorkflowCatalog workflows() {
        return workflows.get();
    }

    /** The submit service over the given StartRun (the SDK's, or a fault-injecting wrapper of it). */
    public SubmitService submit(OmicsRuns omics, SubmitService.Config config) {
        startRunPacer = new DynamoStartRunPacer(clients.dynamo(), settings.pacingTable(), "StartRun", settings.startRunTps(), clock);
        return new SubmitService(batches(), runs(), omics, startRunPacer,
                config, clock, SubmitService.Sleeper.THREAD, new SecureRandom()::nextLong,
                completion(), metrics);
    }

    public SubmitService submit() {
        return submit(omicsRuns(), new SubmitService.Config(settings.maxAttempts(), Duration.ofSeconds(2),
                Duration.ofMinutes(15), Duration.ofMinutes(1), Duration.ofSeconds(5), settings.maxQuotaWait()));
    }

    /** Where the operations' continuations go. */
    public OperationQueue operationQueue() {
        return new SqsOperationQueue(clients.sqs(), settings.operationsQueueUrl());
    }

    /** The batch operations over the given CancelRun/DeleteRun (the SDK's on the starter client, or a test's). */
    public OperationService operations(RunControl control, OperationService.Config config) {
        return new OperationService(batches(), runs(), objects(), control, runReader.get(),
                new DynamoStartRunPacer(clients.dynamo(), settings.pacingTable(), "CancelRun", RUN_CONTROL_TPS, clock),
                new DynamoStartRunPacer(clients.dynamo(), settings.pacingTable(), "DeleteRun", RUN_CONTROL_TPS, clock),
                completion(), new ResubmitService(batches(), runs(), objects(), intakeQueue(), clock), config, clock,
                SubmitService.Sleeper.THREAD);
    }

    public OperationService operations() {
        return operations(runControl(), OperationService.Config.defaults());
    }

    /** CancelRun and DeleteRun on the client without SDK retries (the operations pace and retry them). */
    public RunControl runControl() {
        OmicsClient starter = clients.omicsStarter();
        return starter == null ? null : new SdkRunControl(starter);
    }

    public OmicsRuns omicsRuns() {
        return omicsRuns.get();
    }

    public StatusService status() {
        return new StatusService(runs(), runReader.get(), completion());
    }

    public ReconcileService reconcile(ReconcileService.Config config) {
        return new ReconcileService(batches(), runs(), runReader.get(), status(), completion(), batches().announcer(),
                intakeQueue(), config, clock, SubmitService.Sleeper.THREAD);
    }

    public ReconcileService reconcile() {
        return reconcile(new ReconcileService.Config(Duration.ofMinutes(settings.staleRunMinutes()),
                settings.getRunTps(), ResourceDefinitions.RUN_QUEUE.retentionPeriod(),
                ReconcileService.Config.INTAKE_STALLED_AFTER, ReconcileService.Config.MAX_INTAKE_RESUMES));
    }

    /** A value made once, when first asked for (null allowed). */
    private static final class Lazy<T> {
        private Supplier<T> make;
        private T value;

        Lazy(Supplier<T> make) {
            this.make = make;
        }

        synchronized T get() {
            if (make != null) {
                value = make.get();
                make = null;
            }
            return value;
        }
    }
}
