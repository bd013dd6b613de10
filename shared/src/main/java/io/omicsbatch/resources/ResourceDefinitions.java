package io.omicsbatch.resources;

import java.time.Duration;
import java.util.List;

/**
 * Every named resource omics-batch uses, defined once for {@code infra/} (the CDK stack) and {@code local/}
 * (the stand-ins). Physical names are these names, so the local and cloud layouts are the same.
 */
public final class ResourceDefinitions {

    /**
     * ListBatch's index of the batches table: every batch under one partition value ({@link #BATCH_LIST_PARTITION}),
     * newest first by its list key ({@code io.omicsbatch.batch.BatchListing#listKey}: creation time, then batch id).
     * It projects only what ListBatch filters on (status, batchName), so the counters, which change with every run,
     * never write to it; a page reads the full records of its batches from the table.
     */
    public static final TableDefinition.Index BATCH_LIST_INDEX = new TableDefinition.Index("newestFirst",
            new TableDefinition.Key("listPartition", "S"), new TableDefinition.Key("listKey", "S"),
            List.of("status", "batchName"));
    /** The value of {@code listPartition} on every batch item. */
    public static final String BATCH_LIST_PARTITION = "batches";

    /** Batches: one item per batch (status, counts, source object and ETag, errors, timestamps). */
    public static final TableDefinition BATCHES_TABLE = new TableDefinition(
            "omics-batch-batches",
            new TableDefinition.Key("batchId", "S"),
            null,
            List.of(BATCH_LIST_INDEX));

    /**
     * Runs: one item per run setting of a batch. Runs are found from HealthOmics events by uuid (run ids are
     * reused after deletion) or, for old events that carry none, by run id.
     */
    public static final TableDefinition RUNS_TABLE = new TableDefinition(
            "omics-batch-runs",
            new TableDefinition.Key("batchId", "S"),
            new TableDefinition.Key("runSettingId", "S"),
            List.of(
                    new TableDefinition.Index("byUuid", new TableDefinition.Key("uuid", "S"), null),
                    new TableDefinition.Index("byRunId", new TableDefinition.Key("runId", "S"), null)));

    /**
     * Shared pacing state: one item per paced operation (the StartRun schedule all submit invocations
     * reserve slots from, and its current adaptive rate).
     */
    public static final TableDefinition PACING_TABLE = new TableDefinition(
            "omics-batch-pacing",
            new TableDefinition.Key("name", "S"),
            null,
            List.of());

    public static final List<TableDefinition> TABLES = List.of(BATCHES_TABLE, RUNS_TABLE, PACING_TABLE);

    /** S3 ObjectCreated notifications of batches/*.json; the intake function's timeout is far below 15 min. */
    public static final QueueDefinition INTAKE_QUEUE = new QueueDefinition(
            "omics-batch-intake",
            "omics-batch-intake-dlq",
            Duration.ofMinutes(90),
            Duration.ofDays(4),
            Duration.ofDays(14),
            5);

    /**
     * One message per run to submit. Retention is SQS's maximum, 14 days: at the default StartRun quota a
     * 100,000-run batch takes ~28 h, and the intake's feasibility check uses this figure.
     */
    public static final QueueDefinition RUN_QUEUE = new QueueDefinition(
            "omics-batch-runs",
            "omics-batch-runs-dlq",
            Duration.ofMinutes(6),
            Duration.ofDays(14),
            Duration.ofDays(14),
            runQueueMaxReceiveCount(8));

    /**
     * Receives of one run message that are not StartRun attempts and still do not dead-letter it: invocations that
     * crashed or timed out, and errors of the function itself (a table it could not write). Waits (pacing, quota)
     * and hand-backs of an invocation out of time send the message again with a fresh receive count, so they count
     * for nothing.
     */
    public static final int RUN_RECEIVES_BEYOND_ATTEMPTS = 5;

    /**
     * The run queue's maxReceiveCount for {@code maxAttempts}: each attempt that ends in a retryable error is one
     * receive, and the submit function records the submission FAILED itself at the last one. So a message reaches
     * the dead-letter queue only after {@link #RUN_RECEIVES_BEYOND_ATTEMPTS} failures of the function, never for
     * StartRun's answers.
     */
    public static int runQueueMaxReceiveCount(int maxAttempts) {
        return maxAttempts + RUN_RECEIVES_BEYOND_ATTEMPTS;
    }

    /** The run queue, its redrive following {@code maxAttempts}. */
    public static QueueDefinition runQueue(int maxAttempts) {
        return new QueueDefinition(RUN_QUEUE.name(), RUN_QUEUE.deadLetterQueueName(), RUN_QUEUE.visibilityTimeout(),
                RUN_QUEUE.retentionPeriod(), RUN_QUEUE.deadLetterRetentionPeriod(), runQueueMaxReceiveCount(maxAttempts));
    }

    /**
     * S3 ObjectCreated notifications of the batch operation requests (cancel/, delete-runs/, delete-batch/,
     * resubmit/), and the operations' own continuations (a cancel sweeps again while submissions are in flight). The
     * operations function's timeout is 15 minutes; a message stays hidden six times that, as AWS advises.
     */
    public static final QueueDefinition OPERATIONS_QUEUE = new QueueDefinition(
            "omics-batch-operations",
            "omics-batch-operations-dlq",
            Duration.ofMinutes(90),
            Duration.ofDays(4),
            Duration.ofDays(14),
            5);

    public static final List<QueueDefinition> QUEUES = List.of(INTAKE_QUEUE, RUN_QUEUE, OPERATIONS_QUEUE);

    /**
     * The largest SQS message, and the largest SendMessageBatch (all its messages together): 1 MiB, SQS's maximum
     * and the queues' MaximumMessageSize (the stack keeps SQS's default). Every run message must fit; the
     * validator's request-size rule sees to it before a batch is accepted.
     */
    public static final int MAX_MESSAGE_BYTES = 1_048_576;

    /** Where users drop batch-settings documents (the notification filter is this prefix and {@code .json}). */
    public static final String BATCHES_PREFIX = "batches/";
    public static final String BATCHES_SUFFIX = ".json";
    /** Runs files (s3UriSettings) kept in the settings bucket; the intake may read them. */
    public static final String RUNS_PREFIX = "runs/";
    /** Error reports of rejected batches: reports/&lt;batchId&gt;/errors.json. */
    public static final String REPORTS_PREFIX = "reports/";
    /** Results: results/&lt;batchId&gt;/runs.csv and runs.json (the manifest) and report.html (the report page). */
    public static final String RESULTS_PREFIX = "results/";
    /**
     * Batch operation requests, one prefix per operation so that IAM can grant each apart ("may cancel" without
     * "may start"): CancelRunBatch, DeleteRunBatch and DeleteBatch request documents, and resubmit requests.
     */
    public static final String CANCEL_PREFIX = "cancel/";
    public static final String DELETE_RUNS_PREFIX = "delete-runs/";
    public static final String DELETE_BATCH_PREFIX = "delete-batch/";
    public static final String RESUBMIT_PREFIX = "resubmit/";
    /**
     * Settings documents of resubmit batches, written by the operations function alone: {@code resubmits/<batchId>.json}
     * is the batch {@code <batchId>} (its id is the resubmit request's, not the document's); no notification, the
     * operations function asks the intake for it.
     */
    public static final String RESUBMITS_PREFIX = "resubmits/";
    /** Every operation request prefix (each a notification to the operations queue, each its own write grant). */
    public static final List<String> OPERATION_PREFIXES = List.of(CANCEL_PREFIX, DELETE_RUNS_PREFIX, DELETE_BATCH_PREFIX,
            RESUBMIT_PREFIX);
    /** The HealthOmics service roles the submit function may pass when the stack is given none: roles named so. */
    public static final String DEFAULT_OMICS_ROLE_NAME_PATTERN = "omics-batch-*";
    /**
     * The stack outputs the operator CLI finds the deployment by (CloudFormation DescribeStacks): the settings bucket
     * and the two tables it reads. The stack declares them under these names.
     */
    public static final String OUTPUT_SETTINGS_BUCKET = "SettingsBucketName";
    public static final String OUTPUT_BATCHES_TABLE = "BatchesTableName";
    public static final String OUTPUT_RUNS_TABLE = "RunsTableName";
    /** The stack name the operator CLI looks up unless {@code --stack} names another. */
    public static final String DEFAULT_STACK_NAME = "OmicsBatch";
    /** The bucket name the local mode uses; in the cloud, CDK names the bucket. */
    public static final String LOCAL_SETTINGS_BUCKET = "omics-batch-settings";

    /** The EventBridge pattern of the rule that feeds the status function, as JSON. */
    public static final String RUN_STATUS_CHANGE_PATTERN =
            "{\"source\":[\"aws.omics\"],\"detail-type\":[\"Run Status Change\"]}";

    private ResourceDefinitions() {}
}
