package dev.vlltr.core.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The values of every parameter of a block (BatchNorm running statistics included) as one encoded {@link NDList} of
 * arrays named by their stable parameter path, restorable <em>in place</em> into a live, initialised block. In place
 * matters for resuming: a {@code Trainer}'s parameter store and the optimizer state keep referring to the same
 * arrays (DJL's {@code loadParameters} replaces them and drops their gradient buffers).
 */
public final class ParameterSnapshot {

    private ParameterSnapshot() {}

    /** @return the encoded parameter values of {@code block} */
    public static byte[] export(Block block) throws IOException {
        NDList arrays = new NDList();
        try {
            for (Pair<String, Parameter> p : block.getParameters()) {
                NDArray copy = p.getValue().getArray().duplicate();
                copy.setName(p.getKey());
                arrays.add(copy);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            arrays.encode(out);
            return out.toByteArray();
        } finally {
            arrays.close();
        }
    }

    /**
     * Copies the values of a snapshot into {@code block}'s arrays.
     *
     * @throws IllegalArgumentException naming a parameter that is missing, extra or of another shape
     */
    public static void restore(Block block, byte[] snapshot) throws IOException {
        Map<String, Parameter> byName = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            byName.put(p.getKey(), p.getValue());
        }
        // decoded on the CPU and copied into the parameters as host values, whatever device they are on
        try (NDManager scratch = NDManager.newBaseManager(Device.cpu())) {
            NDList arrays = NDList.decode(scratch, new ByteArrayInputStream(snapshot));
            if (arrays.size() != byName.size()) {
                throw new IllegalArgumentException("parameter snapshot holds " + arrays.size()
                        + " arrays, the model has " + byName.size() + " parameters");
            }
            for (NDArray a : arrays) {
                Parameter p = byName.get(a.getName());
                if (p == null) {
                    throw new IllegalArgumentException("parameter snapshot has '" + a.getName()
                            + "', which the model does not have");
                }
                NDArray target = p.getArray();
                if (!target.getShape().equals(a.getShape())) {
                    throw new IllegalArgumentException("parameter '" + a.getName() + "' has shape " + target.getShape()
                            + " in the model but " + a.getShape() + " in the snapshot");
                }
                if (target.getDataType() == DataType.FLOAT32) {
                    target.set(a.toType(DataType.FLOAT32, false).toFloatArray());
                } else {
                    target.set(a.toType(target.getDataType(), false).toByteBuffer());
                }
            }
        }
    }
}
