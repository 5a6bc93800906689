package dev.vlltr.core.model.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.vlltr.core.nd.GraphScalars;

/**
 * CLIP's {@code ResidualAttentionBlock}: {@code x += attn(ln_1(x), mask)}; {@code x += mlp(ln_2(x))} with {@code
 * mlp = c_fc (W → 4W), QuickGELU (x·σ(1.702x)), c_proj (4W → W)}. Input {@code [x (B, L, W)]} or {@code [x, mask]}.
 */
public final class ClipResidualAttentionBlock extends ClipBlock {

    private final ClipLayerNorm ln1;
    private final ClipMultiheadAttention attn;
    private final ClipLayerNorm ln2;
    private final ClipLinear cFc;
    private final ClipLinear cProj;

    ClipResidualAttentionBlock(int width, ClipMultiheadAttention attn, ClipLinear cFc, ClipLinear cProj) {
        this.attn = child("attn", attn);
        ln1 = child("ln_1", new ClipLayerNorm(width));
        this.cFc = child("mlp.c_fc", cFc);
        this.cProj = child("mlp.c_proj", cProj);
        ln2 = child("ln_2", new ClipLayerNorm(width));
    }

    /** PyTorch's default initialisation (CLIP's image-side transformer is not re-initialised). */
    static ClipResidualAttentionBlock torchDefault(int width, int heads) {
        return new ClipResidualAttentionBlock(width, ClipMultiheadAttention.torchDefault(width, heads),
                ClipLinear.torchDefault(width, 4L * width), ClipLinear.torchDefault(4L * width, width));
    }

    /** CLIP's {@code initialize_parameters} for the text transformer of {@code layers} blocks. */
    static ClipResidualAttentionBlock clipText(int width, int heads, int layers) {
        double attnStd = Math.pow(width, -0.5);
        double projStd = attnStd * Math.pow(2.0 * layers, -0.5);
        double fcStd = Math.pow(2.0 * width, -0.5);
        return new ClipResidualAttentionBlock(width,
                new ClipMultiheadAttention(width, heads, ClipInit.normal(attnStd), ClipInit.normal(projStd)),
                new ClipLinear(width, 4L * width, ClipInit.normal(fcStd), ClipInit.torchDefault(width)),
                new ClipLinear(4L * width, width, ClipInit.normal(projStd), ClipInit.torchDefault(4L * width)));
    }

    NDArray apply(ParameterStore ps, NDArray x, NDArray mask, boolean training) {
        x = x.add(attn.apply(ps, ln1.apply(ps, x, training), mask, training));
        NDArray h = cFc.apply(ps, ln2.apply(ps, x, training), training);
        h = h.mul(Activation.sigmoid(GraphScalars.mul(h, 1.702))); // QuickGELU (GraphScalars: see there)
        return x.add(cProj.apply(ps, h, training));
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
