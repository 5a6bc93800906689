package dev.vlltr.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** timm's batch-mode Mixup / CutMix: pixel mixing, box pasting, corrected λ and smoothed targets. */
class MixupCutmixTest {

    static float[] images(int b, int size) {
        float[] x = new float[b * size];
        for (int i = 0; i < b; i++) {
            for (int k = 0; k < size; k++) {
                x[i * size + k] = i + 1;   // image i is constant i + 1
            }
        }
        return x;
    }

    @Test
    void mixupBlendsWithTheMirroredImageAndTargets() {
        MixupCutmix m = new MixupCutmix(0.8, 0, 0.5, 0.1);
        int[] labels = {0, 1, 2, 2};
        MixupCutmix.Mixed r = m.apply(images(4, 4), labels, 1, 2, 2, 3, new SplittableRandom(1));
        double lam = r.lambda();
        assertTrue(lam > 0 && lam < 1);
        assertEquals(lam * 1 + (1 - lam) * 4, r.images()[0], 1e-5);
        assertEquals(lam * 2 + (1 - lam) * 3, r.images()[4], 1e-5);
        // image 0 (class 0) mixed with image 3 (class 2): on = 0.9 + 0.1/3, off = 0.1/3
        double on = 0.9 + 0.1 / 3;
        double off = 0.1 / 3;
        assertEquals(lam * on + (1 - lam) * off, r.targets()[0][0], 1e-6);
        assertEquals(lam * off + (1 - lam) * on, r.targets()[0][2], 1e-6);
        assertEquals(off, r.targets()[0][1], 1e-6);
        for (float[] t : r.targets()) {
            double s = 0;
            for (float v : t) {
                s += v;
            }
            assertEquals(1, s, 1e-6);
        }
    }

    @Test
    void cutmixPastesABoxAndCorrectsLambdaToItsArea() {
        MixupCutmix m = new MixupCutmix(0, 1.0, 0.5, 0);
        for (int seed = 0; seed < 20; seed++) {
            MixupCutmix.Mixed r = m.apply(images(2, 64), new int[] {0, 1}, 1, 8, 8, 2, new SplittableRandom(seed));
            assertTrue(r.cutmix());
            int pasted = 0;
            for (int k = 0; k < 64; k++) {
                float v = r.images()[k];
                assertTrue(v == 1 || v == 2);
                pasted += v == 2 ? 1 : 0;
            }
            assertEquals(1 - pasted / 64.0, r.lambda(), 1e-12);
            assertEquals(r.lambda(), r.targets()[0][0], 1e-6);
        }
    }

    @Test
    void betaDrawsHaveTheRightMoments() {
        SplittableRandom rnd = new SplittableRandom(3);
        int n = 20000;
        double sum = 0;
        double sq = 0;
        for (int i = 0; i < n; i++) {
            double b = MixupCutmix.beta(0.8, rnd);
            sum += b;
            sq += b * b;
        }
        double mean = sum / n;
        assertEquals(0.5, mean, 0.01);
        assertEquals(1 / (4 * (2 * 0.8 + 1)), sq / n - mean * mean, 0.005);
    }
}
