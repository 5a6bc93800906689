package dev.vlltr.core.model;

import ai.djl.nn.Block;

/**
 * The image side of {@link CvlpModel}: a block mapping a batch of the stage's images {@code (B, C, H, W)} to
 * {@code (B, E)} embeddings. Implementations: {@link VisionEncoder} (CIFAR ResNet from scratch) and
 * {@link ClipImageTower} (CLIP's ModifiedResNet or ViT behind CLIP's input transform).
 */
public interface ImageTower extends Block {

    /** @return the output embedding dimension E */
    int getEmbedDim();
}
