package dev.vlltr.core.data;

/**
 * Pillow's {@code Image.resize(size, BILINEAR)} (what torchvision's {@code Resize} runs on PIL images): a separable
 * triangle filter whose support grows with the downscale factor (antialiased), horizontal pass first, rounding to
 * 8 bits after each pass as Pillow's uint8 intermediate does. Coefficients follow Pillow's {@code precompute_coeffs};
 * Pillow uses 22-bit fixed-point coefficients where this uses doubles, so values can differ by 1 level.
 */
final class PilBilinearResize {

    private PilBilinearResize() {
    }

    /**
     * @param src planes {@code channels × h × w}, values 0..255
     * @return planes {@code channels × outH × outW}
     */
    static int[] resize(int[] src, int channels, int h, int w, int outH, int outW) {
        int[] horizontal = w == outW ? src : pass(src, channels, h, w, outW, true);
        return h == outH ? horizontal : pass(horizontal, channels, h, outW, outH, false);
    }

    private static int[] pass(int[] src, int channels, int h, int w, int outSize, boolean alongX) {
        int inSize = alongX ? w : h;
        double scale = inSize / (double) outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = 1.0 * filterScale;
        int[] bounds = new int[2 * outSize];
        double[][] weights = new double[outSize][];
        for (int o = 0; o < outSize; o++) {
            double center = (o + 0.5) * scale;
            int min = Math.max((int) (center - support + 0.5), 0);
            int max = Math.min((int) (center + support + 0.5), inSize) - min;
            double[] k = new double[Math.max(max, 0)];
            double sum = 0;
            for (int x = 0; x < k.length; x++) {
                double t = Math.abs((x + min - center + 0.5) / filterScale);
                k[x] = t < 1 ? 1 - t : 0;
                sum += k[x];
            }
            for (int x = 0; x < k.length; x++) {
                k[x] = sum == 0 ? 0 : k[x] / sum;
            }
            bounds[2 * o] = min;
            bounds[2 * o + 1] = k.length;
            weights[o] = k;
        }
        int outH = alongX ? h : outSize;
        int outW = alongX ? outSize : w;
        int[] out = new int[channels * outH * outW];
        for (int c = 0; c < channels; c++) {
            int inBase = c * h * w;
            int outBase = c * outH * outW;
            for (int y = 0; y < outH; y++) {
                for (int x = 0; x < outW; x++) {
                    int o = alongX ? x : y;
                    int min = bounds[2 * o];
                    double[] k = weights[o];
                    double acc = 0;
                    for (int t = 0; t < k.length; t++) {
                        int s = min + t;
                        acc += k[t] * (alongX ? src[inBase + y * w + s] : src[inBase + s * w + x]);
                    }
                    out[outBase + y * outW + x] = Math.min(255, Math.max(0, (int) Math.floor(acc + 0.5)));
                }
            }
        }
        return out;
    }
}
