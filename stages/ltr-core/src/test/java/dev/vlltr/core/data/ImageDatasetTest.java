package dev.vlltr.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ImageDatasetTest {

    /** 3 images of 2×1×2 (C=2, H=1, W=2): image i has bytes 10i .. 10i+3. */
    static ImageDataset tiny() {
        byte[] px = new byte[12];
        for (int i = 0; i < 3; i++) {
            for (int k = 0; k < 4; k++) {
                px[i * 4 + k] = (byte) (10 * i + k);
            }
        }
        return new ImageDataset("tiny", px, 2, 1, 2, new int[] {1, 0, 1}, List.of("a", "b"));
    }

    @Test
    void accessorsAndSubset() {
        ImageDataset ds = tiny();
        assertEquals(4, ds.imageSize());
        assertEquals(22, ds.pixel(2, 1, 0, 0));
        assertArrayEquals(new int[] {1, 2}, ds.classCounts());
        float[] f = new float[5];
        ds.imageAsFloats(1, f, 1);
        assertArrayEquals(new float[] {0, 10 / 255f, 11 / 255f, 12 / 255f, 13 / 255f}, f);
        ImageDataset sub = ds.subset(new int[] {2, 2, 1}, "sub");
        assertEquals(3, sub.size());
        assertArrayEquals(new int[] {1, 1, 0}, sub.labels());
        assertArrayEquals(ds.imageBytes(2), sub.imageBytes(1));
        assertArrayEquals(ds.imageBytes(1), sub.imageBytes(2));
        String msg = assertThrows(IllegalArgumentException.class, () -> ds.subset(new int[] {0, 3}, "bad"))
                .getMessage();
        assertTrue(msg.contains("bad") && msg.contains("index 3") && msg.contains("position 1"), msg);
    }

    @Test
    void constructorChecks() {
        String size = assertThrows(IllegalArgumentException.class, () -> new ImageDataset("d", new byte[5], 1, 2, 2,
                new int[] {0}, List.of("a"))).getMessage();
        assertTrue(size.contains("'pixels'") && size.contains("expected 4"), size);
        String label = assertThrows(IllegalArgumentException.class, () -> new ImageDataset("d", new byte[4], 1, 2,
                2, new int[] {2}, List.of("a", "b"))).getMessage();
        assertTrue(label.contains("'labels[0]'") && label.contains("0..1"), label);
    }
}
