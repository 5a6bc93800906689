package dev.vlltr.stagedata;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlltr.runtime.cli.BadInputException;
import org.junit.jupiter.api.Test;

/** The {@code splits} rule: where a dataset's images are held. */
class SplitsRuleTest {

    static final long GIB = 1L << 30;

    @Test
    void autoIsLazyOnlyWhenTheDecodedSplitsExceedAQuarterOfTheHeap() {
        // ImageNet-LT at 224: (115,846 + 20,000 + 50,000) x 3 x 224 x 224 bytes, about 26 GiB
        long imagenetLt = 185_846L * 3 * 224 * 224;
        assertTrue(StageDataset.lazySplits("auto", false, imagenetLt, 64 * GIB));
        assertFalse(StageDataset.lazySplits("auto", false, 4 * GIB, 16 * GIB), "exactly a quarter: in memory");
        assertTrue(StageDataset.lazySplits("auto", false, 4 * GIB + 1, 16 * GIB));
        assertFalse(StageDataset.lazySplits("auto", false, 1 << 20, GIB), "a small list stays in memory");
        assertFalse(StageDataset.lazySplits("auto", true, 0, 1), "IDX is always in memory");
    }

    @Test
    void memoryAndLazyAreTakenAsGivenButLazyRefusesIdx() {
        assertFalse(StageDataset.lazySplits("memory", false, 100 * GIB, GIB));
        assertTrue(StageDataset.lazySplits("lazy", false, 1, 100 * GIB));
        BadInputException e = assertThrows(BadInputException.class,
                () -> StageDataset.lazySplits("lazy", true, 0, GIB));
        assertTrue(e.getMessage().contains("splits=lazy") && e.getMessage().contains("IDX"), e.getMessage());
    }
}
