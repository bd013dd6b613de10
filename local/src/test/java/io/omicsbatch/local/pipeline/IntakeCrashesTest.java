package io.omicsbatch.local.pipeline;

import static io.omicsbatch.local.pipeline.PipelineTestSupport.batchIdOf;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.bytes;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.inlineDocument;
import static io.omicsbatch.local.pipeline.PipelineTestSupport.runRecords;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omicsbatch.intake.IntakeService;
import io.omicsbatch.batch.RunMessage;
import io.omicsbatch.batch.RunQueue;
import io.omicsbatch.batch.S3ObjectRef;
import io.omicsbatch.batch.SubmissionStatus;
import io.omicsbatch.local.simulator.SimulatorConfig;
import io.omicsbatch.resources.ResourceDefinitions;
import io.omicsbatch.settings.SettingsJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Where and how often {@link IntakeCrashes} kills the intake. */
class IntakeCrashesTest {

    /** Records what reached the queue. */
    private static final class SentMessages implements RunQueue {
        final List<RunMessage> sent = new ArrayList<>();

        @Override
        public synchronized void send(List<RunMessage> messages) {
            sent.addAll(messages);
        }

        @Override
        public void sendDelayed(RunMessage message, Duration delay) {
            throw new UnsupportedOperationException("the intake never delays a message");
        }
    }

    private static List<RunMessage> chunk(String batchId, int from, int size) {
        ObjectNode body = SettingsJson.MAPPER.createObjectNode();
        return IntStream.range(from, from + size).mapToObj(i -> new RunMessage(batchId, "S" + i, body)).toList();
    }

    @Test
    void aKillWhileSendingFallsBetweenTwoSendMessageBatchCalls() {
        IntakeCrashes crashes = new IntakeCrashes(1.0, 7);
        for (int chunk = 0; chunk < 20; chunk++) {
            SentMessages queue = new SentMessages();
            List<RunMessage> messages = chunk("b", chunk * 25, 25);

            SimulatedLambdaCrash crash = catchThrowableOfType(SimulatedLambdaCrash.class,
                    () -> crashes.queue(queue).send(messages));

            assertThat(crash).as("rate 1 kills every chunk").isNotNull();
            assertThat(queue.sent).as("a prefix of whole SendMessageBatch calls")
                    .isEqualTo(messages.subList(0, queue.sent.size()))
                    .satisfiesAnyOf(sent -> assertThat(sent.size() % 10).isZero(), sent -> assertThat(sent).hasSize(25));
            assertThat(crash.getMessage()).contains(queue.sent.size() + " of 25 sent").doesNotContain("S" + chunk * 25);
        }
        assertThat(crashes.crashes()).isEqualTo(20);
    }

    @Test
    void eachPointStrikesSoThatAChunksThreePointsTogetherDieAtTheRateAndTheSameSeedKillsTheSameAttempts() {
        double rate = 0.3;
        IntakeCrashes crashes = new IntakeCrashes(rate, 2026);
        IntakeCrashes again = new IntakeCrashes(rate, 2026);
        List<Boolean> killed = new ArrayList<>();
        List<Boolean> killedAgain = new ArrayList<>();
        int chunks = 3000;
        for (int chunk = 0; chunk < chunks; chunk++) {
            killed.add(kills(crashes, chunk));
        }
        for (int chunk = chunks - 1; chunk >= 0; chunk--) {
            killedAgain.add(0, kills(again, chunk)); // in the other order: the decisions do not depend on it
        }

        double perPoint = 1 - Math.pow(1 - rate, 1.0 / 3);
        double fraction = killed.stream().filter(k -> k).count() / (double) chunks;
        assertThat(fraction).as("one point of a chunk").isBetween(perPoint - 0.02, perPoint + 0.02);
        assertThat(1 - Math.pow(1 - perPoint, 3)).as("three points together").isCloseTo(rate, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(killedAgain).isEqualTo(killed);
        // A second attempt at the same chunk is a new draw, not the first one again.
        List<Boolean> secondAttempts = IntStream.range(0, chunks).mapToObj(chunk -> kills(crashes, chunk)).toList();
        assertThat(secondAttempts).isNotEqualTo(killed);
    }

    private static boolean kills(IntakeCrashes crashes, int chunk) {
        return catchThrowableOfType(SimulatedLambdaCrash.class,
                () -> crashes.queue(new SentMessages()).send(chunk("b", chunk * 10, 10))) != null;
    }

    /**
     * On the stand-ins, a kill after the records: the chunk's run records are written, none of its messages is in the
     * run queue, the checkpoint has not moved, and the error escapes the intake as a timeout's end would.
     */
    @Test
    void anIntakeKilledAfterItsRecordsLeavesThemWithoutMessagesOrCheckpoint() throws Exception {
        SimulatorConfig base = PipelineTestSupport.simulator(200);
        SimulatorConfig alwaysKilled = new SimulatorConfig(base.seed(), base.startRunTps(), base.maxActiveRuns(),
                base.runDurationMillis(), base.failRate(), base.workflows(), base.faults(),
                new SimulatorConfig.LambdaFaults(0, 1.0, 1), base.account());
        try (LocalPipeline pipeline = LocalPipeline.start(LocalPipeline.Options.defaults(alwaysKilled).withoutTriggers())) {
            S3ObjectRef dropped = pipeline.dropSettings("killed.json", bytes(inlineDocument("killed", 12)));
            String batchId = batchIdOf(dropped, null);
            IntakeService intake = pipeline.intake(new IntakeService.Config(200, ResourceDefinitions.RUN_QUEUE.retentionPeriod(), 5, 20));

            SimulatedLambdaCrash crash = catchThrowableOfType(SimulatedLambdaCrash.class, () -> intake.handle(dropped, () -> true));

            assertThat(crash).isNotNull();
            assertThat(crash.getMessage()).contains("after writing run records, before sending their messages");
            assertThat(pipeline.intakeCrashes()).isEqualTo(1);
            assertThat(runRecords(pipeline, batchId)).hasSize(5)
                    .allSatisfy(run -> assertThat(run.submissionStatus()).isEqualTo(SubmissionStatus.PENDING));
            assertThat(pipeline.batches().get(batchId).orElseThrow().expandedRuns()).isZero();
            String runQueue = pipeline.aws().queueUrl(ResourceDefinitions.RUN_QUEUE.name());
            assertThat(pipeline.aws().sqsClient().getQueueAttributes(b -> b.queueUrl(runQueue)
                    .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes())
                    .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0");
        }
    }
}
