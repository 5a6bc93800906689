package dev.vlltr.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LongTailProfileTest {

    @Test
    void fashionMnistIf100MatchesFeasibilityNumbers() {
        assertArrayEquals(new int[] {6000, 3596, 2156, 1292, 774, 464, 278, 166, 100, 60},
                new LongTailProfile(6000, 100, 10).countsByRank());
    }

    @Test
    void otherProfilesMatchTheReferenceFormula() {
        // numbers from Python: int(n * (1/IF) ** (c / 9.0))
        assertArrayEquals(new int[] {1000, 599, 359, 215, 129, 77, 46, 27, 16, 10},
                new LongTailProfile(1000, 100, 10).countsByRank());
        assertArrayEquals(new int[] {300, 232, 179, 139, 107, 83, 64, 50, 38, 30},
                new LongTailProfile(300, 10, 10).countsByRank());
        assertArrayEquals(new int[] {6000, 3884, 2515, 1628, 1054, 682, 442, 286, 185, 120},
                new LongTailProfile(6000, 50, 10).countsByRank());
        // CIFAR-10-LT IF 100 (n_max 5000): 12406 images in total, the well-known figure
        int total = 0;
        for (int n : new LongTailProfile(5000, 100, 10).countsByRank()) {
            total += n;
        }
        assertEquals(12406, total);
        // CIFAR-100-LT IF 100 (n_max 500): 10847 images, as in LTR-weight-balancing's notebooks
        total = 0;
        for (int n : new LongTailProfile(500, 100, 100).countsByRank()) {
            total += n;
        }
        assertEquals(10847, total);
    }

    @Test
    void degenerateProfiles() {
        assertArrayEquals(new int[] {7, 7, 7}, new LongTailProfile(7, 1, 3).countsByRank());
        assertArrayEquals(new int[] {50}, new LongTailProfile(50, 100, 1).countsByRank());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LongTailProfile(10, 0.5, 3));
        assertTrue(e.getMessage().contains("imbalanceFactor"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LongTailProfile(0, 10, 3));
        assertThrows(IllegalArgumentException.class, () -> new LongTailProfile(10, Double.NaN, 3));
    }
}
