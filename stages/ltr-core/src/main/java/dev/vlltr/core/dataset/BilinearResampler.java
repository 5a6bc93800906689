package dev.vlltr.core.dataset;

/**
 * Resamples a window of an RGB image to a target grid with Pillow's antialiased bilinear filter (a triangle whose
 * support grows with the downscale factor, as torchvision's {@code Resize}/{@code RandomResizedCrop} on PIL images),
 * separably: horizontal pass into a float buffer, then vertical. Only the output rows and columns asked for are
 * computed, so "resize the shorter side to 256, then centre-crop 224" costs a 224×224 output, not 256×N.
 *
 * <p>Output is {@code C × outH × outW} floats in [0, 1] (torchvision's {@code ToTensor} scale), RGB or, with one
 * channel, ITU-R 601 luma (PIL's {@code convert('L')}). Unlike Pillow there is no 8-bit rounding between the passes,
 * so values may differ from Pillow's by about one grey level.
 */
final class BilinearResampler {

    private BilinearResampler() {
    }

    /** Filter taps for one axis: output o reads {@code count[o]} inputs from {@code start[o]} with weights. */
    record Taps(int[] start, int[] count, float[] weights, int maxTaps) {

        /**
         * @param srcStart first source pixel of the window (may be fractional for crops: kept as a double)
         * @param srcSize  window length in source pixels
         * @param fullOut  length of the full resized axis the window maps to
         * @param outStart first output index wanted
         * @param outCount output indices wanted
         * @param limit    source axis length (taps are clamped inside it)
         */
        static Taps of(double srcStart, double srcSize, int fullOut, int outStart, int outCount, int limit) {
            double scale = srcSize / fullOut;
            double filterScale = Math.max(scale, 1.0);
            double support = filterScale;
            int maxTaps = (int) Math.ceil(support) * 2 + 1;
            int[] start = new int[outCount];
            int[] count = new int[outCount];
            float[] weights = new float[outCount * maxTaps];
            for (int k = 0; k < outCount; k++) {
                double center = srcStart + (outStart + k + 0.5) * scale;
                int min = Math.max((int) Math.floor(center - support + 0.5), 0);
                int max = Math.min((int) Math.floor(center + support + 0.5), limit);
                int n = Math.min(Math.max(max - min, 1), maxTaps);
                if (min >= limit) {
                    min = limit - 1;
                }
                double sum = 0;
                double[] w = new double[n];
                for (int x = 0; x < n; x++) {
                    double t = Math.abs((x + min - center + 0.5) / filterScale);
                    w[x] = t < 1 ? 1 - t : 0;
                    sum += w[x];
                }
                for (int x = 0; x < n; x++) {
                    weights[k * maxTaps + x] = (float) (sum > 0 ? w[x] / sum : 1.0 / n);
                }
                start[k] = min;
                count[k] = n;
            }
            return new Taps(start, count, weights, maxTaps);
        }
    }

    /**
     * @param img      the decoded image
     * @param xs       horizontal taps (over the image's columns)
     * @param ys       vertical taps (over the image's rows)
     * @param channels 3 (RGB) or 1 (luma)
     * @param dst      receives {@code channels × ys.count × xs.count} floats at {@code offset}
     */
    static void resample(DecodedImage img, Taps xs, Taps ys, int channels, float[] dst, int offset) {
        int outW = xs.start.length;
        int outH = ys.start.length;
        int w = img.width();
        byte[] rgb = img.rgb();
        // rows the vertical pass reads
        int rowMin = ys.start[0];
        int rowMax = 0;
        for (int k = 0; k < outH; k++) {
            rowMin = Math.min(rowMin, ys.start[k]);
            rowMax = Math.max(rowMax, ys.start[k] + ys.count[k]);
        }
        int rows = rowMax - rowMin;
        float[] tmp = new float[rows * outW * 3];
        for (int r = 0; r < rows; r++) {
            int srcRow = (rowMin + r) * w * 3;
            int dstRow = r * outW * 3;
            for (int o = 0; o < outW; o++) {
                int s = xs.start[o];
                int n = xs.count[o];
                int wb = o * xs.maxTaps;
                float red = 0;
                float green = 0;
                float blue = 0;
                for (int t = 0; t < n; t++) {
                    float wt = xs.weights[wb + t];
                    int p = srcRow + (s + t) * 3;
                    red += wt * (rgb[p] & 0xff);
                    green += wt * (rgb[p + 1] & 0xff);
                    blue += wt * (rgb[p + 2] & 0xff);
                }
                tmp[dstRow + o * 3] = red;
                tmp[dstRow + o * 3 + 1] = green;
                tmp[dstRow + o * 3 + 2] = blue;
            }
        }
        int plane = outH * outW;
        float inv = 1f / 255f;
        for (int k = 0; k < outH; k++) {
            int s = ys.start[k] - rowMin;
            int n = ys.count[k];
            int wb = k * ys.maxTaps;
            for (int o = 0; o < outW; o++) {
                float red = 0;
                float green = 0;
                float blue = 0;
                for (int t = 0; t < n; t++) {
                    float wt = ys.weights[wb + t];
                    int p = ((s + t) * outW + o) * 3;
                    red += wt * tmp[p];
                    green += wt * tmp[p + 1];
                    blue += wt * tmp[p + 2];
                }
                int q = offset + k * outW + o;
                if (channels == 3) {
                    dst[q] = clamp(red) * inv;
                    dst[q + plane] = clamp(green) * inv;
                    dst[q + 2 * plane] = clamp(blue) * inv;
                } else {
                    dst[q] = clamp(0.299f * red + 0.587f * green + 0.114f * blue) * inv;
                }
            }
        }
    }

    private static float clamp(float v) {
        return v < 0 ? 0 : v > 255 ? 255 : v;
    }
}
