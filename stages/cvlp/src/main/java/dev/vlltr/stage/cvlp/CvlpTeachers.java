package dev.vlltr.stage.cvlp;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import dev.vlltr.core.data.FashionMnist;
import dev.vlltr.core.model.CvlpModelConfig;
import dev.vlltr.core.model.CvlpTeacher;
import dev.vlltr.core.model.MiniLmSentenceEncoder;
import dev.vlltr.core.model.OwnTextInputTeacher;
import dev.vlltr.core.model.Teacher;
import dev.vlltr.runtime.cli.BadInputException;
import dev.vlltr.runtime.cli.StageContext;
import dev.vlltr.runtime.store.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optional distillation teacher of cvlp, from one of two exclusive inputs: {@code teacher} (an earlier cvlp run,
 * fed its own text input per sentence) or {@code teacher-torchscript} (a CLIP-like TorchScript bundle folder).
 */
final class CvlpTeachers {

    private static final Logger LOG = LoggerFactory.getLogger(CvlpTeachers.class);
    /** The image shape this stage trains on. */
    static final Shape IMAGE = new Shape(1, 28, 28);

    private final StageContext ctx;
    /** Where the student trains, so the teacher's arrays meet its batches there (never the engine's default). */
    private final Device device;

    CvlpTeachers(StageContext ctx, Device device) {
        this.ctx = ctx;
        this.device = device;
        if (ctx.hasInput(CvlpCommand.TEACHER) && ctx.hasInput(CvlpCommand.TORCHSCRIPT_TEACHER)) {
            throw new BadInputException("inputs '" + CvlpCommand.TEACHER + "' and '" + CvlpCommand.TORCHSCRIPT_TEACHER
                    + "' are mutually exclusive: L_dis distils from one teacher (an earlier cvlp run or a CLIP-like"
                    + " TorchScript bundle)");
        }
    }

    /**
     * The teacher of an earlier cvlp run, or null without one. It is fed its own text input for the batch's
     * sentences (looked up by text), so a teacher of either text encoder works with a student of either.
     *
     * @param texts         every corpus sentence
     * @param studentInputs the student's text inputs, reused when both are minilm
     * @param studentScratch whether the student's text tower is the scratch Transformer
     */
    Teacher cvlpTeacher(List<String> texts, float[][] studentInputs, boolean studentScratch) throws IOException {
        if (!ctx.hasInput(CvlpCommand.TEACHER)) {
            return null;
        }
        Path configFile = ctx.fetchUpstreamOutput(CvlpCommand.TEACHER, CvlpCommand.MODEL_CONFIG.name());
        Path params = ctx.fetchUpstreamOutput(CvlpCommand.TEACHER, CvlpCommand.ENCODERS.name());
        CvlpModelConfig tc;
        try (InputStream in = Files.newInputStream(configFile)) {
            tc = CvlpModelConfig.read(in, "input 'teacher' (model-config.json)");
        } catch (IOException e) {
            throw new BadInputException(e.getMessage());
        }
        if (tc.clipText()) {
            throw new BadInputException("input 'teacher': that cvlp run has text-encoder=clip, whose token ids need its"
                    + " CLIP bundle's tokenizer; give the bundle as input '" + CvlpCommand.CLIP_BUNDLE + "' instead");
        }
        if (!tc.scratch() && tc.textInputDim() != MiniLmSentenceEncoder.DIMENSION) {
            throw new BadInputException("input 'teacher': its text input dimension is " + tc.textInputDim()
                    + ", expected " + MiniLmSentenceEncoder.DIMENSION + " (MiniLM sentence embeddings)");
        }
        if (!tc.imageShape().equals(IMAGE)) {
            throw new BadInputException("input 'teacher': its image shape is " + tc.imageShape()
                    + ", this stage trains on (1, 28, 28) images");
        }
        float[][] teacherInputs = !tc.scratch() && !studentScratch ? studentInputs : tc.textInputs(texts);
        CvlpTeacher t;
        try (InputStream in = Files.newInputStream(params)) {
            t = CvlpTeacher.load(tc.newModel(), tc.imageShape(), tc.textInputShape(), in,
                    ctx.input(CvlpCommand.TEACHER).uri().toString(), device);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("input 'teacher': " + e.getMessage());
        }
        LOG.info("teacher: {} (text encoder {})", t.describe(), tc.textEncoder());
        return new OwnTextInputTeacher(t, texts, teacherInputs, tc.scratch());
    }

    /**
     * A CLIP-like TorchScript teacher bundle ({@link ClipTeacherBundle}), or null without one: the input is the bundle
     * folder, whose digest (the runtime's, over every file of the folder) is in the run's fingerprint and manifest.
     */
    Teacher torchScriptTeacher() throws IOException {
        if (!ctx.hasInput(CvlpCommand.TORCHSCRIPT_TEACHER)) {
            return null;
        }
        String where = "input '" + CvlpCommand.TORCHSCRIPT_TEACHER + "'";
        URI folder = ctx.input(CvlpCommand.TORCHSCRIPT_TEACHER).uri();
        Path dir = BundleFolder.fetch(ctx, CvlpCommand.TORCHSCRIPT_TEACHER, "teacher bundle", ClipTeacherBundle.FILES,
                "");
        String modelSha = Sha256.of(dir.resolve(ClipTeacherBundle.MODEL));
        try {
            Teacher t = ClipTeacherBundle.load(dir, folder.toString(), IMAGE, new float[] {FashionMnist.MEAN},
                    new float[] {FashionMnist.STD}, device);
            LOG.info("teacher: {} (model.pt sha256 {})", t.describe(), modelSha);
            return t;
        } catch (BadInputException e) {
            throw new BadInputException(where + ": " + e.getMessage());
        }
    }
}
