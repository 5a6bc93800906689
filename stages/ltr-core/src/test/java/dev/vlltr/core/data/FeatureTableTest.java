package dev.vlltr.core.data;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeatureTableTest {

    private static FeatureTable sample() {
        Map<String, float[][]> arrays = new LinkedHashMap<>();
        arrays.put(FeatureTable.FEATURES, new float[][] {{1f, 2f, 3f}, {-4f, 5.5f, 0f}});
        arrays.put("logits_image", new float[][] {{0.25f, -1f}, {3f, 1e-7f}});
        return new FeatureTable("val", List.of("shirt", "sandal"), new int[] {1, 0}, arrays);
    }

    private static byte[] bytes(FeatureTable t) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        t.writeTo(out);
        return out.toByteArray();
    }

    @Test
    void roundTripKeepsEveryValueNameAndOrder() throws IOException {
        FeatureTable t = sample();
        FeatureTable back = FeatureTable.readFrom(new ByteArrayInputStream(bytes(t)), "mem");
        assertEquals("val", back.split());
        assertEquals(List.of("shirt", "sandal"), back.classNames());
        assertArrayEquals(new int[] {1, 0}, back.labels());
        assertEquals(List.of(FeatureTable.FEATURES, "logits_image"), List.copyOf(back.arrays().keySet()));
        for (String name : t.arrays().keySet()) {
            float[][] a = t.array(name);
            float[][] b = back.array(name);
            for (int i = 0; i < a.length; i++) {
                assertArrayEquals(a[i], b[i], 0f, name + " row " + i);
            }
        }
    }

    @Test
    void rejectsWrongMagicAndTruncationNamingTheSource() throws IOException {
        byte[] ok = bytes(sample());
        byte[] wrong = ok.clone();
        wrong[0] = 'X';
        IOException magic = assertThrows(IOException.class,
                () -> FeatureTable.readFrom(new ByteArrayInputStream(wrong), "features-val.vlft"));
        assertTrue(magic.getMessage().startsWith("features-val.vlft: not a vlltr-features/1 file"), magic.getMessage());
        byte[] cut = Arrays.copyOf(ok, ok.length - 9);
        IOException truncated = assertThrows(IOException.class,
                () -> FeatureTable.readFrom(new ByteArrayInputStream(cut), "features-val.vlft"));
        assertTrue(truncated.getMessage().startsWith("features-val.vlft:"), truncated.getMessage());
        assertThrows(IOException.class, () -> FeatureTable.readFrom(new ByteArrayInputStream(new byte[3]), "x"));
    }

    @Test
    void validatesRowsLabelsAndNames() {
        Map<String, float[][]> arrays = Map.of(FeatureTable.FEATURES, new float[][] {{1f}, {2f}});
        IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
                () -> new FeatureTable("train", List.of("a", "b"), new int[] {0}, arrays));
        assertTrue(rows.getMessage().contains("has 2 rows, expected 1"), rows.getMessage());
        IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
                () -> new FeatureTable("train", List.of("a", "b"), new int[] {0, 2}, arrays));
        assertTrue(label.getMessage().contains("label[1] = 2"), label.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> new FeatureTable("train", List.of("a", "b"), new int[] {0, 1}, arrays).array("logits"));
        assertTrue(missing.getMessage().contains("no array 'logits'"), missing.getMessage());
    }
}
