package dev.vlltr.core.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A CLIP-like TorchScript model as the distillation teacher (VL-LTR distils from the original CLIP weights). The
 * module must have CLIP's jit signature {@code forward(image, text) -> (logits_per_image, logits_per_text)} — as
 * OpenAI's {@code RN50.pt} / {@code ViT-B-16.pt} do — with its own logit scale inside. It runs in eval mode, frozen.
 *
 * <p>The caller supplies what the module expects and our pipeline does not have: a tokenizer (sentences → token ids
 * {@code (B, L)}, e.g. CLIP's BPE with context 77) and an image transform (our batch → the module's input, e.g.
 * resize to 224 px, 3 channels, CLIP mean/std).
 */
public final class TorchScriptClipTeacher implements Teacher {

    private final Model model;
    private final String source;
    private final Function<List<String>, long[][]> tokenizer;
    private final UnaryOperator<NDArray> imageTransform;

    private TorchScriptClipTeacher(Model model, String source, Function<List<String>, long[][]> tokenizer,
            UnaryOperator<NDArray> imageTransform) {
        this.model = model;
        this.source = source;
        this.tokenizer = tokenizer;
        this.imageTransform = imageTransform;
        model.getBlock().freezeParameters(true);
    }

    /**
     * Loads a TorchScript archive.
     *
     * @param torchScript the archive ({@code torch.jit.save} output)
     * @param source where it came from (for messages and {@link #describe()})
     * @param tokenizer sentences → token ids, one row per sentence, all rows the same length
     * @param imageTransform our image batch → the module's image input (identity if they already match)
     * @param device where the module runs: the student's training device (the images arrive there)
     * @return the teacher
     * @throws IOException if the stream cannot be read
     */
    public static TorchScriptClipTeacher load(InputStream torchScript, String source,
            Function<List<String>, long[][]> tokenizer, UnaryOperator<NDArray> imageTransform, Device device)
            throws IOException {
        Model model = Model.newInstance("clip-teacher", device, "PyTorch");
        try {
            model.load(torchScript);
        } catch (MalformedModelException | RuntimeException e) {
            model.close();
            throw new IllegalArgumentException("teacher " + source + " is not a loadable TorchScript archive: "
                    + e.getMessage(), e);
        }
        return new TorchScriptClipTeacher(model, source, tokenizer, imageTransform);
    }

    /** {@inheritDoc} */
    @Override
    public String describe() {
        return "TorchScript CLIP-like teacher from " + source;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray logitsPerImage(
            NDManager target, NDArray images, List<String> sentences, NDArray sentenceEmbeddings) {
        long[][] ids = tokenizer.apply(sentences);
        if (ids.length != sentences.size() || ids.length == 0) {
            throw new IllegalArgumentException("teacher tokenizer returned " + ids.length + " rows for "
                    + sentences.size() + " sentences");
        }
        int len = ids[0].length;
        long[] flat = new long[ids.length * len];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i].length != len) {
                throw new IllegalArgumentException("teacher tokenizer rows must have equal length, row " + i
                        + " has " + ids[i].length + " instead of " + len);
            }
            System.arraycopy(ids[i], 0, flat, i * len, len);
        }
        try (NDManager scratch = target.newSubManager()) {
            scratch.tempAttachAll(images);
            NDArray tokens = scratch.create(flat, new Shape(ids.length, len));
            NDList out = model.getBlock().forward(new ParameterStore(scratch, false),
                    new NDList(imageTransform.apply(images), tokens), false);
            NDArray logits = out.get(0).stopGradient();
            if (!logits.getShape().equals(new Shape(images.getShape().get(0), ids.length))) {
                throw new IllegalArgumentException("teacher " + source + " returned logits " + logits.getShape()
                        + ", expected (B, B) logits_per_image first");
            }
            logits.attach(target);
            return logits;
        }
    }

    /** {@inheritDoc} */
    @Override
    public void close() {
        model.close();
    }
}
