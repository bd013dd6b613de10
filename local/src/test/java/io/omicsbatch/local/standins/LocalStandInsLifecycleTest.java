package io.omicsbatch.local.standins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omicsbatch.local.TestSupport;
import io.omicsbatch.resources.ResourceDefinitions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/** Closing the stand-ins leaves no listening port and no thread behind. */
class LocalStandInsLifecycleTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    /**
     * JDK threads that outlive any use of HttpURLConnection (SDK clients and the SQS front use it): the keep-alive
     * cache's cleaner, a daemon that ends by itself 5 s after the last cached connection was used.
     */
    private static final Set<String> JDK_THREADS = Set.of("Keep-Alive-Timer");

    @Test
    void closeReleasesEveryPortAndThread() {
        Set<Thread> before = liveThreads();
        LocalStandIns standIns = LocalStandIns.start();
        List<URI> endpoints;
        try {
            endpoints = LocalStandInsTest.endpoints(standIns);
            // Use every service, so that each has connections and worker threads to clean up.
            standIns.dynamoDbClient().listTables();
            standIns.sqsClient().receiveMessage(r -> r.queueUrl(standIns.queueUrl(
                    ResourceDefinitions.INTAKE_QUEUE.name())).waitTimeSeconds(0));
            standIns.s3Client().putObject(p -> p.bucket(standIns.settingsBucket()).key("batches/lifecycle.json"),
                    RequestBody.fromString("{}"));
            for (URI endpoint : endpoints) {
                assertThat(accepts(endpoint.getPort())).as("%s while running", endpoint).isTrue();
            }
        } finally {
            standIns.close();
        }

        for (URI endpoint : endpoints) {
            assertThat(accepts(endpoint.getPort())).as("%s after close", endpoint).isFalse();
        }
        TestSupport.await("the stand-ins' threads to end", TIMEOUT, () -> newThreads(before).isEmpty());
        assertThatThrownBy(standIns::s3Client).isInstanceOf(IllegalStateException.class);
        standIns.close(); // twice is harmless
    }

    private static Set<Thread> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).collect(Collectors.toSet());
    }

    private static Set<String> newThreads(Set<Thread> before) {
        return liveThreads().stream()
                .filter(thread -> !before.contains(thread))
                .map(Thread::getName)
                .filter(name -> !JDK_THREADS.contains(name))
                .collect(Collectors.toSet());
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
