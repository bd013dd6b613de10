package io.omicsbatch.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Least privilege: no wildcard action anywhere, PassRole conditioned, each function exactly its actions. */
class IamTest {

    private static final Pattern WILDCARD_ACTION = Pattern.compile("\\*|[a-z0-9-]+:\\*");

    /** Every action each function's role may perform (beyond writing its own log group). */
    static final Map<String, Set<String>> ACTIONS = Map.of(
            OmicsBatchStack.INTAKE, Set.of(
                    "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem", "dynamodb:DeleteItem",
                    "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:GetRecords", "dynamodb:GetShardIterator",
                    "dynamodb:PutItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:UpdateItem",
                    "events:PutEvents",
                    "kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*",
                    "logs:CreateLogStream", "logs:PutLogEvents",
                    "omics:GetWorkflow",
                    "s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket", "s3:PutObject",
                    "sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl",
                    "sqs:ReceiveMessage", "sqs:SendMessage"),
            OmicsBatchStack.SUBMIT, Set.of(
                    "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem", "dynamodb:DeleteItem",
                    "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:GetRecords", "dynamodb:GetShardIterator",
                    "dynamodb:PutItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:UpdateItem",
                    "events:PutEvents", "iam:PassRole",
                    "kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*",
                    "logs:CreateLogStream", "logs:PutLogEvents",
                    "omics:StartRun", "omics:TagResource", "s3:PutObject",
                    "sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl",
                    "sqs:ReceiveMessage", "sqs:SendMessage"),
            OmicsBatchStack.RUN_DLQ, Set.of(
                    "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem", "dynamodb:DeleteItem",
                    "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:GetRecords", "dynamodb:GetShardIterator",
                    "dynamodb:PutItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:UpdateItem",
                    "events:PutEvents",
                    "kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*",
                    "logs:CreateLogStream", "logs:PutLogEvents", "s3:PutObject",
                    "sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl",
                    "sqs:ReceiveMessage"),
            OmicsBatchStack.STATUS, Set.of(
                    "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem", "dynamodb:DeleteItem",
                    "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:GetRecords", "dynamodb:GetShardIterator",
                    "dynamodb:PutItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:UpdateItem",
                    "events:PutEvents",
                    "kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*",
                    "logs:CreateLogStream", "logs:PutLogEvents",
                    "omics:GetRun", "s3:PutObject",
                    "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"),
            OmicsBatchStack.OPERATIONS, Set.of(
                    "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem", "dynamodb:DeleteItem",
                    "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:GetRecords", "dynamodb:GetShardIterator",
                    "dynamodb:PutItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:UpdateItem",
                    "events:PutEvents",
                    "kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*",
                    "logs:CreateLogStream", "logs:PutLogEvents",
                    "omics:CancelRun", "omics:DeleteRun", "omics:GetRun",
                    "s3:GetObject", "s3:GetObjectVersion", "s3:PutObject",
                    "sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl",
                    "sqs:ReceiveMessage", "sqs:SendMessage"),
            OmicsBatchStack.RECONCILE, Set.of(
                    "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem", "dynamodb:DeleteItem",
                    "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:GetRecords", "dynamodb:GetShardIterator",
                    "dynamodb:PutItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:UpdateItem",
                    "events:PutEvents",
                    "kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*",
                    "logs:CreateLogStream", "logs:PutLogEvents",
                    "omics:GetRun", "s3:PutObject",
                    "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"));

    @Test
    void noPolicyAnywhereAllowsAWildcardAction() {
        for (Synth synth : List.of(Synth.DEFAULT, Synth.CONFIGURED)) {
            List<JsonNode> statements = allStatements(synth.json().path("Resources"));
            assertThat(statements).hasSizeGreaterThan(20);
            for (JsonNode statement : statements) {
                if (statement.path("Effect").asText().equals("Deny")) {
                    continue; // the TLS-only denials (sqs:*, s3:*, sns:Publish when aws:SecureTransport is false)
                }
                for (String action : Synth.strings(statement.path("Action"))) {
                    assertThat(WILDCARD_ACTION.matcher(action).matches()).as("%s in %s", action, statement).isFalse();
                }
                assertThat(statement.has("NotAction")).as("NotAction in %s", statement).isFalse();
            }
        }
    }

    @Test
    void noRolePolicyGrantsAnythingOnEveryResource() {
        for (Synth synth : List.of(Synth.DEFAULT, Synth.CONFIGURED)) {
            for (JsonNode policy : synth.resources("AWS::IAM::Policy").values()) {
                for (JsonNode statement : policy.path("Properties").path("PolicyDocument").path("Statement")) {
                    assertThat(Synth.strings(statement.path("Resource"))).as("%s", statement).doesNotContain("*");
                }
            }
        }
    }

    @Test
    void eachFunctionMayDoExactlyWhatItNeeds() {
        for (Synth synth : List.of(Synth.DEFAULT, Synth.CONFIGURED)) {
            Map<String, Set<String>> granted = new TreeMap<>();
            synth.stack().functions().forEach((name, fn) -> granted.put(name, actions(synth, synth.logicalId(fn.role()))));
            assertThat(granted).isEqualTo(new TreeMap<>(ACTIONS));
        }
    }

    @Test
    void passRoleIsOnlyTheConfiguredRolesOnlyToHealthOmics() {
        JsonNode configured = passRole(Synth.CONFIGURED);
        assertThat(Synth.strings(configured.path("Resource"))).containsExactly(
                "arn:aws:iam::123456789012:role/OmicsServiceRole", "arn:aws:iam::123456789012:role/lab/omics-*");
        assertThat(configured.path("Condition").path("StringEquals").path("iam:PassedToService").asText())
                .isEqualTo("omics.amazonaws.com");

        JsonNode defaulted = passRole(Synth.DEFAULT);
        assertThat(defaulted.path("Resource").toString())
                .isEqualTo("{\"Fn::Join\":[\"\",[\"arn:\",{\"Ref\":\"AWS::Partition\"},\":iam::\",{\"Ref\":\"AWS::AccountId\"},"
                        + "\":role/omics-batch-*\"]]}");
        assertThat(defaulted.path("Condition").path("StringEquals").path("iam:PassedToService").asText())
                .isEqualTo("omics.amazonaws.com");
    }

    @Test
    void healthOmicsAccessIsThisAccountsAndRegionsOnly() {
        Synth synth = Synth.DEFAULT;
        for (JsonNode policy : synth.resources("AWS::IAM::Policy").values()) {
            for (JsonNode statement : policy.path("Properties").path("PolicyDocument").path("Statement")) {
                if (Synth.strings(statement.path("Action")).stream().anyMatch(a -> a.startsWith("omics:"))) {
                    for (JsonNode resource : resourceList(statement)) {
                        assertThat(resource.toString()).matches(".*:omics:\",\\{\"Ref\":\"AWS::Region\"},\":\",\\{\"Ref\":\"AWS::AccountId\"},"
                                + "\":(workflow|run|runGroup|runCache|configuration)/\\*\"]]}");
                    }
                }
            }
        }
        assertThat(resources(synth, OmicsBatchStack.STATUS, "omics:GetRun")).hasSize(1);
        assertThat(resources(synth, OmicsBatchStack.INTAKE, "omics:GetWorkflow")).singleElement()
                .asString().endsWith(":workflow/*\"]]}");
        assertThat(resources(synth, OmicsBatchStack.SUBMIT, "omics:StartRun")).hasSize(5);
        assertThat(resources(synth, OmicsBatchStack.SUBMIT, "omics:TagResource")).hasSize(1);
    }

    @Test
    void s3AccessIsByPrefix() {
        Synth synth = Synth.CONFIGURED;
        String bucket = synth.logicalId(synth.stack().settings().bucket());
        assertThat(resources(synth, OmicsBatchStack.INTAKE, "s3:GetObject")).containsExactlyInAnyOrder(
                objects(bucket, "batches/*"), objects(bucket, "resubmits/*"), objects(bucket, "runs/*"),
                "{\"Fn::Join\":[\"\",[\"arn:\",{\"Ref\":\"AWS::Partition\"},\":s3:::lab-cohorts/runs/*\"]]}",
                "{\"Fn::Join\":[\"\",[\"arn:\",{\"Ref\":\"AWS::Partition\"},\":s3:::lab-archive/*\"]]}");
        assertThat(resources(synth, OmicsBatchStack.INTAKE, "s3:PutObject")).containsExactly(objects(bucket, "reports/*"));
        assertThat(resources(synth, OmicsBatchStack.STATUS, "s3:PutObject")).containsExactly(objects(bucket, "results/*"));
        assertThat(resources(synth, OmicsBatchStack.RECONCILE, "s3:PutObject")).containsExactly(objects(bucket, "results/*"));
        // A failed submission can settle a batch's last run: the submit and run-dlq functions write manifests too.
        assertThat(resources(synth, OmicsBatchStack.SUBMIT, "s3:PutObject")).containsExactly(objects(bucket, "results/*"));
        assertThat(resources(synth, OmicsBatchStack.RUN_DLQ, "s3:PutObject")).containsExactly(objects(bucket, "results/*"));
    }

    @Test
    void batchEventsMayOnlyBePublishedWithOurSourceToTheConfiguredBus() {
        for (Synth synth : List.of(Synth.DEFAULT, Synth.CONFIGURED)) {
            for (String fn : ACTIONS.keySet()) {
                for (JsonNode statement : statements(synth, fn, "events:PutEvents")) {
                    assertThat(statement.path("Condition").path("StringEquals").path("events:source").asText())
                            .isEqualTo(OmicsBatchStack.BATCH_EVENT_SOURCE_NAME);
                    assertThat(statement.path("Resource").toString())
                            .endsWith(":event-bus/" + synth.stack().config().batchEventBus() + "\"]]}");
                }
            }
        }
    }

    @Test
    void onlyTheOperationsFunctionMayCancelOrDeleteRunsAndOnlyThisAccountsRuns() {
        Synth synth = Synth.DEFAULT;
        for (String fn : ACTIONS.keySet()) {
            boolean operations = fn.equals(OmicsBatchStack.OPERATIONS);
            for (String action : List.of("omics:CancelRun", "omics:DeleteRun")) {
                assertThat(statements(synth, fn, action)).as("%s may %s", fn, action).hasSize(operations ? 1 : 0);
            }
        }
        assertThat(resources(synth, OmicsBatchStack.OPERATIONS, "omics:CancelRun")).singleElement().asString()
                .endsWith(":omics:\",{\"Ref\":\"AWS::Region\"},\":\",{\"Ref\":\"AWS::AccountId\"},\":run/*\"]]}");
        String bucket = synth.logicalId(synth.stack().settings().bucket());
        assertThat(resources(synth, OmicsBatchStack.OPERATIONS, "s3:GetObject")).containsExactlyInAnyOrder(
                objects(bucket, "cancel/*"), objects(bucket, "delete-runs/*"), objects(bucket, "delete-batch/*"),
                objects(bucket, "resubmit/*"), objects(bucket, "batches/*"), objects(bucket, "resubmits/*"),
                objects(bucket, "runs/*"));
        assertThat(resources(synth, OmicsBatchStack.OPERATIONS, "s3:PutObject")).containsExactlyInAnyOrder(
                objects(bucket, "reports/*"), objects(bucket, "results/*"), objects(bucket, "resubmits/*"),
                objects(bucket, "runs/resubmits/*"));
    }

    @Test
    void writingEachRequestPrefixIsItsOwnManagedPolicy() {
        Synth synth = Synth.DEFAULT;
        String bucket = synth.logicalId(synth.stack().settings().bucket());
        Map<String, String> writable = new TreeMap<>();
        synth.stack().requestWriters().forEach((prefix, policy) -> {
            JsonNode document = synth.resource(synth.logicalId(policy)).path("Properties").path("PolicyDocument");
            List<String> putResources = new ArrayList<>();
            for (JsonNode statement : document.path("Statement")) {
                List<String> actions = Synth.strings(statement.path("Action"));
                if (actions.contains("s3:PutObject")) {
                    assertThat(actions).containsExactly("s3:PutObject");
                    resourceList(statement).forEach(r -> putResources.add(r.toString()));
                } else {
                    assertThat(actions).containsExactlyInAnyOrder("kms:GenerateDataKey", "kms:Encrypt");
                }
            }
            assertThat(putResources).as(prefix).hasSize(1);
            writable.put(prefix, putResources.get(0));
        });
        assertThat(writable).containsOnlyKeys("batches/", "cancel/", "delete-runs/", "delete-batch/", "resubmit/");
        writable.forEach((prefix, resource) -> assertThat(resource).isEqualTo(objects(bucket, prefix + "*")));
    }

    private static String objects(String bucket, String pattern) {
        return "{\"Fn::Join\":[\"\",[{\"Fn::GetAtt\":[\"" + bucket + "\",\"Arn\"]},\"/" + pattern + "\"]]}";
    }

    private static JsonNode passRole(Synth synth) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode statement : allStatements(synth.json().path("Resources"))) {
            if (Synth.strings(statement.path("Action")).contains("iam:PassRole")) {
                found.add(statement);
            }
        }
        assertThat(found).hasSize(1);
        assertThat(statements(synth, OmicsBatchStack.SUBMIT, "iam:PassRole")).containsExactly(found.get(0));
        return found.get(0);
    }

    private static Set<String> actions(Synth synth, String roleId) {
        Set<String> actions = new TreeSet<>();
        for (JsonNode policy : policiesOf(synth, roleId)) {
            for (JsonNode statement : policy.path("Properties").path("PolicyDocument").path("Statement")) {
                actions.addAll(Synth.strings(statement.path("Action")));
            }
        }
        return actions;
    }

    private static List<JsonNode> policiesOf(Synth synth, String roleId) {
        return synth.resources("AWS::IAM::Policy").values().stream()
                .filter(p -> Synth.references(p.path("Properties").path("Roles")).contains(roleId))
                .toList();
    }

    private static List<JsonNode> statements(Synth synth, String function, String action) {
        String roleId = synth.logicalId(synth.stack().functions().get(function).role());
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode policy : policiesOf(synth, roleId)) {
            for (JsonNode statement : policy.path("Properties").path("PolicyDocument").path("Statement")) {
                if (Synth.strings(statement.path("Action")).contains(action)) {
                    out.add(statement);
                }
            }
        }
        return out;
    }

    private static List<String> resources(Synth synth, String function, String action) {
        List<String> out = new ArrayList<>();
        for (JsonNode statement : statements(synth, function, action)) {
            resourceList(statement).forEach(r -> out.add(r.isTextual() ? r.asText() : r.toString()));
        }
        return out;
    }

    private static List<JsonNode> resourceList(JsonNode statement) {
        JsonNode resource = statement.path("Resource");
        List<JsonNode> out = new ArrayList<>();
        if (resource.isArray()) {
            resource.forEach(out::add);
        } else {
            out.add(resource);
        }
        return out;
    }

    /** Every statement of every policy document in the template (IAM, KMS, SQS, SNS, S3 policies). */
    static List<JsonNode> allStatements(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        collectStatements(node, out);
        return out;
    }

    private static void collectStatements(JsonNode node, List<JsonNode> out) {
        if (node.isObject()) {
            if (node.has("Statement") && node.get("Statement").isArray()) {
                node.get("Statement").forEach(out::add);
            }
            node.forEach(child -> collectStatements(child, out));
        } else if (node.isArray()) {
            node.forEach(child -> collectStatements(child, out));
        }
    }
}
