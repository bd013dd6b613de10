package io.omicsbatch.local.standins;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/**
 * ElasticMQ 1.7.1 in this JVM, on 127.0.0.1 and ports the OS chooses, behind a thin front that keeps the one queue
 * attribute ElasticMQ drops ({@code MessageRetentionPeriod}, see {@link SqsAttributeFront}). SDK 2.40.2 talks the
 * SQS JSON protocol to the front; queue URLs name the front, and ARNs the region and account given here.
 */
public final class LocalSqs implements AutoCloseable {

    private final SqsAttributeFront front;
    private final SQSRestServer server;
    private final URI endpoint;
    private final URI elasticMqEndpoint;

    private LocalSqs(SqsAttributeFront front, SQSRestServer server, URI endpoint, URI elasticMqEndpoint) {
        this.front = front;
        this.server = server;
        this.endpoint = endpoint;
        this.elasticMqEndpoint = elasticMqEndpoint;
    }

    /** Starts ElasticMQ with no queues; {@link LocalStandIns} creates them from the resource definitions. */
    public static LocalSqs start(String region, String accountId) {
        SqsAttributeFront front;
        try {
            front = SqsAttributeFront.bind();
        } catch (IOException e) {
            throw new UncheckedIOException("the SQS front could not bind 127.0.0.1", e);
        }
        URI endpoint = Loopback.httpUri(front.port());
        SQSRestServer server;
        int port;
        try {
            server = SQSRestServerBuilder.withInterface(Loopback.HOST)
                    .withDynamicPort()
                    // Queue URLs point at the front, so clients that use them as addresses go through it too.
                    .withServerAddress(new NodeAddress("http", Loopback.HOST, front.port(), ""))
                    .withAWSRegion(region)
                    .withAWSAccountId(accountId)
                    .start();
        } catch (RuntimeException e) {
            front.close();
            throw new IllegalStateException("ElasticMQ could not start: " + e.getMessage(), e);
        }
        try {
            port = server.waitUntilStarted().localAddress().getPort();
        } catch (RuntimeException e) {
            server.stopAndWait();
            front.close();
            throw new IllegalStateException("ElasticMQ could not start: " + e.getMessage(), e);
        }
        URI elasticMq = Loopback.httpUri(port);
        front.forwardTo(elasticMq);
        return new LocalSqs(front, server, endpoint, elasticMq);
    }

    /** {@code http://127.0.0.1:<port>}: the endpoint for clients. */
    public URI endpoint() {
        return endpoint;
    }

    /** ElasticMQ itself, without the front (no {@code MessageRetentionPeriod}); for diagnostics. */
    public URI elasticMqEndpoint() {
        return elasticMqEndpoint;
    }

    /** Stops the front, unbinds ElasticMQ and terminates its actor system (and with it every thread it started). */
    @Override
    public void close() {
        try {
            front.close();
        } finally {
            server.stopAndWait();
        }
    }
}
