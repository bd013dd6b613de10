package io.omicsbatch.batch;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Comparator;

/**
 * ListBatch's order and page tokens, one definition for every batch store: batches newest first, by their list key
 * (creation time, then batch id, both descending), and a page's {@code nextToken} the list key of the last batch it
 * examined, opaque to the user. The DynamoDB store keeps the list key on each batch item as the sort key of the batches
 * table's list index ({@link io.omicsbatch.resources.ResourceDefinitions#BATCH_LIST_INDEX}), so a page is one Query
 * that starts where the previous one stopped.
 */
public final class BatchListing {

    /** Fixed width (nanoseconds always written), so that the text order of list keys is their time order. */
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final char SEPARATOR = '#';

    /** Newest first: the list keys' text order, reversed. */
    public static final Comparator<BatchRecord> NEWEST_FIRST =
            Comparator.comparing((BatchRecord batch) -> listKey(batch.creationTime(), batch.batchId())).reversed();

    private BatchListing() {}

    /** {@code <creation time, UTC, to the nanosecond>#<batchId>}. */
    public static String listKey(Instant creationTime, String batchId) {
        return TIME.format(creationTime == null ? Instant.EPOCH : creationTime) + SEPARATOR + batchId;
    }

    /** The batch id of a list key. */
    public static String batchId(String listKey) {
        return listKey.substring(listKey.indexOf(SEPARATOR) + 1);
    }

    /** The nextToken of a page whose last examined batch has this list key. */
    public static String token(String listKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(listKey.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The list key a nextToken stands for.
     *
     * @throws IllegalArgumentException if it is not a token a page gave
     */
    public static String listKeyOf(String token) {
        String listKey;
        try {
            listKey = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw notAToken();
        }
        int separator = listKey.indexOf(SEPARATOR);
        if (separator < 0 || separator == listKey.length() - 1) {
            throw notAToken();
        }
        try {
            TIME.parse(listKey.substring(0, separator));
        } catch (DateTimeParseException e) {
            throw notAToken();
        }
        return listKey;
    }

    private static IllegalArgumentException notAToken() {
        return new IllegalArgumentException("the starting token is not a nextToken that ListBatch gave");
    }
}
