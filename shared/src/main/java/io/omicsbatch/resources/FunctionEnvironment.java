package io.omicsbatch.resources;

/**
 * The names of the environment variables the functions read, in one place: the functions' FunctionSettings reads
 * them and the CDK stack sets them.
 */
public final class FunctionEnvironment {

    public static final String BATCHES_TABLE = "BATCHES_TABLE";
    public static final String RUNS_TABLE = "RUNS_TABLE";
    public static final String PACING_TABLE = "PACING_TABLE";
    public static final String RUN_QUEUE_URL = "RUN_QUEUE_URL";
    public static final String INTAKE_QUEUE_URL = "INTAKE_QUEUE_URL";
    /** The operations queue: request documents' notifications, and the operations' own continuations. */
    public static final String OPERATIONS_QUEUE_URL = "OPERATIONS_QUEUE_URL";
    public static final String START_RUN_TPS = "START_RUN_TPS";
    public static final String MAX_ATTEMPTS = "MAX_ATTEMPTS";
    /**
     * Hours a submission may wait for StartRun's ServiceQuotaExceededException to clear, from its first one, before
     * it fails with it (default 48).
     */
    public static final String MAX_QUOTA_WAIT_HOURS = "MAX_QUOTA_WAIT_HOURS";
    /** The EventBridge bus (name or ARN) batch events go to; default: the account's default bus. */
    public static final String BATCH_EVENT_BUS = "BATCH_EVENT_BUS";
    public static final String BATCH_EVENT_SOURCE = "BATCH_EVENT_SOURCE";
    /** The reconciler reads a run with GetRun after this long without news (default 15). */
    public static final String STALE_RUN_MINUTES = "STALE_RUN_MINUTES";
    /** The reconciler's GetRun rate (default 5; the API allows ~10 per account). */
    public static final String GET_RUN_TPS = "GET_RUN_TPS";
    /** The partition the stack runs in; the intake accepts only roles of it. */
    public static final String STACK_PARTITION = "STACK_PARTITION";
    /** The account the stack runs in; the intake accepts only roles of it. */
    public static final String STACK_ACCOUNT_ID = "STACK_ACCOUNT_ID";
    /** Comma-separated role ARNs (IAM {@code *} wildcards) the submit function may pass: its iam:PassRole resources. */
    public static final String OMICS_ROLE_ARNS = "OMICS_ROLE_ARNS";
    /** Comma-separated {@code s3://bucket/prefix} locations runs files may be read from besides the settings bucket's runs/. */
    public static final String RUNS_FILE_LOCATIONS = "RUNS_FILE_LOCATIONS";

    private FunctionEnvironment() {}
}
