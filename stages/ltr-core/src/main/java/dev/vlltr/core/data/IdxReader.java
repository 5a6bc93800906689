package dev.vlltr.core.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files (the MNIST / Fashion-MNIST format), gzip-compressed or raw; compression is detected from the magic
 * bytes ({@code 1f 8b}), not the file name.
 *
 * <p>Format: two zero bytes, a dtype byte, a dimension-count byte, then one big-endian int32 per dimension, then the
 * data. Only dtype {@code 0x08} (unsigned byte) is accepted, which is what image and label files use.
 */
public final class IdxReader {

    /** The IDX dtype code for unsigned bytes. */
    public static final int DTYPE_UBYTE = 0x08;

    private static final int MAX_DIMS = 8;

    private IdxReader() {}

    /**
     * Reads one IDX tensor from {@code source}.
     *
     * @param dataSource where to open it
     * @param name the resource name
     * @return the tensor
     * @throws IOException if it cannot be opened or read
     * @throws IllegalArgumentException if the content is not a valid unsigned-byte IDX tensor
     */
    public static IdxArray read(DataSource dataSource, String name) throws IOException {
        try (InputStream in = dataSource.open(name)) {
            return read(in, name);
        }
    }

    /**
     * Reads one IDX tensor from a stream (the stream is not closed).
     *
     * @param input the raw or gzip-compressed bytes
     * @param sourceName a name for error messages
     * @return the tensor
     * @throws IOException if reading fails
     * @throws IllegalArgumentException if the content is not a valid unsigned-byte IDX tensor
     */
    public static IdxArray read(InputStream input, String sourceName) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(input, 1 << 16);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        InputStream body = buffered;
        if (b0 == 0x1f && b1 == 0x8b) {
            body = new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16), 1 << 16);
        }
        DataInputStream in = new DataInputStream(body);
        int[] magic = new int[4];
        for (int i = 0; i < 4; i++) {
            magic[i] = in.read();
            if (magic[i] < 0) {
                throw new IllegalArgumentException(sourceName + ": truncated IDX header (field 'magic'): expected 4 bytes, got " + i);
            }
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw new IllegalArgumentException(String.format(
                    "%s: not an IDX file (field 'magic'): expected bytes 00 00 <dtype> <ndims>, got %02x %02x %02x %02x",
                    sourceName, magic[0], magic[1], magic[2], magic[3]));
        }
        if (magic[2] != DTYPE_UBYTE) {
            throw new IllegalArgumentException(String.format(
                    "%s: unsupported IDX dtype (field 'dtype'): expected 0x08 (unsigned byte), got 0x%02x", sourceName, magic[2]));
        }
        int ndims = magic[3];
        if (ndims < 1 || ndims > MAX_DIMS) {
            throw new IllegalArgumentException(
                    sourceName + ": invalid IDX dimension count (field 'ndims'): expected 1.." + MAX_DIMS + ", got " + ndims);
        }
        int[] dims = new int[ndims];
        long total = 1;
        for (int i = 0; i < ndims; i++) {
            try {
                dims[i] = in.readInt();
            } catch (EOFException e) {
                throw new IllegalArgumentException(
                        sourceName + ": truncated IDX header (field 'dims[" + i + "]'): expected " + ndims + " sizes", e);
            }
            if (dims[i] < 0) {
                throw new IllegalArgumentException(
                        sourceName + ": invalid IDX size (field 'dims[" + i + "]'): expected >= 0, got " + dims[i]);
            }
            total *= dims[i];
        }
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(sourceName + ": IDX tensor too large (field 'dims'): " + total + " values");
        }
        byte[] data = new byte[(int) total];
        int read = in.readNBytes(data, 0, data.length);
        if (read < data.length) {
            throw new IllegalArgumentException(sourceName + ": truncated IDX data (field 'data'): expected " + data.length
                    + " bytes for dims " + java.util.Arrays.toString(dims) + ", got " + read);
        }
        return new IdxArray(sourceName, dims, data);
    }
}
