package io.omicsbatch.local.simulator;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The AWS account the simulator plays: its partition and id appear in every ARN it makes, and StartRun may only
 * pass roles of this account and partition (AccessDenied otherwise, as iam:PassRole across accounts is).
 */
public record Account(String partition, String id) {

    private static final Pattern ID = Pattern.compile("[0-9]{12}");
    private static final Pattern ROLE_ARN = Pattern.compile("arn:(aws[a-zA-Z-]*):iam::([0-9]{12}):role/[\\w+=,.@/-]{1,512}");

    /** The account the simulator plays unless configured (sim.json {@code account}) or taken from a document. */
    public static final Account DEFAULT = new Account("aws", "123456789012");

    public Account {
        if (partition == null || !partition.startsWith("aws")) {
            throw new IllegalArgumentException("a partition is aws or aws-<name>, got " + partition);
        }
        if (id == null || !isAccountId(id)) {
            throw new IllegalArgumentException("an account id is 12 digits, got " + id);
        }
    }

    public static boolean isAccountId(String id) {
        return ID.matcher(id).matches();
    }

    /** The account of an IAM role ARN ({@code arn:<partition>:iam::<account>:role/<name>}); empty if it is none. */
    public static Optional<Account> ofRoleArn(String roleArn) {
        Matcher role = roleArn == null ? null : ROLE_ARN.matcher(roleArn);
        return role != null && role.matches() ? Optional.of(new Account(role.group(1), role.group(2))) : Optional.empty();
    }
}
