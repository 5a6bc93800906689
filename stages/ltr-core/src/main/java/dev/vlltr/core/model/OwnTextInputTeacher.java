package dev.vlltr.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A CVLP teacher fed its own text input for the batch's sentences, looked up by text (MiniLM vectors, or token ids of
 * its own vocabulary), so that a teacher of either text encoder distils into a student of either.
 */
public final class OwnTextInputTeacher implements Teacher {

    private final CvlpTeacher delegate;
    private final Map<String, float[]> inputs;
    private final DataType type;
    private final long width;

    /**
     * @param delegate the teacher
     * @param texts    every sentence
     * @param rows     the teacher's text input of each sentence (the first row of a repeated text wins)
     * @param tokenIds whether the rows are token ids (fed as int32) rather than sentence embeddings
     */
    public OwnTextInputTeacher(CvlpTeacher delegate, List<String> texts, float[][] rows, boolean tokenIds) {
        this.delegate = delegate;
        this.inputs = new HashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            inputs.putIfAbsent(texts.get(i), rows[i]);
        }
        this.type = tokenIds ? DataType.INT32 : DataType.FLOAT32;
        this.width = rows.length == 0 ? 0 : rows[0].length;
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public NDArray logitsPerImage(NDManager manager, NDArray images, List<String> sentences, NDArray studentText) {
        if (sentences.size() != images.getShape().get(0)) {
            throw new IllegalStateException("teacher needs the batch's sentence texts, got " + sentences.size()
                    + " for " + images.getShape().get(0) + " images");
        }
        float[] buf = new float[(int) (sentences.size() * width)];
        for (int i = 0; i < sentences.size(); i++) {
            System.arraycopy(inputs.get(sentences.get(i)), 0, buf, (int) (i * width), (int) width);
        }
        try (NDManager scratch = manager.newSubManager()) {
            NDArray text = scratch.create(buf, new Shape(sentences.size(), width)).toType(type, false);
            return delegate.logitsPerImage(manager, images, sentences, text);
        }
    }

    @Override
    public void close() {
        delegate.close();
    }
}
