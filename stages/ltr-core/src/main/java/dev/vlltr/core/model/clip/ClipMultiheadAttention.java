package dev.vlltr.core.model.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import dev.vlltr.core.nd.GraphScalars;

/**
 * {@code nn.MultiheadAttention(width, heads)} as CLIP uses it (self-attention, no dropout, no bias_k/v):
 * {@code in_proj_weight (3W, W)} = [W_q; W_k; W_v], {@code in_proj_bias (3W)}, {@code out_proj.weight/bias}.
 * Batch-first here ({@code (B, L, W)}); CLIP's {@code (L, B, W)} layout is only a transposition. {@link #attend} is
 * the attention core shared with {@link ClipAttentionPool2d}.
 */
public final class ClipMultiheadAttention extends ClipBlock {

    private final int width;
    private final int heads;
    private final Parameter inProjWeight;
    private final Parameter inProjBias;
    private final ClipLinear outProj;

    /**
     * @param width model width W (divisible by {@code heads})
     * @param heads attention heads
     * @param inProjInit initialiser of {@code in_proj_weight} (PyTorch: xavier uniform; CLIP's text tower: normal)
     * @param outProjInit initialiser of {@code out_proj.weight} (PyTorch: {@code U(±1/√W)}; CLIP's text tower: normal)
     */
    ClipMultiheadAttention(int width, int heads, Initializer inProjInit, Initializer outProjInit) {
        if (heads < 1 || width % heads != 0) {
            throw new IllegalArgumentException("attention width " + width + " must be a multiple of heads " + heads);
        }
        this.width = width;
        this.heads = heads;
        inProjWeight = param("in_proj_weight", Parameter.Type.WEIGHT, inProjInit, 3L * width, width);
        inProjBias = param("in_proj_bias", Parameter.Type.BIAS, Initializer.ZEROS, 3L * width);
        outProj = child("out_proj", new ClipLinear(width, width, outProjInit, Initializer.ZEROS));
    }

    /** PyTorch's default initialisation of {@code nn.MultiheadAttention}. */
    static ClipMultiheadAttention torchDefault(int width, int heads) {
        return new ClipMultiheadAttention(width, heads, ClipInit.xavierUniform(width, 3L * width),
                ClipInit.torchDefault(width));
    }

    /**
     * Self-attention of {@code x (B, L, W)}.
     *
     * @param mask additive mask {@code (L, L)} (CLIP's causal mask: −∞ above the diagonal) or null
     */
    NDArray apply(ParameterStore ps, NDArray x, NDArray mask, boolean training) {
        NDArray qkv = Linear.linear(x, ps.getValue(inProjWeight, x.getDevice(), training),
                ps.getValue(inProjBias, x.getDevice(), training)).singletonOrThrow();
        NDList parts = qkv.split(3, 2);
        NDArray attended = attend(parts.get(0), parts.get(1), parts.get(2), heads, mask);
        return outProj.apply(ps, attended, training);
    }

    /**
     * Scaled dot-product attention over {@code heads} heads of already projected inputs.
     *
     * @param q queries {@code (B, Lq, W)}
     * @param k keys {@code (B, Lk, W)}
     * @param v values {@code (B, Lk, W)}
     * @param heads head count h (head dim {@code d = W/h})
     * @param mask additive {@code (Lq, Lk)} or null
     * @return {@code (B, Lq, W)}, the heads concatenated (before the output projection)
     */
    static NDArray attend(NDArray q, NDArray k, NDArray v, int heads, NDArray mask) {
        long b = q.getShape().get(0);
        long lq = q.getShape().get(1);
        long lk = k.getShape().get(1);
        long w = q.getShape().get(2);
        long d = w / heads;
        NDArray qh = q.reshape(b, lq, heads, d).transpose(0, 2, 1, 3);
        NDArray kh = k.reshape(b, lk, heads, d).transpose(0, 2, 3, 1);
        NDArray vh = v.reshape(b, lk, heads, d).transpose(0, 2, 1, 3);
        // not div(Number): DJL's scalar is Java memory the graph would outlive (see GraphScalars)
        NDArray scores = GraphScalars.div(qh.matMul(kh), Math.sqrt(d)); // (B, h, Lq, Lk)
        if (mask != null) {
            scores = scores.add(mask);
        }
        return scores.softmax(-1).matMul(vh).transpose(0, 2, 1, 3).reshape(b, lq, w);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
        return new NDList(apply(ps, in.get(0), in.size() > 1 ? in.get(1) : null, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    int getWidth() {
        return width;
    }
}
