package dev.vlltr.core.model;

import ai.djl.basicmodelzoo.cv.classification.ResNetV1;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.BlockList;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Image tower: DJL's {@link ResNetV1} without its classifier (global-average-pooled features, {@link
 * #getFeatureDim()}) followed by a linear projection to the joint embedding ({@link #getEmbedDim()}); output {@code
 * [embedding (B, E)]}, not normalised (the losses and the LGR head normalise where the official code does).
 *
 * <p>Styles: {@link Style#CIFAR} (default): depth {@code 6n+2} (basic blocks 16/32/64, feature dim 64; ResNet-20 by
 * default, ResNet-32 as LDAM-DRW) or {@code 9n+2 ≥ 164} (bottleneck, 256); 3×3 stem, no max-pool — DJL builds this
 * layout for images up to 28 px, and it is size-agnostic (global pooling), so it serves 28×28 (Fashion-MNIST) and
 * 32×32 (CIFAR) alike. {@link Style#IMAGENET}: depth 18/34/50/101/152 with 7×7 stem and max-pool, DJL's layout
 * (feature dim 512 below 50 layers, 2048 from 50). DJL's CIFAR layout has no BN/ReLU right after the stem.
 */
public final class VisionEncoder extends AbstractBlock implements ImageTower {

    /** Which DJL ResNetV1 layout to build. */
    public enum Style {
        /** 3 stages, 3×3 stem (DJL's layout for ≤ 28 px). */
        CIFAR,
        /** 4 stages, 7×7 stem + max-pool (DJL's layout for > 32 px). */
        IMAGENET
    }

    private final int depth;
    private final int embedDim;
    private final long featureDim;
    private final Block backbone;
    private final Block projection;

    private VisionEncoder(Builder b) {
        this.depth = b.depth;
        this.embedDim = b.embedDim;
        int side = b.style == Style.CIFAR ? 28 : 224;
        SequentialBlock resnet;
        try {
            resnet = (SequentialBlock) ResNetV1.builder()
                    .setImageShape(new Shape(b.channels, side, side))
                    .setNumLayers(b.depth)
                    .setOutSize(1)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("vision encoder: unsupported ResNet depth " + b.depth + " for style "
                    + b.style + " (CIFAR: 6n+2 below 164 or 9n+2 from 164; IMAGENET: 18, 34, 50, 101, 152, 200, 269)",
                    e);
        }
        // ResNetV1 ends with [global pool, flatten, Linear(outSize), flatten]; keep everything before the Linear.
        BlockList children = resnet.getChildren();
        SequentialBlock features = new SequentialBlock();
        for (int i = 0; i < children.size() - 2; i++) {
            features.add(children.get(i).getValue());
        }
        backbone = addChildBlock("backbone", features);
        projection = addChildBlock("projection", Linear.builder().setUnits(b.embedDim).build());
        featureDim = features.getOutputShapes(new Shape[] {new Shape(1, b.channels, side, side)})[0].get(1);
    }

    /** @return a builder (ResNet-20, CIFAR style, 1 channel, embedding 128) */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the pooled backbone feature dimension (64 for CIFAR-style ResNet-20/32) */
    public long getFeatureDim() {
        return featureDim;
    }

    /** @return the joint-embedding dimension E */
    public int getEmbedDim() {
        return embedDim;
    }

    /** @return the ResNet depth */
    public int getDepth() {
        return depth;
    }

    /** @return the backbone alone: images → {@code (B, featureDim)} pooled features */
    public Block getBackbone() {
        return backbone;
    }

    /** @return the projection {@code featureDim → E} */
    public Block getProjection() {
        return projection;
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList x = inputs;
        if (x.singletonOrThrow().getShape().dimension() != 4) {
            throw new IllegalArgumentException(
                    "vision encoder expects images (B, C, H, W), got " + x.singletonOrThrow().getShape());
        }
        NDList features = backbone.forward(ps, x, training, params);
        return projection.forward(ps, features, training, params);
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        backbone.initialize(manager, dataType, inputShapes);
        Shape[] f = backbone.getOutputShapes(inputShapes);
        projection.initialize(manager, dataType, f);
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), embedDim)};
    }

    /** Builder of {@link VisionEncoder}. */
    public static final class Builder {
        private int depth = 20;
        private int channels = 1;
        private int embedDim = 128;
        private Style style = Style.CIFAR;

        Builder() {}

        /**
         * @param depth ResNet depth (default 20)
         * @return this builder
         */
        public Builder optDepth(int depth) {
            this.depth = depth;
            return this;
        }

        /**
         * @param channels image channels (default 1, Fashion-MNIST; 3 for CIFAR)
         * @return this builder
         */
        public Builder optImageChannels(int channels) {
            if (channels <= 0) {
                throw new IllegalArgumentException("image channels must be positive, got " + channels);
            }
            this.channels = channels;
            return this;
        }

        /**
         * @param embedDim joint embedding dimension (default 128)
         * @return this builder
         */
        public Builder optEmbedDim(int embedDim) {
            if (embedDim <= 0) {
                throw new IllegalArgumentException("embedding dimension must be positive, got " + embedDim);
            }
            this.embedDim = embedDim;
            return this;
        }

        /**
         * @param style the ResNet layout (default CIFAR)
         * @return this builder
         */
        public Builder optStyle(Style style) {
            this.style = style;
            return this;
        }

        /** @return the encoder */
        public VisionEncoder build() {
            return new VisionEncoder(this);
        }
    }
}
