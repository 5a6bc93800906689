package dev.vlltr.core.dataset;

import java.util.Random;

/**
 * torchvision {@code Resize(resize)} (shorter side, aspect kept, long side {@code int(resize · long / short)}) +
 * {@code CenterCrop(crop)} ({@code top = round((H - crop) / 2)}, half to even as Python) + {@code ToTensor} +
 * {@code Normalize}, computing only the cropped window of the resize.
 */
final class EvalTransform extends GeometryTransform {

    private final int resize;
    private final int crop;

    EvalTransform(DatasetSpec.Geometry g) {
        super(g, g.eval().centerCrop());
        this.resize = g.eval().resize();
        this.crop = g.eval().centerCrop();
    }

    @Override
    public void apply(byte[] encoded, String where, Random rng, float[] dst, int offset) {
        DecodedImage img = DecodedImage.decode(encoded, where);
        int w = img.width();
        int h = img.height();
        int newW = w <= h ? resize : (int) ((long) resize * w / h);
        int newH = w <= h ? (int) ((long) resize * h / w) : resize;
        if (newW < crop || newH < crop) {
            throw new DatasetSpecException(where + ": field 'image' is " + w + "x" + h + ", resized to " + newW + "x"
                    + newH + " it is smaller than the centre crop " + crop);
        }
        int top = (int) Math.rint((newH - crop) / 2.0);
        int left = (int) Math.rint((newW - crop) / 2.0);
        BilinearResampler.Taps xs = BilinearResampler.Taps.of(0, w, newW, left, crop, w);
        BilinearResampler.Taps ys = BilinearResampler.Taps.of(0, h, newH, top, crop, h);
        BilinearResampler.resample(img, xs, ys, channels, dst, offset);
        normalise(dst, offset);
    }
}
