package io.omicsbatch.intake;

import io.omicsbatch.resources.ResourceDefinitions;
import io.omicsbatch.settings.BatchSettings;
import io.omicsbatch.settings.Rule;
import io.omicsbatch.settings.S3Location;
import io.omicsbatch.settings.ValidationError;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The batch-level fields only the deployment can judge, checked before the runs file is read or any run is
 * expanded, as StartRunBatch checks them synchronously: the service role and where the runs file lies. Pure: the
 * document and the deployment in, errors with pointers out.
 *
 * <p>Why here and not left to IAM: a role the submit function may not pass fails every run, one by one at the
 * paced rate (a day of failures for a large batch), instead of one error now. And the intake role may read the
 * settings bucket's {@code batches/} (every user's settings) and every {@code runsFileLocations} prefix; without
 * this check, whoever may drop a document could make the intake read, and echo in its error report, objects it
 * holds for other purposes (a confused deputy).
 */
public final class BatchPreflight {

    static final String ROLE_POINTER = "/defaultRunSetting/roleArn";
    static final String RUNS_FILE_POINTER = "/batchRunSettings/s3UriSettings";

    /** The settings bucket's prefixes that hold omics-batch's own objects: never a runs file. */
    static final List<String> RESERVED_PREFIXES = List.of(ResourceDefinitions.BATCHES_PREFIX,
            ResourceDefinitions.REPORTS_PREFIX, ResourceDefinitions.RESULTS_PREFIX);

    private static final Pattern ROLE_ARN = Pattern.compile("arn:([^:]+):iam::([0-9]{12}):role/.+");
    /** Patterns quoted in a message at most. */
    private static final int SHOWN = 5;

    /**
     * What the stack decided at deploy time.
     *
     * @param partition         the partition the stack runs in ({@code aws}, {@code aws-cn}, ...)
     * @param accountId         the account the stack runs in
     * @param passableRoles     role ARNs the submit function may pass (its iam:PassRole resources; {@code *} matches
     *                          any characters, as in IAM); never empty
     * @param runsFileLocations where runs files may be read besides the settings bucket's {@code runs/}: a bucket
     *                          and a key prefix ("" for the whole bucket)
     */
    public record Deployment(String partition, String accountId, List<String> passableRoles,
                             List<S3Location> runsFileLocations) {
        public Deployment {
            Objects.requireNonNull(partition, "partition");
            Objects.requireNonNull(accountId, "accountId");
            passableRoles = List.copyOf(passableRoles);
            runsFileLocations = List.copyOf(runsFileLocations);
            if (passableRoles.isEmpty()) {
                throw new IllegalArgumentException("at least one passable role (pattern) is needed");
            }
        }
    }

    private final Deployment deployment;
    private final List<Pattern> passable;

    public BatchPreflight(Deployment deployment) {
        this.deployment = deployment;
        this.passable = deployment.passableRoles().stream().map(BatchPreflight::iamPattern).toList();
    }

    /**
     * Checks a valid document.
     *
     * @param settingsBucket the bucket the document was dropped in: the settings bucket
     */
    public List<ValidationError> check(BatchSettings settings, String settingsBucket) {
        List<ValidationError> errors = new ArrayList<>();
        checkRole(settings.defaultRunSetting().roleArn(), errors);
        if (!settings.isInline()) {
            checkRunsFile(settings.batchRunSettings().s3UriSettings(), settingsBucket, errors);
        }
        return errors;
    }

    private void checkRole(String roleArn, List<ValidationError> errors) {
        Matcher role = ROLE_ARN.matcher(roleArn);
        if (!role.matches()) {
            return; // the document check reported its shape
        }
        if (!role.group(1).equals(deployment.partition()) || !role.group(2).equals(deployment.accountId())) {
            errors.add(new ValidationError(ROLE_POINTER, Rule.ROLE_ACCOUNT, "is a role of account " + role.group(2)
                    + " in partition " + role.group(1) + "; omics-batch runs in account " + deployment.accountId()
                    + " in partition " + deployment.partition() + " and can pass HealthOmics only a role of its own account"));
            return;
        }
        if (passable.stream().noneMatch(p -> p.matcher(roleArn).matches())) {
            errors.add(new ValidationError(ROLE_POINTER, Rule.ROLE_NOT_PASSABLE, "is not a role the submit function may "
                    + "pass to HealthOmics (iam:PassRole); it may pass " + quoted(deployment.passableRoles())
                    + " (the stack's context omicsRoleArns; without it, roles named "
                    + ResourceDefinitions.DEFAULT_OMICS_ROLE_NAME_PATTERN + ")"));
        }
    }

    private void checkRunsFile(String uri, String settingsBucket, List<ValidationError> errors) {
        S3Location.Parsed parsed = S3Location.parse(uri, true);
        if (!parsed.isValid()) {
            return; // the document check reported it
        }
        S3Location file = parsed.location();
        for (String segment : file.key().split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                // S3 keys are literal, but a layer that normalized the path would read another object than the one checked.
                errors.add(new ValidationError(RUNS_FILE_POINTER, Rule.RUNS_FILE_LOCATION,
                        "has a \".\" or \"..\" path segment; name the runs file by its plain key"));
                return;
            }
        }
        if (file.bucket().equals(settingsBucket)) {
            for (String reserved : RESERVED_PREFIXES) {
                if (file.key().startsWith(reserved)) {
                    errors.add(new ValidationError(RUNS_FILE_POINTER, Rule.RUNS_FILE_LOCATION, "lies under "
                            + S3Location.SCHEME + settingsBucket + "/" + reserved + ", where omics-batch keeps its own "
                            + "objects (settings documents, error reports, results manifests); a runs file is never read from there"));
                    return;
                }
            }
            if (file.key().startsWith(ResourceDefinitions.RUNS_PREFIX)) {
                return;
            }
        }
        for (S3Location location : deployment.runsFileLocations()) {
            if (file.bucket().equals(location.bucket()) && file.key().startsWith(location.key())) {
                return;
            }
        }
        List<String> allowed = new ArrayList<>();
        allowed.add(S3Location.SCHEME + settingsBucket + "/" + ResourceDefinitions.RUNS_PREFIX);
        deployment.runsFileLocations().forEach(location -> allowed.add(S3Location.SCHEME + location.bucket() + "/" + location.key()));
        errors.add(new ValidationError(RUNS_FILE_POINTER, Rule.RUNS_FILE_LOCATION, "is not in a location runs files "
                + "may be read from: " + quoted(allowed) + " (the settings bucket's " + ResourceDefinitions.RUNS_PREFIX
                + " and the stack's context runsFileLocations)"));
    }

    /** The error of a runs file S3 answers 403 ({@code denied}) or 404 for, once it was found to lie where it may. */
    public static ValidationError runsFileUnreadable(String uri, boolean denied) {
        return new ValidationError(RUNS_FILE_POINTER, Rule.RUNS_FILE_UNREADABLE, denied
                ? "names " + uri + ", which the intake may not read (S3 answered 403 Access Denied); grant the intake "
                        + "role (stack output IntakeRoleArn) s3:GetObject on it, and kms:Decrypt on its KMS key if it has one"
                : "names " + uri + ", which does not exist (S3 answered 404 Not Found)");
    }

    /** An IAM ARN pattern: {@code *} matches any run of characters (slashes included), everything else itself. */
    static Pattern iamPattern(String arn) {
        String[] literals = arn.split("\\*", -1);
        StringBuilder regex = new StringBuilder(Pattern.quote(literals[0]));
        for (int i = 1; i < literals.length; i++) {
            regex.append(".*").append(Pattern.quote(literals[i]));
        }
        return Pattern.compile(regex.toString());
    }

    private static String quoted(List<String> items) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(items.size(), SHOWN); i++) {
            out.append(i == 0 ? "" : ", ").append(items.get(i));
        }
        if (items.size() > SHOWN) {
            out.append(" and ").append(items.size() - SHOWN).append(" more");
        }
        return out.toString();
    }
}
