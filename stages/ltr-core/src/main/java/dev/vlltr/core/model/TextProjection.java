package dev.vlltr.core.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Trainable text head over frozen sentence embeddings (e.g. all-MiniLM-L6-v2, 384-d): {@code Linear(in → H) → ReLU →
 * Linear(H → E)}, or a single {@code Linear(in → E)} with {@code optHiddenDim(0)}. Output {@code [embedding (B, E)]},
 * not normalised.
 *
 * <p>This replaces VL-LTR's trainable CLIP text transformer + {@code text_projection}: offline only frozen MiniLM
 * weights exist (no text-encoder fine-tuning through ONNX Runtime), so the language side learns through this MLP.
 * Defaults are our design, not the paper's: hidden 512, embedding 128.
 */
public final class TextProjection extends AbstractBlock implements TextTower {

    private final int inputDim;
    private final int embedDim;
    private final SequentialBlock mlp;

    private TextProjection(Builder b) {
        this.inputDim = b.inputDim;
        this.embedDim = b.embedDim;
        SequentialBlock s = new SequentialBlock();
        if (b.hiddenDim > 0) {
            s.add(Linear.builder().setUnits(b.hiddenDim).build()).add(Activation.reluBlock());
        }
        s.add(Linear.builder().setUnits(b.embedDim).build());
        mlp = addChildBlock("mlp", s);
    }

    /** @return a builder (input 384, hidden 512, embedding 128) */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the expected sentence-embedding dimension */
    public int getInputDim() {
        return inputDim;
    }

    /** {@inheritDoc} */
    @Override
    public int getEmbedDim() {
        return embedDim;
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        Shape s = inputs.singletonOrThrow().getShape();
        if (s.dimension() != 2 || s.get(1) != inputDim) {
            throw new IllegalArgumentException(
                    "text projection expects sentence embeddings (B, " + inputDim + "), got " + s);
        }
        return mlp.forward(ps, inputs, training, params);
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        mlp.initialize(manager, dataType, inputShapes);
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), embedDim)};
    }

    /** Builder of {@link TextProjection}. */
    public static final class Builder {
        private int inputDim = 384;
        private int hiddenDim = 512;
        private int embedDim = 128;

        Builder() {}

        /**
         * @param dim sentence-embedding dimension (default 384, MiniLM)
         * @return this builder
         */
        public Builder optInputDim(int dim) {
            this.inputDim = positive("input dimension", dim);
            return this;
        }

        /**
         * @param dim hidden width (default 512); 0 for a single linear layer
         * @return this builder
         */
        public Builder optHiddenDim(int dim) {
            if (dim < 0) {
                throw new IllegalArgumentException("hidden dimension must be ≥ 0, got " + dim);
            }
            this.hiddenDim = dim;
            return this;
        }

        /**
         * @param dim joint embedding dimension (default 128)
         * @return this builder
         */
        public Builder optEmbedDim(int dim) {
            this.embedDim = positive("embedding dimension", dim);
            return this;
        }

        /** @return the projection */
        public TextProjection build() {
            return new TextProjection(this);
        }

        private static int positive(String what, int v) {
            if (v <= 0) {
                throw new IllegalArgumentException(what + " must be positive, got " + v);
            }
            return v;
        }
    }
}
