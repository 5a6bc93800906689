package dev.vlltr.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LongTailSplitTest {

    /** A balanced synthetic train set: {@code perClass} images of each of {@code classes} classes, interleaved. */
    static int[] balancedLabels(int classes, int perClass) {
        int[] labels = new int[classes * perClass];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % classes;
        }
        return labels;
    }

    @Test
    void profileCountsMatchTheLdamGenerator() {
        // values printed by the Python expression int(n_max * (1/IF) ** (c / (C - 1.0)))
        assertArrayEquals(new int[] {6000, 3596, 2156, 1292, 774, 464, 278, 166, 100, 60},
                LongTailBenchmark.FMNIST_LT_IF100.profile().countsByRank());
        assertArrayEquals(new int[] {1000, 599, 359, 215, 129, 77, 46, 27, 16, 10},
                LongTailBenchmark.FMNIST_LT_FEWSHOT.profile().countsByRank());
        assertArrayEquals(new int[] {300, 232, 179, 139, 107, 83, 64, 50, 38, 30},
                LongTailBenchmark.FMNIST_LT_QUICK.profile().countsByRank());
        // CIFAR-LT totals from ml-anchors.md section 3.6
        assertEquals(10_847, new LongTailProfile(100, 500, 100).total());
        assertEquals(12_608, new LongTailProfile(100, 500, 50).total());
        assertEquals(19_573, new LongTailProfile(100, 500, 10).total());
        assertEquals(12_406, new LongTailProfile(10, 5000, 100).total());
        assertThrows(IllegalArgumentException.class, () -> new LongTailProfile(1, 10, 10));
        assertThrows(IllegalArgumentException.class, () -> new LongTailProfile(10, 10, 0.5));
    }

    @Test
    void benchmarkRegistryByName() {
        assertEquals(LongTailBenchmark.FMNIST_LT_QUICK, LongTailBenchmark.byName("fmnist-lt-quick"));
        String msg = assertThrows(IllegalArgumentException.class, () -> LongTailBenchmark.byName("cifar"))
                .getMessage();
        assertTrue(msg.contains("fmnist-lt-if100") && msg.contains("cifar"), msg);
    }

    @Test
    void subsetFollowsProfileAndValidationIsBalancedAndDisjoint() {
        int[] labels = balancedLabels(10, 400);
        LongTailSplit split = LongTailBenchmark.FMNIST_LT_QUICK.splitter().build().split(labels, "synthetic");
        assertEquals("fmnist-lt-quick", split.benchmark());
        assertArrayEquals(new int[] {300, 232, 179, 139, 107, 83, 64, 50, 38, 30}, split.trainCounts());
        assertEquals(10 * 10, split.valIndices().length);
        split.validate("x");
        split.verifyAgainst(labels, "x");
        int[] realised = new int[10];
        for (int i : split.trainIndices()) {
            realised[labels[i]]++;
        }
        assertArrayEquals(split.trainCounts(), realised);
        Set<Integer> train = new HashSet<>();
        Arrays.stream(split.trainIndices()).forEach(train::add);
        assertEquals(split.trainIndices().length, train.size());
        for (int v : split.valIndices()) {
            assertFalse(train.contains(v), "validation index " + v + " is also in the subset");
        }
    }

    @Test
    void headClassIsCappedToLeaveValidationImagesUnlessValIsZero() {
        int[] labels = balancedLabels(10, 1000);
        LongTailSplit capped = LongTailBenchmark.FMNIST_LT_FEWSHOT.splitter().build().split(labels, "s");
        assertArrayEquals(new int[] {980, 599, 359, 215, 129, 77, 46, 27, 16, 10}, capped.trainCounts());
        assertArrayEquals(new int[] {1000, 599, 359, 215, 129, 77, 46, 27, 16, 10}, capped.profileCounts());
        LongTailSplit exact = LongTailBenchmark.FMNIST_LT_FEWSHOT.splitter().optValPerClass(0).build()
                .split(labels, "s");
        assertArrayEquals(exact.profileCounts(), exact.trainCounts());
        assertEquals(0, exact.valIndices().length);
        // the subset is a prefix of each class's shuffled list: the capped one is contained in the exact one
        Set<Integer> exactSet = new HashSet<>();
        Arrays.stream(exact.trainIndices()).forEach(exactSet::add);
        assertTrue(Arrays.stream(capped.trainIndices()).allMatch(exactSet::contains));
    }

    @Test
    void deterministicPerSeedAndValidationSharedAcrossProfiles() {
        int[] labels = balancedLabels(10, 400);
        LongTailSplit a = LongTailBenchmark.FMNIST_LT_QUICK.splitter().optSeed(7).build().split(labels, "s");
        LongTailSplit b = LongTailBenchmark.FMNIST_LT_QUICK.splitter().optSeed(7).build().split(labels, "s");
        LongTailSplit c = LongTailBenchmark.FMNIST_LT_QUICK.splitter().optSeed(8).build().split(labels, "s");
        assertEquals(a, b);
        assertFalse(Arrays.equals(a.trainIndices(), c.trainIndices()));
        assertFalse(Arrays.equals(a.valIndices(), c.valIndices()));
        LongTailSplit other = LongTailSplitter.builder().setProfile(new LongTailProfile(10, 200, 50)).optSeed(7)
                .optValPerClass(10).build().split(labels, "s");
        assertArrayEquals(a.valIndices(), other.valIndices());
    }

    @Test
    void classOrders() {
        int[] labels = balancedLabels(10, 400);
        LongTailSplitter.Builder base = LongTailBenchmark.FMNIST_LT_QUICK.splitter();
        LongTailSplit reversed = base.optClassOrder(ClassOrder.reversed()).build().split(labels, "s");
        assertArrayEquals(new int[] {30, 38, 50, 64, 83, 107, 139, 179, 232, 300}, reversed.trainCounts());
        assertEquals("reversed", reversed.classOrder());
        LongTailSplit explicit = base.optClassOrder(ClassOrder.explicit(3, 1, 4, 0, 5, 9, 2, 6, 8, 7)).build()
                .split(labels, "s");
        assertEquals(300, explicit.trainCounts()[3]);
        assertEquals(30, explicit.trainCounts()[7]);
        int[] s1 = ClassOrder.shuffled(5).classByRank(10);
        assertArrayEquals(s1, ClassOrder.shuffled(5).classByRank(10));
        assertFalse(Arrays.equals(s1, ClassOrder.shuffled(6).classByRank(10)));
        int[] sorted = s1.clone();
        Arrays.sort(sorted);
        assertArrayEquals(ClassOrder.natural().classByRank(10), sorted);
        LongTailSplit shuffled = base.optClassOrder(ClassOrder.shuffled(5)).build().split(labels, "s");
        assertEquals(300, shuffled.trainCounts()[s1[0]]);
        assertEquals(30, shuffled.trainCounts()[s1[9]]);
        String bad = assertThrows(IllegalArgumentException.class,
                () -> base.optClassOrder(ClassOrder.explicit(0, 0, 1, 2, 3, 4, 5, 6, 7, 8)).build()
                        .split(labels, "s")).getMessage();
        assertTrue(bad.contains("'classByRank'") && bad.contains("permutation"), bad);
    }

    @Test
    void tooFewImagesIsAClearError() {
        int[] labels = balancedLabels(10, 8);
        String msg = assertThrows(IllegalArgumentException.class,
                () -> LongTailBenchmark.FMNIST_LT_QUICK.splitter().build().split(labels, "tiny-set")).getMessage();
        assertTrue(msg.contains("tiny-set") && msg.contains("class 0") && msg.contains("valPerClass"), msg);
    }

    @Test
    void jsonRoundTripAndValidation() throws IOException {
        int[] labels = balancedLabels(10, 400);
        LongTailSplit split = LongTailBenchmark.FMNIST_LT_QUICK.splitter().optClassOrder(ClassOrder.shuffled(3))
                .build().split(labels, "synthetic");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LongTailSplitJson.write(split, out);
        String json = out.toString(StandardCharsets.UTF_8);
        assertTrue(json.contains("\"format\":\"vlltr.long-tail-split/1\""), json.substring(0, 200));
        LongTailSplit back = LongTailSplitJson.read(new ByteArrayInputStream(out.toByteArray()), "split.json");
        assertEquals(split, back);

        LongTailSplit custom = LongTailSplitter.builder().setProfile(new LongTailProfile(10, 50, 5)).build()
                .split(labels, "synthetic");
        ByteArrayOutputStream out2 = new ByteArrayOutputStream();
        LongTailSplitJson.write(custom, out2);
        assertNull(LongTailSplitJson.read(new ByteArrayInputStream(out2.toByteArray()), "c.json").benchmark());

        int firstVal = split.valIndices()[0];
        String dup = json.replaceFirst("\"trainIndices\":\\[\\d+", "\"trainIndices\":[" + firstVal);
        String dupMsg = readError(dup);
        assertTrue(dupMsg.contains("split.json") && dupMsg.contains("'valIndices[0]'")
                && dupMsg.contains("already used"), dupMsg);
        String fmtMsg = readError(json.replace("long-tail-split/1", "long-tail-split/9"));
        assertTrue(fmtMsg.contains("'format'"), fmtMsg);
        String unknown = readError(json.replace("{\"format\"", "{\"extra\":1,\"format\""));
        assertTrue(unknown.contains("split.json") && unknown.contains("extra"), unknown);
        String broken = readError(json.substring(0, json.length() / 2));
        assertTrue(broken.contains("split.json") && broken.contains("not a valid"), broken);

        int[] otherLabels = balancedLabels(10, 400);
        otherLabels[split.trainIndices()[5]] = (otherLabels[split.trainIndices()[5]] + 1) % 10;
        String wrongData = assertThrows(IllegalArgumentException.class,
                () -> back.verifyAgainst(otherLabels, "split.json")).getMessage();
        assertTrue(wrongData.contains("'trainIndices[5]'"), wrongData);
        assertNotEquals(split, custom);
    }

    private static String readError(String json) {
        return assertThrows(IllegalArgumentException.class, () -> LongTailSplitJson.read(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "split.json")).getMessage();
    }

    @Test
    void fashionMnistIf100OnTheRealTrainSet() throws IOException {
        ImageDataset train = TestData.fashionMnistTrain();
        LongTailSplit split = LongTailBenchmark.FMNIST_LT_IF100.splitter().build().split(train);
        assertArrayEquals(new int[] {5980, 3596, 2156, 1292, 774, 464, 278, 166, 100, 60}, split.trainCounts());
        assertEquals(14_866, split.trainIndices().length);
        split.verifyAgainst(train.labels(), "real");
        ImageDataset lt = train.subset(split.trainIndices(), "fmnist-lt-if100/train");
        assertArrayEquals(split.trainCounts(), lt.classCounts());
        assertArrayEquals(train.imageBytes(split.trainIndices()[17]), lt.imageBytes(17));
        LongTailSplit exact = LongTailBenchmark.FMNIST_LT_IF100.splitter().optValPerClass(0).build().split(train);
        assertEquals(14_886, exact.trainIndices().length);
    }
}
