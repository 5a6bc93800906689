package dev.vlltr.core.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Anchor Sentence Selection (VL-LTR AnSS, official {@code engine.py::select_sent}) and the two ablation baselines.
 *
 * <p>AnSS score of sentence t of class c (lower is better): with L2-normalised CVLP features, {@code logits_k =
 * exp(θ)·t·img_k} over <em>all</em> selected images k of the split, target uniform over the images of class c, score =
 * soft-target cross-entropy {@code −(1/|K_c|) Σ_{k∈K_c} log softmax(logits)_k} (the sentence's text→image loss).
 * The images are the first {@code imagesPerClass} of each class in list order ({@link #firstPerClass}; official
 * {@code select=True} keeps the first 50). Each class keeps its {@code M} lowest-scoring sentences; a class with
 * fewer than M sentences keeps them all (LGR pads and masks the rest).
 *
 * <p>Strategies: {@link Strategy#ANSS} (default), {@link Strategy#CUTOFF} (the first M sentences of the class in
 * corpus order, i.e. no selection), {@link Strategy#RANDOM} (M drawn without replacement, seeded).
 */
public final class AnchorSentenceSelection {

    /** How the M anchors of each class are chosen. */
    public enum Strategy {
        /** The M sentences with the lowest AnSS score (official). */
        ANSS,
        /** The first M sentences of the class in corpus order. */
        CUTOFF,
        /** M sentences drawn uniformly without replacement. */
        RANDOM;

        /** @return the strategy named {@code anss}, {@code cutoff} or {@code random} */
        public static Strategy byName(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("anchor strategy '" + name + "' is unknown, expected anss, cutoff"
                        + " or random");
            }
        }
    }

    /**
     * The anchors of one class.
     *
     * @param classId the class
     * @param rows selected sentence rows (indices into the sentence table), best first for ANSS
     * @param scores their AnSS scores (NaN where not computed: cutoff/random without scoring)
     */
    public record ClassAnchors(int classId, int[] rows, double[] scores) {}

    private AnchorSentenceSelection() {}

    /**
     * Indices of the first {@code perClass} items of each class, in list order (official {@code select=True}).
     *
     * @param labels labels in list order
     * @param numClasses C
     * @param perClass the cap (≥ 1)
     * @return the kept indices, ascending
     */
    public static int[] firstPerClass(int[] labels, int numClasses, int perClass) {
        if (perClass < 1) {
            throw new IllegalArgumentException("images per class must be ≥ 1, got " + perClass);
        }
        int[] seen = new int[numClasses];
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            if (seen[labels[i]]++ < perClass) {
                keep.add(i);
            }
        }
        return keep.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * AnSS scores of every sentence, in double precision.
     *
     * @param text sentence features (N_t × D), unnormalised is fine
     * @param textLabels their classes
     * @param images image features (N_i × D) of the selected images
     * @param imageLabels their classes; every class that has sentences needs at least one image
     * @param logitScale the multiplicative scale {@code exp(θ)} of the CVLP model
     * @return one score per sentence (lower = closer to its class's images)
     */
    public static double[] scores(float[][] text, int[] textLabels, float[][] images, int[] imageLabels,
            double logitScale) {
        int numClasses = 0;
        for (int y : imageLabels) {
            numClasses = Math.max(numClasses, y + 1);
        }
        int[] imagesOfClass = new int[Math.max(numClasses, 1)];
        for (int y : imageLabels) {
            imagesOfClass[y]++;
        }
        double[][] u = new double[images.length][];
        for (int k = 0; k < images.length; k++) {
            u[k] = EmbeddingEvaluation.unit(images[k]);
        }
        double[] out = new double[text.length];
        double[] logits = new double[images.length];
        for (int t = 0; t < text.length; t++) {
            int c = textLabels[t];
            if (c >= numClasses || imagesOfClass[c] == 0) {
                throw new IllegalArgumentException("AnSS: class " + c + " has sentences but no image in the split");
            }
            double[] v = EmbeddingEvaluation.unit(text[t]);
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < u.length; k++) {
                logits[k] = logitScale * EmbeddingEvaluation.dot(v, u[k]);
                max = Math.max(max, logits[k]);
            }
            double sum = 0;
            for (double l : logits) {
                sum += Math.exp(l - max);
            }
            double lse = max + Math.log(sum);
            double ce = 0;
            for (int k = 0; k < u.length; k++) {
                if (imageLabels[k] == c) {
                    ce -= logits[k] - lse;
                }
            }
            out[t] = ce / imagesOfClass[c];
        }
        return out;
    }

    /**
     * Chooses at most {@code m} sentences per class.
     *
     * @param strategy how
     * @param textLabels class of every sentence row (table order = corpus order)
     * @param scores AnSS scores (required for ANSS; recorded with the choice when given for the others)
     * @param numClasses C
     * @param m sentences per class (≥ 1)
     * @param seed for RANDOM
     * @return one entry per class, in class order
     */
    public static List<ClassAnchors> select(Strategy strategy, int[] textLabels, double[] scores, int numClasses,
            int m, long seed) {
        if (m < 1) {
            throw new IllegalArgumentException("M (anchor sentences per class) must be ≥ 1, got " + m);
        }
        if (strategy == Strategy.ANSS && scores == null) {
            throw new IllegalArgumentException("AnSS needs the sentence scores");
        }
        ClassSentences sentences = new ClassSentences(textLabels, numClasses);
        SplittableRandom rnd = new SplittableRandom(seed);
        List<ClassAnchors> out = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            int[] rows = sentences.rows(c);
            int keep = Math.min(m, rows.length);
            int[] chosen;
            switch (strategy) {
                case ANSS -> chosen = Arrays.stream(rows).boxed()
                        .sorted(Comparator.<Integer>comparingDouble(r -> scores[r]).thenComparingInt(r -> r))
                        .limit(keep).mapToInt(Integer::intValue).toArray();
                case CUTOFF -> chosen = Arrays.copyOf(rows, keep);
                case RANDOM -> {
                    int[] pool = rows.clone();
                    for (int i = 0; i < keep; i++) {
                        int j = i + rnd.nextInt(pool.length - i);
                        int tmp = pool[i];
                        pool[i] = pool[j];
                        pool[j] = tmp;
                    }
                    chosen = Arrays.copyOf(pool, keep);
                }
                default -> throw new IllegalStateException(strategy.toString());
            }
            double[] chosenScores = new double[keep];
            for (int i = 0; i < keep; i++) {
                chosenScores[i] = scores == null ? Double.NaN : scores[chosen[i]];
            }
            out.add(new ClassAnchors(c, chosen, chosenScores));
        }
        return out;
    }
}
