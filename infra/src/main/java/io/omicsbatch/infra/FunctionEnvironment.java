package io.omicsbatch.infra;

/**
 * The environment variable names the functions read (functions' {@code FunctionSettings}); a test checks that
 * every name {@code FunctionSettings} declares is set on the functions.
 */
public final class FunctionEnvironment {

    public static final String BATCHES_TABLE = "BATCHES_TABLE";
    public static final String RUNS_TABLE = "RUNS_TABLE";
    public static final String PACING_TABLE = "PACING_TABLE";
    public static final String RUN_QUEUE_URL = "RUN_QUEUE_URL";
    public static final String INTAKE_QUEUE_URL = "INTAKE_QUEUE_URL";
    public static final String START_RUN_TPS = "START_RUN_TPS";
    public static final String MAX_ATTEMPTS = "MAX_ATTEMPTS";
    public static final String BATCH_EVENT_BUS = "BATCH_EVENT_BUS";
    public static final String BATCH_EVENT_SOURCE = "BATCH_EVENT_SOURCE";
    public static final String STALE_RUN_MINUTES = "STALE_RUN_MINUTES";
    public static final String GET_RUN_TPS = "GET_RUN_TPS";
    public static final String STACK_PARTITION = "STACK_PARTITION";
    public static final String STACK_ACCOUNT_ID = "STACK_ACCOUNT_ID";
    public static final String OMICS_ROLE_ARNS = "OMICS_ROLE_ARNS";
    public static final String RUNS_FILE_LOCATIONS = "RUNS_FILE_LOCATIONS";

    private FunctionEnvironment() {}
}
