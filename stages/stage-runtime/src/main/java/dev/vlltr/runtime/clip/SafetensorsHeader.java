package dev.vlltr.runtime.clip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlltr.runtime.cli.BadInputException;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The strictly validated header of a safetensors file (8-byte little-endian header length, a JSON object name →
 * {@code {dtype, shape, data_offsets}}, then the data). DJL's own decoder trusts the header; this check runs first so
 * that a truncated, overlapping or mistyped file is an error naming the file and the tensor, not a crash or silently
 * wrong weights.
 *
 * @param tensors   the entries in data order
 * @param dataBytes length of the data section
 */
public record SafetensorsHeader(List<Entry> tensors, long dataBytes) {

    /** dtypes of floating-point weights this reader accepts, with their sizes in bytes. */
    static final Map<String, Integer> DTYPES = Map.of("F32", 4, "F16", 2, "BF16", 2);
    /** The format's own limit on the header (100 MB), which also bounds what a bad length makes us read. */
    static final long MAX_HEADER = 100_000_000L;
    /**
     * Suffix of BatchNorm's step counters, the one int64 tensor a PyTorch state dict holds; accepted as I64 so that a
     * state dict saved as-is reads, and ignored by the CLIP bundle (they are not weights).
     */
    public static final String BN_COUNTER = ".num_batches_tracked";
    private static final Set<String> ENTRY_FIELDS = Set.of("dtype", "shape", "data_offsets");

    /**
     * One tensor of the file.
     *
     * @param name  its name
     * @param dtype F32, F16 or BF16 (I64 for {@value #BN_COUNTER})
     * @param shape its dimensions (empty for a 0-d tensor)
     * @param begin first byte in the data section
     * @param end   one past the last byte
     */
    public record Entry(String name, String dtype, long[] shape, long begin, long end) {
        /** @return the element count */
        public long elements() {
            long n = 1;
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        }
    }

    /**
     * Reads and validates the header; the stream is left at the start of the data section.
     *
     * @param in        the file's bytes
     * @param fileBytes the file's length (the data must end exactly there)
     * @param where     the file, for messages
     * @return the header
     */
    public static SafetensorsHeader read(InputStream in, long fileBytes, String where) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] len = new byte[8];
        if (fileBytes < 8) {
            throw new BadInputException(where + ": not a safetensors file: " + fileBytes + " bytes, expected an"
                    + " 8-byte header length first");
        }
        data.readFully(len);
        long headerBytes = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerBytes < 2 || headerBytes > MAX_HEADER || headerBytes > fileBytes - 8) {
            throw new BadInputException(where + ": not a safetensors file: header length " + headerBytes
                    + " (expected 2 to " + Math.min(MAX_HEADER, fileBytes - 8) + " bytes for a file of " + fileBytes
                    + " bytes)");
        }
        byte[] json = new byte[(int) headerBytes];
        data.readFully(json);
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(new String(json, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new BadInputException(where + ": the safetensors header is not valid JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new BadInputException(where + ": the safetensors header is not a JSON object");
        }
        List<Entry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!f.getKey().equals("__metadata__")) {
                entries.add(entry(f.getKey(), f.getValue(), where));
            }
        }
        entries.sort(Comparator.comparingLong(Entry::begin));
        long dataBytes = fileBytes - 8 - headerBytes;
        long next = 0;
        for (Entry e : entries) {
            if (e.begin() != next) {
                throw new BadInputException(where + ": tensor '" + e.name() + "': data_offsets start at " + e.begin()
                        + ", expected " + next + " (tensors must tile the data section without gaps or overlaps)");
            }
            next = e.end();
        }
        if (next != dataBytes) {
            throw new BadInputException(where + ": the tensors cover " + next + " bytes of data, the file has "
                    + dataBytes + " (truncated or trailing bytes)");
        }
        return new SafetensorsHeader(List.copyOf(entries), dataBytes);
    }

    private static Entry entry(String name, JsonNode n, String where) {
        String at = where + ": tensor '" + name + "': ";
        if (!n.isObject()) {
            throw new BadInputException(at + "expected an object {dtype, shape, data_offsets}, got " + n);
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!ENTRY_FIELDS.contains(f)) {
                throw new BadInputException(at + "unknown field '" + f + "'; known: " + ENTRY_FIELDS);
            }
        }
        JsonNode dtype = n.get("dtype");
        boolean counter = name.endsWith(BN_COUNTER) && dtype != null && "I64".equals(dtype.asText());
        if (dtype == null || !dtype.isTextual() || !DTYPES.containsKey(dtype.asText()) && !counter) {
            throw new BadInputException(at + "field 'dtype': expected one of " + DTYPES.keySet()
                    + " (floating-point weights), got " + dtype);
        }
        JsonNode shape = n.get("shape");
        if (shape == null || !shape.isArray()) {
            throw new BadInputException(at + "field 'shape': expected an array of dimensions, got " + shape);
        }
        long[] dims = new long[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            JsonNode d = shape.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.asLong() < 0) {
                throw new BadInputException(at + "field 'shape': dimension " + i + " must be a non-negative integer,"
                        + " got " + d);
            }
            dims[i] = d.asLong();
        }
        JsonNode off = n.get("data_offsets");
        if (off == null || !off.isArray() || off.size() != 2 || !off.get(0).canConvertToLong()
                || !off.get(1).canConvertToLong() || !off.get(0).isIntegralNumber() || !off.get(1).isIntegralNumber()
                || off.get(0).asLong() < 0 || off.get(1).asLong() < off.get(0).asLong()) {
            throw new BadInputException(at + "field 'data_offsets': expected [begin, end] with 0 <= begin <= end,"
                    + " got " + off);
        }
        Entry e = new Entry(name, dtype.asText(), dims, off.get(0).asLong(), off.get(1).asLong());
        long bytes;
        try {
            bytes = Math.multiplyExact(e.elements(), counter ? 8 : DTYPES.get(e.dtype()));
        } catch (ArithmeticException overflow) {
            throw new BadInputException(at + "field 'shape': " + java.util.Arrays.toString(dims) + " is too large");
        }
        if (e.end() - e.begin() != bytes) {
            throw new BadInputException(at + "data_offsets span " + (e.end() - e.begin()) + " bytes, its shape "
                    + java.util.Arrays.toString(dims) + " of " + e.dtype() + " needs " + bytes);
        }
        return e;
    }
}
