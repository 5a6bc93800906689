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
 * {@link NDList#decode(NDManager, InputStream)} (which reads safetensors since DJL 0.27) decodes the data, F16 and
 * BF16 are widened to F32 (what the towers train in).
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
        NDList list;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            list = NDList.decode(manager, in);
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
}
