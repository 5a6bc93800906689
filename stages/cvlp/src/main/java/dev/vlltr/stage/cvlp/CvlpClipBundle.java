package dev.vlltr.stage.cvlp;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.vlltr.core.model.ClipImageTower;
import dev.vlltr.core.model.CvlpModel;
import dev.vlltr.core.model.CvlpModelConfig;
import dev.vlltr.core.model.CvlpTeacher;
import dev.vlltr.core.model.OwnTextInputTeacher;
import dev.vlltr.core.model.Teacher;
import dev.vlltr.core.model.clip.ClipStateDict;
import dev.vlltr.core.model.clip.ClipTextTransformer;
import dev.vlltr.core.model.clip.PositionalEmbeddingResize;
import dev.vlltr.runtime.cli.BadInputException;
import dev.vlltr.runtime.cli.StageContext;
import dev.vlltr.runtime.clip.ClipBundle;
import dev.vlltr.runtime.clip.ClipBundleConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cvlp input {@code clip-bundle}: fetches the bundle folder, reads it ({@link ClipBundle}: names and shapes checked
 * against the architecture), and puts CLIP to its three uses — the starting weights of the CLIP towers, the starting
 * logit scale, and the frozen L_dis teacher (OpenAI's whole CLIP, at its own image size).
 */
final class CvlpClipBundle {

    private static final Logger LOG = LoggerFactory.getLogger(CvlpClipBundle.class);
    private static final String WHERE = "input '" + CvlpCommand.CLIP_BUNDLE + "'";

    private CvlpClipBundle() {}

    /**
     * @return the bundle (arrays owned by {@code manager}, on the stage's training device), or null without the input
     * @throws BadInputException when the settings need a bundle and none is given, or the bundle is bad
     */
    static ClipBundle load(StageContext ctx, CvlpSettings s, NDManager manager) throws IOException {
        if (!ctx.hasInput(CvlpCommand.CLIP_BUNDLE)) {
            if (s.clipTowers()) {
                throw new BadInputException("parameters backbone=" + s.backbone() + " / text-encoder="
                        + s.textEncoder() + " need the input '" + CvlpCommand.CLIP_BUNDLE + "' (a CLIP weight bundle"
                        + " folder, see tools/clip/convert_clip.py)");
            }
            return null;
        }
        if (ctx.hasInput(CvlpCommand.TEACHER) || ctx.hasInput(CvlpCommand.TORCHSCRIPT_TEACHER)) {
            throw new BadInputException("input '" + CvlpCommand.CLIP_BUNDLE + "' is the L_dis teacher: it is exclusive"
                    + " with inputs '" + CvlpCommand.TEACHER + "' and '" + CvlpCommand.TORCHSCRIPT_TEACHER + "'");
        }
        URI folder = ctx.input(CvlpCommand.CLIP_BUNDLE).uri();
        Path dir = BundleFolder.fetch(ctx, CvlpCommand.CLIP_BUNDLE, "CLIP bundle", ClipBundle.FILES,
                "; tools/clip/convert_clip.py writes one");
        String backbone = s.backbone().equals(CvlpModelConfig.BACKBONE_RESNET20) ? null : s.backbone();
        try {
            // a sub-manager on the training device: the caller's manager may be on the engine's default (a GPU)
            ClipBundle b = ClipBundle.load(dir, folder.toString(), backbone,
                    manager.newSubManager(s.devices().primary()));
            ClipBundleConfig c = b.config();
            LOG.info("CLIP bundle {}: {} {} px, embed {}, text {}x{} context {}, logit scale θ {} ({}), from {}",
                    folder, c.backbone(), c.imageSize(), c.embedDim(), c.textLayers(), c.textWidth(),
                    c.contextLength(), b.logitScale(), Math.exp(b.logitScale()), c.source());
            return b;
        } catch (BadInputException e) {
            throw new BadInputException(WHERE + ": " + e.getMessage());
        }
    }

    /** The towers' architecture for the model config; the image side is {@code image-size} or the bundle's. */
    static CvlpModelConfig.ClipTowers towers(ClipBundle b, int imageSize, String source) {
        ClipBundleConfig c = b.config();
        int size = imageSize > 0 ? imageSize : c.imageSize();
        int stride = c.vit() ? c.patchSize() : 32;
        if (size % stride != 0) {
            throw new BadInputException("parameter 'image-size': the " + c.backbone() + " tower needs a multiple of "
                    + stride + ", got " + size);
        }
        return new CvlpModelConfig.ClipTowers(size, c.visionWidth(), c.visionLayers(), c.visionHeads(),
                c.patchSize(), c.contextLength(), c.vocabSize(), c.textWidth(), c.textHeads(), c.textLayers(),
                c.mean(), c.std(), source);
    }

    /** Copies CLIP's weights into the model's CLIP towers (an initialised model; other towers are left alone). */
    static void initialise(CvlpModel model, ClipBundle b) {
        try {
            if (model.getVision() instanceof ClipImageTower t) {
                boolean resized = t.getVisual().getImageSize() != b.config().imageSize();
                ClipStateDict.load(t.getVisual(), b.tensors(), resized ? PositionalEmbeddingResize.BICUBIC_VL_LTR
                        : PositionalEmbeddingResize.NONE);
                if (resized) {
                    LOG.info("image tower at {} px from a {} px checkpoint: positional embedding resized bicubically"
                            + " (VL-LTR's interpolate_pos_embed)", t.getVisual().getImageSize(),
                            b.config().imageSize());
                }
            }
            if (model.getText() instanceof ClipTextTransformer t) {
                ClipStateDict.load(t, b.tensors());
            }
        } catch (IllegalArgumentException e) { // ClipStateDictException names the tensors
            throw new BadInputException(WHERE + ": " + e.getMessage());
        }
    }

    /**
     * OpenAI's whole CLIP from the bundle as the frozen L_dis teacher: its own image size, its own tokenisation of each
     * sentence, its own logit scale. It lives where the bundle's arrays are: the training device ({@link #load}).
     *
     * @param base        the student's config (class names, normalisation, corpus)
     * @param texts       every corpus sentence
     * @param tokenIds    CLIP's ids of each sentence (as floats)
     * @param imageShape  the stage's image shape
     */
    static Teacher teacher(ClipBundle b, CvlpModelConfig base, List<String> texts, float[][] tokenIds,
            Shape imageShape, String source) throws IOException {
        ClipBundleConfig c = b.config();
        double theta = b.logitScale();
        CvlpModelConfig tc = new CvlpModelConfig(base.format(), base.visionDepth(), base.imageChannels(),
                base.imageHeight(), base.imageWidth(), c.embedDim(), CvlpModelConfig.TEXT_CLIP, "openai-clip",
                c.contextLength(), 0, false, theta, base.logitScaleMax(), theta, Math.exp(theta),
                base.classNames(), base.normalizationMean(), base.normalizationStd(), base.corpusSha256(), null,
                c.backbone(), towers(b, 0, source));
        Device device = b.tensors().values().iterator().next().getDevice();
        byte[] params;
        try (NDManager m = NDManager.newBaseManager(device)) {
            CvlpModel clip = tc.newModel();
            clip.initialize(m, DataType.FLOAT32, new Shape(1).addAll(imageShape),
                    new Shape(1).addAll(tc.textInputShape()));
            initialise(clip, b);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            clip.saveParameters(new DataOutputStream(out));
            params = out.toByteArray();
        }
        CvlpTeacher t = CvlpTeacher.load(tc.newModel(), imageShape, tc.textInputShape(),
                new ByteArrayInputStream(params), "CLIP bundle " + source, device);
        LOG.info("teacher: {} (OpenAI CLIP {} at {} px, frozen)", t.describe(), c.backbone(), c.imageSize());
        return new OwnTextInputTeacher(t, texts, tokenIds, true);
    }

    /** CLIP's token ids of each sentence, as the float rows the trainer takes. */
    static float[][] tokenIds(ClipBundle b, List<String> texts) {
        long[][] ids = b.tokenizer().tokenize(texts);
        float[][] rows = new float[ids.length][];
        for (int i = 0; i < ids.length; i++) {
            rows[i] = new float[ids[i].length];
            for (int j = 0; j < ids[i].length; j++) {
                rows[i][j] = ids[i][j];
            }
        }
        return rows;
    }
}
