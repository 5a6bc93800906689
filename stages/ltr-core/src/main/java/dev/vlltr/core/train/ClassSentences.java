package dev.vlltr.core.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The sentences of every class (row indices into a sentence table) and VL-LTR's per-image sentence draw: for each
 * image of a batch, one sentence drawn uniformly at random from all sentences of its class (official {@code
 * engine.py::train_one_epoch}: {@code idxs = [np.random.randint(sent_idxs[t]) ...]}), so a batch has B images and B
 * texts.
 *
 * <p>The draw of batch {@code b} of epoch {@code e} depends only on {@code (seed, e, b)} and the labels, so a run
 * resumed from a checkpoint sees the same sentences as an uninterrupted one.
 */
public final class ClassSentences {

    private final int[][] rowsByClass;
    private final int rows;

    /**
     * @param sentenceLabels class id of every sentence row
     * @param numClasses C; every class must have at least one sentence
     * @throws IllegalArgumentException naming a class without sentences or a label out of range
     */
    public ClassSentences(int[] sentenceLabels, int numClasses) {
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < sentenceLabels.length; i++) {
            int c = sentenceLabels[i];
            if (c < 0 || c >= numClasses) {
                throw new IllegalArgumentException("sentence " + i + " has class " + c + ", expected [0, "
                        + numClasses + ")");
            }
            byClass.get(c).add(i);
        }
        rowsByClass = new int[numClasses][];
        for (int c = 0; c < numClasses; c++) {
            if (byClass.get(c).isEmpty()) {
                throw new IllegalArgumentException("class " + c + " has no sentence; every class needs at least one");
            }
            rowsByClass[c] = byClass.get(c).stream().mapToInt(Integer::intValue).toArray();
        }
        rows = sentenceLabels.length;
    }

    /** @return C */
    public int numClasses() {
        return rowsByClass.length;
    }

    /** @return the number of sentence rows */
    public int size() {
        return rows;
    }

    /** @return the rows of class {@code c}, in table order */
    public int[] rows(int c) {
        return rowsByClass[c].clone();
    }

    /**
     * One sentence per image, uniformly among its class's sentences.
     *
     * @param imageLabels the batch's labels
     * @param seed run seed
     * @param epoch 0-based epoch
     * @param batch 0-based batch index in the epoch
     * @return one sentence row per image
     */
    public int[] sample(int[] imageLabels, long seed, int epoch, int batch) {
        SplittableRandom rnd = new SplittableRandom(mix(seed, epoch, batch));
        int[] out = new int[imageLabels.length];
        for (int i = 0; i < out.length; i++) {
            int[] candidates = rowsByClass[imageLabels[i]];
            out[i] = candidates[rnd.nextInt(candidates.length)];
        }
        return out;
    }

    static long mix(long seed, int epoch, int batch) {
        long h = seed * 0x9E3779B97F4A7C15L + 0x5DEECE66DL;
        h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L + epoch;
        h = (h ^ (h >>> 29)) * 0x94D049BB133111EBL + batch;
        return h ^ (h >>> 32);
    }
}
