package dev.vlltr.core.data;

import java.util.Arrays;

/**
 * An unsigned-byte IDX tensor: its dimensions (outermost first) and its data in row-major order.
 *
 * @param source the name the tensor was read from (for error messages)
 * @param dims the dimensions, outermost first (e.g. {@code [60000, 28, 28]})
 * @param data the values, row-major, as raw bytes (read them with {@code & 0xFF})
 */
public record IdxArray(String source, int[] dims, byte[] data) {

    /** @return the size of the outermost dimension (the number of items) */
    public int count() {
        return dims[0];
    }

    /** @return the number of values per item (the product of the inner dimensions; 1 for a vector) */
    public int itemSize() {
        int size = 1;
        for (int i = 1; i < dims.length; i++) {
            size *= dims[i];
        }
        return size;
    }

    @Override
    public String toString() {
        return "IdxArray[" + source + ", dims=" + Arrays.toString(dims) + "]";
    }
}
