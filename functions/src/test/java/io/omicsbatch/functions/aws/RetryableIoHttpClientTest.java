package io.omicsbatch.functions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * A server that answers one request per kept-alive connection and drops the connection when the next request comes
 * on it: what a pooled connection the server has closed meanwhile looks like to the client. No stand-in produces this on demand, hence the raw
 * socket server.
 */
class RetryableIoHttpClientTest {

    private ServerSocket server;
    private final AtomicInteger connections = new AtomicInteger();
    private Thread acceptor;

    @BeforeEach
    void start() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::serve, "drop-first-connection");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    @Test
    void aStalePooledConnectionIsRetriedByTheSdk() {
        try (SdkHttpClient http = new RetryableIoHttpClient(UrlConnectionHttpClient.builder().build());
                S3Client s3 = client(http)) {
            assertThat(put(s3).eTag()).isEqualTo("\"etag\"");
            assertThat(put(s3).eTag()).isEqualTo("\"etag\"");
        }
        assertThat(connections).hasValue(2);
    }

    @Test
    void withoutItTheUrlConnectionClientFailsTheCallAtOnce() {
        // The reason the wrapper exists; if a later SDK fixes this, the wrapper can go.
        try (SdkHttpClient http = UrlConnectionHttpClient.builder().build(); S3Client s3 = client(http)) {
            put(s3);
            assertThatThrownBy(() -> put(s3)).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("Unexpected end of file from server");
        }
        assertThat(connections).hasValue(1);
    }

    /** PutObject sends {@code Expect: 100-continue}: the stale connection fails while the body is being sent. */
    private static PutObjectResponse put(S3Client s3) {
        return s3.putObject(p -> p.bucket("omics-batch-settings").key("reports/b/errors.json"),
                RequestBody.fromString("{}"));
    }

    private S3Client client(SdkHttpClient http) {
        return S3Client.builder().httpClient(http).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .endpointOverride(URI.create("http://127.0.0.1:" + server.getLocalPort()))
                .build();
    }

    /** Each connection: the first request is answered and the connection kept alive, the second dropped unanswered. */
    private void serve() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.incrementAndGet();
                Thread connection = new Thread(() -> answerOnceThenDrop(socket), "connection");
                connection.setDaemon(true);
                connection.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void answerOnceThenDrop(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            String headers = readHeaders(in);
            if (headers.toLowerCase(Locale.ROOT).contains("expect: 100-continue")) {
                out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            in.readNBytes(contentLength(headers));
            out.write("HTTP/1.1 200 OK\r\nETag: \"etag\"\r\nContent-Length: 0\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            readHeaders(in); // the next request on the kept-alive connection: closed without a byte of response
        } catch (IOException e) {
            // the client went away
        }
    }

    private static String readHeaders(InputStream in) throws IOException {
        StringBuilder headers = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            headers.append((char) c);
            if (headers.length() >= 4 && headers.substring(headers.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return headers.toString();
    }

    private static int contentLength(String headers) {
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring(15).trim());
            }
        }
        return 0;
    }
}
