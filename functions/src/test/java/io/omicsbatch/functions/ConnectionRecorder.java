package io.omicsbatch.functions;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

/** A local endpoint that accepts and counts connections, and closes each at once (any request on it fails). */
final class ConnectionRecorder implements AutoCloseable {

    private final ServerSocket server;
    private final AtomicInteger connections = new AtomicInteger();

    ConnectionRecorder() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getByName("localhost"));
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    connections.incrementAndGet();
                } catch (IOException e) {
                    // closed
                }
            }
        }, "connection-recorder");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    URI endpoint() {
        // A name, not an address: HealthOmics' operations prefix the host (workflows-localhost).
        return URI.create("http://localhost:" + server.getLocalPort());
    }

    int connections() {
        return connections.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
