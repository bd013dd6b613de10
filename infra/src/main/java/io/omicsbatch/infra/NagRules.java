package io.omicsbatch.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.omicsbatch.resources.ResourceDefinitions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.services.dynamodb.Table;
import software.constructs.IConstruct;

/**
 * The cdk-nag (AwsSolutions, HIPAA Security) findings we accept, each on the one resource it concerns, with
 * {@code appliesTo} naming the exact wildcard where the rule is granular, and the reason. docs/deploy.md lists them.
 */
final class NagRules {

    static final String VPC = "The functions call only AWS regional APIs (DynamoDB, SQS, S3, HealthOmics, EventBridge) "
            + "over TLS with SigV4 and accept no inbound connections; a VPC would add NAT or one interface endpoint "
            + "per service without isolating any data path.";
    static final String RUNTIME = "java21 is the runtime the functions are built and tested for (the issue pins it; "
            + "SnapStart is validated on it); moving to a newer Java runtime is a tested change of its own.";
    static final String INLINE = "Each policy belongs to one function's role and is created, reviewed and versioned with "
            + "this stack; CDK's grants write the role's default policy. A managed policy per role would add "
            + "reusability nobody needs.";
    static final String KMS_GRANT = "CDK's grants for the KMS-encrypted queues and tables (kms:ReEncrypt*, "
            + "kms:GenerateDataKey*), on our own keys only.";
    static final String GSI = "Query on the runs table's global secondary indexes (byUuid, byRunId) from the shared "
            + "definitions; the index ARNs of this one table.";
    static final String LIST_GSI = "CDK's table grant covers the batches table's list index (newestFirst, ListBatch), "
            + "the shared definitions' only index of that table; the index ARNs of this one table.";
    static final String SQS_CONCURRENCY = "Invoked by an SQS event source mapping whose maximumConcurrency bounds "
            + "the function's concurrency; reserved concurrency would take capacity from the account's pool (and "
            + "cannot be set at all while the account's concurrency quota is 10).";
    static final String SQS_DLQ = "Invoked synchronously by an SQS event source mapping: messages that fail go to "
            + "the queue's redrive dead-letter queue (alarmed). A function DLQ applies only to asynchronous invocations.";

    private NagRules() {}

    static void suppress(OmicsBatchStack stack) {
        Map<String, OmicsBatchFunction> functions = stack.functions();
        Table runs = stack.tables().get(ResourceDefinitions.RUNS_TABLE.name());
        String runsTableId = logicalId(stack, runs);
        String batchesTableId = logicalId(stack, stack.tables().get(ResourceDefinitions.BATCHES_TABLE.name()));
        String bucketId = logicalId(stack, stack.settings().bucket());

        functions.forEach((name, fn) -> {
            Annotations.of(fn.function()).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                    "Every trigger invokes the alias 'live' of the current published version, where SnapStart applies.");
            List<NagPackSuppression> onFunction = new ArrayList<>(List.of(
                    suppression("HIPAA.Security-LambdaInsideVPC", VPC),
                    suppression("AwsSolutions-L1", RUNTIME)));
            switch (name) {
                case OmicsBatchStack.INTAKE, OmicsBatchStack.SUBMIT, OmicsBatchStack.RUN_DLQ, OmicsBatchStack.OPERATIONS -> {
                    onFunction.add(suppression("HIPAA.Security-LambdaConcurrency", SQS_CONCURRENCY));
                    onFunction.add(suppression("HIPAA.Security-LambdaDLQ", SQS_DLQ));
                }
                case OmicsBatchStack.STATUS -> onFunction.add(suppression("HIPAA.Security-LambdaConcurrency",
                        "Invoked asynchronously by the run-status rule, once per HealthOmics event: throttling it "
                                + "would only delay status updates (Lambda retries throttled asynchronous events for "
                                + "hours); its failures go to the status dead-letter queue (alarmed)."));
                case OmicsBatchStack.RECONCILE -> onFunction.add(suppression("HIPAA.Security-LambdaDLQ",
                        "Scheduled and idempotent: a failed tick's work is done by the next tick, so asynchronous "
                                + "retries are off on purpose and there is nothing to keep; errors raise an alarm."));
                default -> throw new IllegalStateException(name);
            }
            NagSuppressions.addResourceSuppressions(fn.function(), onFunction);

            List<NagPackSuppression> onPolicy = new ArrayList<>(List.of(
                    suppression("HIPAA.Security-IAMNoInlinePolicy", INLINE),
                    suppression("AwsSolutions-IAM5", KMS_GRANT, "Action::kms:ReEncrypt*", "Action::kms:GenerateDataKey*"),
                    suppression("AwsSolutions-IAM5", GSI, "Resource::<" + runsTableId + ".Arn>/index/*"),
                    suppression("AwsSolutions-IAM5", LIST_GSI, "Resource::<" + batchesTableId + ".Arn>/index/*")));
            NagPackSuppression manifests = suppression("AwsSolutions-IAM5", "Results manifests are written under "
                    + "the settings bucket's results/ prefix, one object per batch, by whichever function settles "
                    + "its last run.", "Resource::<" + bucketId + ".Arn>/" + ResourceDefinitions.RESULTS_PREFIX + "*");
            switch (name) {
                case OmicsBatchStack.INTAKE -> {
                    List<Object> prefixes = new ArrayList<>(List.of(
                            "Resource::<" + bucketId + ".Arn>/" + ResourceDefinitions.BATCHES_PREFIX + "*",
                            "Resource::<" + bucketId + ".Arn>/" + ResourceDefinitions.RESUBMITS_PREFIX + "*",
                            "Resource::<" + bucketId + ".Arn>/" + ResourceDefinitions.RUNS_PREFIX + "*",
                            "Resource::<" + bucketId + ".Arn>/" + ResourceDefinitions.REPORTS_PREFIX + "*"));
                    for (StackConfig.S3Prefix location : stack.config().runsFileLocations()) {
                        prefixes.add("Resource::arn:<AWS::Partition>:s3:::" + location.bucket() + "/" + location.prefix() + "*");
                    }
                    onPolicy.add(suppression("AwsSolutions-IAM5", "Objects under the settings bucket's prefixes the "
                            + "intake reads (batches/, runs/) and writes (reports/), and under the runsFileLocations "
                            + "configured in context; object keys are chosen by users, so a prefix is the narrowest scope.",
                            prefixes.toArray()));
                    onPolicy.add(suppression("AwsSolutions-IAM5", "GetWorkflow on this account's and region's "
                            + "workflows: the workflow id comes from the user's settings; intake reads its parameter "
                            + "template to check every run before any is submitted.", omics("workflow")));
                }
                case OmicsBatchStack.SUBMIT -> {
                    onPolicy.add(manifests);
                    onPolicy.add(suppression("AwsSolutions-IAM5", "StartRun on the workflows, runs, run groups, run "
                            + "caches and configurations a batch may name, in this account and region only; their ids "
                            + "come from the user's settings or are created by StartRun itself.",
                            omics("workflow"), omics("run"), omics("runGroup"), omics("runCache"), omics("configuration")));
                    List<Object> roles = new ArrayList<>();
                    if (stack.config().omicsRoleArns().isEmpty()) {
                        roles.add("Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:role/" + StackConfig.DEFAULT_ROLE_NAME_PATTERN);
                    } else {
                        stack.config().omicsRoleArns().stream().filter(arn -> arn.contains("*"))
                                .forEach(arn -> roles.add("Resource::" + arn));
                    }
                    if (!roles.isEmpty()) {
                        onPolicy.add(suppression("AwsSolutions-IAM5", "iam:PassRole on the HealthOmics service roles "
                                + "(context omicsRoleArns, else roles named " + StackConfig.DEFAULT_ROLE_NAME_PATTERN
                                + "), only to omics.amazonaws.com (iam:PassedToService).", roles.toArray()));
                    }
                }
                case OmicsBatchStack.STATUS, OmicsBatchStack.RECONCILE -> {
                    onPolicy.add(manifests);
                    onPolicy.add(suppression("AwsSolutions-IAM5", "GetRun on this account's and region's runs: run "
                            + "ids are created by StartRun at run time.", omics("run")));
                }
                case OmicsBatchStack.RUN_DLQ -> onPolicy.add(manifests);
                case OmicsBatchStack.OPERATIONS -> {
                    List<Object> prefixes = new ArrayList<>();
                    for (String prefix : ResourceDefinitions.OPERATION_PREFIXES) {
                        prefixes.add("Resource::<" + bucketId + ".Arn>/" + prefix + "*");
                    }
                    for (String prefix : List.of(ResourceDefinitions.REPORTS_PREFIX, ResourceDefinitions.RESULTS_PREFIX,
                            ResourceDefinitions.RESUBMITS_PREFIX, ResourceDefinitions.RUNS_PREFIX + "resubmits/",
                            ResourceDefinitions.BATCHES_PREFIX, ResourceDefinitions.RUNS_PREFIX)) {
                        prefixes.add("Resource::<" + bucketId + ".Arn>/" + prefix + "*");
                    }
                    for (StackConfig.S3Prefix location : stack.config().runsFileLocations()) {
                        prefixes.add("Resource::arn:<AWS::Partition>:s3:::" + location.bucket() + "/" + location.prefix() + "*");
                    }
                    onPolicy.add(suppression("AwsSolutions-IAM5", "Request documents under the settings bucket's "
                            + "operation prefixes, and batch documents and runs files a resubmit copies from (read); "
                            + "reports/, results/, resubmits/ and runs/resubmits/ (written); keys are chosen by users, so "
                            + "a prefix is the narrowest scope.", prefixes.toArray()));
                    onPolicy.add(suppression("AwsSolutions-IAM5", "CancelRun, DeleteRun and GetRun (is the id still "
                            + "ours before DeleteRun) on this account's and region's runs: run ids are created by StartRun at run time.", omics("run")));
                }
                default -> throw new IllegalStateException(name);
            }
            NagSuppressions.addResourceSuppressions(child(fn.role(), "DefaultPolicy"), onPolicy, true);
        });

        for (Table table : stack.tables().values()) {
            NagSuppressions.addResourceSuppressions(table, List.of(suppression("HIPAA.Security-DynamoDBInBackupPlan",
                    "Point-in-time recovery (35 days) and deletion protection are on and the tables are retained when "
                            + "the stack is deleted; which AWS Backup plan (if any) covers them is the account's policy, "
                            + "usually applied by tag across all stacks.")), true);
        }
        stack.requestWriters().forEach((prefix, policy) -> NagSuppressions.addResourceSuppressions(policy, List.of(
                suppression("AwsSolutions-IAM5", "Writes request documents under the settings bucket's " + prefix
                        + " prefix only: their names are the requester's, so a prefix is the narrowest scope.",
                        "Resource::<" + bucketId + ".Arn>/" + prefix + "*")), true));
        String noReplication = "Cross-region replication needs a bucket in a second region, which is the account's "
                + "disaster-recovery decision; the bucket is versioned and retained.";
        NagSuppressions.addResourceSuppressions(stack.settings().bucket(), List.of(
                suppression("HIPAA.Security-S3BucketReplicationEnabled", noReplication)));
        NagSuppressions.addResourceSuppressions(stack.settings().accessLogs(), List.of(
                suppression("HIPAA.Security-S3BucketReplicationEnabled", noReplication),
                suppression("HIPAA.Security-S3DefaultEncryptionKMS", "S3 server access log delivery requires the "
                        + "target bucket to use SSE-S3 (SSE-KMS default encryption is not supported for it); the logs "
                        + "hold request metadata, not genomic data.")));

        IConstruct handler = stack.getNode().tryFindChild("BucketNotificationsHandler050a0587b7544547bf325f094a3db834");
        if (handler != null) {
            NagSuppressions.addResourceSuppressions(handler, List.of(
                    suppression("AwsSolutions-IAM4", "CDK's deploy-time handler that writes the settings bucket's "
                                    + "notification configuration; the managed policy only lets it write its own logs.",
                            "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")), true);
        }
        NagSuppressions.addResourceSuppressions(child(child(stack.settings().bucket(), "Notifications"), "HandlerPolicy"),
                List.of(suppression("HIPAA.Security-IAMNoInlinePolicy", "CDK's notifications handler policy: "
                        + "s3:PutBucketNotification on the settings bucket only.")), true);
    }

    private static String logicalId(OmicsBatchStack stack, IConstruct construct) {
        return stack.getLogicalId((CfnElement) construct.getNode().getDefaultChild());
    }

    private static IConstruct child(IConstruct parent, String id) {
        IConstruct child = parent.getNode().tryFindChild(id);
        if (child == null) {
            throw new IllegalStateException(parent.getNode().getPath() + " has no child " + id);
        }
        return child;
    }

    private static String omics(String resourceType) {
        return "Resource::arn:<AWS::Partition>:omics:<AWS::Region>:<AWS::AccountId>:" + resourceType + "/*";
    }

    static NagPackSuppression suppression(String id, String reason, Object... appliesTo) {
        NagPackSuppression.Builder builder = NagPackSuppression.builder().id(id).reason(reason);
        if (appliesTo.length > 0) {
            builder.appliesTo(List.of(appliesTo));
        }
        return builder.build();
    }

}
