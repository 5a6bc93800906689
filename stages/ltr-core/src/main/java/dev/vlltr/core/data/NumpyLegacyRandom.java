package dev.vlltr.core.data;

/**
 * numpy's legacy global generator ({@code np.random.seed(s)} + {@code np.random.shuffle}) re-implemented bit for bit:
 * MT19937 seeded with {@code init_genrand(s)}, and {@code shuffle} as numpy's {@code _shuffle_raw} (Fisher-Yates from
 * the end, {@code j = random_interval(i)} by masked rejection on 32-bit draws). With it the long-tailed subset of a
 * given seed is the very index set the LDAM-DRW generator ({@code imbalance_cifar.py}) draws.
 */
final class NumpyLegacyRandom {

    private static final int N = 624;
    private static final int M = 397;

    private final int[] mt = new int[N];
    private int pos;

    /** @param seed 0 .. 2^32-1, as numpy accepts */
    NumpyLegacyRandom(long seed) {
        if (seed < 0 || seed > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("numpy-compatible shuffle: field 'seed' is " + seed
                    + ", expected 0 .. 2^32-1 (numpy's legacy seed range)");
        }
        mt[0] = (int) seed;
        for (int i = 1; i < N; i++) {
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        }
        pos = N;
    }

    /** @return the next 32-bit output, as an unsigned value */
    long nextUint32() {
        if (pos >= N) {
            generate();
        }
        int y = mt[pos++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xFFFFFFFFL;
    }

    private void generate() {
        for (int k = 0; k < N; k++) {
            int y = (mt[k] & 0x80000000) | (mt[(k + 1) % N] & 0x7fffffff);
            mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
        }
        pos = 0;
    }

    /** numpy {@code random_interval(max)}: uniform on 0..max by masked rejection (max < 2^32 here). */
    long interval(long max) {
        if (max == 0) {
            return 0;
        }
        long mask = max;
        mask |= mask >>> 1;
        mask |= mask >>> 2;
        mask |= mask >>> 4;
        mask |= mask >>> 8;
        mask |= mask >>> 16;
        long value;
        do {
            value = nextUint32() & mask;
        } while (value > max);
        return value;
    }

    /** In-place {@code np.random.shuffle} of a 1-D array. */
    void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = (int) interval(i);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
