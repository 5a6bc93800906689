package dev.vlltr.runtime.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.vlltr.runtime.cli.BadInputException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a safetensors file into float32 NDArrays by name: {@link SafetensorsHeader} validates the header, DJL's
 * {@link NDList#decode(NDManager, InputStream)} (which reads safetensors since DJL 0.27) decodes F32 and F16 data,
 * and everything is widened to F32 (what the towers train in). A file with BF16 tensors is decoded here instead:
 * DJL 0.35.1's PyTorch engine aborts the JVM ({@code terminate called without an active exception}) when it creates
 * a BF16 array from a buffer; BF16 → F32 is exact (the high 16 bits of the float).
 */
public final class SafetensorsFile {

    private SafetensorsFile() {}

    /**
     * @param file    the .safetensors file
     * @param manager owns the arrays
     * @param where   the file as the user named it, for messages
     * @return name → float32 array, in data order
     */
    public static Map<String, NDArray> read(Path file, NDManager manager, String where) throws IOException {
        long size = Files.size(file);
        SafetensorsHeader header;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            header = SafetensorsHeader.read(in, size, where);
        }
        if (header.dataBytes() > Integer.MAX_VALUE) { // DJL decodes the data section into one byte[]
            throw new BadInputException(where + ": " + header.dataBytes() + " bytes of tensor data; this reader"
                    + " takes at most 2 GiB (store F16/BF16, or split the file)");
        }
        boolean bf16 = header.tensors().stream().anyMatch(e -> e.dtype().equals("BF16"));
        NDList list;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            list = bf16 ? widen(in, size - header.dataBytes(), header, manager) : NDList.decode(manager, in);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(where + ": DJL could not decode the safetensors data: " + e.getMessage());
        }
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (NDArray a : list) {
            String name = a.getName();
            NDArray f = a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false);
            if (f != a) {
                a.close();
            }
            f.setName(name);
            out.put(name, f);
        }
        for (SafetensorsHeader.Entry e : header.tensors()) { // DJL must have produced what the header says
            NDArray a = out.get(e.name());
            if (a == null || !java.util.Arrays.equals(a.getShape().getShape(), e.shape())) {
                throw new BadInputException(where + ": tensor '" + e.name() + "' decoded as "
                        + (a == null ? "nothing" : a.getShape()) + ", the header says " + java.util.Arrays.toString(
                        e.shape()));
            }
        }
        return out;
    }

    /** Reads the data section tensor by tensor (the header tiles it in order) into F32 arrays. */
    private static NDList widen(InputStream in, long dataStart, SafetensorsHeader header, NDManager manager)
            throws IOException {
        java.io.DataInputStream data = new java.io.DataInputStream(in);
        data.skipNBytes(dataStart);
        NDList out = new NDList();
        for (SafetensorsHeader.Entry e : header.tensors()) {
            byte[] raw = new byte[Math.toIntExact(e.end() - e.begin())];
            data.readFully(raw);
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            int n = Math.toIntExact(e.elements());
            NDArray a;
            if (e.dtype().equals("I64")) { // a BatchNorm step counter
                a = manager.create(b.asLongBuffer(), new ai.djl.ndarray.types.Shape(e.shape()), DataType.INT64);
            } else {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = switch (e.dtype()) {
                        case "F32" -> b.getFloat(4 * i);
                        case "BF16" -> Float.intBitsToFloat((b.getShort(2 * i) & 0xffff) << 16);
                        default -> halfToFloat(b.getShort(2 * i)); // F16
                    };
                }
                a = manager.create(f, new ai.djl.ndarray.types.Shape(e.shape()));
            }
            a.setName(e.name());
            out.add(a);
        }
        return out;
    }

    /** IEEE 754 binary16 → binary32 (exact; Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short h) {
        int sign = (h >>> 15) & 1;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        float v;
        if (exp == 0) {
            v = mant * 0x1p-24f; // subnormal
        } else if (exp == 31) {
            v = mant == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
        } else {
            v = Float.intBitsToFloat(((exp - 15 + 127) << 23) | (mant << 13));
        }
        return sign == 1 ? -v : v;
    }
}
