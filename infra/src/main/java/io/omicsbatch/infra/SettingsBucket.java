package io.omicsbatch.infra;

import io.omicsbatch.resources.ResourceDefinitions;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.EventType;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.NotificationKeyFilter;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.s3.notifications.SqsDestination;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/**
 * The settings bucket users drop batches into, and the bucket its server access logs go to.
 *
 * <p>Settings bucket: versioned (the intake reads the notified version), encrypted with the data key (S3
 * bucket key on), TLS 1.2+ only, public access blocked, ACLs disabled, access logged; {@code reports/}
 * (error reports of rejected batches) expire after {@link #REPORTS_EXPIRY_DAYS} days, noncurrent versions
 * after {@link #NONCURRENT_EXPIRY_DAYS}; {@code batches/*.json} ObjectCreated notifications go to the intake
 * queue. Kept when the stack is deleted.
 */
public final class SettingsBucket extends Construct {

    public static final int REPORTS_EXPIRY_DAYS = 90;
    public static final int NONCURRENT_EXPIRY_DAYS = 30;
    public static final int ACCESS_LOG_EXPIRY_DAYS = 365;

    private final Bucket bucket;
    private final Bucket accessLogs;

    public SettingsBucket(Construct scope, String id, IKey key, IQueue intakeQueue, IQueue operationQueue) {
        super(scope, id);
        // Server access logs cannot be delivered to a bucket with SSE-KMS default encryption: SSE-S3 here.
        accessLogs = Bucket.Builder.create(this, "AccessLogs")
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .minimumTlsVersion(1.2)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .versioned(true)
                .lifecycleRules(List.of(LifecycleRule.builder()
                        .id("expire-access-logs")
                        .expiration(Duration.days(ACCESS_LOG_EXPIRY_DAYS))
                        .noncurrentVersionExpiration(Duration.days(NONCURRENT_EXPIRY_DAYS))
                        .build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        bucket = Bucket.Builder.create(this, "Bucket")
                .encryption(BucketEncryption.KMS)
                .encryptionKey(key)
                .bucketKeyEnabled(true)
                .enforceSsl(true)
                .minimumTlsVersion(1.2)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .versioned(true)
                .serverAccessLogsBucket(accessLogs)
                .serverAccessLogsPrefix("settings-bucket/")
                .lifecycleRules(List.of(
                        LifecycleRule.builder()
                                .id("expire-reports")
                                .prefix(ResourceDefinitions.REPORTS_PREFIX)
                                .expiration(Duration.days(REPORTS_EXPIRY_DAYS))
                                .build(),
                        LifecycleRule.builder()
                                .id("expire-noncurrent-versions")
                                .noncurrentVersionExpiration(Duration.days(NONCURRENT_EXPIRY_DAYS))
                                .expiredObjectDeleteMarker(true)
                                .abortIncompleteMultipartUploadAfter(Duration.days(7))
                                .build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        bucket.addEventNotification(EventType.OBJECT_CREATED, new SqsDestination(intakeQueue),
                NotificationKeyFilter.builder()
                        .prefix(ResourceDefinitions.BATCHES_PREFIX)
                        .suffix(ResourceDefinitions.BATCHES_SUFFIX)
                        .build());
        // One notification per operation prefix: S3 filters take one prefix each.
        for (String prefix : ResourceDefinitions.OPERATION_PREFIXES) {
            bucket.addEventNotification(EventType.OBJECT_CREATED, new SqsDestination(operationQueue),
                    NotificationKeyFilter.builder().prefix(prefix).suffix(ResourceDefinitions.BATCHES_SUFFIX).build());
        }
    }

    public Bucket bucket() {
        return bucket;
    }

    public Bucket accessLogs() {
        return accessLogs;
    }

    /** The ARN of the objects under a prefix of the settings bucket, e.g. {@code batches/*}. */
    public String objectsArn(String prefix) {
        return bucket.arnForObjects(prefix + "*");
    }
}
