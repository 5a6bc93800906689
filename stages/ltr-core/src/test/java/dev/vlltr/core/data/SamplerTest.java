package dev.vlltr.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Samplers against the Decoupling formulas. Frequency checks use a fixed seed and a tolerance of 6 binomial standard
 * deviations of the draw count (so a correct sampler cannot fail them, while a wrong formula misses by far more).
 */
class SamplerTest {

    /** The fmnist-lt-quick profile: 300 ... 30 images, N = 1222. */
    private static final int[] COUNTS = {300, 232, 179, 139, 107, 83, 64, 50, 38, 30};
    private static final int[] LABELS = TestData.labelsWithCounts(COUNTS);
    private static final int N = LABELS.length;
    private static final int C = COUNTS.length;

    private static Sampler sampler(String name, long seed, int length) {
        return SamplerFactory.builder().setName(name).setLabels(LABELS, C).optSeed(seed).optEpochLength(length)
                .optTotalEpochs(5).build();
    }

    private static int[] classCounts(int[] indices) {
        int[] counts = new int[C];
        for (int i : indices) {
            counts[LABELS[i]]++;
        }
        return counts;
    }

    /** Asserts realised class frequencies match p within 6 binomial standard deviations. */
    private static void assertFrequencies(double[] p, int[] indices, String what) {
        int[] counts = classCounts(indices);
        double total = indices.length;
        for (int c = 0; c < C; c++) {
            double expected = total * p[c];
            double sigma = Math.sqrt(total * p[c] * (1 - p[c]));
            assertEquals(expected, counts[c], 6 * sigma + 1, what + ": class " + c + " counts " + Arrays.toString(counts));
        }
    }

    @Test
    void instanceBalancedIsAPermutationPerPass() {
        Sampler s = sampler("instance", 1, N);
        assertEquals(N, s.epochLength());
        int[] epoch = s.epochIndices(1);
        int[] sorted = epoch.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < N; i++) {
            assertEquals(i, sorted[i]);
        }
        assertArrayEquals(COUNTS, classCounts(epoch));
        int[] longer = sampler("instance", 1, 2 * N + 100).epochIndices(1);
        int[] seen = new int[N];
        for (int i : longer) {
            seen[i]++;
        }
        for (int i = 0; i < N; i++) {
            assertTrue(seen[i] == 2 || seen[i] == 3);
        }
    }

    @Test
    void classBalancedFollowsClassAwareSampler() {
        int k = ClassBalancedSampler.DEFAULT_SAMPLES_PER_CLASS;
        int length = 4000;
        int[] epoch = sampler("class", 2, length).epochIndices(1);
        int blocks = (length + k - 1) / k;
        // blocks of k consecutive items share a class; every C consecutive blocks cover all C classes once
        for (int cycle = 0; cycle * C < blocks; cycle++) {
            Set<Integer> classes = new HashSet<>();
            for (int b = cycle * C; b < Math.min(blocks, (cycle + 1) * C); b++) {
                int label = LABELS[epoch[b * k]];
                for (int j = 1; j < k && b * k + j < length; j++) {
                    assertEquals(label, LABELS[epoch[b * k + j]], "block " + b);
                }
                assertTrue(classes.add(label), "class repeated within cycle " + cycle);
            }
        }
        int[] counts = classCounts(epoch);
        for (int c = 0; c < C; c++) {
            assertEquals(length / (double) C, counts[c], k, "class " + c);
        }
        // within a class, items come from a RandomCycleIter: each pass is a permutation of the class
        int tail = C - 1;
        int[] tailItems = Arrays.stream(epoch).filter(i -> LABELS[i] == tail).toArray();
        assertTrue(tailItems.length >= 2 * COUNTS[tail]);
        for (int pass = 0; pass < 2; pass++) {
            Set<Integer> distinct = new HashSet<>();
            for (int i = pass * COUNTS[tail]; i < (pass + 1) * COUNTS[tail]; i++) {
                distinct.add(tailItems[i]);
            }
            assertEquals(COUNTS[tail], distinct.size(), "pass " + pass + " over the tail class");
        }
    }

    @Test
    void squareRootMatchesHandComputedAndRealisedFrequencies() {
        // hand-computed: n = (100, 25) → √n = (10, 5) → p = (2/3, 1/3)
        double[] p2 = PowerSampler.classProbabilities(new int[] {100, 25}, 0.5);
        assertEquals(2.0 / 3, p2[0], 1e-12);
        assertEquals(1.0 / 3, p2[1], 1e-12);
        double[] p = new double[C];
        double z = 0;
        for (int c = 0; c < C; c++) {
            z += Math.sqrt(COUNTS[c]);
        }
        for (int c = 0; c < C; c++) {
            p[c] = Math.sqrt(COUNTS[c]) / z;
        }
        int draws = 200_000;
        int[] epoch = sampler("sqrt", 3, draws).epochIndices(1);
        assertFrequencies(p, epoch, "sqrt");
        // generalised power: q = 0 is class-balanced with replacement, q = 1 instance-balanced with replacement
        Sampler q0 = SamplerFactory.builder().setName("sqrt").setLabels(LABELS, C).optPower(0).optEpochLength(draws).build();
        double[] uniform = new double[C];
        Arrays.fill(uniform, 1.0 / C);
        assertFrequencies(uniform, q0.epochIndices(1), "q=0");
        Sampler q1 = SamplerFactory.builder().setName("sqrt").setLabels(LABELS, C).optPower(1).optEpochLength(draws).build();
        double[] instance = Arrays.stream(COUNTS).mapToDouble(n -> n / (double) N).toArray();
        assertFrequencies(instance, q1.epochIndices(1), "q=1");
        // with replacement, uniform within the class: the head class's 300 images each appear about draws·p0/300 times
        int[] perImage = new int[N];
        for (int i : epoch) {
            perImage[i]++;
        }
        double mean = draws * p[0] / COUNTS[0];
        for (int i = 0; i < N; i++) {
            if (LABELS[i] == 0) {
                assertEquals(mean, perImage[i], 6 * Math.sqrt(mean) + 1);
            }
        }
    }

    @Test
    void progressiveInterpolatesFromInstanceToClassBalanced() {
        int draws = 200_000;
        ProgressivelyBalancedSampler s = (ProgressivelyBalancedSampler) sampler("progressive", 4, draws);
        assertEquals(0.0, s.lambda(1));
        assertEquals(0.5, s.lambda(3));
        assertEquals(1.0, s.lambda(5));
        assertEquals(1.0, s.lambda(9), "past T stays class-balanced");
        for (int epoch : new int[] {1, 3, 5}) {
            double lambda = (epoch - 1) / 4.0;
            double[] p = new double[C];
            for (int c = 0; c < C; c++) {
                p[c] = (1 - lambda) * COUNTS[c] / (double) N + lambda / C; // independent recomputation
                assertEquals(p[c], s.classProbabilities(epoch)[c], 1e-12);
            }
            assertFrequencies(p, s.epochIndices(epoch), "progressive epoch " + epoch);
        }
        // class items come from per-class RandomCycleIters: the first pass over the tail class has no repeats
        int[] epoch5 = s.epochIndices(5);
        int[] tailItems = Arrays.stream(epoch5).filter(i -> LABELS[i] == C - 1).limit(COUNTS[C - 1]).toArray();
        assertEquals(COUNTS[C - 1], Arrays.stream(tailItems).distinct().count());
        ProgressivelyBalancedSampler single = new ProgressivelyBalancedSampler(LABELS, C, 0, 10, 1);
        assertEquals(0.0, single.lambda(1));
    }

    @Test
    void deterministicPerSeedEpochAwareAndSeedsDiffer() {
        for (String name : new String[] {"instance", "class", "sqrt", "progressive"}) {
            Sampler a = sampler(name, 42, N);
            Sampler b = sampler(name, 42, N);
            int[] a3 = a.epochIndices(3);
            assertArrayEquals(a3, b.epochIndices(3), name + ": same seed, same epoch");
            b.epochIndices(1);
            b.epochIndices(2);
            assertArrayEquals(a3, b.epochIndices(3), name + ": epochs do not depend on what ran before");
            assertFalse(Arrays.equals(a3, a.epochIndices(4)), name + ": epochs differ");
            assertFalse(Arrays.equals(a3, sampler(name, 43, N).epochIndices(3)), name + ": seeds differ");
            assertEquals(N, a3.length);
            assertEquals(name, a.name());
        }
    }

    @Test
    void factoryValidatesNamesAndOptions() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> SamplerFactory.builder().setName("balanced").setLabels(LABELS, C).build());
        assertTrue(unknown.getMessage().contains("instance, class, sqrt, progressive"), unknown.getMessage());
        IllegalArgumentException noT = assertThrows(IllegalArgumentException.class,
                () -> SamplerFactory.builder().setName("progressive").setLabels(LABELS, C).build());
        assertTrue(noT.getMessage().contains("totalEpochs"), noT.getMessage());
        assertEquals(N, SamplerFactory.builder().setName("square-root").setLabels(LABELS, C).build().epochLength());
        assertThrows(IllegalArgumentException.class, () -> SamplerFactory.builder().setName("class")
                .setLabels(new int[] {0, 1, 5}, 3).build());
        assertThrows(IllegalArgumentException.class, () -> sampler("instance", 0, N).epochIndices(0));
        // an empty class is left out of the class cycle instead of failing
        int[] withEmpty = TestData.labelsWithCounts(5, 0, 3);
        int[] epoch = new ClassBalancedSampler(withEmpty, 3, 0, 40, 4).epochIndices(1);
        assertTrue(Arrays.stream(epoch).allMatch(i -> withEmpty[i] != 1));
        assertNotEquals(0, epoch.length);
    }
}
