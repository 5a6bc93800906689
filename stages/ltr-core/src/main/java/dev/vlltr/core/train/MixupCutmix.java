package dev.vlltr.core.train;

import java.util.SplittableRandom;

/**
 * timm's {@code Mixup} in batch mode, as VL-LTR's LGR fine-tuning inherits it ({@code mixup=0.8, cutmix=1.0,
 * smoothing=0.1}, {@code mix_prob=1}, {@code switch_prob=0.5}, {@code correct_lam=True}): per batch, with probability
 * {@code switchProb} CutMix with {@code λ ~ Beta(cutmix, cutmix)}, else Mixup with {@code λ ~ Beta(mixup, mixup)};
 * every image is mixed with the image at the mirrored position of the batch ({@code x.flip(0)}); targets are
 * {@code λ·smooth(y) + (1−λ)·smooth(y_flipped)} with {@code smooth} = one-hot with {@code 1 − ε + ε/C} on the class
 * and {@code ε/C} elsewhere. CutMix pastes the box {@code rand_bbox} of the mirrored image and corrects λ to the
 * pasted area. With only one of the two alphas positive, only that kind is used; both 0 = off (plain smoothed
 * targets).
 */
public final class MixupCutmix {

    /** A mixed batch: images (same layout), soft targets (B × C), the λ used and whether CutMix was applied. */
    public record Mixed(float[] images, float[][] targets, double lambda, boolean cutmix) {}

    private final double mixupAlpha;
    private final double cutmixAlpha;
    private final double switchProb;
    private final double smoothing;

    /**
     * @param mixupAlpha Beta parameter of Mixup (timm/VL-LTR 0.8; 0 = off)
     * @param cutmixAlpha Beta parameter of CutMix (1.0; 0 = off)
     * @param switchProb probability of CutMix when both are on (0.5)
     * @param smoothing label smoothing ε of the targets (0.1)
     */
    public MixupCutmix(double mixupAlpha, double cutmixAlpha, double switchProb, double smoothing) {
        if (mixupAlpha < 0 || cutmixAlpha < 0 || switchProb < 0 || switchProb > 1 || smoothing < 0 || smoothing >= 1) {
            throw new IllegalArgumentException("mixup: need alphas ≥ 0, switch probability in [0, 1] and smoothing"
                    + " in [0, 1), got mixup=" + mixupAlpha + " cutmix=" + cutmixAlpha + " switch=" + switchProb
                    + " smoothing=" + smoothing);
        }
        this.mixupAlpha = mixupAlpha;
        this.cutmixAlpha = cutmixAlpha;
        this.switchProb = switchProb;
        this.smoothing = smoothing;
    }

    /** @return VL-LTR's setting: mixup 0.8, cutmix 1.0, switch 0.5, smoothing 0.1 */
    public static MixupCutmix vlLtr() {
        return new MixupCutmix(0.8, 1.0, 0.5, 0.1);
    }

    /** @return whether any mixing happens */
    public boolean enabled() {
        return mixupAlpha > 0 || cutmixAlpha > 0;
    }

    /**
     * @param images {@code B × C × H × W} row-major (not modified)
     * @param labels B class ids
     * @param channels C
     * @param height H
     * @param width W
     * @param numClasses number of classes
     * @param rnd the batch's random stream
     * @return the mixed batch
     */
    public Mixed apply(float[] images, int[] labels, int channels, int height, int width, int numClasses,
            SplittableRandom rnd) {
        int b = labels.length;
        int size = channels * height * width;
        double lam = 1;
        boolean useCutmix = false;
        if (mixupAlpha > 0 && cutmixAlpha > 0) {
            useCutmix = rnd.nextDouble() < switchProb;
            lam = useCutmix ? beta(cutmixAlpha, rnd) : beta(mixupAlpha, rnd);
        } else if (mixupAlpha > 0) {
            lam = beta(mixupAlpha, rnd);
        } else if (cutmixAlpha > 0) {
            useCutmix = true;
            lam = beta(cutmixAlpha, rnd);
        }
        float[] out = images.clone();
        if (lam != 1) {
            if (useCutmix) {
                double ratio = Math.sqrt(1 - lam);
                int cutH = (int) (height * ratio);
                int cutW = (int) (width * ratio);
                int cy = rnd.nextInt(height);
                int cx = rnd.nextInt(width);
                int yl = clip(cy - cutH / 2, height);
                int yh = clip(cy + cutH / 2, height);
                int xl = clip(cx - cutW / 2, width);
                int xh = clip(cx + cutW / 2, width);
                for (int i = 0; i < b; i++) {
                    int j = b - 1 - i;
                    for (int c = 0; c < channels; c++) {
                        for (int y = yl; y < yh; y++) {
                            int row = c * height * width + y * width;
                            System.arraycopy(images, j * size + row + xl, out, i * size + row + xl, xh - xl);
                        }
                    }
                }
                lam = 1 - (double) (yh - yl) * (xh - xl) / ((double) height * width);
            } else {
                float l = (float) lam;
                float r = (float) (1 - lam);
                for (int i = 0; i < b; i++) {
                    int j = b - 1 - i;
                    for (int k = 0; k < size; k++) {
                        out[i * size + k] = images[i * size + k] * l + images[j * size + k] * r;
                    }
                }
            }
        }
        return new Mixed(out, targets(labels, numClasses, lam), lam, useCutmix);
    }

    float[][] targets(int[] labels, int numClasses, double lam) {
        double off = smoothing / numClasses;
        double on = 1 - smoothing + off;
        int b = labels.length;
        float[][] t = new float[b][numClasses];
        for (int i = 0; i < b; i++) {
            for (int c = 0; c < numClasses; c++) {
                double y1 = labels[i] == c ? on : off;
                double y2 = labels[b - 1 - i] == c ? on : off;
                t[i][c] = (float) (lam * y1 + (1 - lam) * y2);
            }
        }
        return t;
    }

    private static int clip(int v, int hi) {
        return Math.max(0, Math.min(hi, v));
    }

    /** Beta(a, a) via two Gamma(a) draws. */
    static double beta(double a, SplittableRandom rnd) {
        double x = gamma(a, rnd);
        double y = gamma(a, rnd);
        return x / (x + y);
    }

    /** Marsaglia–Tsang Gamma(a, 1); for a &lt; 1 the boost {@code Gamma(a+1)·U^{1/a}}. */
    static double gamma(double a, SplittableRandom rnd) {
        if (a < 1) {
            return gamma(a + 1, rnd) * Math.pow(rnd.nextDouble(), 1 / a);
        }
        double d = a - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x;
            double v;
            do {
                x = gaussian(rnd);
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = rnd.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
                return d * v;
            }
        }
    }

    private static double gaussian(SplittableRandom rnd) {
        double u1 = rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
