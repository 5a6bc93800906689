package dev.vlltr.core.train;

/**
 * timm's {@code CosineLRScheduler} as configured by VL-LTR (per-epoch, {@code t_in_epochs=True}, no restarts): a
 * linear warm-up from {@code warmupLr} over {@code warmupEpochs}, then a half cosine from {@code baseLr} to
 * {@code minLr} over the remaining epochs.
 *
 * <pre>
 *   epoch &lt; W :  lr = warmupLr + epoch · (baseLr − warmupLr) / W
 *   epoch ≥ W :  lr = minLr + ½ (baseLr − minLr) (1 + cos(π (epoch − W) / (T − W)))
 * </pre>
 *
 * VL-LTR's ImageNet-LT pre-training: baseLr 5e-5, T 50, W 5, warmupLr 1e-6, minLr 0 (ml-anchors §1.7).
 *
 * @param baseLr       peak learning rate
 * @param epochs       total epochs T
 * @param warmupEpochs W (0 for none)
 * @param warmupLr     learning rate at epoch 0 of the warm-up
 * @param minLr        floor of the cosine
 */
public record CosineWarmupSchedule(double baseLr, int epochs, int warmupEpochs, double warmupLr, double minLr) {

    public CosineWarmupSchedule {
        if (!(baseLr > 0) || epochs < 1 || warmupEpochs < 0 || warmupEpochs >= Math.max(epochs, 1) && warmupEpochs > 0
                || warmupLr < 0 || minLr < 0 || minLr > baseLr) {
            throw new IllegalArgumentException("invalid cosine schedule: baseLr=" + baseLr + " epochs=" + epochs
                    + " warmupEpochs=" + warmupEpochs + " warmupLr=" + warmupLr + " minLr=" + minLr
                    + " (need baseLr > 0, epochs ≥ 1, 0 ≤ warmupEpochs < epochs, 0 ≤ minLr ≤ baseLr)");
        }
    }

    /** Learning rate for the 0-based {@code epoch}. */
    public double lr(int epoch) {
        if (epoch < warmupEpochs) {
            return warmupLr + epoch * (baseLr - warmupLr) / warmupEpochs;
        }
        double t = epoch - warmupEpochs;
        double span = epochs - warmupEpochs;
        return minLr + 0.5 * (baseLr - minLr) * (1 + Math.cos(Math.PI * t / span));
    }

    /** Learning rate at a fractional epoch position, for per-update scheduling (an option; timm VL-LTR is per epoch). */
    public double lrAt(double epochPosition) {
        if (epochPosition < warmupEpochs) {
            return warmupLr + epochPosition * (baseLr - warmupLr) / warmupEpochs;
        }
        double t = epochPosition - warmupEpochs;
        double span = epochs - warmupEpochs;
        return minLr + 0.5 * (baseLr - minLr) * (1 + Math.cos(Math.PI * Math.min(t, span) / span));
    }
}
