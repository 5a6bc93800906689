package dev.vlltr.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AugmentationTest {

    /** 1×3×3 image 1..9, row-major. */
    private static float[] nine() {
        return new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9};
    }

    @Test
    void cropShiftsAndZeroPads() {
        float[] img = nine();
        RandomCropWithPadding.crop(img, 1, 3, 3, 1, -1); // output(y,x) = input(y+1, x-1)
        assertArrayEquals(new float[] {0, 4, 5, 0, 7, 8, 0, 0, 0}, img);
        float[] same = nine();
        RandomCropWithPadding.crop(same, 1, 3, 3, 0, 0);
        assertArrayEquals(nine(), same);
        assertEquals(2, RandomCropWithPadding.defaultPadding(28));
        assertEquals(4, RandomCropWithPadding.defaultPadding(32));
    }

    @Test
    void randomCropCoversAllOffsetsAndIsSeeded() {
        // a single bright pixel at the centre of a 9x9 image shows the offset (dy, dx) in [-2, 2]^2
        RandomCropWithPadding crop = new RandomCropWithPadding(2);
        Set<Integer> positions = new HashSet<>();
        Random random = new Random(7);
        for (int i = 0; i < 500; i++) {
            float[] img = new float[81];
            img[40] = 1;
            crop.apply(img, 1, 9, 9, random);
            int at = -1;
            for (int p = 0; p < 81; p++) {
                if (img[p] == 1) {
                    at = p;
                }
            }
            positions.add(at);
        }
        assertEquals(25, positions.size(), "all 5x5 offsets occur");
        float[] a = nine();
        float[] b = nine();
        new RandomCropWithPadding(1).apply(a, 1, 3, 3, new Random(3));
        new RandomCropWithPadding(1).apply(b, 1, 3, 3, new Random(3));
        assertArrayEquals(a, b);
    }

    @Test
    void flipMirrorsRowsPerChannelAtRateP() {
        float[] img = {1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 50, 60}; // 2×2×3
        RandomHorizontalFlip.flip(img, 2, 2, 3);
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4, 30, 20, 10, 60, 50, 40}, img);
        RandomHorizontalFlip flip = new RandomHorizontalFlip(0.5);
        Random random = new Random(11);
        int flipped = 0;
        int trials = 10_000;
        for (int i = 0; i < trials; i++) {
            float[] x = {1, 2};
            flip.apply(x, 1, 1, 2, random);
            flipped += x[0] == 2 ? 1 : 0;
        }
        assertEquals(trials / 2.0, flipped, 6 * Math.sqrt(trials * 0.25));
        float[] never = {1, 2};
        new RandomHorizontalFlip(0).apply(never, 1, 1, 2, random);
        assertArrayEquals(new float[] {1, 2}, never);
        assertThrows(IllegalArgumentException.class, () -> new RandomHorizontalFlip(1.5));
    }

    @Test
    void normalizePerChannel() {
        float[] img = {0.5f, 1f, 0f, 0.25f};
        new Normalize(new float[] {0.5f, 0.25f}, new float[] {0.5f, 0.25f}).apply(img, 2, 1, 2, null);
        assertArrayEquals(new float[] {0f, 1f, -1f, 0f}, img, 1e-6f);
        float[] fm = {FashionMnist.MEAN + FashionMnist.STD};
        ImageAugmentation.fashionMnistEvaluation().apply(fm, 1, 1, 1, null);
        assertEquals(1f, fm[0], 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> new Normalize(new float[] {0}, new float[] {0}));
    }

    @Test
    void trainingRecipeIsSeededAndVaries() {
        ImageAugmentation recipe = ImageAugmentation.fashionMnistTraining();
        float[] base = new float[784];
        for (int i = 0; i < base.length; i++) {
            base[i] = (i % 29) / 28f;
        }
        float[] a = base.clone();
        float[] b = base.clone();
        float[] c = base.clone();
        recipe.apply(a, 1, 28, 28, new Random(1));
        recipe.apply(b, 1, 28, 28, new Random(1));
        recipe.apply(c, 1, 28, 28, new Random(2));
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
        // zero padding happens before normalisation: padded pixels read (0 - mean) / std
        float padded = (0 - FashionMnist.MEAN) / FashionMnist.STD;
        boolean sawPadding = false;
        Random random = new Random(5);
        for (int t = 0; t < 20 && !sawPadding; t++) {
            float[] x = new float[784];
            Arrays.fill(x, 1f);
            recipe.apply(x, 1, 28, 28, random);
            for (float v : x) {
                sawPadding |= Math.abs(v - padded) < 1e-6;
            }
        }
        assertEquals(true, sawPadding);
    }

    @Test
    void seededTransformOnNDArrayMatchesPlainArrays() {
        ImageAugmentation recipe = ImageAugmentation.fashionMnistTraining();
        float[] data = new float[2 * 784];
        for (int i = 0; i < data.length; i++) {
            data[i] = (i % 37) / 36f;
        }
        float[] expected = data.clone();
        Random random = new Random(9);
        for (int n = 0; n < 2; n++) {
            float[] img = Arrays.copyOfRange(expected, n * 784, (n + 1) * 784);
            recipe.apply(img, 1, 28, 28, random);
            System.arraycopy(img, 0, expected, n * 784, 784);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray batch = manager.create(data, new Shape(2, 1, 28, 28));
            NDArray out = new SeededTransform(recipe, 9).transform(batch);
            assertEquals(new Shape(2, 1, 28, 28), out.getShape());
            assertArrayEquals(expected, out.toFloatArray(), 1e-6f);
            NDArray single = manager.create(Arrays.copyOf(data, 784), new Shape(1, 28, 28));
            assertArrayEquals(Arrays.copyOf(expected, 784), new SeededTransform(recipe, 9).transform(single).toFloatArray(), 1e-6f);
            assertThrows(IllegalArgumentException.class, () -> new SeededTransform(recipe, 1).transform(manager.zeros(new Shape(4))));
        }
    }
}
