package dev.vlltr.core.data;

/** Derives independent seeds from a base seed and stream numbers (SplitMix64 finaliser), so that e.g. epoch 7 or batch
 * 12 gets its own reproducible random stream regardless of what ran before it. */
public final class Seeds {

    private Seeds() {}

    /**
     * @param seed base seed
     * @param streams stream coordinates (epoch, batch, ...)
     * @return a well-mixed seed for that stream
     */
    public static long derive(long seed, long... streams) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        for (long s : streams) {
            h = mix(h + 0x9E3779B97F4A7C15L + s);
        }
        return h;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
