package io.omicsbatch.infra;

import io.omicsbatch.resources.FunctionEnvironment;
import static io.omicsbatch.resources.FunctionEnvironment.BATCHES_TABLE;
import static io.omicsbatch.resources.FunctionEnvironment.BATCH_EVENT_BUS;
import static io.omicsbatch.resources.FunctionEnvironment.BATCH_EVENT_SOURCE;
import static io.omicsbatch.resources.FunctionEnvironment.GET_RUN_TPS;
import static io.omicsbatch.resources.FunctionEnvironment.INTAKE_QUEUE_URL;
import static io.omicsbatch.resources.FunctionEnvironment.MAX_ATTEMPTS;
import static io.omicsbatch.resources.FunctionEnvironment.MAX_QUOTA_WAIT_HOURS;
import static io.omicsbatch.resources.FunctionEnvironment.OMICS_ROLE_ARNS;
import static io.omicsbatch.resources.FunctionEnvironment.OPERATIONS_QUEUE_URL;
import static io.omicsbatch.resources.FunctionEnvironment.PACING_TABLE;
import static io.omicsbatch.resources.FunctionEnvironment.RUNS_TABLE;
import static io.omicsbatch.resources.FunctionEnvironment.RUNS_FILE_LOCATIONS;
import static io.omicsbatch.resources.FunctionEnvironment.RUN_QUEUE_URL;
import static io.omicsbatch.resources.FunctionEnvironment.STACK_ACCOUNT_ID;
import static io.omicsbatch.resources.FunctionEnvironment.STACK_PARTITION;
import static io.omicsbatch.resources.FunctionEnvironment.STALE_RUN_MINUTES;
import static io.omicsbatch.resources.FunctionEnvironment.START_RUN_TPS;

import io.omicsbatch.resources.ResourceDefinitions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSourceProps;
import software.amazon.awscdk.services.sqs.IQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.constructs.Construct;

/**
 * omics-batch in one stack, composed of small constructs: the data key, the settings bucket, the intake and
 * run queues with their DLQs, the tables of {@link ResourceDefinitions}, the five functions behind their
 * {@code live} aliases, the event source mappings, the run-status rule, the reconcile schedule, alarms and
 * the dashboard. Environment-agnostic: ARNs use the deployment's account, region and partition tokens.
 */
public final class OmicsBatchStack extends Stack {

    /** The source of the batch events the functions publish. */
    public static final String BATCH_EVENT_SOURCE_NAME = "omics-batch";
    /** The dead-letter queue of HealthOmics status events (the rule's and the status function's). */
    public static final String STATUS_DLQ_NAME = "omics-batch-status-dlq";

    public static final String INTAKE = "intake";
    public static final String SUBMIT = "submit";
    public static final String RUN_DLQ = "run-dlq";
    public static final String STATUS = "status";
    public static final String RECONCILE = "reconcile";
    public static final String OPERATIONS = "operations";

    static final Duration INTAKE_TIMEOUT = Duration.ofMinutes(15);
    static final Duration SUBMIT_TIMEOUT = Duration.ofSeconds(60);
    static final Duration RUN_DLQ_TIMEOUT = Duration.ofSeconds(30);
    static final Duration STATUS_TIMEOUT = Duration.ofSeconds(30);
    static final Duration RECONCILE_TIMEOUT = Duration.ofMinutes(5);
    static final Duration OPERATIONS_TIMEOUT = Duration.ofMinutes(15);
    static final int OPERATIONS_MAX_CONCURRENCY = 2;
    /** SQS event sources: at least 2 (Lambda's minimum for maximumConcurrency). */
    static final int INTAKE_MAX_CONCURRENCY = 2;
    static final int RUN_DLQ_MAX_CONCURRENCY = 2;

    private final StackConfig config;
    private final DataKey key;
    private final DataKey messageKey;
    private final SettingsBucket settings;
    private final QueueWithDeadLetter intakeQueues;
    private final QueueWithDeadLetter runQueues;
    private final QueueWithDeadLetter operationQueues;
    private final Map<String, ManagedPolicy> requestWriters = new LinkedHashMap<>();
    private final Queue statusDeadLetterQueue;
    private final Map<String, Table> tables = new LinkedHashMap<>();
    private final Map<String, OmicsBatchFunction> functions = new LinkedHashMap<>();
    private final RunStatusRule runStatusRule;
    private final ReconcileSchedule reconcileSchedule;
    private final Monitoring monitoring;
    private final BatchNotifications notifications;

    public OmicsBatchStack(Construct scope, String id, StackProps props, StackConfig config, Path functionsJar) {
        super(scope, id, props);
        this.config = config;
        key = new DataKey(this, "DataKey", DataKey.Purpose.DATA);
        messageKey = new DataKey(this, "MessageKey", DataKey.Purpose.MESSAGES);

        intakeQueues = new QueueWithDeadLetter(this, "IntakeQueue", ResourceDefinitions.INTAKE_QUEUE, messageKey.key(),
                Duration.ofSeconds(30));
        runQueues = new QueueWithDeadLetter(this, "RunQueue", ResourceDefinitions.runQueue(config.maxAttempts()), messageKey.key(),
                RUN_DLQ_TIMEOUT.multipliedBy(6));
        operationQueues = new QueueWithDeadLetter(this, "OperationQueue", ResourceDefinitions.OPERATIONS_QUEUE,
                messageKey.key(), Duration.ofSeconds(30));
        statusDeadLetterQueue = QueueWithDeadLetter.encrypted(Queue.Builder.create(this, "StatusDeadLetterQueue"), messageKey.key())
                .queueName(STATUS_DLQ_NAME)
                .retentionPeriod(software.amazon.awscdk.Duration.days(14))
                .build();
        for (var definition : ResourceDefinitions.TABLES) {
            tables.put(definition.name(), new DefinedTable(this, tableId(definition.name()), definition, key.key()).table());
        }
        settings = new SettingsBucket(this, "Settings", key.key(), intakeQueues.queue(), operationQueues.queue());

        Code code = Code.fromAsset(functionsJar.toString());
        Table batches = tables.get(ResourceDefinitions.BATCHES_TABLE.name());
        Table runs = tables.get(ResourceDefinitions.RUNS_TABLE.name());
        Table pacing = tables.get(ResourceDefinitions.PACING_TABLE.name());

        Map<String, String> common = new LinkedHashMap<>();
        common.put(BATCHES_TABLE, batches.getTableName());
        common.put(RUNS_TABLE, runs.getTableName());
        common.put(BATCH_EVENT_BUS, config.batchEventBus());
        common.put(BATCH_EVENT_SOURCE, BATCH_EVENT_SOURCE_NAME);
        // Whoever settles a batch's last run writes its report page, whose quota line is this rate.
        common.put(START_RUN_TPS, plain(config.startRunTps()));
        common.put(STACK_PARTITION, getPartition()); // every function may announce a batch, whose ARN names it

        // The intake's pre-flight judges roles and runs files by what the stack grants: the same tokens and lists
        // as the PassRole statement and the runs-file read grants below, resolved by CloudFormation at deploy time.
        Map<String, String> intakeEnv = with(common,
                RUN_QUEUE_URL, runQueues.queue().getQueueUrl(),
                INTAKE_QUEUE_URL, intakeQueues.queue().getQueueUrl(),
                STACK_ACCOUNT_ID, getAccount(),
                OMICS_ROLE_ARNS, software.amazon.awscdk.Fn.join(",", omicsRoleArns()));
        if (!config.runsFileLocations().isEmpty()) {
            intakeEnv.put(RUNS_FILE_LOCATIONS, String.join(",",
                    config.runsFileLocations().stream().map(StackConfig.S3Prefix::uri).toList()));
        }
        OmicsBatchFunction intake = function(code, INTAKE, "IntakeHandler",
                "Validates dropped batch settings, records the batch, queues one message per run",
                INTAKE_TIMEOUT, 1024, intakeEnv, null, null);
        Map<String, String> submitEnv = with(common,
                PACING_TABLE, pacing.getTableName(),
                RUN_QUEUE_URL, runQueues.queue().getQueueUrl(),
                MAX_ATTEMPTS, Integer.toString(config.maxAttempts()),
                MAX_QUOTA_WAIT_HOURS, plain(config.maxQuotaWaitHours()));
        OmicsBatchFunction submit = function(code, SUBMIT, "SubmitHandler",
                "Paced, idempotent StartRun for each run message", SUBMIT_TIMEOUT, 1024, submitEnv, null, null);
        OmicsBatchFunction runDlq = function(code, RUN_DLQ, "RunDeadLetterHandler",
                "Records dead-lettered run messages as failed submissions", RUN_DLQ_TIMEOUT, 512, with(common), null, null);
        OmicsBatchFunction status = function(code, STATUS, "StatusHandler",
                "Applies HealthOmics run status changes to the run and batch records", STATUS_TIMEOUT, 512,
                with(common), null, statusDeadLetterQueue);
        OmicsBatchFunction reconcile = function(code, RECONCILE, "ReconcileHandler",
                "Asks GetRun about runs without a recent event; restarts stalled intakes; finishes batches", RECONCILE_TIMEOUT, 1024,
                with(common,
                        INTAKE_QUEUE_URL, intakeQueues.queue().getQueueUrl(),
                        STALE_RUN_MINUTES, Integer.toString(config.staleRunMinutes()),
                        GET_RUN_TPS, plain(config.getRunTps())), 1, null);

        OmicsBatchFunction operations = function(code, OPERATIONS, "OperationsHandler",
                "Cancels batches, deletes their runs or records, resubmits chosen runs, from request documents",
                OPERATIONS_TIMEOUT, 1024, with(common,
                        PACING_TABLE, pacing.getTableName(),
                        OPERATIONS_QUEUE_URL, operationQueues.queue().getQueueUrl(),
                        INTAKE_QUEUE_URL, intakeQueues.queue().getQueueUrl()), null, null);

        // Triggers, all on the live aliases.
        operations.alias().addEventSource(new SqsEventSource(operationQueues.queue(), SqsEventSourceProps.builder()
                .batchSize(1).maxConcurrency(OPERATIONS_MAX_CONCURRENCY).reportBatchItemFailures(true).build()));
        intake.alias().addEventSource(new SqsEventSource(intakeQueues.queue(), SqsEventSourceProps.builder()
                .batchSize(1).maxConcurrency(INTAKE_MAX_CONCURRENCY).reportBatchItemFailures(true).build()));
        submit.alias().addEventSource(new SqsEventSource(runQueues.queue(), SqsEventSourceProps.builder()
                .batchSize(10).maxConcurrency(config.submitMaxConcurrency()).reportBatchItemFailures(true).build()));
        runDlq.alias().addEventSource(new SqsEventSource(runQueues.deadLetterQueue(), SqsEventSourceProps.builder()
                .batchSize(10).maxConcurrency(RUN_DLQ_MAX_CONCURRENCY).reportBatchItemFailures(true).build()));
        runStatusRule = new RunStatusRule(this, "RunStatusRule", status.alias(), statusDeadLetterQueue);
        reconcileSchedule = new ReconcileSchedule(this, "ReconcileSchedule", reconcile.alias(), config.reconcileMinutes());
        notifications = BatchNotifications.wanted(config) ? new BatchNotifications(this, "BatchNotifications",
                messageKey.key(), config.batchEventBus(), BATCH_EVENT_SOURCE_NAME, config) : null;

        grantPermissions(batches, runs, pacing);

        monitoring = new Monitoring(this, "Monitoring", messageKey.key(), new Monitoring.Watched(functions, intakeQueues,
                runQueues, operationQueues, statusDeadLetterQueue, new RunStatusMetrics(this, "RunStatusMetrics"), config));

        output(ResourceDefinitions.OUTPUT_SETTINGS_BUCKET, settings.bucket().getBucketName(),
                "Drop batch settings at s3://<this>/batches/<name>.json");
        output(ResourceDefinitions.OUTPUT_BATCHES_TABLE, batches.getTableName(), "The batches table (the operator CLI reads it)");
        output(ResourceDefinitions.OUTPUT_RUNS_TABLE, runs.getTableName(), "The runs table (the operator CLI reads it)");
        output("AlarmTopicArn", monitoring.topic().getTopicArn(), "SNS topic of the omics-batch alarms");
        if (notifications != null && notifications.topic() != null) {
            output("NotificationTopicArn", notifications.topic().getTopicArn(),
                    "SNS topic of the batch-end e-mails (context notifyEmail); subscribe more addresses here");
        }
        output("DashboardName", Monitoring.DASHBOARD_NAME, "CloudWatch dashboard");
        output("IntakeRoleArn", intake.role().getRoleArn(), "Grant it read access (and kms:Decrypt) to runs files kept elsewhere");
        output("SubmitRoleArn", submit.role().getRoleArn(), "The role that calls StartRun and passes the HealthOmics service role");
        output("PassableServiceRoles", software.amazon.awscdk.Fn.join(",", omicsRoleArns()),
                config.omicsRoleArns().isEmpty()
                        ? "HealthOmics service roles runs may use: context omicsRoleArns is not set, so roles named "
                                + StackConfig.DEFAULT_ROLE_NAME_PATTERN
                        : "HealthOmics service roles runs may use (context omicsRoleArns)");
        requestWriters.forEach((prefix, policy) -> output(functionId(prefix.replace("/", "")).replace("Function", "")
                + "WriterPolicyArn", policy.getManagedPolicyArn(), "Attach to who may write s3://<bucket>/" + prefix));
        output("DataKeyArn", key.key().getKeyArn(), "KMS key of the settings bucket, tables and logs");
        output("MessageKeyArn", messageKey.key().getKeyArn(), "KMS key of the queues and the alarm topic");
        NagRules.suppress(this);
    }

    private void grantPermissions(Table batches, Table runs, Table pacing) {
        OmicsBatchFunction intake = functions.get(INTAKE);
        OmicsBatchFunction submit = functions.get(SUBMIT);
        OmicsBatchFunction status = functions.get(STATUS);
        OmicsBatchFunction reconcile = functions.get(RECONCILE);
        OmicsBatchFunction runDeadLetter = functions.get(RUN_DLQ);

        for (OmicsBatchFunction fn : functions.values()) {
            batches.grantReadWriteData(fn.grantee());
            runs.grantReadWriteData(fn.grantee());
            fn.role().addToPrincipalPolicy(putBatchEvents());
        }
        pacing.grantReadWriteData(submit.grantee());

        // Queues: the event source mappings grant consumption; these are the sends.
        runQueues.queue().grantSendMessages(intake.grantee());
        intakeQueues.queue().grantSendMessages(intake.grantee()); // continuation messages
        intakeQueues.queue().grantSendMessages(reconcile.grantee()); // restarts of stalled intakes
        runQueues.queue().grantSendMessages(submit.grantee());    // requeued waits
        statusDeadLetterQueue.grantSendMessages(status.grantee()); // failed asynchronous invocations (and its key)

        // S3, by prefix.
        List<String> readable = new ArrayList<>(List.of(
                settings.objectsArn(ResourceDefinitions.BATCHES_PREFIX),
                settings.objectsArn(ResourceDefinitions.RESUBMITS_PREFIX),
                settings.objectsArn(ResourceDefinitions.RUNS_PREFIX)));
        List<String> listable = new ArrayList<>(List.of(settings.bucket().getBucketArn()));
        for (StackConfig.S3Prefix location : config.runsFileLocations()) {
            String bucketArn = formatArn(ArnComponents.builder().service("s3").region("").account("")
                    .resource(location.bucket()).build());
            readable.add(bucketArn + "/" + location.prefix() + "*");
            if (!listable.contains(bucketArn)) {
                listable.add(bucketArn);
            }
        }
        intake.role().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("ReadSettingsAndRunsFiles")
                .actions(List.of("s3:GetObject", "s3:GetObjectVersion"))
                .resources(readable)
                .build());
        intake.role().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("MissingObjectsAreNotFoundNotAccessDenied")
                .actions(List.of("s3:ListBucket"))
                .resources(listable)
                .build());
        intake.role().addToPrincipalPolicy(putObjects("WriteErrorReports", ResourceDefinitions.REPORTS_PREFIX));
        key.key().grantDecrypt(intake.grantee());
        // Whoever settles a batch's last run writes its manifest: a run event (status), the reconciler, or a
        // failed submission (submit, run-dlq).
        for (OmicsBatchFunction fn : List.of(status, reconcile, submit, runDeadLetter)) {
            fn.role().addToPrincipalPolicy(putObjects("WriteResultsManifests", ResourceDefinitions.RESULTS_PREFIX));
        }

        // HealthOmics.
        submit.role().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("StartRuns")
                .actions(List.of("omics:StartRun"))
                .resources(List.of(omicsArn("workflow"), omicsArn("run"), omicsArn("runGroup"), omicsArn("runCache"),
                        omicsArn("configuration")))
                .build());
        submit.role().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("TagStartedRuns")
                .actions(List.of("omics:TagResource"))
                .resources(List.of(omicsArn("run")))
                .build());
        submit.role().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("PassServiceRoleToHealthOmics")
                .actions(List.of("iam:PassRole"))
                .resources(omicsRoleArns())
                .conditions(Map.of("StringEquals", Map.of("iam:PassedToService", "omics.amazonaws.com")))
                .build());
        for (OmicsBatchFunction fn : List.of(status, reconcile)) {
            fn.role().addToPrincipalPolicy(PolicyStatement.Builder.create()
                    .sid("GetRuns")
                    .actions(List.of("omics:GetRun"))
                    .resources(List.of(omicsArn("run")))
                    .build());
        }
        // Intake checks every run's parameters against the workflow's template before a batch is accepted.
        intake.role().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("ReadWorkflowParameterTemplates")
                .actions(List.of("omics:GetWorkflow"))
                .resources(List.of(omicsArn("workflow")))
                .build());
        // run-dlq: the tables, batch events and manifests above; its queue is granted by its event source mapping.

        grantOperations(functions.get(OPERATIONS), pacing, readable);
    }

    /**
     * The operations function may do what its operations need and no more: CancelRun and DeleteRun on this account's
     * runs (no other function may), read the request documents, write reports and manifests, continue itself. Who may
     * ask for an operation is who may write its prefix: one managed policy per prefix (batches/ too), so that an
     * account can grant "may cancel" apart from "may start".
     */
    private void grantOperations(OmicsBatchFunction operations, Table pacing, List<String> settingsAndRunsFiles) {
        pacing.grantReadWriteData(operations.grantee()); // the CancelRun and DeleteRun paces
        operationQueues.queue().grantSendMessages(operations.grantee()); // continuations
        operations.role().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("CancelAndDeleteRuns")
                // GetRun: before DeleteRun, that the id still names our run (ids are reused after a deletion).
                .actions(List.of("omics:CancelRun", "omics:DeleteRun", "omics:GetRun"))
                .resources(List.of(omicsArn("run")))
                .build());
        // A resubmit reads the original's settings and runs file, and writes the new batch's, for the intake.
        List<String> readable = new ArrayList<>(ResourceDefinitions.OPERATION_PREFIXES.stream().map(settings::objectsArn).toList());
        readable.addAll(settingsAndRunsFiles);
        operations.role().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("ReadRequestsAndBatchDocuments")
                .actions(List.of("s3:GetObject", "s3:GetObjectVersion"))
                .resources(readable)
                .build());
        operations.role().addToPrincipalPolicy(putObjects("WriteReportsManifestsAndResubmits",
                ResourceDefinitions.REPORTS_PREFIX, ResourceDefinitions.RESULTS_PREFIX, ResourceDefinitions.RESUBMITS_PREFIX,
                ResourceDefinitions.RUNS_PREFIX + "resubmits/"));
        intakeQueues.queue().grantSendMessages(operations.grantee()); // the intake of a resubmit batch
        key.key().grantDecrypt(operations.grantee());
        List<String> writable = new ArrayList<>(List.of(ResourceDefinitions.BATCHES_PREFIX));
        writable.addAll(ResourceDefinitions.OPERATION_PREFIXES);
        for (String prefix : writable) {
            String name = prefix.replace("/", "");
            ManagedPolicy policy = ManagedPolicy.Builder.create(this, functionId(name).replace("Function", "") + "WriterPolicy")
                    .description("omics-batch: may write request documents under " + prefix + " of the settings bucket")
                    .statements(List.of(
                            PolicyStatement.Builder.create()
                                    .sid("WriteRequests")
                                    .actions(List.of("s3:PutObject"))
                                    .resources(List.of(settings.objectsArn(prefix)))
                                    .build(),
                            PolicyStatement.Builder.create()
                                    .sid("EncryptWithTheDataKey")
                                    .actions(List.of("kms:GenerateDataKey", "kms:Encrypt"))
                                    .resources(List.of(key.key().getKeyArn()))
                                    .build()))
                    .build();
            requestWriters.put(prefix, policy);
        }
    }

    private PolicyStatement putObjects(String sid, String... prefixes) {
        return PolicyStatement.Builder.create()
                .sid(sid)
                .actions(List.of("s3:PutObject"))
                .resources(java.util.Arrays.stream(prefixes).map(settings::objectsArn).toList())
                .build();
    }

    private PolicyStatement putBatchEvents() {
        return PolicyStatement.Builder.create()
                .sid("PublishBatchEvents")
                .actions(List.of("events:PutEvents"))
                .resources(List.of(batchEventBusArn()))
                .conditions(Map.of("StringEquals", Map.of("events:source", BATCH_EVENT_SOURCE_NAME)))
                .build();
    }

    String batchEventBusArn() {
        String bus = config.batchEventBus();
        if (bus.startsWith("arn:")) {
            return bus;
        }
        return formatArn(ArnComponents.builder().service("events").resource("event-bus").resourceName(bus)
                .arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build());
    }

    private String omicsArn(String resourceType) {
        return formatArn(ArnComponents.builder().service("omics").resource(resourceType).resourceName("*")
                .arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build());
    }

    private List<String> omicsRoleArns() {
        if (!config.omicsRoleArns().isEmpty()) {
            return config.omicsRoleArns();
        }
        return List.of(formatArn(ArnComponents.builder().service("iam").region("").resource("role")
                .resourceName(StackConfig.DEFAULT_ROLE_NAME_PATTERN).arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build()));
    }

    private OmicsBatchFunction function(Code code, String name, String handler, String description, Duration timeout,
                                        int memoryMb, Map<String, String> environment, Integer reservedConcurrency,
                                        IQueue deadLetterQueue) {
        OmicsBatchFunction fn = new OmicsBatchFunction(this, functionId(name), code, key.key(),
                new OmicsBatchFunction.Props("omics-batch-" + name, "omics-batch: " + description,
                        "io.omicsbatch.functions." + handler, timeout, memoryMb, environment, reservedConcurrency,
                        deadLetterQueue));
        functions.put(name, fn);
        return fn;
    }

    private static Map<String, String> with(Map<String, String> base, String... pairs) {
        Map<String, String> out = new LinkedHashMap<>(base);
        for (int i = 0; i < pairs.length; i += 2) {
            out.put(pairs[i], pairs[i + 1]);
        }
        return out;
    }

    private void output(String id, String value, String description) {
        CfnOutput.Builder.create(this, id).value(value).description(description).build();
    }

    private static String functionId(String name) {
        StringBuilder out = new StringBuilder();
        for (String part : name.split("-")) {
            out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return out.append("Function").toString();
    }

    private static String tableId(String tableName) {
        return functionId(tableName.replace("omics-batch-", "")).replace("Function", "Table");
    }

    static String plain(double number) {
        return number == Math.rint(number) ? Long.toString((long) number) : Double.toString(number);
    }

    public StackConfig config() {
        return config;
    }

    public Map<String, OmicsBatchFunction> functions() {
        return functions;
    }

    public Map<String, Table> tables() {
        return tables;
    }

    public QueueWithDeadLetter intakeQueues() {
        return intakeQueues;
    }

    public QueueWithDeadLetter operationQueues() {
        return operationQueues;
    }

    /** The managed policies that let a principal write each request prefix (batches/ and the operations'). */
    public Map<String, ManagedPolicy> requestWriters() {
        return requestWriters;
    }

    public QueueWithDeadLetter runQueues() {
        return runQueues;
    }

    public Queue statusDeadLetterQueue() {
        return statusDeadLetterQueue;
    }

    public SettingsBucket settings() {
        return settings;
    }

    public DataKey dataKey() {
        return key;
    }

    public DataKey messageKey() {
        return messageKey;
    }

    public RunStatusRule runStatusRule() {
        return runStatusRule;
    }

    public ReconcileSchedule reconcileSchedule() {
        return reconcileSchedule;
    }

    /** The batch-end notifications, or null when neither notifyEmail nor notifyTopicArn is set. */
    public BatchNotifications notifications() {
        return notifications;
    }

    public Monitoring monitoring() {
        return monitoring;
    }
}
