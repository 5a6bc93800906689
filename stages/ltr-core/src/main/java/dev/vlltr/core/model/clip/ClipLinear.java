package dev.vlltr.core.model.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/** {@code nn.Linear(in, out)}: {@code weight (out, in)}, {@code bias (out)}; applies to the last axis. */
final class ClipLinear extends ClipBlock {

    private final long out;
    private final Parameter weight;
    private final Parameter bias;

    ClipLinear(long in, long out, Initializer weightInit, Initializer biasInit) {
        this.out = out;
        weight = param("weight", Parameter.Type.WEIGHT, weightInit, out, in);
        bias = param("bias", Parameter.Type.BIAS, biasInit, out);
    }

    /** PyTorch's default initialisation of {@code nn.Linear}. */
    static ClipLinear torchDefault(long in, long out) {
        return new ClipLinear(in, out, ClipInit.torchDefault(in), ClipInit.torchDefault(in));
    }

    Parameter weight() {
        return weight;
    }

    Parameter bias() {
        return bias;
    }

    NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        return Linear.linear(x, ps.getValue(weight, x.getDevice(), training), ps.getValue(bias, x.getDevice(), training))
                .singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
        return new NDList(apply(ps, in.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {s.slice(0, s.dimension() - 1).add(out)};
    }
}
