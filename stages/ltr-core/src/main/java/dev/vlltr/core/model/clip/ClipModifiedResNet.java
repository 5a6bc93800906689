package dev.vlltr.core.model.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * CLIP's {@code ModifiedResNet}: a stem of three 3×3 convolutions ({@code conv1} stride 2 to {@code width/2}, {@code
 * conv2}, {@code conv3} to {@code width}, each with BN + ReLU) and a 2×2 average pool instead of the max pool; four
 * stages {@code layer1..layer4} of {@link ClipBottleneck}s ({@code planes} = width, 2·, 4·, 8·width; strides 1, 2, 2,
 * 2, anti-aliased); then {@link ClipAttentionPool2d} over the {@code S/32 × S/32} map of {@code 32·width} channels to
 * {@code embed_dim}. RN50 = layers (3, 4, 6, 3), width 64, heads 32, embed 1024.
 */
public final class ClipModifiedResNet extends ClipBlock implements ClipVisualEncoder {

    private final int imageSize;
    private final int embedDim;
    private final ClipConv2d conv1;
    private final ClipBatchNorm2d bn1;
    private final ClipConv2d conv2;
    private final ClipBatchNorm2d bn2;
    private final ClipConv2d conv3;
    private final ClipBatchNorm2d bn3;
    private final List<ClipBottleneck> blocks = new ArrayList<>();
    private final ClipAttentionPool2d attnpool;

    ClipModifiedResNet(int[] layers, int embedDim, int heads, int imageSize, int width) {
        if (layers.length != 4) {
            throw new IllegalArgumentException("ModifiedResNet needs 4 stage depths, got " + layers.length);
        }
        if (imageSize < 32 || imageSize % 32 != 0) {
            throw new IllegalArgumentException("ModifiedResNet image size must be a positive multiple of 32, got "
                    + imageSize);
        }
        if (width < 2 || width % 2 != 0 || embedDim < 1) {
            throw new IllegalArgumentException("ModifiedResNet width must be even and ≥ 2 and embed dim ≥ 1, got "
                    + width + ", " + embedDim);
        }
        this.imageSize = imageSize;
        this.embedDim = embedDim;
        conv1 = child("conv1", new ClipConv2d(3, width / 2, 3, 2, 1));
        bn1 = child("bn1", new ClipBatchNorm2d(width / 2, false));
        conv2 = child("conv2", new ClipConv2d(width / 2, width / 2, 3, 1, 1));
        bn2 = child("bn2", new ClipBatchNorm2d(width / 2, false));
        conv3 = child("conv3", new ClipConv2d(width / 2, width, 3, 1, 1));
        bn3 = child("bn3", new ClipBatchNorm2d(width, false));
        long inplanes = width;
        for (int stage = 0; stage < 4; stage++) {
            if (layers[stage] < 1) {
                throw new IllegalArgumentException("ModifiedResNet stage depths must be ≥ 1, got layer"
                        + (stage + 1) + " = " + layers[stage]);
            }
            long planes = (long) width << stage;
            for (int i = 0; i < layers[stage]; i++) {
                int stride = stage > 0 && i == 0 ? 2 : 1;
                blocks.add(child("layer" + (stage + 1) + "." + i, new ClipBottleneck(inplanes, planes, stride)));
                inplanes = planes * ClipBottleneck.EXPANSION;
            }
        }
        attnpool = child("attnpool", new ClipAttentionPool2d(imageSize / 32, width * 32, heads, embedDim));
    }

    /** {@inheritDoc} */
    @Override
    public int getImageSize() {
        return imageSize;
    }

    /** {@inheritDoc} */
    @Override
    public int getEmbedDim() {
        return embedDim;
    }

    /** {@inheritDoc} */
    @Override
    public String positionalEmbeddingName() {
        return "visual.attnpool.positional_embedding";
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
        NDArray x = in.singletonOrThrow();
        Shape s = x.getShape();
        if (s.dimension() != 4 || s.get(1) != 3 || s.get(2) != imageSize || s.get(3) != imageSize) {
            throw new IllegalArgumentException("CLIP ModifiedResNet expects images (B, 3, " + imageSize + ", "
                    + imageSize + "), got " + s);
        }
        x = Activation.relu(bn1.apply(ps, conv1.apply(ps, x, training), training));
        x = Activation.relu(bn2.apply(ps, conv2.apply(ps, x, training), training));
        x = Activation.relu(bn3.apply(ps, conv3.apply(ps, x, training), training));
        x = ClipBottleneck.avgPool(x, 2);
        for (ClipBottleneck block : blocks) {
            x = block.apply(ps, x, training);
        }
        return new NDList(attnpool.apply(ps, x, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), embedDim)};
    }
}
