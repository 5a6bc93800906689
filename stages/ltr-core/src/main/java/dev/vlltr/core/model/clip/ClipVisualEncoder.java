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
