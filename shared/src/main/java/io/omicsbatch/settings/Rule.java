package io.omicsbatch.settings;

/**
 * The rule a validation error broke. The id is stable: it appears in every message (in brackets), in the
 * invalid-document corpus and in error reports, so scripts can match on it.
 */
public enum Rule {
    JSON_SYNTAX("json-syntax"),
    /** Not UTF-8 (UTF-16/32, malformed bytes), or a string no UTF-8 text or AWS request can carry. */
    ENCODING("encoding"),
    DUPLICATE_MEMBER("duplicate-member"),
    TYPE("type"),
    REQUIRED("required"),
    UNKNOWN_MEMBER("unknown-member"),
    ENUM("enum"),
    RANGE("range"),
    LENGTH("length"),
    PATTERN("pattern"),
    IAM_ROLE_ARN("iam-role-arn"),
    S3_URI("s3-uri"),
    BUCKET_NAME("bucket-name"),
    TAG_COUNT("tag-count"),
    TAG_KEY("tag-key"),
    RESERVED_TAG("reserved-tag"),
    LIST_SIZE("list-size"),
    ONE_OF("one-of"),
    DUPLICATE_RUN_SETTING_ID("duplicate-run-setting-id"),
    NOT_IN_BATCH("not-in-batch"),
    /** A run's merged StartRun request would not fit in its run message (SQS). */
    REQUEST_SIZE("request-size"),
    /** A sample sheet's text is not a well-formed sheet: quoting, line endings, a row of the wrong width, too long. */
    SHEET_FORMAT("sheet-format"),
    /** A sample sheet's header row: a missing runSettingId column, a reserved-looking or repeated column. */
    SHEET_COLUMN("sheet-column"),
    /** A sample sheet's cell that its column cannot take: a priority that is no integer, a json: cell that is no JSON. */
    SHEET_CELL("sheet-cell"),
    /** Checked at intake against the account (GetWorkflow), not by {@code validate}. */
    WORKFLOW_NOT_FOUND("workflow-not-found", true),
    /** Checked at intake against the workflow's parameter template (GetWorkflow), not by {@code validate}. */
    WORKFLOW_PARAMETERS("workflow-parameters", true),
    /** Checked at intake against the workflow's Nextflow profiles (GetWorkflow), not by {@code validate}. */
    WORKFLOW_PROFILE("workflow-profile", true),
    /** Checked at intake: the role is not in the partition and account the stack runs in. */
    ROLE_ACCOUNT("role-account", true),
    /** Checked at intake: the role is not one the submit function may pass (the stack's omicsRoleArns). */
    ROLE_NOT_PASSABLE("role-not-passable", true),
    /** Checked at intake: the runs file is not in a location the stack lets the intake read runs files from. */
    RUNS_FILE_LOCATION("runs-file-location", true),
    /** Checked at intake: the runs file does not exist or the intake may not read it (404, 403). */
    RUNS_FILE_UNREADABLE("runs-file-unreadable", true);

    private final String id;
    private final boolean needsAccount;

    Rule(String id) {
        this(id, false);
    }

    Rule(String id, boolean needsAccount) {
        this.id = id;
        this.needsAccount = needsAccount;
    }

    /** Whether checking it needs the account (HealthOmics), so only intake can; the document alone cannot tell. */
    public boolean needsAccount() {
        return needsAccount;
    }

    public String id() {
        return id;
    }

    public static Rule fromId(String id) {
        for (Rule rule : values()) {
            if (rule.id.equals(id)) {
                return rule;
            }
        }
        throw new IllegalArgumentException("unknown rule " + id);
    }
}
