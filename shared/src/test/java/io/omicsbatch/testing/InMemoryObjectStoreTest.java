package io.omicsbatch.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omicsbatch.batch.ObjectStore;
import io.omicsbatch.batch.S3ObjectRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The object store fake answers as S3ObjectStore does over S3. */
class InMemoryObjectStoreTest {

    private final InMemoryObjectStore objects = new InMemoryObjectStore();

    @Test
    void anObjectHasItsContentsMd5AsETagAndIsReadByIt() {
        S3ObjectRef written = objects.putObject("bucket", "runs/a.json", bytes("hello"));

        assertThat(written).isEqualTo(new S3ObjectRef("bucket", "runs/a.json", null, "5d41402abc4b2a76b9719d911017c592"));
        assertThat(read(written)).isEqualTo("hello");
        assertThat(read(new S3ObjectRef("bucket", "runs/a.json", null, null))).isEqualTo("hello");
    }

    @Test
    void anUnversionedObjectReplacedSinceItsETagIsChangedAndOneDeletedIsMissing() {
        S3ObjectRef first = objects.putObject("bucket", "runs/a.json", bytes("first"));
        objects.putObject("bucket", "runs/a.json", bytes("second"));

        assertThatThrownBy(() -> objects.open(first)).isInstanceOf(ObjectStore.ObjectChangedException.class);
        objects.delete("bucket", "runs/a.json");
        assertThat(objects.head("bucket", "runs/a.json")).isEmpty();
        assertThatThrownBy(() -> objects.open(first)).isInstanceOf(ObjectStore.ObjectMissingException.class);
    }

    @Test
    void aVersionStaysReadableByItsVersionIdAfterReplacementAndDeletion() {
        objects.versioned("settings");
        S3ObjectRef first = objects.putObject("settings", "batches/a.json", bytes("first"));
        S3ObjectRef second = objects.putObject("settings", "batches/a.json", bytes("second"));
        objects.delete("settings", "batches/a.json");

        assertThat(first.versionId()).isNotNull().isNotEqualTo(second.versionId());
        assertThat(read(first)).isEqualTo("first");
        assertThat(read(second)).isEqualTo("second");
        assertThat(objects.head("settings", "batches/a.json")).isEmpty();
        assertThatThrownBy(() -> objects.open(new S3ObjectRef("settings", "batches/a.json", "v999999", null)))
                .isInstanceOf(ObjectStore.ObjectMissingException.class);
    }

    @Test
    void anObjectCanBeMadeToFailEveryAccessOrItsNextOpen() {
        S3ObjectRef written = objects.putObject("bucket", "runs/a.json", bytes("hello"));
        RuntimeException denied = new IllegalStateException("Access Denied (Service: S3, Status Code: 403)");

        objects.failEveryAccess("bucket", "runs/a.json", denied);
        assertThatThrownBy(() -> objects.head("bucket", "runs/a.json")).isSameAs(denied);
        assertThatThrownBy(() -> objects.open(written)).isSameAs(denied);
        assertThatThrownBy(() -> objects.put("bucket", "runs/a.json", bytes("x"), "text/plain")).isSameAs(denied);
        objects.heal("bucket", "runs/a.json");

        objects.failNextOpen("bucket", "runs/a.json", new ObjectStore.ObjectChangedException("replaced meanwhile"));
        assertThatThrownBy(() -> objects.open(written)).isInstanceOf(ObjectStore.ObjectChangedException.class);
        assertThat(read(written)).isEqualTo("hello");
    }

    @Test
    void keysAreListedByPrefixWithTheirContentType() {
        objects.put("bucket", "results/b1/runs.csv", bytes("csv"), "text/csv");
        objects.put("bucket", "results/b1/runs.json", bytes("{}"), "application/json");
        objects.put("bucket", "reports/b1/errors.json", bytes("{}"), "application/json");

        assertThat(objects.keys("bucket", "results/")).containsExactly("results/b1/runs.csv", "results/b1/runs.json");
        assertThat(objects.contentType("bucket", "results/b1/runs.csv")).contains("text/csv");
    }

    private String read(S3ObjectRef object) {
        try (InputStream in = objects.open(object)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
