package dev.vlltr.core.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes each distinct sentence once: wraps a {@link SentenceEncoder}, keeps vectors in memory (insertion order) and
 * can be pre-filled from, or exported to, a persisted table (the stage layer stores it as an artifact keyed by
 * {@link #id()}).
 */
public final class CachingSentenceEncoder implements SentenceEncoder {

    private final SentenceEncoder delegate;
    private final Map<String, float[]> cache = new LinkedHashMap<>();
    private long computed;

    /** @param delegate the encoder to cache */
    public CachingSentenceEncoder(SentenceEncoder delegate) {
        this.delegate = delegate;
    }

    /** {@inheritDoc} */
    @Override
    public String id() {
        return delegate.id();
    }

    /** {@inheritDoc} */
    @Override
    public int dimension() {
        return delegate.dimension();
    }

    /** {@inheritDoc} */
    @Override
    public synchronized float[][] encode(List<String> sentences) {
        List<String> missing = new ArrayList<>();
        for (String s : sentences) {
            if (!cache.containsKey(s) && !missing.contains(s)) {
                missing.add(s);
            }
        }
        if (!missing.isEmpty()) {
            float[][] vectors = delegate.encode(missing);
            for (int i = 0; i < vectors.length; i++) {
                cache.put(missing.get(i), vectors[i]);
            }
            computed += missing.size();
        }
        float[][] out = new float[sentences.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = cache.get(sentences.get(i)).clone();
        }
        return out;
    }

    /**
     * Pre-fills the cache, e.g. from a stored embedding artifact of the same {@link #id()}.
     *
     * @param vectors sentence → vector (each of length {@link #dimension()})
     */
    public synchronized void putAll(Map<String, float[]> vectors) {
        vectors.forEach((s, v) -> {
            if (v.length != dimension()) {
                throw new IllegalArgumentException("cached vector for \"" + s + "\" has length " + v.length
                        + ", expected " + dimension() + " for " + id());
            }
            cache.put(s, v.clone());
        });
    }

    /** @return an unmodifiable view of the cache (insertion order), for persisting */
    public synchronized Map<String, float[]> snapshot() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(cache));
    }

    /** @return how many sentences the delegate actually encoded */
    public synchronized long computedCount() {
        return computed;
    }
}
