package dev.vlltr.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AugmentationTest {

    /** 1 × 3 × 3 image with values 1..9. */
    static float[] nine() {
        return new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9};
    }

    /** A Random whose nextInt returns the given values in turn: picks the crop offsets by hand. */
    static Random fixedInts(int... values) {
        return new Random() {
            private int k;

            @Override
            public int nextInt(int bound) {
                assertTrue(values[k] < bound);
                return values[k++];
            }
        };
    }

    @Test
    void cropOffsetsByHand() {
        // padding 1: offset (top, left) = (0, 2) means window rows -1..1, cols 1..3 of the original
        float[] img = nine();
        new RandomCrop(1).apply(img, 0, 1, 3, 3, fixedInts(0, 2));
        assertArrayEquals(new float[] {0, 0, 0, 2, 3, 0, 5, 6, 0}, img);
        float[] same = nine();
        new RandomCrop(1).apply(same, 0, 1, 3, 3, fixedInts(1, 1));
        assertArrayEquals(nine(), same);
        float[] twoCh = new float[18];
        System.arraycopy(nine(), 0, twoCh, 0, 9);
        System.arraycopy(nine(), 0, twoCh, 9, 9);
        new RandomCrop(1).apply(twoCh, 0, 2, 3, 3, fixedInts(2, 0));
        float[] expected = {0, 4, 5, 0, 7, 8, 0, 0, 0};
        assertArrayEquals(expected, Arrays.copyOfRange(twoCh, 0, 9));
        assertArrayEquals(expected, Arrays.copyOfRange(twoCh, 9, 18));
    }

    @Test
    void cropMatchesPaddedWindowRecomputation() {
        Random data = new Random(1);
        float[] img = new float[28 * 28];
        for (int i = 0; i < img.length; i++) {
            img[i] = data.nextFloat();
        }
        for (int seed = 0; seed < 20; seed++) {
            float[] out = img.clone();
            new RandomCrop(2).apply(out, 0, 1, 28, 28, new Random(seed));
            Random same = new Random(seed);
            int top = same.nextInt(5);
            int left = same.nextInt(5);
            // explicit zero-padded 32x32 canvas, then the window at (top, left)
            float[] padded = new float[32 * 32];
            for (int y = 0; y < 28; y++) {
                System.arraycopy(img, y * 28, padded, (y + 2) * 32 + 2, 28);
            }
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    assertEquals(padded[(y + top) * 32 + x + left], out[y * 28 + x], "seed " + seed);
                }
            }
        }
        assertEquals(2, RandomCrop.standard(28, 28).padding());
        assertEquals(4, RandomCrop.standard(32, 32).padding());
        assertThrows(IllegalArgumentException.class, () -> RandomCrop.standard(64, 64));
    }

    @Test
    void flipMirrorsRowsWithProbabilityHalf() {
        float[] img = nine();
        HorizontalFlip.flip(img, 0, 3, 3);
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4, 9, 8, 7}, img);
        HorizontalFlip flip = new HorizontalFlip();
        Random rng = new Random(5);
        int flipped = 0;
        int n = 4000;
        for (int i = 0; i < n; i++) {
            float[] x = nine();
            flip.apply(x, 0, 1, 3, 3, rng);
            if (x[0] == 3) {
                flipped++;
            } else {
                assertArrayEquals(nine(), x);
            }
        }
        assertEquals(n / 2.0, flipped, 5 * Math.sqrt(n * 0.25));
        float[] never = nine();
        new HorizontalFlip(0).apply(never, 0, 1, 3, 3, rng);
        assertArrayEquals(nine(), never);
    }

    @Test
    void normalizeByHand() {
        float[] img = {0f, 0.286f, 1f, 0.5f};
        Normalize.fashionMnist().apply(img, 0, 1, 2, 2, null);
        assertEquals(-0.2860 / 0.3530, img[0], 1e-6);
        assertEquals(0.0, img[1], 1e-6);
        assertEquals((1 - 0.2860) / 0.3530, img[2], 1e-6);
        float[] two = {1f, 1f, 1f, 1f};
        new Normalize(new float[] {0.5f, 0f}, new float[] {0.5f, 2f}).apply(two, 0, 2, 1, 2, null);
        assertArrayEquals(new float[] {1f, 1f, 0.5f, 0.5f}, two);
        assertThrows(IllegalArgumentException.class, () -> new Normalize(new float[] {0}, new float[] {0}));
    }

    @Test
    void pipelineIsSeededAndOrdered() {
        float[] img = new float[28 * 28];
        Arrays.fill(img, 1f);
        AugmentationPipeline train = AugmentationPipeline.fashionMnistTrain();
        float[] a = img.clone();
        float[] b = img.clone();
        train.apply(a, 0, 1, 28, 28, new Random(3));
        train.apply(b, 0, 1, 28, 28, new Random(3));
        assertArrayEquals(a, b);
        // padded border pixels are black before normalisation, i.e. -mean/std afterwards
        float black = -FashionMnist.MEAN / FashionMnist.STD;
        float white = (1 - FashionMnist.MEAN) / FashionMnist.STD;
        for (float v : a) {
            assertTrue(Math.abs(v - black) < 1e-6 || Math.abs(v - white) < 1e-6);
        }
        boolean anyShift = false;
        for (int s = 0; s < 10 && !anyShift; s++) {
            float[] c = img.clone();
            train.apply(c, 0, 1, 28, 28, new Random(s));
            anyShift = !Arrays.equals(c, a);
        }
        assertTrue(anyShift, "different seeds should give different crops");
        float[] eval = img.clone();
        AugmentationPipeline.fashionMnistEval().apply(eval, 0, 1, 28, 28, new Random(0));
        for (float v : eval) {
            assertEquals(white, v, 1e-6);
        }
        assertFalse(train.steps().isEmpty());
    }
}
