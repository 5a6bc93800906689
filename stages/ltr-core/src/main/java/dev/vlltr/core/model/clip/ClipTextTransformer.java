package dev.vlltr.core.model.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.vlltr.core.model.TextTower;

/**
 * CLIP's text tower ({@code CLIP.encode_text}): {@code token_embedding.weight (vocab, W)} + {@code
 * positional_embedding (context, W)}, a {@link ClipTransformer} ({@code transformer.resblocks.*}) under a causal mask
 * (−∞ above the diagonal), {@code ln_final}, and the feature of the end-of-text token — the position of the
 * <em>largest</em> id of each row, as CLIP takes it ({@code text.argmax(-1)}; EOT 49407 is the highest BPE id) —
 * times {@code text_projection (W, E)}. Input {@code [ids (B, L)]} with {@code L ≤ context} (CLIP's tokenizer pads to
 * the context with 0); output {@code (B, E)}, not normalised. Initialisation: CLIP's {@code initialize_parameters}.
 * Text = context 77, vocab 49408, width 512, 12 layers, 8 heads.
 */
public final class ClipTextTransformer extends ClipBlock implements ClipTower, TextTower {

    /** CLIP's context length. */
    public static final int CONTEXT = 77;
    /** CLIP's BPE vocabulary size. */
    public static final int VOCAB = 49408;
    /** CLIP's text width. */
    public static final int WIDTH = 512;
    /** CLIP's text layers. */
    public static final int LAYERS = 12;
    /** CLIP's text heads. */
    public static final int HEADS = 8;

    private final int contextLength;
    private final int vocabSize;
    private final int width;
    private final int embedDim;
    private final Parameter tokenEmbedding;
    private final Parameter positionalEmbedding;
    private final ClipTransformer transformer;
    private final ClipLayerNorm lnFinal;
    private final Parameter textProjection;

    /**
     * @param contextLength context (77)
     * @param vocabSize vocabulary (49408)
     * @param width transformer width (512)
     * @param layers transformer layers (12)
     * @param heads attention heads (8)
     * @param embedDim joint embedding (RN50: 1024, ViT-B/16: 512)
     */
    public ClipTextTransformer(int contextLength, int vocabSize, int width, int layers, int heads, int embedDim) {
        if (contextLength < 1 || vocabSize < 2 || embedDim < 1) {
            throw new IllegalArgumentException("CLIP text: context ≥ 1, vocab ≥ 2, embed dim ≥ 1 required, got "
                    + contextLength + ", " + vocabSize + ", " + embedDim);
        }
        this.contextLength = contextLength;
        this.vocabSize = vocabSize;
        this.width = width;
        this.embedDim = embedDim;
        transformer = child("transformer", new ClipTransformer(width, layers, heads, true));
        tokenEmbedding = param("token_embedding.weight", Parameter.Type.WEIGHT, ClipInit.normal(0.02), vocabSize,
                width);
        positionalEmbedding = param("positional_embedding", Parameter.Type.OTHER, ClipInit.normal(0.01),
                contextLength, width);
        lnFinal = child("ln_final", new ClipLayerNorm(width));
        textProjection = param("text_projection", Parameter.Type.WEIGHT, ClipInit.normal(Math.pow(width, -0.5)),
                width, embedDim);
    }

    /**
     * @param embedDim the joint embedding (1024 with RN50, 512 with ViT-B/16)
     * @return CLIP's text tower at its real size
     */
    public static ClipTextTransformer clip(int embedDim) {
        return new ClipTextTransformer(CONTEXT, VOCAB, WIDTH, LAYERS, HEADS, embedDim);
    }

    /** {@inheritDoc} */
    @Override
    public int getEmbedDim() {
        return embedDim;
    }

    /** @return the context length */
    public int getContextLength() {
        return contextLength;
    }

    /** @return the vocabulary size */
    public int getVocabSize() {
        return vocabSize;
    }

    /** {@inheritDoc} */
    @Override
    public String clipPrefix() {
        return "";
    }

    /** {@inheritDoc} */
    @Override
    public boolean ownsClipName(String name) {
        return name.startsWith("transformer.") || name.startsWith("token_embedding.")
                || name.equals("positional_embedding") || name.startsWith("ln_final.")
                || name.equals("text_projection");
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
        NDArray ids = in.singletonOrThrow();
        Shape s = ids.getShape();
        if (s.dimension() != 2 || s.get(1) < 1 || s.get(1) > contextLength) {
            throw new IllegalArgumentException("CLIP text expects token ids (B, L) with 1 ≤ L ≤ " + contextLength
                    + ", got " + s);
        }
        long b = s.get(0);
        long len = s.get(1);
        NDArray idx = ids.toType(DataType.INT64, false);
        NDArray x = ps.getValue(tokenEmbedding, ids.getDevice(), training).get(idx.flatten()).reshape(b, len, width)
                .add(ps.getValue(positionalEmbedding, ids.getDevice(), training).get("0:" + len));
        x = transformer.apply(ps, x, causalMask(x.getManager(), (int) len).toDevice(x.getDevice(), false), training);
        x = lnFinal.apply(ps, x, training);
        NDArray rows = x.getManager().arange(0L, b * len, len, DataType.INT64).toDevice(x.getDevice(), false);
        NDArray eot = idx.argMax(1).add(rows); // first position of the largest id
        return new NDList(x.reshape(b * len, width).get(eot)
                .matMul(ps.getValue(textProjection, x.getDevice(), training)));
    }

    /** CLIP's {@code build_attention_mask}: additive, −∞ strictly above the diagonal. */
    static NDArray causalMask(NDManager manager, int len) {
        float[] m = new float[len * len];
        for (int i = 0; i < len; i++) {
            for (int j = i + 1; j < len; j++) {
                m[i * len + j] = Float.NEGATIVE_INFINITY;
            }
        }
        return manager.create(m, new Shape(len, len));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), embedDim)};
    }
}
