package dev.vlltr.core.train;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.vlltr.core.data.FloatBatch;
import dev.vlltr.core.loss.CvlpLoss;
import dev.vlltr.core.model.CvlpModel;
import dev.vlltr.core.model.Teacher;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * VL-LTR stage-1 training (CVLP): one epoch at a time over image batches, each image paired with one sentence drawn
 * uniformly from its class ({@link ClassSentences}), loss {@link CvlpLoss} ({@code (1−λ)·L_ccl + λ·L_dis}, λ = 0
 * without a teacher), {@link DecoupledAdamW} (wd 0.05, none on 1-D parameters; the logit scale θ decayed as the
 * official 0-d {@code logit_scale}) and a per-epoch learning rate from a {@link CosineWarmupSchedule} (timm,
 * {@code t_in_epochs}). Both towers and θ share one learning rate, as in the official pre-training.
 *
 * <p>Text inputs are rows of a table: frozen sentence embeddings (float, {@code TextProjection}) or token ids
 * (stored as floats, fed as int32 to a {@code ScratchTextEncoder}). BatchNorm of the image tower runs in training
 * mode (the model is trained from scratch; the official ImageNet-LT configs keep CLIP's pretrained BN frozen).
 *
 * <p>The loop, state export/import and closing are {@link EpochTrainer}'s; this class is the CVLP step. Since
 * batches and sentence draws depend only on (seed, epoch, batch), a resumed run continues exactly as an uninterrupted
 * one.
 */
public final class CvlpTrainer extends EpochTrainer<CvlpTrainer.EpochStats> {

    /** Mean losses of one epoch (over its steps), its learning rate, size and duration. */
    public record EpochStats(int epoch, double lr, double loss, double ccl, double dis, int steps, int images,
            double seconds, double logitScale) {
        /** @return training images per second */
        public double imagesPerSecond() {
            return images / Math.max(seconds, 1e-9);
        }
    }

    private final CvlpModel model;
    private final CvlpLoss loss;
    private final float[][] textInputs;
    private final DataType textType;
    private final ClassSentences sentences;
    private final Teacher teacher;
    private final List<String> sentenceTexts;
    private final long seed;

    private CvlpTrainer(Builder b, CvlpLoss loss) {
        super(setup(b, loss));
        this.model = b.model;
        this.loss = loss;
        this.textInputs = b.textInputs;
        this.textType = b.tokenIds ? DataType.INT32 : DataType.FLOAT32;
        this.sentences = b.sentences;
        this.teacher = b.teacher;
        this.sentenceTexts = b.sentenceTexts;
        this.seed = b.seed;
        if (!b.trainText) {
            // initialize() may switch gradients back on
            model.getText().freezeParameters(true);
        }
    }

    /** Both towers and θ at one learning rate; θ is decayed as the official 0-d {@code logit_scale}. */
    private static Setup setup(Builder b, CvlpLoss loss) {
        if (!b.trainText) {
            b.model.getText().freezeParameters(true);
        }
        LearningRate lr = new LearningRate(b.schedule::lr);
        DecoupledAdamW optimizer = DecoupledAdamW.builder()
                .setLearningRate(lr)
                .optWeightDecay(b.weightDecay)
                .optFusedUpdate(b.fusedAdamW)
                .optScalarParameters(List.of(b.model.getLogitScale().getThetaParameter().getId()))
                .build();
        Model djlModel = b.newModel("cvlp");
        djlModel.setBlock(b.model);
        return new Setup(djlModel, true, optimizer, lr, loss, b.devices, b.imageShape,
                new Shape(b.textInputs[0].length));
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the model being trained */
    public CvlpModel getModel() {
        return model;
    }

    /** @return λ actually applied, the weight of L_dis (0 without a teacher) */
    public double effectiveLambda() {
        return loss.getEffectiveLambda();
    }

    /** Images paired with one sentence of their class each; parts L, L_ccl and (with a teacher) L_dis. */
    @Override
    protected NDList lossParts(NDManager step, FloatBatch batch, int epoch) {
        NDArray x = batch.imagesArray(step);
        NDArray y = batch.labelsArray(step);
        int[] rows = sentences.sample(batch.labels(), seed, epoch, batch.index());
        NDArray text = textBatch(step, rows);
        NDList pred = forward(new NDList(x, text));
        if (teacher != null) {
            List<String> texts = new ArrayList<>();
            if (sentenceTexts != null) {
                for (int r : rows) {
                    texts.add(sentenceTexts.get(r));
                }
            }
            pred.add(teacher.logitsPerImage(step, x, texts, text));
        }
        return loss.components(new NDList(y), pred);
    }

    /** Image and text embeddings are per sample (gathered over devices); the logit scale is shared. */
    @Override
    protected boolean isPerSample(int outputIndex) {
        return outputIndex < 2;
    }

    @Override
    protected EpochStats stats(EpochTotals t) {
        return new EpochStats(t.epoch(), t.lr(), t.mean(0), t.mean(1), teacher == null ? Double.NaN : t.mean(2),
                t.steps(), t.images(), t.seconds(), model.getLogitScale().currentScale());
    }

    private NDArray textBatch(NDManager m, int[] rows) {
        int d = textInputs[0].length;
        float[] buf = new float[rows.length * d];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(textInputs[rows[i]], 0, buf, i * d, d);
        }
        return m.create(buf, new Shape(rows.length, d)).toType(textType, false);
    }

    /** @return text-tower features (unnormalised, the official {@code txt_embed.npy}) of every text-table row */
    public float[][] encodeAllText(int batchSize) {
        return ImageEmbedder.mapRows(model.getText(), getManager(), textInputs, textType, batchSize);
    }

    /** Writes the parameters in DJL's {@code saveParameters} format (the stage's encoders artifact). */
    public void saveParameters(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        model.saveParameters(data);
        data.flush();
    }

    /** Builder: model, image shape, text table, sentences and schedule are required. */
    public static final class Builder extends AdamWTrainerBuilder<Builder> {
        private CvlpModel model;
        private Shape imageShape;
        private float[][] textInputs;
        private boolean tokenIds;
        private ClassSentences sentences;
        private Teacher teacher;
        private double lambda = CvlpLoss.DEFAULT_LAMBDA;
        private List<String> sentenceTexts;
        private boolean trainText = true;

        Builder() {}

        /** @param model an uninitialised CVLP model */
        public Builder setModel(CvlpModel model) {
            this.model = model;
            return this;
        }

        /** @param shape one image's {@code (C, H, W)} */
        public Builder setImageShape(Shape shape) {
            this.imageShape = shape;
            return this;
        }

        /**
         * @param rows one text input per sentence row (sentence embeddings, or token ids stored as floats)
         * @param tokenIds whether the rows are token ids (fed as int32)
         */
        public Builder setTextInputs(float[][] rows, boolean tokenIds) {
            this.textInputs = rows;
            this.tokenIds = tokenIds;
            return this;
        }

        /** @param sentences the rows of every class (indices into the text table) */
        public Builder setSentences(ClassSentences sentences) {
            this.sentences = sentences;
            return this;
        }

        /**
         * @param teacher the distillation teacher (default none: λ = 0, L = L_ccl)
         * @param lambda weight of L_dis when a teacher is set: L = (1 − λ)·L_ccl + λ·L_dis (default 0.5)
         */
        public Builder optTeacher(Teacher teacher, double lambda) {
            this.teacher = teacher;
            this.lambda = lambda;
            return this;
        }

        /** @param texts the sentence of every row (for teachers with their own tokenizer) */
        public Builder optSentenceTexts(List<String> texts) {
            this.sentenceTexts = texts;
            return this;
        }

        /** @param train whether the text tower is trained (default true; false = the frozen-text ablation) */
        public Builder optTrainText(boolean train) {
            this.trainText = train;
            return this;
        }

        /** @return the trainer (model initialised) */
        public CvlpTrainer build() {
            Objects.requireNonNull(model, "CVLP trainer: model is required");
            Objects.requireNonNull(imageShape, "CVLP trainer: image shape is required");
            Objects.requireNonNull(sentences, "CVLP trainer: sentences are required");
            Objects.requireNonNull(schedule, "CVLP trainer: schedule is required");
            if (textInputs == null || textInputs.length != sentences.size()) {
                throw new IllegalArgumentException("CVLP trainer: the text table has "
                        + (textInputs == null ? 0 : textInputs.length) + " rows, the sentences " + sentences.size());
            }
            return new CvlpTrainer(this, CvlpLoss.builder().optTeacher(teacher != null).optLambda(lambda).build());
        }
    }
}
