package dev.vlltr.core.calibrate;

import ai.djl.ndarray.NDArray;

/**
 * In-place SGD step with PyTorch's {@code optim.SGD} semantics (dampening 0, no Nesterov):
 * {@code d = g + wd·p}; {@code buf = d} on the first step, else {@code buf = momentum·buf + d};
 * {@code p -= lr·buf}. Parameters must not require gradients (they are the master copies).
 */
public final class SgdMomentum implements AutoCloseable {

    private final double momentum;
    private final double weightDecay;
    private NDArray[] buffers;

    public SgdMomentum(double momentum, double weightDecay) {
        this.momentum = momentum;
        this.weightDecay = weightDecay;
    }

    /** Updates {@code params} in place with {@code grads} (same order and shapes). Gradients are modified. */
    public void step(NDArray[] params, NDArray[] grads, double lr) {
        if (params.length != grads.length) {
            throw new IllegalArgumentException("SgdMomentum: " + params.length + " parameters but " + grads.length
                    + " gradients");
        }
        boolean first = buffers == null;
        if (first) {
            buffers = new NDArray[params.length];
        }
        for (int i = 0; i < params.length; i++) {
            NDArray p = params[i];
            NDArray d = grads[i];
            if (weightDecay != 0) {
                try (NDArray decay = p.mul(weightDecay)) {
                    d.addi(decay);
                }
            }
            if (momentum != 0) {
                if (first) {
                    buffers[i] = d.duplicate();
                    buffers[i].attach(p.getManager());
                } else {
                    buffers[i].muli(momentum).addi(d);
                }
                d = buffers[i];
            }
            try (NDArray delta = d.mul(lr)) {
                p.subi(delta);
            }
        }
    }

    @Override
    public void close() {
        if (buffers != null) {
            for (NDArray b : buffers) {
                if (b != null) {
                    b.close();
                }
            }
            buffers = null;
        }
    }
}
