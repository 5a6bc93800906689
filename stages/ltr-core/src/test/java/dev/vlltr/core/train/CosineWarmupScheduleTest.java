package dev.vlltr.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CosineWarmupScheduleTest {

    @Test
    void vlLtrImageNetLtPretrainingSchedule() {
        CosineWarmupSchedule s = new CosineWarmupSchedule(5e-5, 50, 5, 1e-6, 0);
        assertEquals(1e-6, s.lr(0), 1e-15);
        assertEquals(1e-6 + 4.9e-5 / 5, s.lr(1), 1e-15);       // linear warm-up
        assertEquals(1e-6 + 4 * 4.9e-5 / 5, s.lr(4), 1e-15);
        assertEquals(5e-5, s.lr(5), 1e-15);                     // peak right after warm-up
        assertEquals(0.5 * 5e-5 * (1 + Math.cos(Math.PI * 22 / 45)), s.lr(27), 1e-15);
        assertEquals(0.0, s.lr(50), 1e-15);                     // cosine reaches minLr at T
        assertEquals(s.lr(27), s.lrAt(27.0), 1e-15);
    }

    @Test
    void noWarmupAndMinLr() {
        CosineWarmupSchedule s = new CosineWarmupSchedule(0.2, 10, 0, 0, 0.01);
        assertEquals(0.2, s.lr(0), 1e-12);
        assertEquals(0.01 + 0.5 * 0.19 * (1 + Math.cos(Math.PI * 0.5)), s.lr(5), 1e-12);
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new CosineWarmupSchedule(0, 10, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new CosineWarmupSchedule(1e-3, 10, 10, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new CosineWarmupSchedule(1e-3, 10, 1, 0, 1));
    }
}
