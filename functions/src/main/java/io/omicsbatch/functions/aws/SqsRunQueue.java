package io.omicsbatch.functions.aws;

import io.omicsbatch.util.DaemonThreads;
import io.omicsbatch.batch.RunMessage;
import io.omicsbatch.batch.RunQueue;
import io.omicsbatch.resources.ResourceDefinitions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/** The run queue in SQS: SendMessageBatch of up to 10, several batches in flight at once. */
public final class SqsRunQueue implements RunQueue, AutoCloseable {

    private static final int SQS_BATCH_LIMIT = 10;
    private static final int MAX_RESENDS = 5;
    private static final long MAX_DELAY_SECONDS = 900;

    private final SqsClient sqs;
    private final String queueUrl;
    private final ExecutorService senders;

    public SqsRunQueue(SqsClient sqs, String queueUrl, int parallelism) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.senders = Executors.newFixedThreadPool(parallelism, DaemonThreads.named("run-queue-sender"));
    }

    /**
     * Sends in SendMessageBatch requests of at most 10 messages and at most {@link ResourceDefinitions#MAX_MESSAGE_BYTES}
     * together (SQS refuses a larger request whole), several requests in flight. Messages are measured here but
     * serialized by the senders, so only the requests in flight hold their text.
     */
    @Override
    public void send(List<RunMessage> messages) {
        List<CompletableFuture<Void>> requests = new ArrayList<>();
        int from = 0;
        long bytes = 0;
        for (int i = 0; i < messages.size(); i++) {
            long size = messages.get(i).jsonLength();
            if (i - from == SQS_BATCH_LIMIT || (i > from && bytes + size > ResourceDefinitions.MAX_MESSAGE_BYTES)) {
                requests.add(sendAsync(messages.subList(from, i)));
                from = i;
                bytes = 0;
            }
            bytes += size;
        }
        if (from < messages.size()) {
            requests.add(sendAsync(messages.subList(from, messages.size())));
        }
        CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new)).join();
    }

    private CompletableFuture<Void> sendAsync(List<RunMessage> batch) {
        return CompletableFuture.runAsync(() -> sendBatch(batch), senders);
    }

    private void sendBatch(List<RunMessage> batch) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(batch.get(i).toJson()).build());
        }
        for (int attempt = 0; !entries.isEmpty(); attempt++) {
            if (attempt > MAX_RESENDS) {
                throw new IllegalStateException(entries.size() + " run messages could not be sent");
            }
            List<SendMessageBatchRequestEntry> request = entries;
            SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(request));
            List<String> failedIds = response.failed().stream().map(f -> f.id()).toList();
            entries = request.stream().filter(e -> failedIds.contains(e.id())).toList();
        }
    }

    @Override
    public void sendDelayed(RunMessage message, Duration delay) {
        int seconds = (int) Math.min(MAX_DELAY_SECONDS, Math.max(0, (delay.toMillis() + 999) / 1000));
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(message.toJson()).delaySeconds(seconds));
    }

    @Override
    public void close() {
        senders.shutdownNow();
    }
}
