package dev.vlltr.core.model.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** {@code nn.Conv2d(in, out, k, stride, padding, bias=False)} (all of CLIP's convolutions): {@code weight}. */
final class ClipConv2d extends ClipBlock {

    private final long out;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final Parameter weight;

    ClipConv2d(long in, long out, int kernel, int stride, int padding) {
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        weight = param("weight", Parameter.Type.WEIGHT, ClipInit.torchDefault(in * kernel * kernel), out, in, kernel,
                kernel);
    }

    NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        return Conv2d.conv2d(x, ps.getValue(weight, x.getDevice(), training), null, new Shape(stride, stride),
                new Shape(padding, padding), new Shape(1, 1), 1).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
        return new NDList(apply(ps, in.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        long h = (s.get(2) + 2L * padding - kernel) / stride + 1;
        long w = (s.get(3) + 2L * padding - kernel) / stride + 1;
        return new Shape[] {new Shape(s.get(0), out, h, w)};
    }
}
