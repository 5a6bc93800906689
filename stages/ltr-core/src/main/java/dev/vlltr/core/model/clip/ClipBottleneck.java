package dev.vlltr.core.model.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * CLIP's {@code Bottleneck} (expansion 4) with anti-aliased strides: every convolution has stride 1, an {@code
 * AvgPool2d(stride)} follows {@code conv2} and precedes the 1×1 {@code downsample.0} convolution. {@code bn3.weight}
 * starts at zero (CLIP's initialisation), so a fresh block is the identity on its shortcut.
 */
final class ClipBottleneck extends ClipBlock {

    static final int EXPANSION = 4;

    private final int stride;
    private final long outChannels;
    private final ClipConv2d conv1;
    private final ClipBatchNorm2d bn1;
    private final ClipConv2d conv2;
    private final ClipBatchNorm2d bn2;
    private final ClipConv2d conv3;
    private final ClipBatchNorm2d bn3;
    private final ClipConv2d downsampleConv;
    private final ClipBatchNorm2d downsampleBn;

    ClipBottleneck(long inplanes, long planes, int stride) {
        this.stride = stride;
        this.outChannels = planes * EXPANSION;
        conv1 = child("conv1", new ClipConv2d(inplanes, planes, 1, 1, 0));
        bn1 = child("bn1", new ClipBatchNorm2d(planes, false));
        conv2 = child("conv2", new ClipConv2d(planes, planes, 3, 1, 1));
        bn2 = child("bn2", new ClipBatchNorm2d(planes, false));
        conv3 = child("conv3", new ClipConv2d(planes, outChannels, 1, 1, 0));
        bn3 = child("bn3", new ClipBatchNorm2d(outChannels, true));
        if (stride > 1 || inplanes != outChannels) {
            downsampleConv = child("downsample.0", new ClipConv2d(inplanes, outChannels, 1, 1, 0));
            downsampleBn = child("downsample.1", new ClipBatchNorm2d(outChannels, false));
        } else {
            downsampleConv = null;
            downsampleBn = null;
        }
    }

    static NDArray avgPool(NDArray x, int k) {
        return k > 1 ? Pool.avgPool2d(x, new Shape(k, k), new Shape(k, k), new Shape(0, 0), false, true) : x;
    }

    NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        NDArray out = Activation.relu(bn1.apply(ps, conv1.apply(ps, x, training), training));
        out = Activation.relu(bn2.apply(ps, conv2.apply(ps, out, training), training));
        out = bn3.apply(ps, conv3.apply(ps, avgPool(out, stride), training), training);
        NDArray identity = downsampleConv == null ? x
                : downsampleBn.apply(ps, downsampleConv.apply(ps, avgPool(x, stride), training), training);
        return Activation.relu(out.add(identity));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
        return new NDList(apply(ps, in.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), outChannels, s.get(2) / stride, s.get(3) / stride)};
    }
}
