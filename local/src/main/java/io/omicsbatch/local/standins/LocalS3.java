package io.omicsbatch.local.standins;

import java.net.URI;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;

/**
 * S3Proxy 4.1.0 with its transient (in-memory) blob store, on 127.0.0.1 and a port the OS chooses, checking AWS
 * signatures (V2 or V4) against one access key. Clients must use path-style addressing.
 *
 * <p>S3Proxy has no bucket notifications; {@link #addNotification} emulates them (see {@link NotifyingBlobStore}).
 * It reads each successful request to its end before answering, as S3 does (see {@link RequestBodyDrain}), and can
 * deny reads of chosen objects, as IAM or a bucket policy would ({@link #denyReads}).
 */
public final class LocalS3 implements AutoCloseable {

    private final S3Proxy proxy;
    private final NotifyingBlobStore blobStore;
    private final ReadDenials readDenials;
    private final URI endpoint;

    private LocalS3(S3Proxy proxy, NotifyingBlobStore blobStore, ReadDenials readDenials, URI endpoint) {
        this.proxy = proxy;
        this.blobStore = blobStore;
        this.readDenials = readDenials;
        this.endpoint = endpoint;
    }

    /**
     * Starts an empty S3.
     *
     * @param region the region event messages name
     * @param ownerPrincipalId the bucket owner's principal id in event messages
     * @param accessKeyId the only access key accepted, also the requester identity in event messages
     */
    public static LocalS3 start(String region, String ownerPrincipalId, String accessKeyId, String secretAccessKey) {
        BlobStore transientStore = BlobStores.create("transient", new Properties());
        NotifyingBlobStore blobStore = new NotifyingBlobStore(
                transientStore, new S3EventMessages(region, ownerPrincipalId, "AWS:" + accessKeyId));
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(blobStore)
                .endpoint(URI.create("http://" + Loopback.HOST + ":0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKeyId, secretAccessKey)
                // Jetty's graceful stop would wait (up to 30 s by default) for clients' idle keep-alive connections.
                .stopTimeout(100)
                .build();
        ReadDenials readDenials;
        try {
            RequestBodyDrain.install(proxy);
            readDenials = ReadDenials.install(RequestBodyDrain.servletContext(proxy));
            proxy.start();
        } catch (Exception e) {
            stopQuietly(proxy, blobStore);
            throw new IllegalStateException("S3Proxy could not start: " + e.getMessage(), e);
        }
        if (!"STARTED".equals(proxy.getState())) {
            stopQuietly(proxy, blobStore);
            throw new IllegalStateException("S3Proxy could not start: state " + proxy.getState());
        }
        return new LocalS3(proxy, blobStore, readDenials, Loopback.httpUri(proxy.getPort()));
    }

    /** {@code http://127.0.0.1:<port>}; use path-style addressing. */
    public URI endpoint() {
        return endpoint;
    }

    /**
     * From now on, GET and HEAD of objects of {@code bucket} under {@code keyPrefix} answer 403 AccessDenied, as S3
     * does for an object the caller may not read (see {@link ReadDenials}).
     */
    public void denyReads(String bucket, String keyPrefix) {
        readDenials.deny(bucket, keyPrefix);
    }

    /**
     * Adds a notification configuration to a bucket and, as S3 does when a configuration is put, sends the
     * {@code s3:TestEvent} message to its destination.
     */
    public void addNotification(BucketNotification notification) {
        blobStore.addNotification(notification);
    }

    /**
     * Delivers every ObjectCreated notification from now on {@code times} times, all copies at once, as S3's
     * at-least-once delivery may (1, the default, is one delivery).
     */
    public void deliverEachNotification(int times) {
        blobStore.deliverEachNotification(times);
    }

    /** Notifications delivered beyond the first copy of each event, so far. */
    public long duplicateNotificationsDelivered() {
        return blobStore.duplicatesDelivered();
    }

    @Override
    public void close() {
        stopQuietly(proxy, blobStore);
    }

    private static void stopQuietly(S3Proxy proxy, BlobStore blobStore) {
        try {
            proxy.stop();
        } catch (Exception e) {
            // best effort
        }
        blobStore.close();
    }
}
