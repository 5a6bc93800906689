package dev.vlltr.core.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.transformer.ScaledDotProductAttentionBlock;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A small Transformer text encoder trained from scratch — the ablation "no pretrained language" (in place of frozen
 * MiniLM + {@link TextProjection}). Input {@code [ids (B, L)]} from a {@link WordVocabulary} ({@code 0 = <pad>});
 * output {@code [embedding (B, E)]}.
 *
 * <p>Architecture (CLIP-like pre-LayerNorm layers): token embedding + learned positions (normal σ 0.01 / 0.02 as CLIP),
 * {@code layers ×} [{@code x += MHA(LN(x))} with padding masked out of the keys; {@code x += MLP(LN(x))}, MLP {@code
 * W → 4W → W} with GELU], final LN, masked mean over real tokens, {@code Linear(W → E)}. No dropout. Defaults: width
 * 128, 2 layers, 4 heads, L ≤ 32, E = 128 (our choice, small enough for CPU).
 */
public final class ScratchTextEncoder extends AbstractBlock implements TextTower {

    private final int width;
    private final int maxLength;
    private final int embedDim;
    private final Parameter tokenEmbedding;
    private final Parameter positionEmbedding;
    private final List<EncoderLayer> layers = new ArrayList<>();
    private final Parameter finalGamma;
    private final Parameter finalBeta;
    private final Linear projection;

    private ScratchTextEncoder(Builder b) {
        this.width = b.width;
        this.maxLength = b.maxLength;
        this.embedDim = b.embedDim;
        tokenEmbedding = addParameter(Parameter.builder().setName("token_embedding").setType(Parameter.Type.OTHER)
                .optShape(new Shape(b.vocabularySize, width)).optInitializer(normal(0.02f)).build());
        positionEmbedding = addParameter(Parameter.builder().setName("position_embedding")
                .setType(Parameter.Type.OTHER).optShape(new Shape(maxLength, width)).optInitializer(normal(0.01f))
                .build());
        for (int i = 0; i < b.layers; i++) {
            layers.add(addChildBlock("layer" + i, new EncoderLayer(width, b.heads)));
        }
        finalGamma = addParameter(Parameter.builder().setName("ln_final_gamma").setType(Parameter.Type.GAMMA)
                .optShape(new Shape(width)).optInitializer(Initializer.ONES).build());
        finalBeta = addParameter(Parameter.builder().setName("ln_final_beta").setType(Parameter.Type.BETA)
                .optShape(new Shape(width)).optInitializer(Initializer.ZEROS).build());
        projection = addChildBlock("projection", Linear.builder().setUnits(embedDim).build());
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    public int getEmbedDim() {
        return embedDim;
    }

    /** @return the maximum sequence length L */
    public int getMaxLength() {
        return maxLength;
    }

    private static Initializer normal(float sigma) {
        return (manager, shape, dataType) -> manager.randomNormal(0f, sigma, shape, dataType);
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ids = inputs.singletonOrThrow();
        Shape s = ids.getShape();
        if (s.dimension() != 2 || s.get(1) > maxLength || s.get(1) < 1) {
            throw new IllegalArgumentException(
                    "scratch text encoder expects token ids (B, L) with 1 ≤ L ≤ " + maxLength + ", got " + s);
        }
        long b = s.get(0);
        long len = s.get(1);
        Device device = ids.getDevice();
        NDArray idx = ids.toType(DataType.INT64, false);
        NDArray valid = idx.neq(WordVocabulary.PAD).toType(DataType.FLOAT32, false); // (B, L)
        // a lookup in a parameter joins the parameter's manager (the model's) and would stay there until the model
        // closes: the rows belong to the batch's
        NDArray tokens = ps.getValue(tokenEmbedding, device, training).get(idx.flatten());
        tokens.attach(ids.getManager());
        NDArray positions = ps.getValue(positionEmbedding, device, training).get("0:" + len);
        positions.attach(ids.getManager());
        NDArray x = tokens.reshape(b, len, width).add(positions);
        // key mask (B, T, F): every query may attend to every real token
        NDArray mask = valid.expandDims(1).repeat(1, len);
        for (EncoderLayer layer : layers) {
            x = layer.forward(ps, new NDList(x, mask), training, params).singletonOrThrow();
        }
        x = LayerNorm.layerNorm(x, new Shape(width), ps.getValue(finalGamma, device, training),
                ps.getValue(finalBeta, device, training), 1e-5f).singletonOrThrow();
        NDArray w = valid.expandDims(2);
        NDArray pooled = x.mul(w).sum(new int[] {1}).div(w.sum(new int[] {1}).maximum(1f));
        return projection.forward(ps, new NDList(pooled), training, params);
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long b = inputShapes[0].get(0);
        long len = inputShapes[0].get(1);
        for (EncoderLayer layer : layers) {
            layer.initialize(manager, dataType, new Shape(b, len, width), new Shape(b, len, len));
        }
        projection.initialize(manager, dataType, new Shape(b, width));
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), embedDim)};
    }

    /** One pre-LN Transformer layer: {@code x + MHA(LN(x), mask)}, then {@code x + MLP(LN(x))}. */
    static final class EncoderLayer extends AbstractBlock {
        private final int width;
        private final Parameter ln1Gamma;
        private final Parameter ln1Beta;
        private final Parameter ln2Gamma;
        private final Parameter ln2Beta;
        private final ScaledDotProductAttentionBlock attention;
        private final SequentialBlock mlp;

        EncoderLayer(int width, int heads) {
            this.width = width;
            ln1Gamma = addParameter(ln("ln1_gamma", Parameter.Type.GAMMA, width));
            ln1Beta = addParameter(ln("ln1_beta", Parameter.Type.BETA, width));
            ln2Gamma = addParameter(ln("ln2_gamma", Parameter.Type.GAMMA, width));
            ln2Beta = addParameter(ln("ln2_beta", Parameter.Type.BETA, width));
            attention = addChildBlock("attention", ScaledDotProductAttentionBlock.builder().setEmbeddingSize(width)
                    .setHeadCount(heads).optAttentionProbsDropoutProb(0f).build());
            mlp = addChildBlock("mlp", new SequentialBlock()
                    .add(Linear.builder().setUnits(4L * width).build())
                    .add(Activation::gelu)
                    .add(Linear.builder().setUnits(width).build()));
        }

        private static Parameter ln(String name, Parameter.Type type, int width) {
            return Parameter.builder().setName(name).setType(type).optShape(new Shape(width))
                    .optInitializer(type == Parameter.Type.GAMMA ? Initializer.ONES : Initializer.ZEROS).build();
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = inputs.get(0);
            NDArray mask = inputs.get(1);
            Device d = x.getDevice();
            NDArray h = LayerNorm.layerNorm(x, new Shape(width), ps.getValue(ln1Gamma, d, training),
                    ps.getValue(ln1Beta, d, training), 1e-5f).singletonOrThrow();
            x = x.add(attention.forward(ps, new NDList(h, mask), training, params).singletonOrThrow());
            h = LayerNorm.layerNorm(x, new Shape(width), ps.getValue(ln2Gamma, d, training),
                    ps.getValue(ln2Beta, d, training), 1e-5f).singletonOrThrow();
            long b = x.getShape().get(0);
            long len = x.getShape().get(1);
            NDArray m = mlp.forward(ps, new NDList(h.reshape(b * len, width)), training, params)
                    .singletonOrThrow().reshape(b, len, width);
            return new NDList(x.add(m));
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            attention.initialize(manager, dataType, inputShapes);
            mlp.initialize(manager, dataType, new Shape(1, width));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {inputShapes[0]};
        }
    }

    /** Builder of {@link ScratchTextEncoder}. */
    public static final class Builder {
        private int vocabularySize;
        private int width = 128;
        private int layers = 2;
        private int heads = 4;
        private int maxLength = 32;
        private int embedDim = 128;

        Builder() {}

        /**
         * @param size the vocabulary size ({@link WordVocabulary#size()})
         * @return this builder
         */
        public Builder setVocabularySize(int size) {
            this.vocabularySize = size;
            return this;
        }

        /**
         * @param width model width W (default 128; divisible by the head count)
         * @return this builder
         */
        public Builder optWidth(int width) {
            this.width = width;
            return this;
        }

        /**
         * @param layers number of layers (default 2)
         * @return this builder
         */
        public Builder optLayers(int layers) {
            this.layers = layers;
            return this;
        }

        /**
         * @param heads attention heads (default 4)
         * @return this builder
         */
        public Builder optHeads(int heads) {
            this.heads = heads;
            return this;
        }

        /**
         * @param maxLength maximum token count L (default 32)
         * @return this builder
         */
        public Builder optMaxLength(int maxLength) {
            this.maxLength = maxLength;
            return this;
        }

        /**
         * @param embedDim output embedding E (default 128)
         * @return this builder
         */
        public Builder optEmbedDim(int embedDim) {
            this.embedDim = embedDim;
            return this;
        }

        /** @return the encoder */
        public ScratchTextEncoder build() {
            if (vocabularySize < 2) {
                throw new IllegalArgumentException("scratch text encoder: vocabulary size must be ≥ 2, got "
                        + vocabularySize);
            }
            if (width < 1 || heads < 1 || width % heads != 0) {
                throw new IllegalArgumentException("scratch text encoder: width " + width
                        + " must be a positive multiple of the head count " + heads);
            }
            if (layers < 0 || maxLength < 1 || embedDim < 1) {
                throw new IllegalArgumentException("scratch text encoder: layers ≥ 0, maxLength ≥ 1, embedDim ≥ 1 "
                        + "required, got " + layers + ", " + maxLength + ", " + embedDim);
            }
            return new ScratchTextEncoder(this);
        }
    }
}
