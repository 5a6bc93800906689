package dev.vlltr.core.train;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import dev.vlltr.core.data.FloatBatch;
import dev.vlltr.core.loss.TwoBranchCrossEntropyLoss;
import dev.vlltr.core.model.LgrHead;
import dev.vlltr.core.model.LgrModel;
import dev.vlltr.core.nd.ScalarConstants;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * VL-LTR stage-2 training (LGR): the {@link LgrHead} on top of the frozen CVLP image tower, loss {@code CE(P^I) +
 * CE(P^T)} ({@link TwoBranchCrossEntropyLoss}), {@link DecoupledAdamW} (wd 0.05, none on 1-D parameters), per-epoch
 * cosine learning rate; the attention (LN_q, LN_k, W_q, W_k) in its own group at {@code attentionLr} (official
 * {@code text_lr = 1e-6}, scaled by the same schedule as timm scales every group), unless frozen in the head.
 *
 * <p>Inputs ({@link Builder#optBackbone}): with a backbone, batches are augmented <em>images</em> run through the frozen
 * backbone in inference mode ({@link LgrModel}, the official way); without, batches are precomputed frozen-backbone
 * <em>features</em> {@code (B, D)} — faster on a CPU but without augmentation (a deviation the stage names). Mixup /
 * CutMix ({@link MixupCutmix}, official defaults) apply to images; on features only Mixup is meaningful and the
 * stage decides. {@link Builder#optTextBranch(boolean) optTextBranch(false)} trains {@code CE(P^I)} alone (the "no
 * language" ablation).
 */
public final class LgrTrainer extends EpochTrainer<LgrTrainer.EpochStats> {

    /** Mean losses of one epoch. */
    public record EpochStats(int epoch, double lr, double loss, double ceImage, double ceText, int steps, int images,
            double seconds) {}

    /** Head outputs on features: {@code hidden = ReLU(W1 f + b1)}, {@code P^I}, {@code P^T}. */
    public record Outputs(float[][] hidden, float[][] logitsImage, float[][] logitsText) {}

    private final LgrHead head;
    private final boolean images;
    private final TwoBranchCrossEntropyLoss loss;
    private final MixupCutmix mixup;
    private final boolean textBranch;
    private final long seed;
    /** The loss's scalar weights, made once per run instead of per step (freed with the trainer's manager). */
    private final ScalarConstants constants;

    private LgrTrainer(Builder b, TwoBranchCrossEntropyLoss loss) {
        super(setup(b, loss));
        this.constants = new ScalarConstants(getManager());
        this.head = b.head;
        this.images = b.backbone != null;
        this.mixup = b.mixup;
        this.textBranch = b.textBranch;
        this.seed = b.seed;
        this.loss = loss;
        if (images) {
            b.backbone.freezeParameters(true);
        }
    }

    /** The attention group follows the same cosine, scaled to its own peak (timm scales every group alike). */
    private static Setup setup(Builder b, TwoBranchCrossEntropyLoss loss) {
        Block trained = b.backbone != null ? new LgrModel(b.backbone, b.head) : b.head;
        LearningRate lr = new LearningRate(b.schedule::lr);
        List<String> attentionIds = new ArrayList<>();
        for (Parameter p : b.head.attentionParameters()) {
            attentionIds.add(p.getId());
        }
        double attentionLr = b.attentionLr;
        double baseLr = b.schedule.baseLr();
        DecoupledAdamW optimizer = DecoupledAdamW.builder()
                .setLearningRate(lr)
                .optGroupLearningRate(attentionIds, () -> lr.getAsDouble() * attentionLr / baseLr)
                .optWeightDecay(b.weightDecay)
                .optFusedUpdate(b.fusedAdamW)
                .build();
        Model djlModel = b.newModel("lgr");
        djlModel.setBlock(trained);
        return new Setup(djlModel, true, optimizer, lr, loss, b.devices, b.inputShape);
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the head */
    public LgrHead getHead() {
        return head;
    }

    /** @return whether batches are images (through the frozen backbone) rather than features */
    public boolean isImageInput() {
        return images;
    }

    /**
     * Mixup/CutMix (when on) from a draw of (seed, epoch, batch), then {@code CE(P^I)} and {@code CE(P^T)}; parts
     * {@code [loss, CE(P^I), CE(P^T)]}, the loss being their sum, or {@code CE(P^I)} alone without the text branch.
     */
    @Override
    protected NDList lossParts(NDManager step, FloatBatch batch, int epoch) {
        int classes = head.getNumClasses();
        float[] data = batch.images();
        NDArray targets;
        if (mixup != null && mixup.enabled()) {
            SplittableRandom rnd = new SplittableRandom(ClassSentences.mix(seed, epoch, batch.index()));
            MixupCutmix.Mixed mixed = mixup.apply(data, batch.labels(), batch.channels(), batch.height(),
                    batch.width(), classes, rnd);
            data = mixed.images();
            targets = step.create(flatten(mixed.targets()), new Shape(batch.size(), classes));
        } else {
            targets = batch.labelsArray(step);
        }
        Shape shape = images
                ? new Shape(batch.size(), batch.channels(), batch.height(), batch.width())
                : new Shape(batch.size(), (long) batch.channels() * batch.height() * batch.width());
        NDArray x = step.create(data, shape);
        NDList parts = loss.branchLosses(targets, forward(new NDList(x)), constants);
        NDArray total = textBranch ? parts.get(0).add(parts.get(1)) : parts.get(0);
        return new NDList(total, parts.get(0), parts.get(1));
    }

    @Override
    protected EpochStats stats(EpochTotals t) {
        return new EpochStats(t.epoch(), t.lr(), t.mean(0), t.mean(1), t.mean(2), t.steps(), t.images(),
                t.seconds());
    }

    /**
     * A batch of precomputed features in the {@link FloatBatch} layout ({@code D × 1 × 1} per row), for training
     * without a backbone.
     *
     * @param index batch index in the epoch
     * @param features all feature rows
     * @param labels all labels
     * @param rows the batch's row indices
     * @return the batch
     */
    public static FloatBatch featureBatch(int index, float[][] features, int[] labels, int[] rows) {
        int d = features[0].length;
        float[] buf = new float[rows.length * d];
        int[] y = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(features[rows[i]], 0, buf, i * d, d);
            y[i] = labels[rows[i]];
        }
        return new FloatBatch(index, buf, y, rows.clone(), d, 1, 1);
    }

    /**
     * The head's outputs on frozen image features, in inference mode.
     *
     * @param features {@code N × D}
     * @param batchSize chunk size
     * @return hidden activations (N × 4D), P^I and P^T (N × C)
     */
    public Outputs outputs(float[][] features, int batchSize) {
        NDManager m = getManager();
        SequentialBlock mlp = head.getVisualMlp();
        SequentialBlock firstLayer = new SequentialBlock()
                .add(mlp.getChildren().get(0).getValue())
                .add(mlp.getChildren().get(1).getValue());
        float[][] hidden = ImageEmbedder.mapRows(firstLayer, m, features, DataType.FLOAT32, batchSize);
        float[][] pI = ImageEmbedder.mapRowsOutput(head, m, features, DataType.FLOAT32, batchSize, 0);
        float[][] pT = ImageEmbedder.mapRowsOutput(head, m, features, DataType.FLOAT32, batchSize, 1);
        return new Outputs(hidden, pI, pT);
    }

    /** @return P^I's last layer: {@code weight} C × 4D and {@code bias} C */
    public float[][][] visualClassifier() {
        Block last = head.getVisualMlp().getChildren().get(2).getValue();
        NDArray w = last.getParameters().get("weight").getArray();
        NDArray bias = last.getParameters().get("bias").getArray();
        int c = (int) w.getShape().get(0);
        int h = (int) w.getShape().get(1);
        float[] flat = w.toFloatArray();
        float[][] weight = new float[c][];
        for (int i = 0; i < c; i++) {
            weight[i] = java.util.Arrays.copyOfRange(flat, i * h, (i + 1) * h);
        }
        return new float[][][] {weight, {bias.toFloatArray()}};
    }

    /** Writes the head's parameters (text memory, mask and logit scale included) in DJL's format. */
    public void saveHead(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        head.saveParameters(data);
        data.flush();
    }

    /** Evaluates the head in inference mode on a parameter store of {@code manager} (for tests). */
    NDList forwardHead(NDManager manager, NDArray features) {
        return head.forward(new ParameterStore(manager, false), new NDList(features), false);
    }

    private static float[] flatten(float[][] rows) {
        int d = rows[0].length;
        float[] out = new float[rows.length * d];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * d, d);
        }
        return out;
    }

    /** Builder: head, input shape and schedule are required. */
    public static final class Builder extends AdamWTrainerBuilder<Builder> {
        private LgrHead head;
        private Block backbone;
        private Shape inputShape;
        private double attentionLr = 1e-6;
        private double smoothing = TwoBranchCrossEntropyLoss.DEFAULT_SMOOTHING;
        private MixupCutmix mixup;
        private boolean textBranch = true;

        Builder() {}

        /** @param head an uninitialised LGR head */
        public Builder setHead(LgrHead head) {
            this.head = head;
            return this;
        }

        /**
         * @param backbone the initialised CVLP image tower (images → (B, D)); it is frozen and runs in inference mode.
         *     Without it, batches are features.
         */
        public Builder optBackbone(Block backbone) {
            this.backbone = backbone;
            return this;
        }

        /** @param shape one input's shape: {@code (C, H, W)} images with a backbone, {@code (D)} features without */
        public Builder setInputShape(Shape shape) {
            this.inputShape = shape;
            return this;
        }

        /** @param lr base learning rate of the attention group (official {@code text_lr} 1e-6) */
        public Builder optAttentionLr(double lr) {
            this.attentionLr = lr;
            return this;
        }

        /** @param smoothing label smoothing of class-id targets when mixing is off (default 0: plain CE, official) */
        public Builder optLabelSmoothing(double smoothing) {
            this.smoothing = smoothing;
            return this;
        }

        /** @param mixup Mixup/CutMix (default none; the stage passes the official {@link MixupCutmix#vlLtr()}) */
        public Builder optMixup(MixupCutmix mixup) {
            this.mixup = mixup;
            return this;
        }

        /** @param on train the language branch too (default true: CE(P^I) + CE(P^T)) */
        public Builder optTextBranch(boolean on) {
            this.textBranch = on;
            return this;
        }

        /** @return the trainer, initialised */
        public LgrTrainer build() {
            Objects.requireNonNull(head, "LGR trainer: head is required");
            Objects.requireNonNull(inputShape, "LGR trainer: input shape is required");
            Objects.requireNonNull(schedule, "LGR trainer: schedule is required");
            return new LgrTrainer(this, new TwoBranchCrossEntropyLoss(smoothing));
        }
    }
}
