package dev.vlltr.core.model.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * CLIP's {@code VisionTransformer}: {@code conv1} patch embedding (kernel = stride = patch, no bias), {@code
 * class_embedding} prepended, {@code positional_embedding ((S/patch)² + 1, W)} added, {@code ln_pre}, {@link
 * ClipTransformer} ({@code transformer.resblocks.*}), {@code ln_post} of the class token, {@code @ proj (W, E)}.
 * Initialisation as CLIP: the three embeddings {@code W^-½·N(0, 1)}, the rest PyTorch's defaults.
 */
public final class ClipVisionTransformer extends ClipBlock implements ClipVisualEncoder {

    private final int imageSize;
    private final int patchSize;
    private final int width;
    private final int embedDim;
    private final ClipConv2d conv1;
    private final Parameter classEmbedding;
    private final Parameter positionalEmbedding;
    private final Parameter proj;
    private final ClipLayerNorm lnPre;
    private final ClipTransformer transformer;
    private final ClipLayerNorm lnPost;

    ClipVisionTransformer(int imageSize, int patchSize, int width, int layers, int heads, int embedDim) {
        if (patchSize < 1 || imageSize < patchSize || imageSize % patchSize != 0) {
            throw new IllegalArgumentException("ViT image size " + imageSize + " must be a positive multiple of the "
                    + "patch size " + patchSize);
        }
        if (embedDim < 1) {
            throw new IllegalArgumentException("ViT embed dim must be ≥ 1, got " + embedDim);
        }
        this.imageSize = imageSize;
        this.patchSize = patchSize;
        this.width = width;
        this.embedDim = embedDim;
        long grid = imageSize / patchSize;
        double scale = Math.pow(width, -0.5);
        classEmbedding = param("class_embedding", Parameter.Type.OTHER, ClipInit.normal(scale), width);
        positionalEmbedding = param("positional_embedding", Parameter.Type.OTHER, ClipInit.normal(scale),
                grid * grid + 1, width);
        proj = param("proj", Parameter.Type.WEIGHT, ClipInit.normal(scale), width, embedDim);
        conv1 = child("conv1", new ClipConv2d(3, width, patchSize, patchSize, 0));
        lnPre = child("ln_pre", new ClipLayerNorm(width));
        transformer = child("transformer", new ClipTransformer(width, layers, heads, false));
        lnPost = child("ln_post", new ClipLayerNorm(width));
    }

    /** {@inheritDoc} */
    @Override
    public int getImageSize() {
        return imageSize;
    }

    /** @return the patch size */
    public int getPatchSize() {
        return patchSize;
    }

    /** {@inheritDoc} */
    @Override
    public int getEmbedDim() {
        return embedDim;
    }

    /** {@inheritDoc} */
    @Override
    public String positionalEmbeddingName() {
        return "visual.positional_embedding";
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
        NDArray x = in.singletonOrThrow();
        Shape s = x.getShape();
        if (s.dimension() != 4 || s.get(1) != 3 || s.get(2) != imageSize || s.get(3) != imageSize) {
            throw new IllegalArgumentException("CLIP ViT expects images (B, 3, " + imageSize + ", " + imageSize
                    + "), got " + s);
        }
        long b = s.get(0);
        x = conv1.apply(ps, x, training); // (B, W, g, g)
        x = x.reshape(b, width, -1).transpose(0, 2, 1); // (B, g², W)
        NDArray cls = ps.getValue(classEmbedding, x.getDevice(), training).reshape(1, 1, width)
                .add(x.getManager().zeros(new Shape(b, 1, width), x.getDataType(), x.getDevice()));
        x = NDArrays.concat(new NDList(cls, x), 1).add(ps.getValue(positionalEmbedding, x.getDevice(), training));
        x = lnPre.apply(ps, x, training);
        x = transformer.apply(ps, x, null, training);
        NDArray token = lnPost.apply(ps, x.get(":, 0, :"), training);
        return new NDList(token.matMul(ps.getValue(proj, x.getDevice(), training)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), embedDim)};
    }
}
