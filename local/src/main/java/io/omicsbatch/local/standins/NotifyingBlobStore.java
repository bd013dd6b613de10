package io.omicsbatch.local.standins;

import io.omicsbatch.util.DaemonThreads;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * The blob store S3Proxy serves, wrapped so that every object S3Proxy creates (PutObject, POST upload, CopyObject,
 * CompleteMultipartUpload; whoever the client) is announced to the matching bucket notifications, after it was
 * stored, with S3's own event message. The event is sent before S3Proxy answers the request, so a client that got
 * its 200 can rely on the message being in the queue.
 *
 * <p>S3 delivers notifications at least once; {@link #deliverEachNotification} makes every ObjectCreated event
 * arrive that many times, all copies sent at once.
 */
final class NotifyingBlobStore extends ForwardingBlobStore {

    private static final Logger LOG = LoggerFactory.getLogger(NotifyingBlobStore.class);
    private static final int DELIVERY_ATTEMPTS = 3;

    private final S3EventMessages messages;
    private final List<BucketNotification> notifications = new CopyOnWriteArrayList<>();
    private final ExecutorService copySenders = Executors.newCachedThreadPool(DaemonThreads.named("s3-notification-copy"));
    private final AtomicLong duplicatesDelivered = new AtomicLong();
    private volatile int copies = 1;

    NotifyingBlobStore(BlobStore delegate, S3EventMessages messages) {
        super(delegate);
        this.messages = messages;
    }

    /** Every ObjectCreated event from now on is delivered {@code times} times, concurrently (at least 1). */
    void deliverEachNotification(int times) {
        if (times < 1) {
            throw new IllegalArgumentException("a notification is delivered at least once, got " + times);
        }
        copies = times;
    }

    /** Deliveries beyond the first of each event, so far. */
    long duplicatesDelivered() {
        return duplicatesDelivered.get();
    }

    /** Adds a configuration and sends it the {@code s3:TestEvent} message, as PutBucketNotificationConfiguration. */
    void addNotification(BucketNotification notification) {
        notifications.add(notification);
        deliver(notification, messages.testEvent(notification.bucket()));
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream input) {
        PutObjectResponse response = super.putBlob(request, input);
        objectCreated("ObjectCreated:Put", request.bucket(), request.key(), response.eTag(), response.versionId());
        return response;
    }

    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        CopyObjectResponse response = super.copyBlob(request);
        String eTag = response.copyObjectResult() == null ? null : response.copyObjectResult().eTag();
        objectCreated("ObjectCreated:Copy", request.destinationBucket(), request.destinationKey(), eTag,
                response.versionId());
        return response;
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(
            MultipartUpload upload, CompleteMultipartUploadRequest request) {
        CompleteMultipartUploadResponse response = super.completeMultipartUpload(upload, request);
        objectCreated("ObjectCreated:CompleteMultipartUpload", upload.containerName(), upload.blobName(),
                response.eTag(), response.versionId());
        return response;
    }

    private void objectCreated(String eventName, String bucket, String key, String eTag, String versionId) {
        if (bucket == null || key == null) {
            return;
        }
        List<BucketNotification> matching =
                notifications.stream().filter(n -> n.matches(bucket, key)).toList();
        if (matching.isEmpty()) {
            return;
        }
        // The size (and an ETag the operation did not return) come from the stored object itself.
        HeadObjectResponse head = delegate().blobMetadata(
                HeadObjectRequest.builder().bucket(bucket).key(key).versionId(versionId).build());
        long size = head.contentLength() == null ? 0L : head.contentLength();
        String tag = unquote(eTag != null ? eTag : head.eTag());
        for (BucketNotification notification : matching) {
            deliverCopies(notification, messages.objectCreated(
                    eventName, notification.configurationId(), bucket, key, size, tag, versionId));
        }
    }

    /** Each copy on its own thread, all awaited: the client's 200 still means every copy is in the queue. */
    private void deliverCopies(BucketNotification notification, String body) {
        int n = copies;
        if (n == 1) {
            deliver(notification, body);
            return;
        }
        List<CompletableFuture<Boolean>> sent = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            sent.add(CompletableFuture.supplyAsync(() -> deliver(notification, body), copySenders));
        }
        long delivered = sent.stream().filter(CompletableFuture::join).count();
        duplicatesDelivered.addAndGet(Math.max(0, delivered - 1));
    }

    /** True once delivered; false (logged) after the last attempt failed. */
    private static boolean deliver(BucketNotification notification, String body) {
        for (int attempt = 1; ; attempt++) {
            try {
                notification.destination().accept(body);
                return true;
            } catch (RuntimeException e) {
                if (attempt >= DELIVERY_ATTEMPTS) {
                    LOG.error("S3 event notification {} of bucket {} could not be delivered after {} attempts: {}",
                            notification.configurationId(), notification.bucket(), attempt, e.toString());
                    return false;
                }
            }
        }
    }

    @Override
    public void close() {
        copySenders.shutdownNow();
        super.close();
    }

    private static String unquote(String eTag) {
        if (eTag != null && eTag.length() >= 2 && eTag.startsWith("\"") && eTag.endsWith("\"")) {
            return eTag.substring(1, eTag.length() - 1);
        }
        return eTag;
    }
}
