package dev.vlltr.core.model.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * CLIP's {@code AttentionPool2d}: the {@code (H·W)} feature tokens, preceded by their mean, plus {@code
 * positional_embedding (H·W + 1, C)}; one multi-head attention with the mean token as the only query ({@code q_proj},
 * {@code k_proj}, {@code v_proj}, output {@code c_proj}: {@code C → output_dim}). Initialisation as CLIP: the
 * positional embedding {@code N(0, 1)/√C}, the four weights {@code N(0, C^-1)}, biases PyTorch's defaults.
 */
final class ClipAttentionPool2d extends ClipBlock {

    private final int spacialDim;
    private final int heads;
    private final long outputDim;
    private final Parameter positionalEmbedding;
    private final ClipLinear kProj;
    private final ClipLinear qProj;
    private final ClipLinear vProj;
    private final ClipLinear cProj;

    ClipAttentionPool2d(int spacialDim, int embedDim, int heads, long outputDim) {
        if (heads < 1 || embedDim % heads != 0) {
            throw new IllegalArgumentException("attention pool width " + embedDim + " must be a multiple of heads "
                    + heads);
        }
        this.spacialDim = spacialDim;
        this.heads = heads;
        this.outputDim = outputDim;
        double std = Math.pow(embedDim, -0.5);
        positionalEmbedding = param("positional_embedding", Parameter.Type.OTHER, ClipInit.normal(std),
                (long) spacialDim * spacialDim + 1, embedDim);
        kProj = child("k_proj", new ClipLinear(embedDim, embedDim, ClipInit.normal(std), ClipInit.torchDefault(embedDim)));
        qProj = child("q_proj", new ClipLinear(embedDim, embedDim, ClipInit.normal(std), ClipInit.torchDefault(embedDim)));
        vProj = child("v_proj", new ClipLinear(embedDim, embedDim, ClipInit.normal(std), ClipInit.torchDefault(embedDim)));
        cProj = child("c_proj", new ClipLinear(embedDim, outputDim, ClipInit.normal(std),
                ClipInit.torchDefault(embedDim)));
    }

    NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        Shape s = x.getShape();
        if (s.get(2) != spacialDim || s.get(3) != spacialDim) {
            throw new IllegalArgumentException("attention pool expects a " + spacialDim + "×" + spacialDim
                    + " feature map, got " + s);
        }
        long b = s.get(0);
        long c = s.get(1);
        NDArray tokens = x.reshape(b, c, -1).transpose(0, 2, 1); // (B, HW, C)
        tokens = NDArrays.concat(new NDList(tokens.mean(new int[] {1}, true), tokens), 1)
                .add(ps.getValue(positionalEmbedding, x.getDevice(), training));
        NDArray q = qProj.apply(ps, tokens.get(":, 0:1, :"), training);
        NDArray k = kProj.apply(ps, tokens, training);
        NDArray v = vProj.apply(ps, tokens, training);
        NDArray pooled = ClipMultiheadAttention.attend(q, k, v, heads, null); // (B, 1, C)
        return cProj.apply(ps, pooled, training).reshape(b, outputDim);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
        return new NDList(apply(ps, in.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), outputDim)};
    }
}
