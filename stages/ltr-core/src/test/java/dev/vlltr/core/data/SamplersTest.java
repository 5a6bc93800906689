package dev.vlltr.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlltr.core.calibrate.BatchIndexSource;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SamplersTest {

    /** A long-tailed label vector, classes interleaved so index order says nothing about the class. */
    static final int[] COUNTS = {400, 200, 100, 50, 20, 10};
    static final int C = COUNTS.length;
    static final int[] LABELS = labels(COUNTS);

    static int[] labels(int[] counts) {
        int n = Arrays.stream(counts).sum();
        int[] labels = new int[n];
        int[] left = counts.clone();
        int i = 0;
        while (i < n) {
            for (int c = 0; c < counts.length; c++) {
                if (left[c] > 0) {
                    labels[i++] = c;
                    left[c]--;
                }
            }
        }
        return labels;
    }

    static Samplers.Builder builder(String name) {
        return Samplers.builder().setName(name).setLabels(LABELS, C).optSeed(11);
    }

    static int[] classCounts(int[] order) {
        int[] counts = new int[C];
        for (int i : order) {
            counts[LABELS[i]]++;
        }
        return counts;
    }

    /** Each realised class count must be within 5 binomial standard deviations of n·p_c (fixed seeds: no flakes). */
    static void assertFrequencies(double[] p, int[] counts, int n) {
        for (int c = 0; c < p.length; c++) {
            double sd = Math.sqrt(n * p[c] * (1 - p[c]));
            assertEquals(n * p[c], counts[c], 5 * sd + 1e-9,
                    "class " + c + ": expected " + n * p[c] + " ± " + 5 * sd + ", realised " + counts[c]);
        }
    }

    @Test
    void instanceBalancedShufflesTheWholeSet() {
        int n = LABELS.length;
        Sampler s = builder("instance").optEpochLength(2 * n + 5).build();
        int[] order = s.epoch(0);
        assertEquals(2 * n + 5, order.length);
        int[] first = Arrays.copyOfRange(order, 0, n);
        int[] second = Arrays.copyOfRange(order, n, 2 * n);
        assertFalse(Arrays.equals(first, second));
        Arrays.sort(first);
        Arrays.sort(second);
        int[] identity = java.util.stream.IntStream.range(0, n).toArray();
        assertArrayEquals(identity, first);
        assertArrayEquals(identity, second);
        // default epoch length N: one permutation, class frequencies exactly n_c / N
        int[] one = builder("instance").build().epoch(3);
        assertArrayEquals(COUNTS, classCounts(one));
        assertFalse(Arrays.equals(identity, one));
    }

    @Test
    void classBalancedMatchesClassAwareSamplerStructure() {
        int k = 4;
        int cycles = 50;
        Sampler s = builder("class").optEpochLength(C * k * cycles).build();
        int[] order = s.epoch(0);
        // exactly k·cycles items per class: the class iterator visits each class once per cycle of C draws
        int[] expected = new int[C];
        Arrays.fill(expected, k * cycles);
        assertArrayEquals(expected, classCounts(order));
        int[][] perClass = new int[C][k * cycles];
        int[] filled = new int[C];
        for (int g = 0; g < order.length / k; g++) {
            int cls = LABELS[order[g * k]];
            for (int j = 0; j < k; j++) {
                assertEquals(cls, LABELS[order[g * k + j]], "group " + g + " mixes classes");
                perClass[cls][filled[cls]++] = order[g * k + j];
            }
            if (g % C == C - 1) {
                Set<Integer> seen = new HashSet<>();
                for (int h = g - C + 1; h <= g; h++) {
                    seen.add(LABELS[order[h * k]]);
                }
                assertEquals(C, seen.size(), "cycle ending at group " + g + " repeats a class");
            }
        }
        // each class's items come from its own RandomCycleIter: every aligned run of n_c draws is a permutation
        for (int c = 0; c < C; c++) {
            int nc = COUNTS[c];
            for (int start = 0; start + nc <= perClass[c].length; start += nc) {
                Set<Integer> items = new HashSet<>();
                for (int j = start; j < start + nc; j++) {
                    items.add(perClass[c][j]);
                }
                assertEquals(nc, items.size(), "class " + c + " repeats an item within one cycle");
            }
        }
        // with a default (N-long) epoch the frequencies are 1/C
        double[] uniform = new double[C];
        Arrays.fill(uniform, 1.0 / C);
        int[] dflt = builder("class").build().epoch(1);
        assertEquals(LABELS.length, dflt.length);
        for (int c = 0; c < C; c++) {
            assertEquals(LABELS.length / (double) C, classCounts(dflt)[c], k + 1);
        }
    }

    @Test
    void squareRootFrequenciesFollowPowerOfCounts() {
        int n = 200_000;
        for (double q : new double[] {0.5, 0.25}) {
            SquareRootSampler s = (SquareRootSampler) builder("sqrt").optPower(q).optEpochLength(n).build();
            double[] p = new double[C];
            double z = 0;
            for (int c = 0; c < C; c++) {
                p[c] = Math.pow(COUNTS[c], q);
                z += p[c];
            }
            for (int c = 0; c < C; c++) {
                p[c] /= z;
                assertEquals(p[c], s.classProbabilities()[c], 1e-12);
            }
            int[] order = s.epoch(0);
            assertFrequencies(p, classCounts(order), n);
            // with replacement: some item appears twice within N draws of a small class
            int[] items = new int[LABELS.length];
            for (int i : order) {
                items[i]++;
            }
            assertTrue(Arrays.stream(items).max().getAsInt() > 1);
        }
        // q = 1/2 hand check: sqrt(400)=20, sqrt(10)=3.1623 of a sum 20+14.142+10+7.071+4.472+3.162=58.848
        assertEquals(20 / 58.8477, ((SquareRootSampler) builder("sqrt").build()).classProbabilities()[0], 1e-4);
    }

    @Test
    void progressiveMovesFromInstanceToClassBalanced() {
        int n = 100_000;
        int epochs = 5;
        ProgressivelyBalancedSampler s = (ProgressivelyBalancedSampler) builder("progressive").optTotalEpochs(epochs)
                .optEpochLength(n).build();
        int total = LABELS.length;
        for (int e = 0; e < epochs; e++) {
            double lambda = e / (double) (epochs - 1);
            assertEquals(lambda, s.lambda(e), 1e-15);
            double[] p = new double[C];
            for (int c = 0; c < C; c++) {
                p[c] = (1 - lambda) * COUNTS[c] / (double) total + lambda / C;
                assertEquals(p[c], s.classProbabilities(e)[c], 1e-12);
            }
            assertFrequencies(p, classCounts(s.epoch(e)), n);
        }
        assertEquals(1.0, s.lambda(9));
        // items of a class come from its RandomCycleIter: the first n_c draws of the tail class are all distinct
        int[] order = s.epoch(epochs - 1);
        Set<Integer> tail = new HashSet<>();
        for (int i : order) {
            if (LABELS[i] == C - 1 && tail.size() < COUNTS[C - 1]) {
                assertTrue(tail.add(i), "tail item repeated before its cycle ended");
            }
        }
        assertEquals(0.0, ((ProgressivelyBalancedSampler) builder("progressive").optTotalEpochs(1).build()).lambda(0));
    }

    @Test
    void deterministicPerSeedAndEpochAndSeedsDiffer() {
        for (String name : Samplers.NAMES) {
            Sampler a = builder(name).optTotalEpochs(10).build();
            Sampler b = builder(name).optTotalEpochs(10).build();
            Sampler other = builder(name).optTotalEpochs(10).optSeed(12).build();
            assertEquals(name, a.name());
            int[] a3 = a.epoch(3);
            a.epoch(0);
            assertArrayEquals(a3, b.epoch(3), name + ": same seed and epoch must give the same order");
            assertArrayEquals(a3, a.epoch(3), name + ": order must not depend on earlier calls");
            assertFalse(Arrays.equals(a3, a.epoch(4)), name + ": epochs must differ");
            assertFalse(Arrays.equals(a3, other.epoch(3)), name + ": seeds must differ");
        }
    }

    @Test
    void factoryErrors() {
        String unknown = assertThrows(IllegalArgumentException.class, () -> builder("balanced").build()).getMessage();
        assertTrue(unknown.contains("balanced") && unknown.contains("progressive"), unknown);
        String noT = assertThrows(IllegalArgumentException.class, () -> builder("progressive").build()).getMessage();
        assertTrue(noT.contains("totalEpochs"), noT);
        int[] withEmpty = {0, 0, 2, 2};
        String empty = assertThrows(IllegalArgumentException.class,
                () -> Samplers.builder().setName("class").setLabels(withEmpty, 3).build()).getMessage();
        assertTrue(empty.contains("class 1") && empty.contains("no training images"), empty);
        String range = assertThrows(IllegalArgumentException.class,
                () -> Samplers.builder().setName("instance").setLabels(new int[] {0, 5}, 3).build()).getMessage();
        assertTrue(range.contains("'labels[1]'"), range);
        // sqrt tolerates an empty class and never draws it
        int[] order = Samplers.builder().setName("sqrt").setLabels(withEmpty, 3).optEpochLength(1000).build()
                .epoch(0);
        assertTrue(Arrays.stream(order).allMatch(i -> withEmpty[i] != 1));
    }

    @Test
    void batchesFollowTheOfficialEpochLength() {
        Sampler s = builder("class").build();
        BatchIndexSource source = Batches.of(s, 128);
        assertInstanceOf(BatchIndexSource.class, source);
        int[][] batches = source.epoch(2);
        assertEquals(LABELS.length / 128, batches.length);
        int[] order = s.epoch(2);
        for (int b = 0; b < batches.length; b++) {
            assertArrayEquals(Arrays.copyOfRange(order, b * 128, (b + 1) * 128), batches[b]);
        }
        int[][] keep = Batches.of(s, 128, false).epoch(2);
        assertEquals(LABELS.length / 128 + 1, keep.length);
        assertEquals(LABELS.length % 128, keep[keep.length - 1].length);
        assertThrows(IllegalArgumentException.class, () -> Batches.of(s, 0));
    }
}
