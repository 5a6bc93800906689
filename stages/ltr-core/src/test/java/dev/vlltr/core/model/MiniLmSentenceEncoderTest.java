package dev.vlltr.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MiniLmSentenceEncoderTest {

    private static MiniLmSentenceEncoder encoder;

    @BeforeAll
    static void load() {
        encoder = new MiniLmSentenceEncoder();
    }

    private static double cos(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    @Test
    void vectorsAre384DimensionalUnitNormAndSemanticallySensible() {
        List<String> s = List.of(
                "a photo of a T-shirt/top.",
                "a photo of a shirt.",
                "a photo of a sandal.",
                "The central bank raised interest rates to curb inflation.",
                "a photo of a dog.",
                "a photo of a puppy.");
        float[][] v = encoder.encode(s);
        assertEquals(6, v.length);
        for (float[] x : v) {
            assertEquals(384, x.length);
            assertEquals(1.0, Math.sqrt(cos(x, x)), 1e-5);
        }
        // measured (feasibility-ml.md 2.2, int8): T-shirt/shirt 0.814 vs T-shirt/sandal 0.411
        assertTrue(cos(v[0], v[1]) > cos(v[0], v[2]) + 0.2, cos(v[0], v[1]) + " vs " + cos(v[0], v[2]));
        assertEquals(0.814, cos(v[0], v[1]), 0.01);
        assertEquals(0.411, cos(v[0], v[2]), 0.01);
        // an off-topic sentence is far from every photo prompt
        for (int i : new int[] {0, 2, 4}) {
            assertTrue(cos(v[i], v[3]) < cos(v[4], v[5]) - 0.3, "off-topic vs prompt " + i);
        }
        assertTrue(cos(v[4], v[5]) > cos(v[4], v[2]), "dog is closer to puppy than to sandal");
    }

    @Test
    void deterministicAndIndependentOfTheBatch() {
        float[][] batch = encoder.encode(List.of("a photo of a sneaker.", "an ankle boot", "a photo of a bag."));
        float[][] single = encoder.encode(List.of("an ankle boot"));
        assertArrayEquals(batch[1], single[0], 0f);
        assertArrayEquals(batch[0], encoder.encode(List.of("a photo of a sneaker."))[0], 0f);
        assertThrows(IllegalArgumentException.class, () -> encoder.encode(List.of("ok", " ")));
        assertEquals(0, encoder.encode(List.of()).length);
    }

    @Test
    void cachingEncoderComputesEachSentenceOnce() {
        CachingSentenceEncoder cached = new CachingSentenceEncoder(encoder);
        float[][] a = cached.encode(List.of("a photo of a coat.", "a photo of a coat.", "a photo of a dress."));
        assertEquals(2, cached.computedCount());
        float[][] b = cached.encode(List.of("a photo of a dress.", "a photo of a pullover."));
        assertEquals(3, cached.computedCount());
        assertArrayEquals(a[2], b[0], 0f);
        assertArrayEquals(a[0], a[1], 0f);
        Map<String, float[]> snapshot = cached.snapshot();
        assertEquals(List.of("a photo of a coat.", "a photo of a dress.", "a photo of a pullover."),
                List.copyOf(snapshot.keySet()));
        CachingSentenceEncoder restored = new CachingSentenceEncoder(encoder);
        restored.putAll(snapshot);
        restored.encode(List.of("a photo of a pullover."));
        assertEquals(0, restored.computedCount());
        assertThrows(IllegalArgumentException.class, () -> restored.putAll(Map.of("x", new float[3])));
        assertEquals(MiniLmSentenceEncoder.ID, restored.id());
    }
}
