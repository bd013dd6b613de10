package io.omicsbatch.local.standins;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.omicsbatch.local.TestSupport;
import io.omicsbatch.resources.ResourceDefinitions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The emulated notification of the settings bucket: objects created under {@code batches/} ending in {@code .json}
 * reach the intake queue as S3 event messages, nothing else does. Started once; every message the intake queue ever
 * received is kept in {@link #intake}, so that the tests do not depend on their order.
 */
class LocalS3NotificationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static LocalStandIns standIns;
    private static S3Client s3;
    private static SqsClient sqs;
    private static final Queue<JsonNode> intake = new ConcurrentLinkedQueue<>();

    private final JsonNode sample = json(TestSupport.repoFile("events/s3-object-created.json"));

    @BeforeAll
    static void start() {
        standIns = LocalStandIns.start();
        s3 = standIns.s3Client();
        sqs = standIns.sqsClient();
    }

    @AfterAll
    static void stop() {
        if (standIns != null) {
            standIns.close();
        }
    }

    @Test
    void configuringTheNotificationSentTheS3TestEventToTheIntakeQueue() {
        drainIntake();
        assertThat(intake).filteredOn(message -> message.has("Event")).singleElement().satisfies(test -> {
            assertThat(test.path("Service").asText()).isEqualTo("Amazon S3");
            assertThat(test.path("Event").asText()).isEqualTo("s3:TestEvent");
            assertThat(test.path("Bucket").asText()).isEqualTo(ResourceDefinitions.LOCAL_SETTINGS_BUCKET);
            assertThat(Instant.parse(test.path("Time").asText())).isBefore(Instant.now().plusSeconds(1));
            assertThat(test.path("RequestId").asText()).isNotEmpty();
            assertThat(test.path("HostId").asText()).isNotEmpty();
        });
    }

    @Test
    void aBatchDocumentPutThroughTheSdkYieldsExactlyOneNotificationShapedLikeS3s() {
        byte[] content = "{\"batchName\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        PutObjectResponse put = s3.putObject(p -> p.bucket(standIns.settingsBucket()).key("batches/x.json"),
                RequestBody.fromBytes(content));

        List<JsonNode> records = awaitRecords("batches/x.json", 1);

        assertThat(records).hasSize(1);
        JsonNode message = records.get(0);
        assertSameShape("", message, sample);
        JsonNode record = message.path("Records").get(0);
        assertThat(record.path("eventName").asText()).isEqualTo("ObjectCreated:Put");
        assertThat(record.path("eventSource").asText()).isEqualTo("aws:s3");
        assertThat(record.path("awsRegion").asText()).isEqualTo("us-east-1");
        assertThat(record.path("eventTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        DateTimeFormatter.ISO_INSTANT.parse(record.path("eventTime").asText());
        JsonNode bucket = record.path("s3").path("bucket");
        assertThat(bucket.path("name").asText()).isEqualTo(ResourceDefinitions.LOCAL_SETTINGS_BUCKET);
        assertThat(bucket.path("arn").asText()).isEqualTo("arn:aws:s3:::" + ResourceDefinitions.LOCAL_SETTINGS_BUCKET);
        assertThat(record.path("s3").path("configurationId").asText())
                .isEqualTo(LocalStandIns.SETTINGS_NOTIFICATION_ID);
        JsonNode object = record.path("s3").path("object");
        assertThat(object.path("key").asText()).isEqualTo("batches/x.json");
        assertThat(object.path("size").asLong()).isEqualTo(content.length);
        assertThat(object.path("eTag").asText()).isEqualTo(put.eTag().replace("\"", ""));
        assertThat(object.path("versionId").asText()).isEqualTo(put.versionId());
        assertThat(object.path("sequencer").asText()).matches("[0-9A-F]{18}");
    }

    @Test
    void objectsOutsideThePrefixOrNotJsonOrInAnotherBucketYieldNone() {
        String other = "omics-batch-other";
        s3.createBucket(b -> b.bucket(other));
        List<String> ignoredKeys = List.of("reports/b1/errors.json", "batches/x.txt", "batches/x.json.bak",
                "batchesx.json", "other/batches/y.json", "Batches/upper.json");
        for (String key : ignoredKeys) {
            s3.putObject(p -> p.bucket(standIns.settingsBucket()).key(key), RequestBody.fromString("{}"));
        }
        s3.putObject(p -> p.bucket(other).key("batches/elsewhere.json"), RequestBody.fromString("{}"));
        // A control put last: once its notification is in, any earlier one would be too.
        s3.putObject(p -> p.bucket(standIns.settingsBucket()).key("batches/control.json"),
                RequestBody.fromString("{}"));

        awaitRecords("batches/control.json", 1);

        assertThat(records()).extracting(record -> record.path("s3").path("object").path("key").asText())
                .doesNotContainAnyElementsOf(ignoredKeys)
                .doesNotContain("batches/elsewhere.json");
        assertThat(records()).extracting(record -> record.path("s3").path("bucket").path("name").asText())
                .containsOnly(ResourceDefinitions.LOCAL_SETTINGS_BUCKET);
    }

    @Test
    void keysAreUrlEncodedAsS3DoesAndEveryPutIsAnnouncedEvenOfTheSameKey() {
        String key = "batches/run 1+(a)=ü.json";
        s3.putObject(p -> p.bucket(standIns.settingsBucket()).key(key), RequestBody.fromString("{}"));
        s3.putObject(p -> p.bucket(standIns.settingsBucket()).key(key), RequestBody.fromString("{\"a\":1}"));

        List<JsonNode> records = awaitRecords("batches/run+1%2B%28a%29%3D%C3%BC.json", 2);

        assertThat(records).extracting(message -> message.path("Records").get(0).path("s3").path("object"))
                .extracting(object -> object.path("size").asLong())
                .containsExactly(2L, 7L);
        List<String> sequencers = records.stream()
                .map(message -> message.path("Records").get(0).path("s3").path("object").path("sequencer").asText())
                .toList();
        assertThat(sequencers.get(1)).isGreaterThan(sequencers.get(0));
        List<String> versions = records.stream()
                .map(message -> message.path("Records").get(0).path("s3").path("object").path("versionId").asText())
                .toList();
        assertThat(versions.get(1)).isNotEqualTo(versions.get(0));
    }

    @Test
    void copiesAndMultipartUploadsAreAnnouncedWithTheirEventNames() {
        String bucket = standIns.settingsBucket();
        s3.putObject(p -> p.bucket(bucket).key("staging/source.json"), RequestBody.fromString("{\"copied\":true}"));
        s3.copyObject(c -> c.sourceBucket(bucket).sourceKey("staging/source.json")
                .destinationBucket(bucket).destinationKey("batches/copied.json"));

        String uploadId = s3.createMultipartUpload(c -> c.bucket(bucket).key("batches/multipart.json")).uploadId();
        String partETag = s3.uploadPart(u -> u.bucket(bucket).key("batches/multipart.json").uploadId(uploadId)
                .partNumber(1), RequestBody.fromString("{\"parts\":1}")).eTag();
        String eTag = s3.completeMultipartUpload(c -> c.bucket(bucket).key("batches/multipart.json").uploadId(uploadId)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(partETag).build()))).eTag();

        JsonNode copied = awaitRecords("batches/copied.json", 1).get(0).path("Records").get(0);
        assertThat(copied.path("eventName").asText()).isEqualTo("ObjectCreated:Copy");
        assertThat(copied.path("s3").path("object").path("size").asLong()).isEqualTo(15);

        JsonNode multipart = awaitRecords("batches/multipart.json", 1).get(0).path("Records").get(0);
        assertThat(multipart.path("eventName").asText()).isEqualTo("ObjectCreated:CompleteMultipartUpload");
        assertThat(multipart.path("s3").path("object").path("size").asLong()).isEqualTo(11);
        assertThat(multipart.path("s3").path("object").path("eTag").asText()).isEqualTo(eTag.replace("\"", ""));
    }

    @Test
    void anUnversionedBucketsEventsHaveNoVersionId() {
        String bucket = "omics-batch-unversioned";
        s3.createBucket(b -> b.bucket(bucket));
        Queue<String> delivered = new ConcurrentLinkedQueue<>();
        standIns.s3().addNotification(new BucketNotification(bucket, "all-json", "", ".json", delivered::add));

        s3.putObject(p -> p.bucket(bucket).key("a.json"), RequestBody.fromString("{}"));

        TestSupport.await("two messages", TIMEOUT, () -> delivered.size() >= 2);
        assertThat(delivered).as("the test event and one event of the one put").hasSize(2);
        Iterator<String> messages = delivered.iterator();
        assertThat(json(messages.next()).path("Event").asText()).isEqualTo("s3:TestEvent");
        JsonNode object = json(messages.next()).path("Records").get(0).path("s3").path("object");
        assertThat(object.path("key").asText()).isEqualTo("a.json");
        assertThat(object.has("versionId")).isFalse();
        assertThat(object.fieldNames()).toIterable().containsExactly("key", "size", "eTag", "sequencer");
    }

    @Test
    void withDuplicatesEveryEventIsDeliveredThatManyTimesAtOnceBeforeThePutReturns() throws Exception {
        String bucket = "omics-batch-duplicated";
        s3.createBucket(b -> b.bucket(bucket));
        int copies = 3;
        Queue<String> delivered = new ConcurrentLinkedQueue<>();
        // Each copy waits for the others: copies sent one after another would never all arrive.
        CyclicBarrier together = new CyclicBarrier(copies);
        standIns.s3().addNotification(new BucketNotification(bucket, "duplicated", "", ".json", body -> {
            if (json(body).has("Records")) {
                try {
                    together.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("the copies did not arrive together", e);
                }
                delivered.add(body);
            }
        }));
        long before = standIns.s3().duplicateNotificationsDelivered();
        standIns.s3().deliverEachNotification(copies);
        try {
            s3.putObject(p -> p.bucket(bucket).key("twice-and-more.json"), RequestBody.fromString("{}"));
        } finally {
            standIns.s3().deliverEachNotification(1);
        }

        assertThat(delivered).as("every copy, before the put returned").hasSize(copies);
        assertThat(new java.util.HashSet<>(delivered)).as("the very same event").hasSize(1);
        assertThat(standIns.s3().duplicateNotificationsDelivered() - before).isEqualTo(copies - 1);
    }

    /** Waits until the intake queue has received {@code count} event messages for {@code encodedKey}; returns all. */
    private static List<JsonNode> awaitRecords(String encodedKey, int count) {
        return TestSupport.awaitValue(count + " notification(s) of " + encodedKey, TIMEOUT, () -> {
            drainIntake();
            List<JsonNode> matching = records().stream()
                    .filter(record -> record.path("s3").path("object").path("key").asText().equals(encodedKey))
                    .map(record -> (JsonNode) JSON.createObjectNode().set("Records",
                            JSON.createArrayNode().add(record)))
                    .toList();
            return matching.size() >= count ? Optional.of(matching) : Optional.empty();
        });
    }

    /** Every record of every event message received so far. */
    private static List<JsonNode> records() {
        List<JsonNode> records = new ArrayList<>();
        for (JsonNode message : intake) {
            if (message.has("Records")) {
                assertThat(message.path("Records")).as("one record per message, as S3 sends").hasSize(1);
                records.add(message.path("Records").get(0));
            }
        }
        return records;
    }

    /** Moves whatever the intake queue holds into {@link #intake}. */
    private static synchronized void drainIntake() {
        String url = standIns.queueUrl(ResourceDefinitions.INTAKE_QUEUE.name());
        while (true) {
            List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)).messages();
            if (messages.isEmpty()) {
                return;
            }
            for (Message message : messages) {
                intake.add(json(message.body()));
                sqs.deleteMessage(d -> d.queueUrl(url).receiptHandle(message.receiptHandle()));
            }
        }
    }

    /** Same member names in the same order, same nesting, same JSON types (string, number, object, array). */
    private static void assertSameShape(String path, JsonNode actual, JsonNode expected) {
        assertThat(actual.getNodeType()).as("type of %s", path.isEmpty() ? "/" : path)
                .isEqualTo(expected.getNodeType());
        if (expected.isObject()) {
            assertThat(actual.fieldNames()).toIterable().as("members of %s", path.isEmpty() ? "/" : path)
                    .containsExactlyElementsOf(() -> expected.fieldNames());
            expected.fields().forEachRemaining(
                    field -> assertSameShape(path + "/" + field.getKey(), actual.get(field.getKey()), field.getValue()));
        } else if (expected.isArray()) {
            assertThat(actual).as("elements of %s", path).hasSameSizeAs(expected);
            for (int i = 0; i < expected.size(); i++) {
                assertSameShape(path + "/" + i, actual.get(i), expected.get(i));
            }
        } else if (expected.isNumber()) {
            assertThat(actual.isIntegralNumber()).as("integral %s", path).isEqualTo(expected.isIntegralNumber());
        }
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
