package dev.vlltr.core.model;

import java.util.List;

/**
 * A frozen sentence encoder: text → fixed vector. Implementations must be deterministic (the same sentence always
 * gives the same vector, whatever the batch) so that embeddings can be computed once per sentence and cached.
 */
public interface SentenceEncoder {

    /** @return a stable identifier of the model and its weights, for cache keys and lineage */
    String id();

    /** @return the embedding dimension */
    int dimension();

    /**
     * Encodes sentences.
     *
     * @param sentences the texts (non-null)
     * @return one L2-normalised vector of length {@link #dimension()} per sentence, in order
     */
    float[][] encode(List<String> sentences);
}
