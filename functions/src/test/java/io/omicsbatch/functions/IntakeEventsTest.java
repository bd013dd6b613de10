package io.omicsbatch.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import io.omicsbatch.batch.S3Notifications;
import io.omicsbatch.batch.S3ObjectRef;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.Test;

/** The intake queue's messages, loaded as Lambda delivers them (aws-lambda-java-tests). */
class IntakeEventsTest {

    @ParameterizedTest
    @Event(value = "sqs-s3-notification.json", type = SQSEvent.class)
    void anObjectCreatedNotificationNamesTheSettingsObject(SQSEvent event) {
        assertThat(event.getRecords()).hasSize(1);
        assertThat(S3Notifications.settingsObjects(event.getRecords().get(0).getBody())).singleElement().satisfies(object -> {
            assertThat(object.bucket()).isEqualTo("omics-batch-settings-123456789012-us-east-1");
            assertThat(object.key()).isEqualTo("batches/batch-settings.json");
            assertThat(object.eTag()).matches("[0-9a-f]{32}");
        });
    }

    @ParameterizedTest
    @Event(value = "s3-test-event.json", type = SQSEvent.class)
    void theS3TestEventAsksForNothing(SQSEvent event) {
        assertThat(S3Notifications.settingsObjects(event.getRecords().get(0).getBody())).isEmpty();
    }

    @Test
    void keysAreUrlDecodedAndFilteredToBatchesJson() {
        String body = """
                {"Records": [
                  {"eventName": "ObjectCreated:Put", "s3": {"bucket": {"name": "b"}, "object": {"key": "batches/cohort+7%C3%A9.json", "eTag": "e1", "versionId": "v1"}}},
                  {"eventName": "ObjectCreated:Put", "s3": {"bucket": {"name": "b"}, "object": {"key": "reports/x.json", "eTag": "e2"}}},
                  {"eventName": "ObjectCreated:Put", "s3": {"bucket": {"name": "b"}, "object": {"key": "batches/notes.txt", "eTag": "e3"}}},
                  {"eventName": "ObjectRemoved:Delete", "s3": {"bucket": {"name": "b"}, "object": {"key": "batches/gone.json"}}}
                ]}""";
        assertThat(S3Notifications.settingsObjects(body)).containsExactly(new S3ObjectRef("b", "batches/cohort 7é.json", "v1", "e1"));
    }

    @Test
    void aContinuationNamesTheSameObjectAgain() {
        S3ObjectRef object = new S3ObjectRef("b", "batches/a b.json", null, "etag");
        assertThat(S3Notifications.settingsObjects(S3Notifications.continuation(object))).containsExactly(object);
    }

    @Test
    void aBodyThatIsNotJsonIsRejected() {
        assertThatThrownBy(() -> S3Notifications.settingsObjects("not json")).isInstanceOf(IllegalArgumentException.class);
    }
}
