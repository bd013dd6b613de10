package io.omicsbatch.local.pipeline;

import static io.omicsbatch.local.pipeline.PipelineTestSupport.awaitDrained;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.batchIdOf;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.bytes;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.inlineDocument;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.runRecords;
import static org.assertj.core.api.Assertions.assertThat;

import io.omicsbatch.batch.BatchRecord;
import io.omicsbatch.batch.BatchStatus;
import io.omicsbatch.batch.SubmissionStatus;
import io.omicsbatch.batch.SubmitService;
import io.omicsbatch.local.simulator.SimulatorConfig;
import io.omicsbatch.resources.ResourceDefinitions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The run queue's redrive follows maxAttempts: a StartRun that fails every time is retried maxAttempts times (more
 * than SQS's usual 10 receives) and the submit function records the failure with StartRun's error; the message is
 * never dead-lettered.
 */
class DeadLetterAfterAttemptsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final int MAX_ATTEMPTS = 12;

    @Test
    void aStartRunThatAlwaysFailsFailsTheSubmissionAfterMaxAttemptsWithoutDeadLettering() throws Exception {
        SimulatorConfig base = PipelineTestSupport.simulator(200);
        SimulatorConfig simulator = new SimulatorConfig(base.seed(), base.startRunTps(), base.maxActiveRuns(),
                base.runDurationMillis(), 0, base.workflows(),
                new SimulatorConfig.Faults(1.0, 0, 0, 0, false, new SimulatorConfig.Range(0, 0)), base.lambdaFaults(),
                base.account());
        SubmitService.Config config = new SubmitService.Config(MAX_ATTEMPTS, Duration.ofMillis(100), Duration.ofMillis(500),
                Duration.ofSeconds(1), Duration.ofSeconds(1));
        LocalPipeline.Options options = LocalPipeline.Options.defaults(simulator).withStartRunTps(200).withSubmit(config);
        try (LocalPipeline pipeline = LocalPipeline.start(options)) {
            // The redrive the stack sets for this maxAttempts.
            String runQueue = pipeline.aws().queueUrl(ResourceDefinitions.RUN_QUEUE.name());
            String dlqArn = pipeline.aws().queueArn(ResourceDefinitions.RUN_QUEUE.deadLetterQueueName());
            pipeline.aws().sqsClient().setQueueAttributes(b -> b.queueUrl(runQueue).attributes(Map.of(
                    QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":"
                            + ResourceDefinitions.runQueue(MAX_ATTEMPTS).maxReceiveCount() + "}")));
            String batchId = batchIdOf(pipeline.dropSettings("attempts.json", bytes(inlineDocument("attempts", 2))), null);

            BatchRecord batch = pipeline.awaitBatch(batchId, b -> PipelineTestSupport.reached(b, BatchStatus.INPROGRESS), DEADLINE).orElseThrow();
            assertThat(batch.status()).isIn(BatchStatus.INPROGRESS, BatchStatus.PROCESSED);
            awaitDrained(pipeline, DEADLINE);

            assertThat(runRecords(pipeline, batchId)).hasSize(2).allSatisfy(r -> {
                assertThat(r.submissionStatus()).isEqualTo(SubmissionStatus.FAILED);
                assertThat(r.submissionFailureReason()).isEqualTo("InternalServerException");
                assertThat(r.attempts()).isEqualTo(MAX_ATTEMPTS);
            });
        }
    }
}
