package dev.vlltr.core.data;

import java.util.Arrays;

/**
 * An unsigned-byte IDX tensor: its dimensions and its row-major data.
 *
 * @param source name of the input it was read from (for error messages)
 * @param dims   dimensions, outermost first
 * @param data   row-major content, {@code product(dims)} bytes, read as unsigned
 */
public record IdxArray(String source, int[] dims, byte[] data) {

    /** @return the number of dimensions */
    public int rank() {
        return dims.length;
    }

    @Override
    public String toString() {
        return "IdxArray[" + source + ", dims=" + Arrays.toString(dims) + "]";
    }
}
