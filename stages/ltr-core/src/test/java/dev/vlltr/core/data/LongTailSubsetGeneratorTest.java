package dev.vlltr.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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

class LongTailSubsetGeneratorTest {

    private static final int[] BALANCED = TestData.labelsWithCounts(200, 200, 200, 200, 200);

    private static LongTailSubsetGenerator.Builder gen() {
        return LongTailSubsetGenerator.builder().setNMax(150).setImbalanceFactor(10).optValPerClass(20);
    }

    private static int[] countByClass(int[] indices, int[] labels, int numClasses) {
        int[] counts = new int[numClasses];
        for (int i : indices) {
            counts[labels[i]]++;
        }
        return counts;
    }

    @Test
    void subsetFollowsProfileAndValIsBalancedAndDisjoint() {
        LongTailIndex index = gen().build().generate(BALANCED, 5);
        int[] expected = new LongTailProfile(150, 10, 5).countsByRank();
        assertArrayEquals(new int[] {150, 84, 47, 26, 15}, expected);
        assertArrayEquals(expected, index.trainCounts());
        assertArrayEquals(expected, countByClass(index.train(), BALANCED, 5));
        assertArrayEquals(new int[] {20, 20, 20, 20, 20}, countByClass(index.val(), BALANCED, 5));
        Set<Integer> train = new HashSet<>();
        Arrays.stream(index.train()).forEach(train::add);
        assertEquals(index.train().length, train.size(), "no duplicates");
        assertTrue(Arrays.stream(index.val()).noneMatch(train::contains), "val disjoint from train");
        index.verifyAgainst(BALANCED, "mem");
    }

    @Test
    void seededDeterministicAndSeedsDiffer() {
        LongTailIndex a = gen().optSeed(3).build().generate(BALANCED, 5);
        LongTailIndex b = gen().optSeed(3).build().generate(BALANCED, 5);
        LongTailIndex c = gen().optSeed(4).build().generate(BALANCED, 5);
        assertEquals(a, b);
        assertFalse(Arrays.equals(a.train(), c.train()));
        assertArrayEquals(a.trainCounts(), c.trainCounts());
    }

    @Test
    void classOrders() {
        assertArrayEquals(new int[] {15, 26, 47, 84, 150},
                gen().optClassOrder(ClassOrder.reversed()).build().generate(BALANCED, 5).trainCounts());
        LongTailIndex explicit = gen().optClassOrder(ClassOrder.parse("explicit:2,0,4,1,3")).build().generate(BALANCED, 5);
        assertArrayEquals(new int[] {84, 26, 150, 15, 47}, explicit.trainCounts());
        assertArrayEquals(new int[] {2, 0, 4, 1, 3}, explicit.classForRank());
        int[] shuffled = ClassOrder.shuffled(11).classForRank(5);
        assertArrayEquals(shuffled, ClassOrder.parse("shuffled:11").classForRank(5));
        int[] sorted = shuffled.clone();
        Arrays.sort(sorted);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, sorted);
        boolean someDiffer = false;
        for (long s = 0; s < 5; s++) {
            someDiffer |= !Arrays.equals(shuffled, ClassOrder.shuffled(s).classForRank(5));
        }
        assertTrue(someDiffer);
        assertEquals("shuffled:11", ClassOrder.shuffled(11).toString());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> ClassOrder.parse("explicit:0,0,1"));
        assertTrue(bad.getMessage().contains("permutation"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClassOrder.parse("sorted"));
        assertThrows(IllegalArgumentException.class,
                () -> gen().optClassOrder(ClassOrder.explicit(1, 0)).build().generate(BALANCED, 5));
    }

    @Test
    void tooFewImagesFailsUnlessCapped() {
        LongTailSubsetGenerator tooBig = LongTailSubsetGenerator.builder().setNMax(200).setImbalanceFactor(10).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tooBig.generate(BALANCED, 5));
        assertTrue(e.getMessage().contains("class 0 has 200 images") && e.getMessage().contains("200 train + 20 validation"),
                e.getMessage());
        LongTailIndex capped = LongTailSubsetGenerator.builder().setNMax(200).setImbalanceFactor(10)
                .optCapToLeaveValidation(true).build().generate(BALANCED, 5);
        assertEquals(180, capped.trainCounts()[0]);
        assertEquals(new LongTailProfile(200, 10, 5).countsByRank()[1], capped.trainCounts()[1]);
        assertArrayEquals(new int[] {20, 20, 20, 20, 20}, capped.valCounts());
    }

    @Test
    void jsonRoundTripAndValidation() throws IOException {
        LongTailIndex index = gen().optBenchmark("toy").optSeed(9).build().generate(BALANCED, 5);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        index.write(out);
        String json = out.toString(StandardCharsets.UTF_8);
        assertTrue(json.startsWith("{\"format\":\"vlltr-longtail-index/1\",\"benchmark\":\"toy\""), json.substring(0, 80));
        LongTailIndex back = LongTailIndex.read(new ByteArrayInputStream(out.toByteArray()), "idx.json");
        assertEquals(index, back);
        back.verifyAgainst(BALANCED, "idx.json");

        int[] otherLabels = BALANCED.clone();
        otherLabels[0] = 4;
        IllegalArgumentException digest = assertThrows(IllegalArgumentException.class,
                () -> back.verifyAgainst(otherLabels, "idx.json"));
        assertTrue(digest.getMessage().contains("baseLabelsSha256"), digest.getMessage());

        String overlap = json.replaceFirst("\"val\":\\[\\d+", "\"val\":[" + index.train()[0]);
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class, () -> LongTailIndex.read(
                new ByteArrayInputStream(overlap.getBytes(StandardCharsets.UTF_8)), "overlap.json"));
        assertTrue(dup.getMessage().contains("overlap.json") && dup.getMessage().contains("disjoint"), dup.getMessage());

        String outOfRange = json.replaceFirst("\"train\":\\[\\d+", "\"train\":[99999");
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class, () -> LongTailIndex.read(
                new ByteArrayInputStream(outOfRange.getBytes(StandardCharsets.UTF_8)), "range.json"));
        assertTrue(range.getMessage().contains("'train[0]' = 99999"), range.getMessage());

        String wrongFormat = json.replace("vlltr-longtail-index/1", "something-else");
        IllegalArgumentException format = assertThrows(IllegalArgumentException.class, () -> LongTailIndex.read(
                new ByteArrayInputStream(wrongFormat.getBytes(StandardCharsets.UTF_8)), "f.json"));
        assertTrue(format.getMessage().contains("'format'"), format.getMessage());

        IllegalArgumentException garbage = assertThrows(IllegalArgumentException.class, () -> LongTailIndex.read(
                new ByteArrayInputStream("{\"format\": [".getBytes(StandardCharsets.UTF_8)), "g.json"));
        assertTrue(garbage.getMessage().startsWith("g.json: not a long-tail index"), garbage.getMessage());
    }

    @Test
    void fashionMnistBenchmarks() throws IOException {
        InMemoryImageDataset train = TestData.fashionMnistTrain();
        int[] labels = train.labels();
        LongTailIndex if100 = LongTailBenchmark.byId("fmnist-lt-if100").generate(train);
        assertArrayEquals(new int[] {5980, 3596, 2156, 1292, 774, 464, 278, 166, 100, 60}, if100.trainCounts());
        assertEquals(14866, if100.train().length);
        assertEquals(200, if100.val().length);
        if100.verifyAgainst(labels, "if100");

        LongTailIndex fewshot = LongTailBenchmark.FMNIST_LT_FEWSHOT.generate(train);
        assertArrayEquals(new int[] {1000, 599, 359, 215, 129, 77, 46, 27, 16, 10}, fewshot.trainCounts());
        assertTrue(fewshot.trainCounts()[8] < 20 && fewshot.trainCounts()[9] < 20);
        assertArrayEquals(new int[] {20, 20, 20, 20, 20, 20, 20, 20, 20, 20}, countByClass(fewshot.val(), labels, 10));

        LongTailIndex quick = LongTailBenchmark.FMNIST_LT_QUICK.generate(train);
        assertArrayEquals(new int[] {300, 232, 179, 139, 107, 83, 64, 50, 38, 30}, quick.trainCounts());
        assertArrayEquals(new int[] {10, 10, 10, 10, 10, 10, 10, 10, 10, 10}, quick.valCounts());
        assertEquals("fmnist-lt-quick", quick.benchmark());
        assertEquals(quick, LongTailBenchmark.FMNIST_LT_QUICK.generate(train), "reproducible");

        ImageDataset subset = train.subset(quick.train());
        assertEquals(1222, subset.size());
        assertArrayEquals(train.pixels(quick.train()[5]), subset.pixels(5));
        assertEquals(labels[quick.train()[5]], subset.label(5));
        assertNotEquals(null, subset.classNames());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> LongTailBenchmark.byId("cifar"));
        assertTrue(unknown.getMessage().contains("fmnist-lt-if100"), unknown.getMessage());
    }
}
