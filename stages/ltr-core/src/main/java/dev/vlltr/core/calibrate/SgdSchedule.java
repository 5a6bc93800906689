package dev.vlltr.core.calibrate;

/**
 * SGD with momentum and a per-epoch cosine schedule to 0, the optimiser of every Decoupling stage
 * ({@code optim.SGD} + {@code CosineAnnealingLR(T_max = num_epochs, eta_min = 0)}, {@code coslr: true}).
 * Weight decay applies to every trained parameter, biases and LWS scales included (one parameter group).
 * Presets carry the official configs; their learning rates are for the official batch size (512 for ImageNet-LT
 * and iNaturalist, 256 for Places-LT). For another batch size scale lr linearly (classifier-balancing issue #8)
 * with {@link #withLinearlyScaledLr(int, int)}.
 *
 * @param learningRate initial learning rate lr0
 * @param momentum     heavy-ball momentum (PyTorch semantics, no dampening, no Nesterov)
 * @param weightDecay  L2 coefficient added to the gradient
 * @param epochs       number of epochs T (also the cosine period)
 * @param cosine       cosine annealing to 0 when true, constant lr otherwise ({@code coslr: false} is not used by
 *                     any official cRT/LWS config; the official step-LR alternative is not offered)
 * @param stepOrder    when the scheduler is stepped, see {@link SchedulerStepOrder}
 */
public record SgdSchedule(double learningRate, double momentum, double weightDecay, int epochs, boolean cosine,
                          SchedulerStepOrder stepOrder) {

    public SgdSchedule {
        if (!(learningRate >= 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("SgdSchedule: learningRate must be finite and >= 0, got "
                    + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("SgdSchedule: momentum must be in [0, 1), got " + momentum);
        }
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException("SgdSchedule: weightDecay must be finite and >= 0, got " + weightDecay);
        }
        if (epochs <= 0) {
            throw new IllegalArgumentException("SgdSchedule: epochs must be > 0, got " + epochs);
        }
        if (stepOrder == null) {
            throw new IllegalArgumentException("SgdSchedule: stepOrder must not be null");
        }
    }

    private static SgdSchedule of(double lr, double wd, int epochs) {
        return new SgdSchedule(lr, 0.9, wd, epochs, true, SchedulerStepOrder.BEFORE_EPOCH);
    }

    /** Stage-1 joint training, ImageNet-LT: lr 0.2, momentum 0.9, wd 5e-4, 90 epochs, batch 512. */
    public static SgdSchedule joint() {
        return of(0.2, 5e-4, 90);
    }

    /** cRT, ImageNet-LT ({@code cls_crt.yaml}): lr 0.2, momentum 0.9, wd 5e-4, 10 epochs, batch 512. */
    public static SgdSchedule crt() {
        return of(0.2, 5e-4, 10);
    }

    /** cRT, Places-LT: lr 0.1, wd 5e-4, 10 epochs, batch 256. */
    public static SgdSchedule crtPlacesLt() {
        return of(0.1, 5e-4, 10);
    }

    /** cRT, iNaturalist 2018: lr 0.2, wd 1e-4, 30 epochs, batch 512. */
    public static SgdSchedule crtINaturalist() {
        return of(0.2, 1e-4, 30);
    }

    /** LWS, ImageNet-LT ({@code cls_lws.yaml}): lr 0.2, momentum 0.9, wd 5e-4, 5 epochs, batch 512. */
    public static SgdSchedule lws() {
        return of(0.2, 5e-4, 5);
    }

    /** LWS, Places-LT: lr 0.1, wd 5e-4, 5 epochs, batch 256. */
    public static SgdSchedule lwsPlacesLt() {
        return of(0.1, 5e-4, 5);
    }

    /** LWS, iNaturalist 2018: lr 0.2, wd 1e-4, 5 epochs, batch 512. */
    public static SgdSchedule lwsINaturalist() {
        return of(0.2, 1e-4, 5);
    }

    public SgdSchedule withLearningRate(double lr) {
        return new SgdSchedule(lr, momentum, weightDecay, epochs, cosine, stepOrder);
    }

    public SgdSchedule withEpochs(int n) {
        return new SgdSchedule(learningRate, momentum, weightDecay, n, cosine, stepOrder);
    }

    public SgdSchedule withWeightDecay(double wd) {
        return new SgdSchedule(learningRate, momentum, wd, epochs, cosine, stepOrder);
    }

    public SgdSchedule withMomentum(double m) {
        return new SgdSchedule(learningRate, m, weightDecay, epochs, cosine, stepOrder);
    }

    public SgdSchedule withCosine(boolean c) {
        return new SgdSchedule(learningRate, momentum, weightDecay, epochs, c, stepOrder);
    }

    public SgdSchedule withStepOrder(SchedulerStepOrder order) {
        return new SgdSchedule(learningRate, momentum, weightDecay, epochs, cosine, order);
    }

    /** Linear scaling rule: {@code lr · batchSize / referenceBatchSize}. */
    public SgdSchedule withLinearlyScaledLr(int referenceBatchSize, int batchSize) {
        if (referenceBatchSize <= 0 || batchSize <= 0) {
            throw new IllegalArgumentException("SgdSchedule: batch sizes must be > 0, got reference "
                    + referenceBatchSize + " and actual " + batchSize);
        }
        return withLearningRate(learningRate * batchSize / referenceBatchSize);
    }

    /**
     * Learning rate used during 0-based epoch {@code epoch}:
     * {@code lr0 · (1 + cos(π t / T)) / 2} with {@code t = epoch + 1} ({@link SchedulerStepOrder#BEFORE_EPOCH}) or
     * {@code t = epoch} ({@link SchedulerStepOrder#AFTER_EPOCH}); {@code lr0} when cosine is off.
     */
    public double learningRateAt(int epoch) {
        if (epoch < 0 || epoch >= epochs) {
            throw new IllegalArgumentException("SgdSchedule: epoch " + epoch + " outside [0, " + epochs + ")");
        }
        if (!cosine) {
            return learningRate;
        }
        int t = stepOrder == SchedulerStepOrder.BEFORE_EPOCH ? epoch + 1 : epoch;
        return learningRate * (1 + Math.cos(Math.PI * t / epochs)) / 2;
    }
}
