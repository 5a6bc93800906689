package dev.vlltr.core.model.clip;

/**
 * CLIP's image tower ({@code visual.*}): images {@code (B, 3, S, S)} → {@code (B, embed_dim)} features, not
 * normalised. Built by {@link ClipVisualEncoders}.
 */
public interface ClipVisualEncoder extends ClipTower {

    /** @return the image side S the positional embedding is made for */
    int getImageSize();

    /** @return the state-dict name of the positional embedding that depends on S */
    String positionalEmbeddingName();

    /**
     * VL-LTR's {@code train_mode} (default true). False is its ImageNet-LT / Places-LT pre-training setting ({@code
     * train_mode=False}: the model in eval mode while it trains): BatchNorm normalises with the checkpoint's running
     * statistics and keeps them, while its affine parameters and everything else still train. Only the ModifiedResNet
     * has BatchNorm; for the ViT this changes nothing.
     *
     * @param trainMode whether BatchNorm uses (and updates) batch statistics in training
     */
    default void setBatchNormTrainMode(boolean trainMode) {}

    /** {@inheritDoc} */
    @Override
    default String clipPrefix() {
        return "visual.";
    }

    /** {@inheritDoc} */
    @Override
    default boolean ownsClipName(String name) {
        return name.startsWith("visual.");
    }
}
