package dev.vlltr.core.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.ParameterList;
import ai.djl.training.ParameterStore;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A previously trained {@link CvlpModel} of ours as the distillation teacher: frozen, evaluated in inference mode
 * (BatchNorm running statistics), logits {@code exp(θ_t) · norm(img) · norm(txt)ᵀ} with its own logit scale (clamp
 * included, as in its training).
 *
 * <p>The weights come from a stream written by {@code block.saveParameters(DataOutputStream)} of a model with the
 * same architecture (the stage layer resolves the artifact URI to that stream).
 */
public final class CvlpTeacher implements Teacher {

    private final CvlpModel model;
    private final NDManager manager;
    private final String source;

    private CvlpTeacher(CvlpModel model, NDManager manager, String source) {
        this.model = model;
        this.manager = manager;
        this.source = source;
        model.freezeParameters(true);
    }

    /**
     * Loads a teacher.
     *
     * @param architecture an uninitialised CVLP block of the teacher's architecture
     * @param imageShape one image's shape {@code (C, H, W)}
     * @param textInputShape one text input's shape: {@code (S)} for sentence embeddings, {@code (L)} for token ids
     * @param parameters the saved block parameters
     * @param source where the parameters came from (for {@link #describe()})
     * @param device where the teacher's parameters live: the student's training device (not the engine's default,
     *     which is a GPU on a GPU host even with {@code device=cpu})
     * @return the teacher (owns its own native memory; close it)
     * @throws IOException if the stream cannot be read
     */
    public static CvlpTeacher load(CvlpModel architecture, Shape imageShape, Shape textInputShape,
            InputStream parameters, String source, Device device) throws IOException {
        NDManager manager = NDManager.newBaseManager(device);
        try {
            architecture.initialize(manager, DataType.FLOAT32,
                    new Shape(1).addAll(imageShape), new Shape(1).addAll(textInputShape));
            List<Shape> expected = new ArrayList<>();
            architecture.getParameters().values().forEach(p -> expected.add(p.getArray().getShape()));
            architecture.loadParameters(manager, new DataInputStream(parameters));
            // DJL's loader does not compare shapes: a different architecture would load silently
            ParameterList loaded = architecture.getParameters();
            for (int i = 0; i < loaded.size(); i++) {
                Shape got = loaded.get(i).getValue().getArray().getShape();
                if (!got.equals(expected.get(i))) {
                    throw new IllegalArgumentException("parameter " + loaded.get(i).getKey() + " has shape " + got
                            + ", the architecture expects " + expected.get(i));
                }
            }
            return new CvlpTeacher(architecture, manager, source);
        } catch (IOException e) {
            manager.close();
            throw e;
        } catch (MalformedModelException | RuntimeException e) {
            manager.close();
            throw new IllegalArgumentException("teacher parameters from " + source
                    + " do not match the given CVLP architecture: " + e.getMessage(), e);
        }
    }

    /** {@inheritDoc} */
    @Override
    public String describe() {
        return "CVLP teacher (our model) from " + source + ", logit scale " + model.getLogitScale().currentScale();
    }

    /** {@inheritDoc} */
    @Override
    public NDArray logitsPerImage(
            NDManager target, NDArray images, List<String> sentences, NDArray sentenceEmbeddings) {
        try (NDManager scratch = target.newSubManager()) {
            // intermediates follow the inputs' manager: borrow the inputs so that they die with `scratch`
            scratch.tempAttachAll(images, sentenceEmbeddings);
            ParameterStore ps = new ParameterStore(scratch, false);
            NDList out = model.forward(ps, new NDList(images, sentenceEmbeddings), false);
            NDArray img = out.get(0).normalize(2, 1, 1e-12);
            NDArray txt = out.get(1).normalize(2, 1, 1e-12);
            NDArray logits = img.matMul(txt.transpose()).mul(out.get(2).reshape(1, 1)).stopGradient();
            logits.attach(target);
            return logits;
        }
    }

    /** {@inheritDoc} */
    @Override
    public void close() {
        manager.close();
    }
}
