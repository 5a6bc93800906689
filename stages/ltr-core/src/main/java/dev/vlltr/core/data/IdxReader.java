package dev.vlltr.core.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (the MNIST / Fashion-MNIST container): magic {@code 0x00 0x00 <dtype> <rank>}, then {@code rank}
 * big-endian int32 dimensions, then the row-major data. Only dtype {@code 0x08} (unsigned byte), the one used by
 * (Fashion-)MNIST images and labels, is accepted. The input may be gzip-compressed (detected by the gzip magic
 * {@code 1f 8b}) or raw. Every malformed input gives an {@link IllegalArgumentException} naming the source and field.
 */
public final class IdxReader {

    /** IDX dtype code of unsigned bytes. */
    public static final int DTYPE_UBYTE = 0x08;

    private IdxReader() {
    }

    /**
     * Reads one IDX tensor. The stream is read to its end but not closed.
     *
     * @param in     gzip-compressed or raw IDX content
     * @param source name used in error messages
     * @return the tensor
     * @throws IOException on read errors of the underlying stream
     */
    public static IdxArray read(InputStream in, String source) throws IOException {
        try {
            return readUnchecked(maybeGunzip(in), source);
        } catch (EOFException e) {
            throw new IllegalArgumentException(source + ": truncated (gzip stream ended early: " + e.getMessage() + ")",
                    e);
        } catch (ZipException e) {
            throw new IllegalArgumentException(source + ": corrupt gzip data (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Reads an IDX tensor and checks its rank.
     *
     * @param expectedRank the rank the caller needs (3 for images N×H×W, 1 for labels)
     */
    public static IdxArray read(InputStream in, String source, int expectedRank) throws IOException {
        IdxArray array = read(in, source);
        if (array.rank() != expectedRank) {
            throw new IllegalArgumentException(source + ": field 'rank' is " + array.rank() + " (dims "
                    + Arrays.toString(array.dims()) + "), expected " + expectedRank);
        }
        return array;
    }

    private static InputStream maybeGunzip(InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            return new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16), 1 << 16);
        }
        return buffered;
    }

    private static IdxArray readUnchecked(InputStream raw, String source) throws IOException {
        byte[] header = raw.readNBytes(4);
        if (header.length < 4) {
            throw new IllegalArgumentException(source + ": truncated: field 'magic' needs 4 bytes, got "
                    + header.length);
        }
        if (header[0] != 0 || header[1] != 0) {
            throw new IllegalArgumentException(String.format(
                    "%s: field 'magic' starts with 0x%02x 0x%02x, expected 0x00 0x00 (not an IDX file)", source,
                    header[0] & 0xff, header[1] & 0xff));
        }
        int dtype = header[2] & 0xff;
        if (dtype != DTYPE_UBYTE) {
            throw new IllegalArgumentException(String.format(
                    "%s: field 'dtype' is 0x%02x, expected 0x08 (unsigned byte)", source, dtype));
        }
        int rank = header[3] & 0xff;
        if (rank == 0) {
            throw new IllegalArgumentException(source + ": field 'rank' is 0, expected at least 1");
        }
        byte[] dimBytes = raw.readNBytes(4 * rank);
        if (dimBytes.length < 4 * rank) {
            throw new IllegalArgumentException(source + ": truncated: field 'dims' needs " + 4 * rank
                    + " bytes for rank " + rank + ", got " + dimBytes.length);
        }
        int[] dims = new int[rank];
        long total = 1;
        try (DataInputStream d = new DataInputStream(new java.io.ByteArrayInputStream(dimBytes))) {
            for (int i = 0; i < rank; i++) {
                dims[i] = d.readInt();
                if (dims[i] < 0) {
                    throw new IllegalArgumentException(source + ": field 'dims[" + i + "]' is " + dims[i]
                            + ", expected a non-negative size");
                }
                total *= dims[i];
                if (total > Integer.MAX_VALUE - 16) {
                    throw new IllegalArgumentException(source + ": field 'dims' " + Arrays.toString(dims)
                            + " describes more than 2^31 bytes, too large for one array");
                }
            }
        }
        byte[] data = raw.readNBytes((int) total);
        if (data.length < total) {
            throw new IllegalArgumentException(source + ": truncated: field 'data' has " + data.length
                    + " bytes, expected " + total + " for dims " + Arrays.toString(dims));
        }
        if (raw.read() != -1) {
            throw new IllegalArgumentException(source + ": field 'data' has trailing bytes after the " + total
                    + " expected for dims " + Arrays.toString(dims));
        }
        return new IdxArray(source, dims, data);
    }
}
