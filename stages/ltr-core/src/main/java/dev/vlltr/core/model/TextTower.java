package dev.vlltr.core.model;

import ai.djl.nn.Block;

/**
 * The trainable text side of {@link CvlpModel}: a block mapping a batch of text inputs to {@code (B, E)} embeddings.
 * Implementations: {@link TextProjection} (over frozen pretrained sentence embeddings, the default) and {@link
 * ScratchTextEncoder} (token ids, no pretrained language — the ablation) and {@link
 * dev.vlltr.core.model.clip.ClipTextTransformer} (CLIP's text transformer on CLIP BPE ids, trainable, loadable from a
 * CLIP state dict).
 */
public interface TextTower extends Block {

    /** @return the output embedding dimension E */
    int getEmbedDim();
}
