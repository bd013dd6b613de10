package io.omicsbatch.settings;

import java.io.IOException;
import java.io.InputStream;

/**
 * The bytes of a settings document or a runs file on their way to the JSON parser: the one place their
 * encoding is decided, for {@code validate} and the intake alike.
 *
 * <p>UTF-8 is accepted with or without a byte order mark. UTF-16 and UTF-32, with or without one, are refused
 * before any byte reaches the parser ({@link #refusal()}): Jackson would detect and decode them on its own, and
 * StartRunBatch takes UTF-8 only. Malformed UTF-8 (Latin-1 or Windows-1252 text, overlong forms, encoded
 * surrogates, a sequence cut short) is never replaced with U+FFFD: the stream ends just before the first
 * malformed sequence, so the parser stops exactly there and its state names the value that holds it
 * ({@link #malformedAt()}).
 */
final class Utf8Input extends InputStream {

    private static final int BUFFER_BYTES = 1 << 16;
    /** Enough bytes to tell UTF-8 from UTF-16 and UTF-32 by their byte order marks or zero bytes. */
    private static final int SNIFF_BYTES = 4;

    private final InputStream in;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private final byte[] one = new byte[1];
    /** The next byte to hand out. */
    private int start;
    /** The end of the bytes checked to be complete, well-formed UTF-8. */
    private int validEnd;
    /** The end of the bytes read; from validEnd on, at most the start of one sequence awaiting its rest. */
    private int end;
    /** The position in the output (after any byte order mark) of buffer[0]. */
    private long offset;
    private boolean eof;
    private final String refusal;
    private long malformedAt = -1;
    private String malformedBytes;

    Utf8Input(InputStream in) throws IOException {
        this.in = in;
        while (end < SNIFF_BYTES && !eof) {
            int n = in.read(buffer, end, buffer.length - end);
            if (n < 0) {
                eof = true;
            } else {
                end += n;
            }
        }
        refusal = otherEncoding();
        if (refusal == null && startsWith(0xEF, 0xBB, 0xBF)) {
            start = 3;
            validEnd = 3;
            offset = -3;
        }
        if (refusal == null) {
            check();
        }
    }

    /** Null for UTF-8; otherwise the encoding the bytes are in, e.g. "UTF-16 (little-endian, with a byte order mark)". */
    String refusal() {
        return refusal;
    }

    /** Where (in bytes after any byte order mark) the first malformed sequence starts, or -1 if none was met. */
    long malformedAt() {
        return malformedAt;
    }

    /** The malformed sequence, e.g. "byte 0xE9" or "bytes 0xED 0xA0 0x80"; null if none was met. */
    String malformedBytes() {
        return malformedBytes;
    }

    @Override
    public int read() throws IOException {
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] target, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (start == validEnd) {
            if (!fill()) {
                return -1;
            }
        }
        int n = Math.min(len, validEnd - start);
        System.arraycopy(buffer, start, target, off, n);
        start += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Reads more; false when no further valid byte can come (end of input, malformed bytes, or refused). */
    private boolean fill() throws IOException {
        if (refusal != null || malformedAt >= 0) {
            return false;
        }
        if (eof) {
            if (validEnd < end) {
                malformed(validEnd, end); // the input ends inside a sequence
            }
            return false;
        }
        int carried = end - start;
        System.arraycopy(buffer, start, buffer, 0, carried);
        offset += start;
        validEnd -= start;
        start = 0;
        end = carried;
        int n = in.read(buffer, end, buffer.length - end);
        if (n < 0) {
            eof = true;
        } else {
            end += n;
        }
        check();
        return true;
    }

    /** Moves validEnd over every complete, well-formed sequence (RFC 3629), stopping at a malformed one. */
    private void check() {
        int i = validEnd;
        while (i < end) {
            int b = buffer[i] & 0xFF;
            if (b < 0x80) {
                i++;
                continue;
            }
            int length;
            int low = 0x80;
            int high = 0xBF;
            if (b >= 0xC2 && b <= 0xDF) {
                length = 2;
            } else if (b >= 0xE0 && b <= 0xEF) {
                length = 3;
                low = b == 0xE0 ? 0xA0 : 0x80; // no overlong forms
                high = b == 0xED ? 0x9F : 0xBF; // no surrogates
            } else if (b >= 0xF0 && b <= 0xF4) {
                length = 4;
                low = b == 0xF0 ? 0x90 : 0x80;
                high = b == 0xF4 ? 0x8F : 0xBF; // nothing above U+10FFFF
            } else {
                malformed(i, i + 1);
                return;
            }
            int available = Math.min(length, end - i);
            int bad = -1;
            for (int j = 1; j < available && bad < 0; j++) {
                int c = buffer[i + j] & 0xFF;
                if (j == 1 ? c < low || c > high : c < 0x80 || c > 0xBF) {
                    bad = j;
                }
            }
            if (bad > 0) {
                malformed(i, i + bad); // the sequence up to the byte that breaks it
                return;
            }
            if (available < length) {
                break; // the rest of this sequence comes with the next read
            }
            i += length;
        }
        validEnd = i;
    }

    private void malformed(int from, int to) {
        malformedAt = offset + from;
        StringBuilder bytes = new StringBuilder(to - from == 1 ? "byte" : "bytes");
        for (int i = from; i < to; i++) {
            bytes.append(String.format(" 0x%02X", buffer[i] & 0xFF));
        }
        malformedBytes = bytes.toString();
        validEnd = from;
    }

    private String otherEncoding() {
        if (startsWith(0x00, 0x00, 0xFE, 0xFF)) {
            return "UTF-32 (big-endian, with a byte order mark)";
        }
        if (startsWith(0xFF, 0xFE, 0x00, 0x00)) {
            return "UTF-32 (little-endian, with a byte order mark)";
        }
        if (startsWith(0xFE, 0xFF)) {
            return "UTF-16 (big-endian, with a byte order mark)";
        }
        if (startsWith(0xFF, 0xFE)) {
            return "UTF-16 (little-endian, with a byte order mark)";
        }
        // JSON text starts with an ASCII character, which UTF-16 and UTF-32 pad with zero bytes (RFC 4627, 3).
        if (end >= SNIFF_BYTES && buffer[0] == 0 && buffer[1] == 0 && buffer[2] == 0) {
            return "UTF-32 (big-endian, without a byte order mark)";
        }
        if (end >= SNIFF_BYTES && buffer[1] == 0 && buffer[2] == 0 && buffer[3] == 0) {
            return "UTF-32 (little-endian, without a byte order mark)";
        }
        if (end >= 2 && buffer[0] == 0) {
            return "UTF-16 (big-endian, without a byte order mark)";
        }
        if (end >= 2 && buffer[1] == 0) {
            return "UTF-16 (little-endian, without a byte order mark)";
        }
        return null;
    }

    private boolean startsWith(int... bytes) {
        if (end < bytes.length) {
            return false;
        }
        for (int i = 0; i < bytes.length; i++) {
            if ((buffer[i] & 0xFF) != bytes[i]) {
                return false;
            }
        }
        return true;
    }
}
