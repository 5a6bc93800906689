package dev.vlltr.core.calibrate;

import ai.djl.ndarray.NDArray;
import dev.vlltr.core.nd.ScalarConstants;

/**
 * In-place SGD step with PyTorch's {@code optim.SGD} semantics (dampening 0, no Nesterov):
 * {@code d = g + wd·p}; {@code buf = d} on the first step, else {@code buf = momentum·buf + d};
 * {@code p -= lr·buf}. Parameters must not require gradients (they are the master copies).
 */
public final class SgdMomentum implements AutoCloseable {

    private final double momentum;
    private final double weightDecay;
    private NDArray[] buffers;
    /** The scalar operands, made once instead of per update (ScalarConstants: bit-identical results). */
    private ScalarConstants constants;

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
        if (constants == null && params.length > 0) {
            constants = new ScalarConstants(params[0].getManager());
        }
        ScalarConstants k = constants;
        if (first) {
            buffers = new NDArray[params.length];
        }
        for (int i = 0; i < params.length; i++) {
            NDArray p = params[i];
            NDArray d = grads[i];
            if (weightDecay != 0) {
                try (NDArray decay = p.mul(k.fixed(p, weightDecay))) {
                    d.addi(decay);
                }
            }
            if (momentum != 0) {
                if (first) {
                    buffers[i] = d.duplicate();
                    buffers[i].attach(p.getManager());
                } else {
                    buffers[i].muli(k.fixed(d, momentum)).addi(d);
                }
                d = buffers[i];
            }
            try (NDArray delta = d.mul(k.latest("lr", d, lr))) {
                p.subi(delta);
            }
        }
    }

    @Override
    public void close() {
        if (constants != null) {
            constants.close();
            constants = null;
        }
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
