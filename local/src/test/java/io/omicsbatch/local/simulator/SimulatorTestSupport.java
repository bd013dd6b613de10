package io.omicsbatch.local.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.omicsbatch.local.events.EventPublisher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.omics.OmicsClient;
import software.amazon.awssdk.services.omics.model.StartRunRequest;

/** Shared pieces of the simulator tests: SDK clients, a collecting event publisher, fake time, polling. */
final class SimulatorTestSupport {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ROLE = "arn:aws:iam::123456789012:role/OmicsWorkflowServiceRole";
    static final String OTHER_ACCOUNT_ROLE = "arn:aws:iam::210987654321:role/OmicsWorkflowServiceRole";
    static final String OUTPUT = "s3://sim-results/wgs/";

    private SimulatorTestSupport() {}

    /** The real SDK client, as the product builds it for a local endpoint, without retries. */
    static OmicsClient client(URI endpoint) {
        return client(endpoint, o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
    }

    static OmicsClient client(URI endpoint, Consumer<ClientOverrideConfiguration.Builder> override) {
        return OmicsClient.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDSIMULATOR", "secret0local")))
                .endpointOverride(endpoint)
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> {
                    o.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true);
                    override.accept(o);
                })
                .build();
    }

    static SimulatorConfig config(String json) {
        return SimulatorConfig.parse(json);
    }

    static OmicsSimulator start(String configJson, EventPublisher publisher) {
        try {
            return OmicsSimulator.builder().config(config(configJson)).publisher(publisher).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static StartRunRequest.Builder startRun(String requestId) {
        return StartRunRequest.builder()
                .workflowId("1234567")
                .roleArn(ROLE)
                .outputUri(OUTPUT)
                .name("run-" + requestId)
                .requestId(requestId)
                .storageType("DYNAMIC")
                .parameters(Document.fromMap(Map.of("input", Document.fromString("s3://sim-inputs/a.fastq.gz"))));
    }

    /** Polls a condition until it holds or the deadline passes; never a fixed sleep. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path repoFile(String relative) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve("events")) && Files.isRegularFile(dir.resolve("pom.xml"))
                    && Files.isDirectory(dir.resolve("shared"))) {
                return dir.resolve(relative);
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("not inside the omics-batch repository");
    }

    /** Collects published events, thread-safely. */
    static final class CollectingPublisher implements EventPublisher {
        private final List<String> events = new ArrayList<>();

        @Override
        public synchronized void publish(String eventJson) {
            events.add(eventJson);
        }

        synchronized List<String> events() {
            return List.copyOf(events);
        }

        synchronized int size() {
            return events.size();
        }

        List<JsonNode> parsed() {
            return events().stream().map(SimulatorTestSupport::readJson).toList();
        }

        /** The statuses of one run's events, in delivery order. */
        List<String> statusesOf(String runId) {
            return parsed().stream().filter(e -> e.path("detail").path("runId").asText().equals(runId))
                    .map(e -> e.path("detail").path("status").asText()).toList();
        }
    }

    /** Time under the test's control: a monotonic nanosecond counter and a clock reading the same time. */
    static final class FakeTime {
        private final AtomicLong nanos = new AtomicLong();
        private final Instant origin = Instant.parse("2025-06-02T13:00:00Z");

        long nanoTime() {
            return nanos.get();
        }

        void advanceMillis(long millis) {
            nanos.addAndGet(Duration.ofMillis(millis).toNanos());
        }

        Clock clock() {
            return new Clock() {
                @Override
                public ZoneId getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(ZoneId zone) {
                    return this;
                }

                @Override
                public Instant instant() {
                    return origin.plusNanos(nanos.get());
                }
            };
        }
    }
}
