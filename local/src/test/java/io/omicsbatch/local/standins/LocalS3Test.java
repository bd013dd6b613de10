package io.omicsbatch.local.standins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omicsbatch.batch.ObjectStore;
import io.omicsbatch.batch.S3ObjectRef;
import io.omicsbatch.functions.aws.S3ObjectStore;
import io.omicsbatch.local.TestSupport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * S3Proxy as {@link LocalS3} serves it, spoken to byte by byte where the SDK would hide what matters: the connection a
 * request arrived on.
 */
class LocalS3Test {

    private static final String ACCESS_KEY = "local-s3-test";
    private static final String SECRET_KEY = "local-s3-test-secret";
    private static final String BUCKET = "drain-test";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static LocalS3 s3;
    private static S3Client client;
    private static final Queue<String> notifications = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() {
        s3 = LocalS3.start("us-east-1", "OWNER", ACCESS_KEY, SECRET_KEY);
        client = S3Client.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(s3.endpoint())
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        client.createBucket(b -> b.bucket(BUCKET));
        s3.addNotification(new BucketNotification(BUCKET, "all", "", "", notifications::add));
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    /**
     * The SDK's PutObject body is {@code aws-chunked} with a signed CRC32 trailer. S3Proxy stores the object once it
     * has the checksum line; the trailer signature and final CRLF come after. S3 reads them before it answers and
     * keeps the connection; so must the stand-in, or a client still writing them fails and retries a stored PUT
     * (CI saw that as a second notification of one put).
     */
    @Test
    void aChunkedPutWhoseTrailerArrivesAfterTheObjectIsStoredIsAnsweredOnAConnectionThatStaysOpen() throws IOException {
        byte[] content = "{\"samples\":96}".getBytes(StandardCharsets.UTF_8);
        SignedRequest put = sign(SdkHttpMethod.PUT, "/" + BUCKET + "/late-trailer.json", content);
        byte[] head = requestHead(put.request());
        byte[] body = put.payload().orElseThrow().newStream().readAllBytes();
        assertThat(new String(body, StandardCharsets.US_ASCII)).contains("x-amz-trailer-signature:").endsWith("\r\n\r\n");
        int held = 2;

        try (Socket socket = new Socket(s3.endpoint().getHost(), s3.endpoint().getPort())) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(head);
            out.flush();
            // Expect: 100-continue; S3Proxy reading the body is what asks for it.
            assertThat(readResponse(in).status()).isEqualTo(100);
            out.write(body, 0, body.length - held);
            out.flush();
            TestSupport.await("the object to be stored and announced", TIMEOUT, () -> notifications.stream()
                    .anyMatch(message -> message.contains("late-trailer.json")));

            out.write(body, body.length - held, held);
            out.flush();
            Response stored = readResponse(in);
            assertThat(stored.status()).isEqualTo(200);
            assertThat(stored.headers().getOrDefault("connection", "")).doesNotContainIgnoringCase("close");

            // The same connection serves the next request.
            out.write(requestHead(sign(SdkHttpMethod.GET, "/" + BUCKET + "/late-trailer.json", null).request()));
            out.flush();
            Response read = readResponse(in);
            assertThat(read.status()).isEqualTo(200);
            assertThat(read.body()).isEqualTo(content);
        }
        assertThat(notifications).filteredOn(message -> message.contains("late-trailer.json")).hasSize(1);
    }

    /** Signs as the SDK's S3 client does over HTTP: SigV4, chunked and signed payload with a CRC32 trailer. */
    private static SignedRequest sign(SdkHttpMethod method, String path, byte[] content) {
        URI endpoint = s3.endpoint();
        SdkHttpRequest.Builder request = SdkHttpRequest.builder()
                .method(method)
                .protocol(endpoint.getScheme())
                .host(endpoint.getHost())
                .port(endpoint.getPort())
                .encodedPath(path);
        if (content != null) {
            request.putHeader("Content-Length", Integer.toString(content.length))
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Expect", "100-continue");
        }
        return AwsV4HttpSigner.create().sign(r -> {
            r.identity(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY))
                    .request(request.build())
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                    .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                    .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false);
            if (content != null) {
                r.payload(ContentStreamProvider.fromByteArray(content))
                        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true)
                        .putProperty(AwsV4HttpSigner.CHUNK_ENCODING_ENABLED, true)
                        .putProperty(AwsV4HttpSigner.CHECKSUM_ALGORITHM, DefaultChecksumAlgorithm.CRC32);
            }
        });
    }

    private static byte[] requestHead(SdkHttpRequest request) {
        StringBuilder head = new StringBuilder()
                .append(request.method().name()).append(' ').append(request.encodedPath()).append(" HTTP/1.1\r\n")
                .append("Host: ").append(request.host()).append(':').append(request.port()).append("\r\n");
        request.forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("Host")) {
                values.forEach(value -> head.append(name).append(": ").append(value).append("\r\n"));
            }
        });
        return head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    private record Response(int status, Map<String, String> headers, byte[] body) {}

    /** One HTTP/1.1 response (bodies by Content-Length, as S3Proxy sends them here). */
    private static Response readResponse(InputStream in) throws IOException {
        String statusLine = readLine(in);
        assertThat(statusLine).as("a response, not a closed connection").startsWith("HTTP/1.1 ");
        int status = Integer.parseInt(statusLine.substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        int length = status == 100 ? 0 : Integer.parseInt(headers.getOrDefault("content-length", "0"));
        return new Response(status, headers, in.readNBytes(length));
    }

    private static String readLine(InputStream in) {
        try {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    return line.toString(StandardCharsets.US_ASCII);
                }
                if (b != '\r') {
                    line.write(b);
                }
            }
            return line.toString(StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aDeniedObjectAnswers403ToReadsAndTheObjectStoreSaysSo() {
        client.putObject(b -> b.bucket(BUCKET).key("denied/runs.json"), RequestBody.fromString("[]"));
        client.putObject(b -> b.bucket(BUCKET).key("denied-not/runs.json"), RequestBody.fromString("[]"));
        client.putObject(b -> b.bucket(BUCKET).key("open/runs.json"), RequestBody.fromString("[]"));
        s3.denyReads(BUCKET, "denied/");

        assertThatThrownBy(() -> client.headObject(b -> b.bucket(BUCKET).key("denied/runs.json")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
        assertThatThrownBy(() -> client.getObjectAsBytes(b -> b.bucket(BUCKET).key("denied/runs.json")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                });
        // A missing object under the prefix is denied too, as S3 answers a caller that may not list.
        assertThatThrownBy(() -> client.headObject(b -> b.bucket(BUCKET).key("denied/absent.json")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));

        S3ObjectStore objects = new S3ObjectStore(client);
        assertThatThrownBy(() -> objects.head(BUCKET, "denied/runs.json")).isInstanceOf(ObjectStore.AccessDeniedException.class);
        assertThatThrownBy(() -> objects.open(new S3ObjectRef(BUCKET, "denied/runs.json", null, null)))
                .isInstanceOf(ObjectStore.AccessDeniedException.class);
        assertThat(objects.head(BUCKET, "denied-not/runs.json")).isPresent();
        assertThat(objects.head(BUCKET, "open/runs.json")).isPresent();
        assertThat(objects.head(BUCKET, "open/absent.json")).isEmpty();
    }
}
