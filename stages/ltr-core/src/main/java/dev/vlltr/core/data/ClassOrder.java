package dev.vlltr.core.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Which class receives which rank of a {@link LongTailProfile}. {@link #natural()} (class 0 is the head, the
 * CIFAR-LT convention and the default), {@link #reversed()}, {@link #shuffled(long)} (a seeded random permutation) or
 * {@link #explicit(int...)}.
 */
public final class ClassOrder {

    private final String kind;
    private final long seed;
    private final int[] explicit;

    private ClassOrder(String kind, long seed, int[] explicit) {
        this.kind = kind;
        this.seed = seed;
        this.explicit = explicit;
    }

    /** Class {@code c} gets rank {@code c}: class 0 is the head (the LDAM/CIFAR-LT default). */
    public static ClassOrder natural() {
        return new ClassOrder("natural", 0, null);
    }

    /** Class {@code C-1} is the head, class 0 the tail. */
    public static ClassOrder reversed() {
        return new ClassOrder("reversed", 0, null);
    }

    /** A permutation drawn with the given seed (Fisher-Yates on {@link SplittableRandom}). */
    public static ClassOrder shuffled(long seed) {
        return new ClassOrder("shuffled", seed, null);
    }

    /**
     * @param classByRank {@code classByRank[r]} is the class that gets rank {@code r} (head first); a permutation of
     *                    {@code 0..C-1}
     */
    public static ClassOrder explicit(int... classByRank) {
        return new ClassOrder("explicit", 0, classByRank.clone());
    }

    /** @return {@code natural}, {@code reversed}, {@code shuffled} or {@code explicit} */
    public String kind() {
        return kind;
    }

    /** @return the seed of a shuffled order (0 otherwise) */
    public long seed() {
        return seed;
    }

    /** @return {@code classByRank[r]}: the class that gets rank {@code r} */
    public int[] classByRank(int numClasses) {
        int[] order = new int[numClasses];
        for (int i = 0; i < numClasses; i++) {
            order[i] = i;
        }
        switch (kind) {
            case "natural" -> {
            }
            case "reversed" -> {
                for (int i = 0; i < numClasses; i++) {
                    order[i] = numClasses - 1 - i;
                }
            }
            case "shuffled" -> {
                SplittableRandom rng = new SplittableRandom(seed);
                for (int i = numClasses - 1; i > 0; i--) {
                    int j = rng.nextInt(i + 1);
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
            }
            default -> {
                checkPermutation(explicit, numClasses);
                order = explicit.clone();
            }
        }
        return order;
    }

    static void checkPermutation(int[] perm, int numClasses) {
        if (perm.length != numClasses) {
            throw new IllegalArgumentException("class order: field 'classByRank' has " + perm.length
                    + " entries, expected " + numClasses + " (one per class)");
        }
        boolean[] seen = new boolean[numClasses];
        for (int c : perm) {
            if (c < 0 || c >= numClasses || seen[c]) {
                throw new IllegalArgumentException("class order: field 'classByRank' " + Arrays.toString(perm)
                        + " is not a permutation of 0.." + (numClasses - 1));
            }
            seen[c] = true;
        }
    }

    @Override
    public String toString() {
        return switch (kind) {
            case "shuffled" -> "shuffled(" + seed + ")";
            case "explicit" -> "explicit" + Arrays.toString(explicit);
            default -> kind;
        };
    }
}
