package io.omicsbatch.testing;

import io.omicsbatch.batch.ObjectStore;
import io.omicsbatch.batch.S3ObjectRef;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * S3 in memory, as S3ObjectStore sees it: objects with an MD5 ETag (a single-part upload's), optionally versioned
 * per bucket. {@link #open} reads exactly the given version: by versionId (old versions stay readable), else the
 * current object if it still has the ETag, else {@link ObjectChangedException}; no object is
 * {@link ObjectMissingException}. Any object can be made to fail (e.g. an access-denied runs file), once on its next
 * open or on every access.
 */
public final class InMemoryObjectStore implements ObjectStore {

    private record Version(String versionId, String eTag, byte[] content, String contentType) {}

    private final Map<String, List<Version>> versionsByObject = new TreeMap<>();
    private final Map<String, Version> current = new HashMap<>();
    private final Set<String> versionedBuckets = new HashSet<>();
    private final Map<String, RuntimeException> failures = new HashMap<>();
    private final Map<String, Deque<RuntimeException>> nextOpenFailures = new HashMap<>();
    private long versionsWritten;

    /** Keeps every version of the bucket's objects, and names them with a versionId, from now on. */
    public synchronized InMemoryObjectStore versioned(String bucket) {
        versionedBuckets.add(bucket);
        return this;
    }

    @Override
    public synchronized Optional<S3ObjectRef> head(String bucket, String key) {
        throwIfFailing(bucket, key);
        Version version = current.get(path(bucket, key));
        return version == null ? Optional.empty() : Optional.of(new S3ObjectRef(bucket, key, version.versionId(), version.eTag()));
    }

    @Override
    public synchronized InputStream open(S3ObjectRef object) {
        throwIfFailing(object.bucket(), object.key());
        Deque<RuntimeException> scripted = nextOpenFailures.get(path(object.bucket(), object.key()));
        if (scripted != null && !scripted.isEmpty()) {
            throw scripted.removeFirst();
        }
        if (object.versionId() != null) {
            for (Version version : versionsByObject.getOrDefault(path(object.bucket(), object.key()), List.of())) {
                if (version.versionId().equals(object.versionId())) {
                    return new ByteArrayInputStream(version.content());
                }
            }
            throw new ObjectMissingException(object.uri() + " (version " + object.versionId() + ") does not exist");
        }
        Version version = current.get(path(object.bucket(), object.key()));
        if (version == null) {
            throw new ObjectMissingException(object.uri() + " does not exist");
        }
        if (object.eTag() != null && !object.eTag().equals(version.eTag())) {
            throw new ObjectChangedException(object.uri() + " no longer has ETag " + object.eTag());
        }
        return new ByteArrayInputStream(version.content());
    }

    @Override
    public synchronized void put(String bucket, String key, byte[] content, String contentType) {
        throwIfFailing(bucket, key);
        String versionId = versionedBuckets.contains(bucket) ? String.format("v%06d", ++versionsWritten) : null;
        Version version = new Version(versionId, md5(content), content.clone(), contentType);
        List<Version> history = versionsByObject.computeIfAbsent(path(bucket, key), p -> new ArrayList<>());
        if (versionId == null) {
            history.clear();
        }
        history.add(version);
        current.put(path(bucket, key), version);
    }

    /** Writes an object as a user would, and returns the version written. */
    public S3ObjectRef putObject(String bucket, String key, byte[] content) {
        put(bucket, key, content, "application/json");
        return head(bucket, key).orElseThrow();
    }

    /** Deletes the object: a delete marker in a versioned bucket (old versions stay readable by versionId). */
    public synchronized void delete(String bucket, String key) {
        current.remove(path(bucket, key));
        if (!versionedBuckets.contains(bucket)) {
            versionsByObject.remove(path(bucket, key));
        }
    }

    /** Every head, open and put of the object throws {@code failure} until {@link #heal}. */
    public synchronized void failEveryAccess(String bucket, String key, RuntimeException failure) {
        failures.put(path(bucket, key), failure);
    }

    public synchronized void heal(String bucket, String key) {
        failures.remove(path(bucket, key));
        nextOpenFailures.remove(path(bucket, key));
    }

    /**
     * The object's next open throws {@code failure} (then the one after the next, if called again): e.g. an
     * {@link ObjectChangedException} for an object replaced between a HEAD and the GET.
     */
    public synchronized void failNextOpen(String bucket, String key, RuntimeException failure) {
        nextOpenFailures.computeIfAbsent(path(bucket, key), p -> new ArrayDeque<>()).addLast(failure);
    }

    /** The current content, if the object exists. */
    public synchronized Optional<byte[]> content(String bucket, String key) {
        Version version = current.get(path(bucket, key));
        return version == null ? Optional.empty() : Optional.of(version.content().clone());
    }

    public Optional<String> text(String bucket, String key) {
        return content(bucket, key).map(bytes -> new String(bytes, StandardCharsets.UTF_8));
    }

    public synchronized Optional<String> contentType(String bucket, String key) {
        return Optional.ofNullable(current.get(path(bucket, key))).map(Version::contentType);
    }

    /** The keys of the bucket's current objects under {@code prefix}, in key order. */
    public synchronized List<String> keys(String bucket, String prefix) {
        String from = path(bucket, prefix);
        return current.keySet().stream().filter(p -> p.startsWith(from)).sorted()
                .map(p -> p.substring(bucket.length() + 1)).toList();
    }

    private void throwIfFailing(String bucket, String key) {
        RuntimeException failure = failures.get(path(bucket, key));
        if (failure != null) {
            throw failure;
        }
    }

    private static String path(String bucket, String key) {
        return bucket + "/" + key;
    }

    private static String md5(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
