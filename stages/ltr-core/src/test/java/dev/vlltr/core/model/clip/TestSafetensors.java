package dev.vlltr.core.model.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The smallest safetensors reader the fixtures need (F32, F64 and I64 only; the stages' reader is stage-runtime's):
 * 8-byte little-endian header length, JSON header {@code name → {dtype, shape, data_offsets}}, then the data.
 */
final class TestSafetensors {

    private TestSafetensors() {}

    static Map<String, NDArray> read(NDManager manager, String resource) {
        byte[] all;
        try (InputStream in = TestSafetensors.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            all = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteBuffer buf = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = Math.toIntExact(buf.getLong(0));
        JsonNode header;
        try {
            header = new ObjectMapper().readTree(new String(all, 8, headerLength, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int base = 8 + headerLength;
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            JsonNode t = e.getValue();
            long[] dims = new long[t.get("shape").size()];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = t.get("shape").get(i).asLong();
            }
            int begin = base + t.get("data_offsets").get(0).asInt();
            int end = base + t.get("data_offsets").get(1).asInt();
            ByteBuffer slice = ByteBuffer.wrap(all, begin, end - begin).slice().order(ByteOrder.LITTLE_ENDIAN);
            NDArray array = switch (t.get("dtype").asText()) {
                case "F32" -> {
                    float[] f = new float[(end - begin) / 4];
                    slice.asFloatBuffer().get(f);
                    yield manager.create(f, new Shape(dims));
                }
                case "F64" -> {
                    double[] d = new double[(end - begin) / 8];
                    slice.asDoubleBuffer().get(d);
                    yield manager.create(d, new Shape(dims));
                }
                case "I64" -> {
                    long[] l = new long[(end - begin) / 8];
                    slice.asLongBuffer().get(l);
                    yield manager.create(l, new Shape(dims));
                }
                default -> throw new IllegalArgumentException(resource + ": tensor " + e.getKey() + " has dtype "
                        + t.get("dtype").asText() + ", this test reader knows F32, F64 and I64");
            };
            out.put(e.getKey(), array);
        }
        return out;
    }
}
