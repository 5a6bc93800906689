package dev.vlltr.core.dataset;

import java.util.Random;

/**
 * The training transform of the papers, torchvision order: {@code RandomResizedCrop(size, scale, ratio)} (or, for
 * small images used at their own size, {@code RandomCrop(size, padding)}), {@code RandomHorizontalFlip(flip)},
 * {@code ColorJitter(brightness, contrast, saturation)} with its factors applied in a random order, then
 * {@code ToTensor} and {@code Normalize}. The crop window is sampled as torchvision's {@code get_params} does (ten
 * tries, then a centre crop clamped to the ratio range) and resampled straight from the decoded image.
 */
final class TrainTransform extends GeometryTransform {

    private final boolean resizedCrop;
    private final double scaleMin;
    private final double scaleMax;
    private final double logRatioMin;
    private final double logRatioMax;
    private final int padding;
    private final double flip;
    private final double brightness;
    private final double contrast;
    private final double saturation;

    TrainTransform(DatasetSpec.Geometry g) {
        super(g, g.train().randomResizedCrop() != null ? g.train().randomResizedCrop().size() : g.eval().centerCrop());
        DatasetSpec.TrainGeometry t = g.train();
        this.resizedCrop = t.randomResizedCrop() != null;
        if (resizedCrop) {
            DatasetSpec.RandomResizedCrop r = t.randomResizedCrop();
            this.scaleMin = r.scale() == null ? 0.08 : r.scale().get(0);
            this.scaleMax = r.scale() == null ? 1.0 : r.scale().get(1);
            this.logRatioMin = Math.log(r.ratio() == null ? 3.0 / 4.0 : r.ratio().get(0));
            this.logRatioMax = Math.log(r.ratio() == null ? 4.0 / 3.0 : r.ratio().get(1));
            this.padding = 0;
        } else {
            this.scaleMin = 1;
            this.scaleMax = 1;
            this.logRatioMin = 0;
            this.logRatioMax = 0;
            this.padding = t.randomCrop().padding();
        }
        this.flip = t.flip() == null ? 0 : t.flip();
        DatasetSpec.ColorJitter j = t.colorJitter();
        this.brightness = j == null || j.brightness() == null ? 0 : j.brightness();
        this.contrast = j == null || j.contrast() == null ? 0 : j.contrast();
        this.saturation = j == null || j.saturation() == null ? 0 : j.saturation();
    }

    @Override
    public void apply(byte[] encoded, String where, Random rng, float[] dst, int offset) {
        DecodedImage img = DecodedImage.decode(encoded, where);
        if (resizedCrop) {
            int[] box = cropBox(img.width(), img.height(), rng);
            BilinearResampler.Taps xs = BilinearResampler.Taps.of(box[1], box[3], size, 0, size, img.width());
            BilinearResampler.Taps ys = BilinearResampler.Taps.of(box[0], box[2], size, 0, size, img.height());
            BilinearResampler.resample(img, xs, ys, channels, dst, offset);
        } else {
            if (img.width() != size || img.height() != size) {
                throw new DatasetSpecException(where + ": field 'image' is " + img.width() + "x" + img.height()
                        + ", expected " + size + "x" + size + " (randomCrop uses images at their own size)");
            }
            BilinearResampler.Taps same = BilinearResampler.Taps.of(0, size, size, 0, size, size);
            BilinearResampler.resample(img, same, same, channels, dst, offset);
            int top = rng.nextInt(2 * padding + 1) - padding;
            int left = rng.nextInt(2 * padding + 1) - padding;
            shift(dst, offset, top, left);
        }
        int plane = size * size;
        if (rng.nextDouble() < flip) {
            for (int r = 0; r < channels * size; r++) {
                int row = offset + r * size;
                for (int x = 0, y = size - 1; x < y; x++, y--) {
                    float t = dst[row + x];
                    dst[row + x] = dst[row + y];
                    dst[row + y] = t;
                }
            }
        }
        jitter(dst, offset, plane, rng);
        normalise(dst, offset);
    }

    /** torchvision {@code RandomResizedCrop.get_params}: {top, left, height, width}. */
    int[] cropBox(int width, int height, Random rng) {
        double area = (double) width * height;
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * (scaleMin + rng.nextDouble() * (scaleMax - scaleMin));
            double aspect = Math.exp(logRatioMin + rng.nextDouble() * (logRatioMax - logRatioMin));
            int w = (int) Math.round(Math.sqrt(target * aspect));
            int h = (int) Math.round(Math.sqrt(target / aspect));
            if (w > 0 && h > 0 && w <= width && h <= height) {
                int top = rng.nextInt(height - h + 1);
                int left = rng.nextInt(width - w + 1);
                return new int[] {top, left, h, w};
            }
        }
        double inRatio = (double) width / height;
        double minRatio = Math.exp(logRatioMin);
        double maxRatio = Math.exp(logRatioMax);
        int w;
        int h;
        if (inRatio < minRatio) {
            w = width;
            h = (int) Math.round(w / minRatio);
        } else if (inRatio > maxRatio) {
            h = height;
            w = (int) Math.round(h * maxRatio);
        } else {
            w = width;
            h = height;
        }
        return new int[] {(height - h) / 2, (width - w) / 2, h, w};
    }

    /** Output (y, x) = input (y + dy, x + dx), zero (black, before normalisation) outside: padded random crop. */
    private void shift(float[] data, int offset, int dy, int dx) {
        if (dy == 0 && dx == 0) {
            return;
        }
        int plane = size * size;
        float[] src = new float[plane];
        for (int c = 0; c < channels; c++) {
            int base = offset + c * plane;
            System.arraycopy(data, base, src, 0, plane);
            for (int y = 0; y < size; y++) {
                int sy = y + dy;
                for (int x = 0; x < size; x++) {
                    int sx = x + dx;
                    data[base + y * size + x] = sy >= 0 && sy < size && sx >= 0 && sx < size ? src[sy * size + sx] : 0f;
                }
            }
        }
    }

    /**
     * ColorJitter: each enabled factor drawn uniformly from {@code [max(0, 1 - v), 1 + v]}, applied in a random
     * order: brightness scales, contrast blends with the mean luma of the image, saturation blends with each pixel's
     * luma; values clamped to [0, 1] after each step, as torchvision's functional ops do.
     */
    private void jitter(float[] d, int offset, int plane, Random rng) {
        if (brightness == 0 && contrast == 0 && saturation == 0) {
            return;
        }
        int[] order = {0, 1, 2};
        for (int i = 2; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (int op : order) {
            double range = op == 0 ? brightness : op == 1 ? contrast : saturation;
            if (range == 0) {
                continue;
            }
            float f = (float) (Math.max(0, 1 - range) + rng.nextDouble() * (1 + range - Math.max(0, 1 - range)));
            int n = channels * plane;
            if (op == 0) {
                for (int k = 0; k < n; k++) {
                    d[offset + k] = clamp01(d[offset + k] * f);
                }
            } else if (op == 1) {
                double sum = 0;
                for (int k = 0; k < plane; k++) {
                    sum += luma(d, offset, plane, k);
                }
                float m = (float) (sum / plane) * (1 - f);
                for (int k = 0; k < n; k++) {
                    d[offset + k] = clamp01(f * d[offset + k] + m);
                }
            } else if (channels == 3) {
                for (int k = 0; k < plane; k++) {
                    float g = luma(d, offset, plane, k) * (1 - f);
                    for (int c = 0; c < 3; c++) {
                        int q = offset + c * plane + k;
                        d[q] = clamp01(f * d[q] + g);
                    }
                }
            }
        }
    }

    private float luma(float[] d, int offset, int plane, int k) {
        return channels == 3 ? 0.299f * d[offset + k] + 0.587f * d[offset + plane + k] + 0.114f * d[offset + 2 * plane + k]
                : d[offset + k];
    }

    private static float clamp01(float v) {
        return v < 0 ? 0 : v > 1 ? 1 : v;
    }
}
