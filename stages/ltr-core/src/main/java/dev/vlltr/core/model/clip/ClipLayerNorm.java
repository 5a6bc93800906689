package dev.vlltr.core.model.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/** {@code nn.LayerNorm(width)} over the last axis, ε = 1e-5: {@code weight} (ones), {@code bias} (zeros). */
final class ClipLayerNorm extends ClipBlock {

    private final long width;
    private final Parameter weight;
    private final Parameter bias;

    ClipLayerNorm(long width) {
        this.width = width;
        weight = param("weight", Parameter.Type.GAMMA, Initializer.ONES, width);
        bias = param("bias", Parameter.Type.BETA, Initializer.ZEROS, width);
    }

    NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        return LayerNorm.layerNorm(x, new Shape(width), ps.getValue(weight, x.getDevice(), training),
                ps.getValue(bias, x.getDevice(), training), 1e-5f).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
        return new NDList(apply(ps, in.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
