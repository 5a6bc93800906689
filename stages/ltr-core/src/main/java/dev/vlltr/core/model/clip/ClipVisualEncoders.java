package dev.vlltr.core.model.clip;

/**
 * Builds CLIP's image towers. Sizes are parameters so that tiny towers can be tested; the real ones are the
 * constants (OpenAI's {@code RN50} and {@code ViT-B/16} at 224 px, as {@code build_model} infers them from the
 * checkpoints: RN50 heads = {@code 32·width/64}, ViT heads = {@code width/64}).
 */
public final class ClipVisualEncoders {

    /** RN50's stage depths. */
    public static final int[] RN50_LAYERS = {3, 4, 6, 3};
    /** RN50's stem width. */
    public static final int RN50_WIDTH = 64;
    /** RN50's attention-pool heads ({@code width·32/64}). */
    public static final int RN50_HEADS = 32;
    /** RN50's joint embedding dimension. */
    public static final int RN50_EMBED_DIM = 1024;
    /** ViT-B/16's width. */
    public static final int VIT_B16_WIDTH = 768;
    /** ViT-B/16's layers. */
    public static final int VIT_B16_LAYERS = 12;
    /** ViT-B/16's heads. */
    public static final int VIT_B16_HEADS = 12;
    /** ViT-B/16's patch size. */
    public static final int VIT_B16_PATCH = 16;
    /** ViT-B/16's joint embedding dimension. */
    public static final int VIT_B16_EMBED_DIM = 512;
    /** The image size of OpenAI's checkpoints. */
    public static final int CLIP_IMAGE_SIZE = 224;

    private ClipVisualEncoders() {}

    /**
     * CLIP's ModifiedResNet.
     *
     * @param layers four stage depths (RN50: 3, 4, 6, 3)
     * @param width stem width (64)
     * @param heads attention-pool heads (32)
     * @param embedDim output dimension (1024)
     * @param imageSize image side, a multiple of 32 (224)
     * @return the tower
     */
    public static ClipModifiedResNet modifiedResNet(int[] layers, int width, int heads, int embedDim, int imageSize) {
        return new ClipModifiedResNet(layers.clone(), embedDim, heads, imageSize, width);
    }

    /**
     * @param imageSize image side, a multiple of 32
     * @return RN50 at that image size
     */
    public static ClipModifiedResNet resnet50(int imageSize) {
        return modifiedResNet(RN50_LAYERS, RN50_WIDTH, RN50_HEADS, RN50_EMBED_DIM, imageSize);
    }

    /**
     * CLIP's VisionTransformer.
     *
     * @param imageSize image side, a multiple of the patch (224)
     * @param patchSize patch (16)
     * @param width width (768)
     * @param layers layers (12)
     * @param heads heads (12)
     * @param embedDim output dimension (512)
     * @return the tower
     */
    public static ClipVisionTransformer vit(int imageSize, int patchSize, int width, int layers, int heads,
            int embedDim) {
        return new ClipVisionTransformer(imageSize, patchSize, width, layers, heads, embedDim);
    }

    /**
     * @param imageSize image side, a multiple of 16
     * @return ViT-B/16 at that image size
     */
    public static ClipVisionTransformer vitB16(int imageSize) {
        return vit(imageSize, VIT_B16_PATCH, VIT_B16_WIDTH, VIT_B16_LAYERS, VIT_B16_HEADS, VIT_B16_EMBED_DIM);
    }
}
