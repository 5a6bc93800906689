package dev.vlltr.core.data;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-sample rows of one split (image features, logits, ...) with their labels and the class order: the
 * "features and embeddings" artifact exchanged between stages (lgr writes it, recalibration and evaluation read it).
 *
 * <p>File layout ({@value #FORMAT}): the magic {@code VLFEAT1\n}, a big-endian int with the length of a UTF-8
 * JSON header, the header, then the arrays as one DJL {@link NDList} encoding ({@code labels} int32 [N] first,
 * then every named float32 [N, D_k] array in header order). The header says
 * {@code {"format", "split", "rows", "classNames", "arrays": [{"name", "shape", "dtype"}]}}, so a reader can check
 * shapes and class order before it decodes anything.
 *
 * @param split      the split the rows come from (train, val, test, ...)
 * @param classNames class names in label order (label y is {@code classNames.get(y)})
 * @param labels     N labels in {@code [0, C)}
 * @param arrays     named N×D float arrays, in a stable order; {@value #FEATURES} is the conventional main one
 */
public record FeatureTable(String split, List<String> classNames, int[] labels, Map<String, float[][]> arrays) {

    public static final String FORMAT = "vlltr-features/1";
    public static final String FEATURES = "features";
    private static final byte[] MAGIC = "VLFEAT1\n".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper();

    public FeatureTable {
        if (split == null || split.isBlank()) {
            throw new IllegalArgumentException("FeatureTable: split must be named");
        }
        if (classNames == null || classNames.isEmpty()) {
            throw new IllegalArgumentException("FeatureTable(" + split + "): classNames must not be empty");
        }
        if (labels == null || labels.length == 0) {
            throw new IllegalArgumentException("FeatureTable(" + split + "): at least one row is required");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new IllegalArgumentException("FeatureTable(" + split + "): label[" + i + "] = " + labels[i]
                        + " is outside [0, " + classNames.size() + ")");
            }
        }
        if (arrays == null || arrays.isEmpty()) {
            throw new IllegalArgumentException("FeatureTable(" + split + "): at least one named array is required");
        }
        for (Map.Entry<String, float[][]> e : arrays.entrySet()) {
            float[][] rows = e.getValue();
            if (rows == null || rows.length != labels.length) {
                throw new IllegalArgumentException("FeatureTable(" + split + "): array '" + e.getKey() + "' has "
                        + (rows == null ? "no" : String.valueOf(rows.length)) + " rows, expected " + labels.length);
            }
            int d = rows[0].length;
            for (int i = 0; i < rows.length; i++) {
                if (rows[i] == null || rows[i].length != d || d == 0) {
                    throw new IllegalArgumentException("FeatureTable(" + split + "): array '" + e.getKey()
                            + "' row " + i + " is not " + d + " wide");
                }
            }
        }
        classNames = List.copyOf(classNames);
        arrays = Collections.unmodifiableMap(new LinkedHashMap<>(arrays));
    }

    /** Number of rows N. */
    public int rows() {
        return labels.length;
    }

    /** Number of classes C. */
    public int numClasses() {
        return classNames.size();
    }

    /** The named array; a clear error naming the split and the arrays present when it is absent. */
    public float[][] array(String name) {
        float[][] a = arrays.get(name);
        if (a == null) {
            throw new IllegalArgumentException("FeatureTable(" + split + "): no array '" + name + "' (has "
                    + arrays.keySet() + ")");
        }
        return a;
    }

    /** Writes the table in the {@value #FORMAT} layout (see the class comment). */
    public void writeTo(OutputStream out) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        header.put("format", FORMAT);
        header.put("split", split);
        header.put("rows", labels.length);
        ArrayNode names = header.putArray("classNames");
        classNames.forEach(names::add);
        ArrayNode described = header.putArray("arrays");
        arrays.forEach((name, rows) -> {
            ObjectNode a = described.addObject();
            a.put("name", name);
            a.putArray("shape").add(rows.length).add(rows[0].length);
            a.put("dtype", "float32");
        });
        byte[] headerBytes = JSON.writeValueAsBytes(header);
        DataOutputStream data = new DataOutputStream(out);
        data.write(MAGIC);
        data.writeInt(headerBytes.length);
        data.write(headerBytes);
        // host arrays only to (de)serialise: on the CPU, not the engine's default device (a GPU on a GPU host)
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDList list = new NDList();
            list.add(manager.create(labels));
            for (float[][] rows : arrays.values()) {
                list.add(manager.create(flatten(rows), new Shape(rows.length, rows[0].length)));
            }
            data.write(list.encode());
        }
        data.flush();
    }

    /**
     * Reads a table written by {@link #writeTo}; {@code source} names the file in every error (wrong magic, bad
     * header, shapes that disagree with the header, truncation).
     */
    public static FeatureTable readFrom(InputStream in, String source) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] magic = new byte[MAGIC.length];
        try {
            data.readFully(magic);
        } catch (EOFException e) {
            throw new IOException(source + ": too short to be a " + FORMAT + " file");
        }
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new IOException(source + ": not a " + FORMAT + " file (wrong magic)");
        }
        int headerLength = data.readInt();
        if (headerLength <= 0 || headerLength > 64 << 20) {
            throw new IOException(source + ": implausible header length " + headerLength);
        }
        byte[] headerBytes = new byte[headerLength];
        data.readFully(headerBytes);
        JsonNode header = JSON.readTree(headerBytes);
        if (!FORMAT.equals(header.path("format").asText())) {
            throw new IOException(source + ": header field 'format' is '" + header.path("format").asText()
                    + "', expected '" + FORMAT + "'");
        }
        List<String> classNames = new ArrayList<>();
        header.path("classNames").forEach(n -> classNames.add(n.asText()));
        int rows = header.path("rows").asInt(-1);
        byte[] body = data.readAllBytes();
        // host arrays only to (de)serialise: on the CPU, not the engine's default device (a GPU on a GPU host)
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDList list;
            try {
                list = NDList.decode(manager, new ByteArrayInputStream(body));
            } catch (RuntimeException e) {
                throw new IOException(source + ": cannot decode the arrays (" + e.getMessage() + ")", e);
            }
            JsonNode described = header.path("arrays");
            if (list.size() != described.size() + 1) {
                throw new IOException(source + ": header lists " + described.size() + " arrays but the file holds "
                        + (list.size() - 1));
            }
            int[] labels = list.get(0).toType(DataType.INT32, false).toIntArray();
            if (labels.length != rows) {
                throw new IOException(source + ": header says " + rows + " rows, labels hold " + labels.length);
            }
            Map<String, float[][]> arrays = new LinkedHashMap<>();
            for (int k = 0; k < described.size(); k++) {
                JsonNode a = described.get(k);
                NDArray array = list.get(k + 1);
                Shape expected = new Shape(a.path("shape").get(0).asLong(), a.path("shape").get(1).asLong());
                if (!array.getShape().equals(expected)) {
                    throw new IOException(source + ": array '" + a.path("name").asText() + "' has shape "
                            + array.getShape() + ", header says " + expected);
                }
                arrays.put(a.path("name").asText(), unflatten(array.toType(DataType.FLOAT32, false).toFloatArray(),
                        (int) expected.get(0), (int) expected.get(1)));
            }
            try {
                return new FeatureTable(header.path("split").asText(), classNames, labels, arrays);
            } catch (IllegalArgumentException e) {
                throw new IOException(source + ": " + e.getMessage(), e);
            }
        }
    }

    private static float[] flatten(float[][] rows) {
        int d = rows[0].length;
        float[] flat = new float[rows.length * d];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * d, d);
        }
        return flat;
    }

    private static float[][] unflatten(float[] flat, int n, int d) {
        float[][] rows = new float[n][d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * d, rows[i], 0, d);
        }
        return rows;
    }
}
