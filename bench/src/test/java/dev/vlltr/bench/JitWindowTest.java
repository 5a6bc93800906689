package dev.vlltr.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The JIT-quiet rule of {@link SteadyClock}: compile time over the last N seconds against a share of them. */
class JitWindowTest {

    @Test
    void notQuietBeforeTheWindowIsFull() {
        SteadyClock.JitWindow w = new SteadyClock.JitWindow(5);
        w.add(0, 100);
        w.add(4.9, 100);   // no compilation, but only 4.9 s seen
        assertFalse(w.quiet(0.02));
        w.add(5.0, 100);
        assertTrue(w.quiet(0.02));
    }

    @Test
    void compilationInsideTheWindowCountsAndOldCompilationDropsOut() {
        SteadyClock.JitWindow w = new SteadyClock.JitWindow(5);
        w.add(0, 0);
        w.add(1, 2000);     // a 2 s burst of compilation early on
        w.add(5.5, 2050);   // 2,050 ms over 5.5 s: far above 2 %
        assertFalse(w.quiet(0.02));
        w.add(6, 2100);     // base is now the sample at 1 s: 100 ms over 5 s = exactly 2 %
        assertTrue(w.quiet(0.02));
        w.add(7, 2300);     // base at 1 s still (the next sample, 5.5 s, is under 5 s old): 300 ms over 6 s = 5 %
        assertFalse(w.quiet(0.02));
        w.add(12, 2300);    // base moves to 7 s: nothing compiled over 5 s
        assertTrue(w.quiet(0.02));
    }

    @Test
    void shareOneSwitchesTheRuleOffAndNoJitIsQuiet() {
        SteadyClock.JitWindow w = new SteadyClock.JitWindow(5);
        w.add(0, 0);
        w.add(0.1, 5000);
        assertTrue(w.quiet(1));
        SteadyClock.JitWindow none = new SteadyClock.JitWindow(5);
        none.add(0, -1);   // the JVM does not report compilation time
        none.add(0.1, -1);
        assertTrue(none.quiet(0.02));
    }
}
