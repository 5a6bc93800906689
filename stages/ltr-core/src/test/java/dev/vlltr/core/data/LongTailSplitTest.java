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
                FmnistBenchmarks.FMNIST_LT_IF100.profile().countsByRank());
        assertArrayEquals(new int[] {1000, 599, 359, 215, 129, 77, 46, 27, 16, 10},
                FmnistBenchmarks.FMNIST_LT_FEWSHOT.profile().countsByRank());
        assertArrayEquals(new int[] {300, 232, 179, 139, 107, 83, 64, 50, 38, 30},
                FmnistBenchmarks.FMNIST_LT_QUICK.profile().countsByRank());
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
        assertEquals(FmnistBenchmarks.FMNIST_LT_QUICK, FmnistBenchmarks.byName("fmnist-lt-quick"));
        String msg = assertThrows(IllegalArgumentException.class, () -> FmnistBenchmarks.byName("cifar"))
                .getMessage();
        assertTrue(msg.contains("fmnist-lt-if100") && msg.contains("cifar"), msg);
    }

    @Test
    void subsetFollowsProfileAndValidationIsBalancedAndDisjoint() {
        int[] labels = balancedLabels(10, 400);
        LongTailSplit split = FmnistBenchmarks.FMNIST_LT_QUICK.splitter().build().split(labels, "synthetic");
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
        LongTailSplit capped = FmnistBenchmarks.FMNIST_LT_FEWSHOT.splitter().build().split(labels, "s");
        assertArrayEquals(new int[] {980, 599, 359, 215, 129, 77, 46, 27, 16, 10}, capped.trainCounts());
        assertArrayEquals(new int[] {1000, 599, 359, 215, 129, 77, 46, 27, 16, 10}, capped.profileCounts());
        LongTailSplit exact = FmnistBenchmarks.FMNIST_LT_FEWSHOT.splitter().optValPerClass(0).build()
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
        LongTailSplit a = FmnistBenchmarks.FMNIST_LT_QUICK.splitter().optSeed(7).build().split(labels, "s");
        LongTailSplit b = FmnistBenchmarks.FMNIST_LT_QUICK.splitter().optSeed(7).build().split(labels, "s");
        LongTailSplit c = FmnistBenchmarks.FMNIST_LT_QUICK.splitter().optSeed(8).build().split(labels, "s");
        assertEquals(a, b);
        assertEquals(a.toString(), b.toString());
        assertFalse(Arrays.equals(a.trainIndices(), c.trainIndices()));
        assertFalse(Arrays.equals(a.valIndices(), c.valIndices()));
        LongTailSplit other = LongTailSplitter.builder().setProfile(new LongTailProfile(10, 200, 50)).optSeed(7)
                .optValPerClass(10).build().split(labels, "s");
        assertArrayEquals(a.valIndices(), other.valIndices());
    }

    @Test
    void classOrders() {
        int[] labels = balancedLabels(10, 400);
        LongTailSplitter.Builder base = FmnistBenchmarks.FMNIST_LT_QUICK.splitter();
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
                () -> FmnistBenchmarks.FMNIST_LT_QUICK.splitter().build().split(labels, "tiny-set")).getMessage();
        assertTrue(msg.contains("tiny-set") && msg.contains("class 0") && msg.contains("valPerClass"), msg);
    }

    @Test
    void jsonRoundTripAndValidation() throws IOException {
        int[] labels = balancedLabels(10, 400);
        LongTailSplit split = FmnistBenchmarks.FMNIST_LT_QUICK.splitter().optClassOrder(ClassOrder.shuffled(3))
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
        String missing = readError(json.replaceFirst("\"seed\":\\d+,", ""));
        assertTrue(missing.contains("split.json") && missing.contains("seed"), missing);
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
    void numpyStreamMatchesNumpyBitForBit() {
        // /usr/bin/python3 (numpy 1.24.2): np.random.seed(0); a = np.arange(10); np.random.shuffle(a)
        NumpyLegacyRandom rng = new NumpyLegacyRandom(0);
        int[] a = java.util.stream.IntStream.range(0, 10).toArray();
        rng.shuffle(a);
        assertArrayEquals(new int[] {2, 8, 4, 9, 1, 6, 7, 3, 0, 5}, a);
        // np.random.seed(0); b = np.arange(6000); np.random.shuffle(b): b[:5], b[-3:]
        int[] b = java.util.stream.IntStream.range(0, 6000).toArray();
        new NumpyLegacyRandom(0).shuffle(b);
        assertArrayEquals(new int[] {4320, 2006, 5689, 472, 1370}, Arrays.copyOf(b, 5));
        assertArrayEquals(new int[] {1653, 2607, 2732}, Arrays.copyOfRange(b, 5997, 6000));
        assertThrows(IllegalArgumentException.class, () -> new NumpyLegacyRandom(-1));
        assertThrows(IllegalArgumentException.class, () -> new NumpyLegacyRandom(1L << 32));
    }

    @Test
    void perClassShuffleIsAnOption() {
        int[] labels = balancedLabels(10, 400);
        LongTailSplit numpy = FmnistBenchmarks.FMNIST_LT_QUICK.splitter().build().split(labels, "s");
        LongTailSplit perClass = FmnistBenchmarks.FMNIST_LT_QUICK.splitter().optShuffle(SubsetShuffle.PER_CLASS)
                .build().split(labels, "s");
        assertEquals("NUMPY", numpy.shuffle());
        assertEquals("PER_CLASS", perClass.shuffle());
        assertArrayEquals(numpy.trainCounts(), perClass.trainCounts());
        assertFalse(Arrays.equals(numpy.trainIndices(), perClass.trainIndices()));
        perClass.verifyAgainst(labels, "s");
    }

    @Test
    void fashionMnistLdamIndicesAreReproduced() throws IOException {
        // LDAM gen_imbalanced_data on the FMNIST train labels with np.random.seed(0), computed with numpy 1.24.2:
        // per class idx = np.where(labels == c)[0]; np.random.shuffle(idx) -> idx[:3] and idx[-2:]
        int[][] head = {{43279, 20687, 56899}, {52804, 54453, 12620}, {23957, 9955, 51160}, {39374, 56948, 57685},
            {51876, 37196, 31872}, {42918, 56319, 7646}, {53521, 5347, 39676}, {48779, 26242, 21674},
            {43851, 2207, 47661}, {26316, 46136, 43924}};
        int[][] tail = {{26373, 27663}, {59051, 12738}, {1279, 38362}, {33813, 43978}, {55675, 19857}, {4133, 6438},
            {59610, 22761}, {51746, 9418}, {59359, 55892}, {7948, 924}};
        ImageDataset train = TestData.fashionMnistTrain();
        LongTailSplit exact = FmnistBenchmarks.FMNIST_LT_IF100.splitter().optValPerClass(0).build().split(train);
        LongTailSplit withVal = FmnistBenchmarks.FMNIST_LT_IF100.splitter().build().split(train);
        int pos = 0;
        for (int c = 0; c < 10; c++) {
            assertArrayEquals(head[c], Arrays.copyOfRange(exact.trainIndices(), pos, pos + 3), "class " + c);
            pos += exact.trainCounts()[c];
            // validation = the last 20 of the same shuffled list
            assertArrayEquals(tail[c], Arrays.copyOfRange(withVal.valIndices(), c * 20 + 18, c * 20 + 20),
                    "class " + c);
        }
        // class 0 keeps all 6000 in the exact profile, so its last two shuffled indices end the class-0 block
        assertArrayEquals(tail[0], Arrays.copyOfRange(exact.trainIndices(), 5998, 6000));
    }

    @Test
    void fashionMnistIf100OnTheRealTrainSet() throws IOException {
        ImageDataset train = TestData.fashionMnistTrain();
        LongTailSplit split = FmnistBenchmarks.FMNIST_LT_IF100.splitter().build().split(train);
        assertArrayEquals(new int[] {5980, 3596, 2156, 1292, 774, 464, 278, 166, 100, 60}, split.trainCounts());
        assertEquals(14_866, split.trainIndices().length);
        split.verifyAgainst(train.labels(), "real");
        ImageDataset lt = train.subset(split.trainIndices(), "fmnist-lt-if100/train");
        assertArrayEquals(split.trainCounts(), lt.classCounts());
        assertArrayEquals(train.imageBytes(split.trainIndices()[17]), lt.imageBytes(17));
        LongTailSplit exact = FmnistBenchmarks.FMNIST_LT_IF100.splitter().optValPerClass(0).build().split(train);
        assertEquals(14_886, exact.trainIndices().length);
    }
}
