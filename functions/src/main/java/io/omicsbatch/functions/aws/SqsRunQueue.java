package io.omicsbatch.functions.aws;

import io.omicsbatch.util.DaemonThreads;
import io.omicsbatch.batch.RunMessage;
import io.omicsbatch.batch.RunQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/** The run queue in SQS: SendMessageBatch of 10, several batches in flight at once. */
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

    @Override
    public void send(List<RunMessage> messages) {
        List<CompletableFuture<Void>> batches = new ArrayList<>();
        for (int from = 0; from < messages.size(); from += SQS_BATCH_LIMIT) {
            List<RunMessage> batch = messages.subList(from, Math.min(messages.size(), from + SQS_BATCH_LIMIT));
            batches.add(CompletableFuture.runAsync(() -> sendBatch(batch), senders));
        }
        CompletableFuture.allOf(batches.toArray(CompletableFuture[]::new)).join();
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
