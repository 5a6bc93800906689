package dev.vlltr.core.model.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * {@code nn.BatchNorm2d(channels)} with PyTorch's defaults (ε 1e-5, momentum 0.1): {@code weight}, {@code bias},
 * buffers {@code running_mean}, {@code running_var}. Training mode normalises with the batch statistics and updates
 * the running ones (unbiased variance), eval mode uses the running ones. CLIP's {@code num_batches_tracked} is not
 * kept (it only matters for {@code momentum=None}).
 */
final class ClipBatchNorm2d extends ClipBlock {

    /** PyTorch's momentum 0.1, written in DJL's convention (the weight of the old running value). */
    private static final float DJL_MOMENTUM = 0.9f;

    private final Parameter weight;
    private final Parameter bias;
    private final Parameter runningMean;
    private final Parameter runningVar;

    ClipBatchNorm2d(long channels, boolean zeroGamma) {
        weight = param("weight", Parameter.Type.GAMMA, zeroGamma ? Initializer.ZEROS : Initializer.ONES, channels);
        bias = param("bias", Parameter.Type.BETA, Initializer.ZEROS, channels);
        runningMean = buffer("running_mean", Parameter.Type.RUNNING_MEAN, Initializer.ZEROS, channels);
        runningVar = buffer("running_var", Parameter.Type.RUNNING_VAR, Initializer.ONES, channels);
    }

    NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        return BatchNorm.batchNorm(x, ps.getValue(runningMean, x.getDevice(), training),
                ps.getValue(runningVar, x.getDevice(), training), ps.getValue(weight, x.getDevice(), training),
                ps.getValue(bias, x.getDevice(), training), 1, DJL_MOMENTUM, 1e-5f, training).singletonOrThrow();
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
