package dev.vlltr.core.train;

/**
 * What the builders of the AdamW trainers ({@link CvlpTrainer}, {@link LgrTrainer}) share: the per-epoch cosine
 * schedule, AdamW's decoupled weight decay and the seed of the per-batch draws.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class AdamWTrainerBuilder<B extends AdamWTrainerBuilder<B>> {

    CosineWarmupSchedule schedule;
    double weightDecay = 0.05;
    long seed;
    TrainingDevices devices = TrainingDevices.cpu();
    boolean fusedAdamW;

    AdamWTrainerBuilder() {}

    /** @return this builder as its concrete type (B is always the subclass itself) */
    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** @param schedule per-epoch learning rate (required) */
    public B setSchedule(CosineWarmupSchedule schedule) {
        this.schedule = schedule;
        return self();
    }

    /** @param wd decoupled weight decay of the decay group (default 0.05, VL-LTR; none on 1-D parameters) */
    public B optWeightDecay(double wd) {
        this.weightDecay = wd;
        return self();
    }

    /**
     * @param devices where to train; several = data-parallel with the loss over the global batch (default: the CPU,
     *     as {@link SupervisedTrainer}'s; never the engine's default device, which is a GPU on a GPU host)
     */
    public B optDevices(TrainingDevices devices) {
        this.devices = java.util.Objects.requireNonNull(devices, "devices");
        return self();
    }

    /** @return a new DJL model named {@code name} on the first training device */
    ai.djl.Model newModel(String name) {
        return ai.djl.Model.newInstance(name, devices.primary());
    }

    /** @param seed of the per-batch draws: CVLP's sentences, LGR's Mixup/CutMix (default 0) */
    public B optSeed(long seed) {
        this.seed = seed;
        return self();
    }

    /**
     * @param fused whether AdamW runs as one native call per parameter ({@link DecoupledAdamW.Builder#optFusedUpdate};
     *     same formula, results differ by float rounding) instead of the op chain (default false: bit-identical to
     *     earlier runs and checkpoints; the profile in docs/results-and-benchmarks.md puts the optimizer at ~1.5 % of a
     *     CVLP step)
     */
    public B optFusedAdamW(boolean fused) {
        this.fusedAdamW = fused;
        return self();
    }
}
