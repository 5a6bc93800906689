package dev.vlltr.core.nd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Multiplication and division by a constant that are safe inside an autograd graph.
 *
 * <p>Why: DJL 0.35.1's PyTorch engine implements {@code NDArray.mul/div/pow/maximum/minimum(Number)} as {@code
 * try (NDArray number = manager.create(n)) { return mul(number); }} ({@code PtNDArray}), and {@code
 * manager.create(n)} wraps a Java direct {@code ByteBuffer} with {@code torch::from_blob} without copying (the buffer
 * is kept alive only by the Java {@code PtNDArray}'s {@code dataRef}). PyTorch's {@code mul}/{@code div} save that
 * scalar tensor for the backward pass; once the Java array is closed, the next GC frees the buffer while the graph
 * still points at it, and {@code backward} reads freed memory — wrong or NaN gradients that depend on GC timing.
 * Here the constant is a copy made by PyTorch ({@code clone}), so the graph owns it and closing the Java handle only
 * drops a reference. The value is cast to {@code x}'s data type, as PyTorch does with a 0-d operand, so results
 * are bit-identical to {@code x.mul(c)}.
 */
public final class GraphScalars {

    private GraphScalars() {}

    /** @return {@code x · c}, safe to back-propagate through */
    public static NDArray mul(NDArray x, double c) {
        try (NDArray k = constantLike(x, c)) {
            return x.mul(k);
        }
    }

    /** @return {@code x / c}, safe to back-propagate through */
    public static NDArray div(NDArray x, double c) {
        try (NDArray k = constantLike(x, c)) {
            return x.div(k);
        }
    }

    /**
     * @return a 0-d array holding {@code c} in {@code x}'s data type and device, in PyTorch-owned memory, attached to
     *     {@code x}'s manager
     */
    public static NDArray constantLike(NDArray x, double c) {
        try (NDManager scope = x.getManager().newSubManager()) {
            // create(double) aliases a Java buffer; duplicate() (torch clone) gives memory PyTorch owns
            NDArray owned = scope.create(c).toType(x.getDataType(), false).toDevice(x.getDevice(), false)
                    .duplicate();
            owned.attach(x.getManager());
            return owned;
        }
    }
}
