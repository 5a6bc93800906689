package dev.vlltr.core.model.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/** CLIP's {@code Transformer}: {@code resblocks.0 … resblocks.(layers−1)}, each a {@link ClipResidualAttentionBlock}. */
public final class ClipTransformer extends ClipBlock {

    private final int width;
    private final int layers;
    private final List<ClipResidualAttentionBlock> resblocks = new ArrayList<>();

    /**
     * @param width W
     * @param layers block count
     * @param heads heads per block
     * @param clipTextInit CLIP's text-transformer initialisation (else PyTorch's defaults, as CLIP's visual one)
     */
    ClipTransformer(int width, int layers, int heads, boolean clipTextInit) {
        if (layers < 1) {
            throw new IllegalArgumentException("transformer layers must be ≥ 1, got " + layers);
        }
        this.width = width;
        this.layers = layers;
        for (int i = 0; i < layers; i++) {
            resblocks.add(child("resblocks." + i, clipTextInit
                    ? ClipResidualAttentionBlock.clipText(width, heads, layers)
                    : ClipResidualAttentionBlock.torchDefault(width, heads)));
        }
    }

    int getWidth() {
        return width;
    }

    int getLayers() {
        return layers;
    }

    NDArray apply(ParameterStore ps, NDArray x, NDArray mask, boolean training) {
        for (ClipResidualAttentionBlock block : resblocks) {
            x = block.apply(ps, x, mask, training);
        }
        return x;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
        return new NDList(apply(ps, in.get(0), in.size() > 1 ? in.get(1) : null, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
