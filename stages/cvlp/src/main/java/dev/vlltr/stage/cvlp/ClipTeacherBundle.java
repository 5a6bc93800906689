package dev.vlltr.stage.cvlp;

import ai.djl.Device;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vlltr.core.model.Teacher;
import dev.vlltr.core.model.TorchScriptClipTeacher;
import dev.vlltr.runtime.cli.BadInputException;
import dev.vlltr.runtime.cli.StrictJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A CLIP-like TorchScript teacher bundle: a folder with {@code model.pt} (TorchScript, CLIP's jit signature
 * {@code forward(image, text) -> (logits_per_image, logits_per_text)}), {@code tokenizer.json} (Hugging Face tokenizers
 * format, loaded with DJL's native tokenizers) and {@code teacher.json} ({@link Config}: what the module's inputs look
 * like). Loading builds a {@link TorchScriptClipTeacher} whose tokenizer and image transform follow teacher.json, and
 * checks the module's signature on a probe batch.
 */
final class ClipTeacherBundle {

    static final String FORMAT = "vlltr.clip-teacher/1";
    static final String MODEL = "model.pt";
    static final String TOKENIZER = "tokenizer.json";
    static final String CONFIG = "teacher.json";
    static final List<String> FILES = List.of(MODEL, TOKENIZER, CONFIG);

    private static final Set<String> FIELDS = Set.of("format", "imageSize", "channels", "mean", "std",
            "contextLength", "padId", "eotId");

    private ClipTeacherBundle() {}

    /**
     * teacher.json.
     *
     * @param imageSize the module's square input side (OpenAI CLIP: 224)
     * @param channels its input channels (3; our grey images are replicated)
     * @param mean per-channel normalisation mean of [0, 1] pixels (CLIP: 0.48145466, 0.4578275, 0.40821073)
     * @param std per-channel std (CLIP: 0.26862954, 0.26130258, 0.27577711)
     * @param contextLength token ids per sentence (CLIP: 77)
     * @param padId id that fills a sentence up to the context (CLIP: 0)
     * @param eotId end-of-text id, kept last when a sentence is cut (CLIP's {@code tokenize(truncate=True)}: 49407)
     */
    record Config(int imageSize, int channels, float[] mean, float[] std, int contextLength, long padId, long eotId) {}

    /** Reads and validates teacher.json; errors name the file and the field. */
    static Config readConfig(InputStream in, String where) {
        JsonNode root = StrictJson.object(in, where, FIELDS, FORMAT);
        int imageSize = (int) integer(root, "imageSize", 1, 4096, where);
        int channels = (int) integer(root, "channels", 1, 16, where);
        float[] mean = floats(root, "mean", channels, where, false);
        float[] std = floats(root, "std", channels, where, true);
        int context = (int) integer(root, "contextLength", 2, 100_000, where);
        long pad = integer(root, "padId", 0, Integer.MAX_VALUE, where);
        long eot = integer(root, "eotId", 0, Integer.MAX_VALUE, where);
        return new Config(imageSize, channels, mean, std, context, pad, eot);
    }

    private static long integer(JsonNode root, String field, long min, long max, String where) {
        JsonNode n = root.get(field);
        if (n == null || !n.canConvertToLong() || !n.isIntegralNumber() || n.asLong() < min || n.asLong() > max) {
            throw new BadInputException(where + ": field '" + field + "': expected an integer in [" + min + ", "
                    + max + "], got " + n);
        }
        return n.asLong();
    }

    private static float[] floats(JsonNode root, String field, int channels, String where, boolean positive) {
        JsonNode n = root.get(field);
        if (n == null || !n.isArray() || n.size() != channels) {
            throw new BadInputException(where + ": field '" + field + "': expected an array of " + channels
                    + " numbers (one per channel), got " + n);
        }
        float[] out = new float[channels];
        for (int i = 0; i < channels; i++) {
            JsonNode v = n.get(i);
            if (!v.isNumber() || !Double.isFinite(v.asDouble()) || positive && !(v.asDouble() > 0)) {
                throw new BadInputException(where + ": field '" + field + "': element " + i + " must be a "
                        + (positive ? "positive " : "") + "finite number, got " + v);
            }
            out[i] = (float) v.asDouble();
        }
        return out;
    }

    /**
     * Loads a bundle from a local folder.
     *
     * @param dir the folder with model.pt, tokenizer.json and teacher.json
     * @param source where it came from (for messages and {@code describe()})
     * @param inputShape the student's image shape {@code (C, H, W)}
     * @param inputMean per-channel mean the student's images are normalised with (undone before the teacher's own)
     * @param inputStd per-channel std of the same
     * @param device the student's training device: the module runs there
     * @return the teacher; it owns the tokenizer and the module
     */
    static Teacher load(Path dir, String source, Shape inputShape, float[] inputMean, float[] inputStd,
            Device device) throws IOException {
        for (String f : FILES) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new BadInputException(source + ": the teacher bundle has no " + f + " (a bundle is a folder with "
                        + String.join(", ", FILES) + ")");
            }
        }
        Config cfg;
        try (InputStream in = Files.newInputStream(dir.resolve(CONFIG))) {
            cfg = readConfig(in, source + CONFIG);
        }
        int inChannels = (int) inputShape.get(0);
        if (inChannels != cfg.channels() && inChannels != 1) {
            throw new BadInputException(source + CONFIG + ": field 'channels': the teacher takes " + cfg.channels()
                    + " channels, the images have " + inChannels + " (only grey images are replicated)");
        }
        HuggingFaceTokenizer tokenizer;
        try {
            // no truncation or padding by the library: CLIP's rule (cut, eot last, pad) is applied below
            tokenizer = HuggingFaceTokenizer.newInstance(dir.resolve(TOKENIZER),
                    Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false"));
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(source + TOKENIZER + ": not a loadable Hugging Face tokenizers file: "
                    + e.getMessage());
        }
        TorchScriptClipTeacher clip;
        try (InputStream in = Files.newInputStream(dir.resolve(MODEL))) {
            clip = TorchScriptClipTeacher.load(in, source + MODEL, s -> tokenize(tokenizer, cfg, s),
                    new ImageTransform(inputShape, inputMean, inputStd, cfg), device);
        } catch (IllegalArgumentException e) {
            tokenizer.close();
            throw new BadInputException(e.getMessage());
        }
        Teacher teacher = new BundleTeacher(clip, tokenizer, cfg, source + MODEL);
        probe(teacher, inputShape, source + MODEL, cfg, device);
        return teacher;
    }

    /** CLIP's {@code clip.tokenize(texts, context_length, truncate=True)}: cut keeping eot last, then pad. */
    static long[][] tokenize(HuggingFaceTokenizer tokenizer, Config cfg, List<String> sentences) {
        long[][] out = new long[sentences.size()][cfg.contextLength()];
        for (int i = 0; i < out.length; i++) {
            out[i] = dev.vlltr.runtime.clip.ClipTokenizer.fit(tokenizer.encode(sentences.get(i), true, false).getIds(),
                    cfg.contextLength(), cfg.eotId(), cfg.padId());
        }
        return out;
    }

    /** One forward on two blank images and two sentences: a signature mismatch fails here, not in epoch 1. */
    private static void probe(Teacher teacher, Shape inputShape, String where, Config cfg, Device device) {
        try (NDManager m = NDManager.newBaseManager(device)) {
            NDArray images = m.zeros(new Shape(2).addAll(inputShape));
            teacher.logitsPerImage(m, images, List.of("a photo", "a photo of a bag"), null);
        } catch (RuntimeException e) {
            teacher.close();
            throw new BadInputException(where + ": the module does not act as CLIP's forward(image, text) ->"
                    + " (logits_per_image, logits_per_text) on a probe batch (image (2, " + cfg.channels() + ", "
                    + cfg.imageSize() + ", " + cfg.imageSize() + ") float, text (2, " + cfg.contextLength()
                    + ") int64): " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl) + " ...";
    }

    /**
     * Student batch → teacher input: undo the student's normalisation (back to [0, 1] pixels), bilinear resize to the
     * teacher's side ({@code F.interpolate(mode='bilinear', align_corners=False)}, no antialias; done as two
     * interpolation-matrix products, exact for that definition), grey replicated to the teacher's channels, the
     * teacher's mean/std.
     */
    static final class ImageTransform implements java.util.function.UnaryOperator<NDArray> {

        private final Shape inputShape;
        private final float[] inputMean;
        private final float[] inputStd;
        private final Config cfg;

        ImageTransform(Shape inputShape, float[] inputMean, float[] inputStd, Config cfg) {
            this.inputShape = inputShape;
            this.inputMean = inputMean;
            this.inputStd = inputStd;
            this.cfg = cfg;
        }

        @Override
        public NDArray apply(NDArray images) {
            NDManager m = images.getManager();
            long batch = images.getShape().get(0);
            int c = (int) inputShape.get(0);
            int h = (int) inputShape.get(1);
            int w = (int) inputShape.get(2);
            NDArray x = images.mul(perChannel(m, inputStd, c)).add(perChannel(m, inputMean, c));
            int size = cfg.imageSize();
            if (h != size || w != size) {
                NDArray rows = m.create(bilinear(h, size));                    // (size, h)
                NDArray colsT = m.create(bilinear(w, size)).transpose();        // (w, size)
                x = rows.matMul(x).matMul(colsT);                              // (B, C, size, size)
            }
            if (c != cfg.channels()) {
                x = x.broadcast(new Shape(batch, cfg.channels(), size, size));
            }
            return x.sub(perChannel(m, cfg.mean(), cfg.channels())).div(perChannel(m, cfg.std(), cfg.channels()));
        }

        private static NDArray perChannel(NDManager m, float[] v, int channels) {
            return m.create(v.length == 1 && channels > 1 ? fill(v[0], channels) : v, new Shape(1, channels, 1, 1));
        }

        private static float[] fill(float v, int n) {
            float[] out = new float[n];
            Arrays.fill(out, v);
            return out;
        }

        /** {@code (out, in)} weights of PyTorch's linear interpolation with align_corners=False. */
        static float[][] bilinear(int in, int out) {
            return dev.vlltr.core.model.ClipImageTower.bilinear(in, out);
        }
    }

    /** The module and the tokenizer, released together. */
    private static final class BundleTeacher implements Teacher {

        private final TorchScriptClipTeacher clip;
        private final HuggingFaceTokenizer tokenizer;
        private final Config cfg;
        private final String source;

        BundleTeacher(TorchScriptClipTeacher clip, HuggingFaceTokenizer tokenizer, Config cfg, String source) {
            this.clip = clip;
            this.tokenizer = tokenizer;
            this.cfg = cfg;
            this.source = source;
        }

        @Override
        public String describe() {
            return String.format(Locale.ROOT, "TorchScript CLIP-like teacher %s (image %d×%d×%d, mean %s, std %s,"
                    + " context %d)", source, cfg.channels(), cfg.imageSize(), cfg.imageSize(),
                    Arrays.toString(cfg.mean()), Arrays.toString(cfg.std()), cfg.contextLength());
        }

        @Override
        public NDArray logitsPerImage(NDManager manager, NDArray images, List<String> sentences,
                NDArray sentenceEmbeddings) {
            return clip.logitsPerImage(manager, images, sentences, sentenceEmbeddings);
        }

        @Override
        public void close() {
            clip.close();
            tokenizer.close();
        }
    }
}
