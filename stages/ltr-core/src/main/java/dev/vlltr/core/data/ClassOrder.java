package dev.vlltr.core.data;

import java.util.Arrays;
import java.util.Random;

/**
 * Which class gets which rank of the long-tail profile. Rank 0 is the head. The reference (LDAM-DRW) uses the natural
 * order: class 0 is the head, class C-1 the tail.
 *
 * <p>Text form (for parameters): {@code natural}, {@code reversed}, {@code shuffled:SEED},
 * {@code explicit:c0,c1,...} (the class for rank 0, rank 1, ...).
 */
public final class ClassOrder {

    /** The kinds of order. */
    public enum Kind {
        /** Class c has rank c (the reference). */
        NATURAL,
        /** Class C-1-c has rank c. */
        REVERSED,
        /** A seeded random permutation. */
        SHUFFLED,
        /** A given permutation: rank r belongs to class {@code permutation[r]}. */
        EXPLICIT
    }

    private final Kind kind;
    private final long seed;
    private final int[] permutation;

    private ClassOrder(Kind kind, long seed, int[] permutation) {
        this.kind = kind;
        this.seed = seed;
        this.permutation = permutation;
    }

    /** @return class c has rank c */
    public static ClassOrder natural() {
        return new ClassOrder(Kind.NATURAL, 0, null);
    }

    /** @return class C-1-c has rank c */
    public static ClassOrder reversed() {
        return new ClassOrder(Kind.REVERSED, 0, null);
    }

    /**
     * @param seed the shuffle seed
     * @return a seeded random order (Fisher–Yates with {@code new Random(seed)})
     */
    public static ClassOrder shuffled(long seed) {
        return new ClassOrder(Kind.SHUFFLED, seed, null);
    }

    /**
     * @param classForRank {@code classForRank[r]} is the class of rank r; must be a permutation of 0..C-1
     * @return the explicit order
     */
    public static ClassOrder explicit(int... classForRank) {
        checkPermutation(classForRank, classForRank.length, "class order");
        return new ClassOrder(Kind.EXPLICIT, 0, classForRank.clone());
    }

    /**
     * Parses the text form ({@code natural}, {@code reversed}, {@code shuffled:SEED}, {@code explicit:c0,c1,...}).
     *
     * @param text the text
     * @return the order
     */
    public static ClassOrder parse(String text) {
        String t = text.strip();
        try {
            if (t.equalsIgnoreCase("natural")) {
                return natural();
            }
            if (t.equalsIgnoreCase("reversed")) {
                return reversed();
            }
            if (t.toLowerCase().startsWith("shuffled:")) {
                return shuffled(Long.parseLong(t.substring("shuffled:".length()).strip()));
            }
            if (t.toLowerCase().startsWith("explicit:")) {
                return explicit(Arrays.stream(t.substring("explicit:".length()).split(","))
                        .map(String::strip).mapToInt(Integer::parseInt).toArray());
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("class order '" + text + "': bad number (" + e.getMessage() + ")", e);
        }
        throw new IllegalArgumentException("class order '" + text
                + "': expected natural, reversed, shuffled:SEED or explicit:c0,c1,...");
    }

    /** @return the kind */
    public Kind kind() {
        return kind;
    }

    /**
     * @param numClasses C
     * @return {@code classForRank[r]}: the class with rank r (rank 0 = head)
     */
    public int[] classForRank(int numClasses) {
        int[] order = new int[numClasses];
        for (int i = 0; i < numClasses; i++) {
            order[i] = i;
        }
        switch (kind) {
            case NATURAL -> { }
            case REVERSED -> {
                for (int i = 0; i < numClasses; i++) {
                    order[i] = numClasses - 1 - i;
                }
            }
            case SHUFFLED -> {
                Random random = new Random(seed);
                for (int i = numClasses - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    int tmp = order[i];
                    order[i] = order[j];
                    order[j] = tmp;
                }
            }
            case EXPLICIT -> {
                if (permutation.length != numClasses) {
                    throw new IllegalArgumentException("class order: explicit permutation has " + permutation.length
                            + " entries, expected one per class (" + numClasses + ")");
                }
                order = permutation.clone();
            }
            default -> throw new IllegalStateException(kind.toString());
        }
        return order;
    }

    static void checkPermutation(int[] p, int n, String what) {
        boolean[] seen = new boolean[n];
        for (int i = 0; i < p.length; i++) {
            if (p[i] < 0 || p[i] >= n || seen[p[i]]) {
                throw new IllegalArgumentException(what + ": expected a permutation of 0.." + (n - 1) + ", got "
                        + Arrays.toString(p) + " (bad entry at position " + i + ")");
            }
            seen[p[i]] = true;
        }
    }

    /** @return the text form, parseable by {@link #parse(String)} */
    @Override
    public String toString() {
        return switch (kind) {
            case NATURAL -> "natural";
            case REVERSED -> "reversed";
            case SHUFFLED -> "shuffled:" + seed;
            case EXPLICIT -> "explicit:" + String.join(",", Arrays.stream(permutation).mapToObj(Integer::toString).toList());
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassOrder other && other.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
