package io.omicsbatch.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.AccountRootPrincipal;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.constructs.Construct;

/**
 * A customer-managed KMS key with yearly rotation. Two of them: the data key (settings bucket, tables, log
 * groups) and the message key (queues, alarm and notification topics), separate because the settings bucket's notifications to
 * the intake queue put the bucket's ARN into the message key's policy, and the bucket itself is encrypted.
 * The key policy is explicit: the account may administer and use the key through IAM policies (listed
 * actions, no {@code kms:*}), and the AWS services that write encrypted data on our behalf get exactly what
 * they need (CloudWatch Logs and CloudWatch alarms limited to this account by condition; EventBridge's
 * dead-letter delivery supports no such condition, and only our rule may send to our queue).
 */
public final class DataKey extends Construct {

    /** Key administration, delegated to IAM policies of the account (CDK's former default list). */
    static final List<String> ADMIN_ACTIONS = List.of(
            "kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*",
            "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource",
            "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", "kms:RotateKeyOnDemand");
    /** Use of the key, delegated to IAM policies of the account (what the functions' grants rely on). */
    static final List<String> USE_ACTIONS = List.of(
            "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*");

    private final Key key;

    /** What a key is for, and so which AWS services its policy lets in. */
    public enum Purpose { DATA, MESSAGES }

    public DataKey(Construct scope, String id, Purpose purpose) {
        super(scope, id);
        List<PolicyStatement> statements = new java.util.ArrayList<>(List.of(
                        PolicyStatement.Builder.create()
                                .sid("AccountAdministersKeyThroughIam")
                                .principals(List.of(new AccountRootPrincipal()))
                                .actions(ADMIN_ACTIONS)
                                .resources(List.of("*"))
                                .build(),
                        PolicyStatement.Builder.create()
                                .sid("AccountUsesKeyThroughIam")
                                .principals(List.of(new AccountRootPrincipal()))
                                .actions(USE_ACTIONS)
                                .resources(List.of("*"))
                                .build()));
        if (purpose == Purpose.DATA) {
            statements.add(PolicyStatement.Builder.create()
                                .sid("CloudWatchLogsEncryptsOurLogGroups")
                                .principals(List.of(new ServicePrincipal("logs." + Aws.REGION + ".amazonaws.com")))
                                .actions(List.of("kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo",
                                        "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey"))
                                .resources(List.of("*"))
                                .conditions(Map.of("ArnLike", Map.of("kms:EncryptionContext:aws:logs:arn",
                                        Stack.of(this).formatArn(software.amazon.awscdk.ArnComponents.builder()
                                                .service("logs").resource("log-group").resourceName("*")
                                                .arnFormat(software.amazon.awscdk.ArnFormat.COLON_RESOURCE_NAME)
                                                .build()))))
                                .build());
        } else {
            // CloudWatch's KMS requests carry aws:SourceAccount; EventBridge's delivery requests do not, and a
            // condition on it would silently drop every dead-lettered event (the queue policy names the rule). The
            // same statement lets the batch-notification rule publish to its encrypted topic.
            statements.add(servicePublishes("CloudWatchAlarmsPublishToEncryptedTopic", "cloudwatch.amazonaws.com", true));
            statements.add(servicePublishes("EventBridgeSendsToEncryptedDeadLetterQueue", "events.amazonaws.com", false));
        }
        PolicyDocument policy = PolicyDocument.Builder.create().statements(statements).build();
        key = Key.Builder.create(this, "Key")
                .description(purpose == Purpose.DATA
                        ? "omics-batch data: settings bucket, tables, log groups"
                        : "omics-batch messages: queues, alarm topic")
                .enableKeyRotation(true)
                .rotationPeriod(Duration.days(365))
                .pendingWindow(Duration.days(30))
                .policy(policy)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
    }

    private static PolicyStatement servicePublishes(String sid, String service, boolean sourceAccountCondition) {
        PolicyStatement.Builder statement = PolicyStatement.Builder.create()
                .sid(sid)
                .principals(List.of(new ServicePrincipal(service)))
                .actions(List.of("kms:GenerateDataKey", "kms:Decrypt"))
                .resources(List.of("*"));
        if (sourceAccountCondition) {
            statement.conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID)));
        }
        return statement.build();
    }

    public Key key() {
        return key;
    }
}
