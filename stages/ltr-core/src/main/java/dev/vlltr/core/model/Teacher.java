package dev.vlltr.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * A frozen image-text model whose logits are the soft targets of VL-LTR's distillation loss {@code L_dis}.
 *
 * <p>The teacher sees the same images and the same sampled sentences as the student (official {@code
 * PretrainSentLoss}); it runs in evaluation mode ({@code set_training_mode=False}) and never receives gradients.
 * Without a teacher, {@link dev.vlltr.core.loss.CvlpLoss} uses {@code λ = 0} (L = L_ccl).
 */
public interface Teacher extends AutoCloseable {

    /** @return a human-readable description (kind and source), for logs and run metadata */
    String describe();

    /**
     * Teacher logits per image, {@code logits[i][j] = s_t · cos(img_i, txt_j)} with the teacher's own scale.
     *
     * @param manager where the result is attached
     * @param images the batch's images {@code (B, C, H, W)} (as fed to the student)
     * @param sentences the batch's sampled sentences (B), for teachers with their own text encoder
     * @param sentenceEmbeddings their frozen sentence embeddings {@code (B, S)}, for teachers built on them
     * @return {@code (B, B)} logits, detached
     */
    NDArray logitsPerImage(NDManager manager, NDArray images, List<String> sentences, NDArray sentenceEmbeddings);

    /** Releases native resources owned by the teacher. */
    @Override
    void close();
}
