package io.omicsbatch.local.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.batch.RunRecord;
import io.omicsbatch.batch.S3ObjectRef;
import io.omicsbatch.local.TestSupport;
import io.omicsbatch.local.simulator.OmicsSimulator;
import io.omicsbatch.local.simulator.SimulatorConfig;
import io.omicsbatch.resources.ResourceDefinitions;
import io.omicsbatch.settings.BatchIdentity;
import io.omicsbatch.settings.SettingsJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Documents, simulator settings and probes for the pipeline tests. */
final class PipelineTestSupport {

    static final String ROLE = "arn:aws:iam::123456789012:role/OmicsWorkflowServiceRole";

    private PipelineTestSupport() {}

    /** events/sim.json at the given StartRun quota. */
    /** The batch is in {@code status}, or, for INPROGRESS, already past it (PROCESSED). */
    static boolean reached(io.omicsbatch.batch.BatchRecord batch, io.omicsbatch.batch.BatchStatus status) {
        return batch.status() == status
                || (status == io.omicsbatch.batch.BatchStatus.INPROGRESS && batch.status() == io.omicsbatch.batch.BatchStatus.PROCESSED);
    }

    static SimulatorConfig simulator(double startRunTps) {
        SimulatorConfig c = SimulatorConfig.parse(TestSupport.repoFile("events/sim.json"));
        return new SimulatorConfig(c.seed(), startRunTps, c.maxActiveRuns(), new SimulatorConfig.Range(100, 300), c.failRate(),
                c.workflows(), c.faults(), c.lambdaFaults(), c.account());
    }

    /** A settings document of {@code runs} inline runs (at most 100) with the example workflow's parameters. */
    static ObjectNode inlineDocument(String batchName, int runs) {
        ObjectNode doc = baseDocument(batchName);
        ArrayNode inline = doc.putObject("batchRunSettings").putArray("inlineSettings");
        for (int i = 0; i < runs; i++) {
            inline.add(runSetting(batchName, i));
        }
        return doc;
    }

    static ObjectNode baseDocument(String batchName) {
        ObjectNode doc = SettingsJson.MAPPER.createObjectNode();
        doc.put("batchName", batchName);
        ObjectNode defaults = doc.putObject("defaultRunSetting");
        defaults.put("workflowId", "1234567");
        defaults.put("roleArn", ROLE);
        defaults.put("outputUri", "s3://lab-results/" + batchName + "/");
        defaults.put("storageType", "DYNAMIC");
        defaults.put("networkingMode", "RESTRICTED");
        defaults.put("scratchStorageMode", "LOCAL");
        defaults.putObject("parameters").put("ref_fasta", "s3://lab-refs/GRCh38.fasta");
        defaults.putObject("runTags").put("project", batchName);
        return doc;
    }

    /** {@code count} run settings for a runs file. */
    static ArrayNode runSettings(String batchName, int count) {
        ArrayNode runs = SettingsJson.MAPPER.createArrayNode();
        for (int i = 0; i < count; i++) {
            runs.add(runSetting(batchName, i));
        }
        return runs;
    }

    static ObjectNode runSetting(String batchName, int i) {
        String sample = batchName + "-S" + i;
        ObjectNode run = SettingsJson.MAPPER.createObjectNode();
        run.put("runSettingId", sample);
        run.put("name", "wgs-" + sample);
        ObjectNode parameters = run.putObject("parameters");
        parameters.put("sample_id", sample);
        parameters.put("fastq_r1", "s3://lab-in/" + sample + "_R1.fastq.gz");
        parameters.put("fastq_r2", "s3://lab-in/" + sample + "_R2.fastq.gz");
        return run;
    }

    static byte[] bytes(JsonNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    static String batchIdOf(S3ObjectRef object, String requestId) {
        return BatchIdentity.batchId(requestId, object.bucket(), object.key(), object.versionId(), object.eTag());
    }

    /** Every run record of a batch. */
    static List<RunRecord> runRecords(LocalPipeline pipeline, String batchId) {
        List<RunRecord> records = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        pipeline.aws().dynamoDbClient().queryPaginator(b -> b.tableName(ResourceDefinitions.RUNS_TABLE.name())
                        .keyConditionExpression("batchId = :b").expressionAttributeValues(Map.of(":b", AttributeValue.fromS(batchId)))
                        .consistentRead(true))
                .items().forEach(item -> ids.add(item.get("runSettingId").s()));
        for (String id : ids) {
            records.add(pipeline.runs().get(batchId, id).orElseThrow());
        }
        return records;
    }

    /** The simulator's StartRun calls for one batch (its requestIds all start with ob-<batchId>-). */
    static List<OmicsSimulator.StartRunCallRecord> startRunCalls(LocalPipeline pipeline, String batchId) {
        String prefix = "ob-" + batchId + "-";
        return pipeline.simulator().startRunCalls().stream().filter(c -> c.requestId() != null && c.requestId().startsWith(prefix)).toList();
    }

    static long outcomes(List<OmicsSimulator.StartRunCallRecord> calls, String outcome) {
        return calls.stream().filter(c -> c.outcome().equals(outcome)).count();
    }

    /** True when no message is waiting, in flight or delayed in any of the pipeline's queues. */
    static boolean queuesDrained(LocalPipeline pipeline) {
        for (String name : List.of(ResourceDefinitions.INTAKE_QUEUE.name(), ResourceDefinitions.RUN_QUEUE.name(),
                ResourceDefinitions.RUN_QUEUE.deadLetterQueueName())) {
            Map<QueueAttributeName, String> attributes = pipeline.aws().sqsClient().getQueueAttributes(b -> b
                    .queueUrl(pipeline.aws().queueUrl(name))
                    .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
            for (String count : attributes.values()) {
                if (!"0".equals(count)) {
                    return false;
                }
            }
        }
        return true;
    }

    static void awaitDrained(LocalPipeline pipeline, Duration timeout) {
        TestSupport.await("every queue drained", timeout, () -> queuesDrained(pipeline));
    }
}
