package dev.vlltr.core.data;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import javax.imageio.ImageIO;

/**
 * Decodes JPEG/PNG (anything {@link ImageIO} reads) into uint8 {@code C × H × W} pixels with the evaluation
 * geometry of torchvision {@code Resize(resize)} + {@code CenterCrop(crop)} on PIL images: the shorter side is
 * scaled to {@code resize} with Pillow's antialiased bilinear filter ({@link PilBilinearResize}; aspect kept, the long
 * side {@code int(resize · long / short)}), then a {@code crop × crop} window is cut at the centre
 * ({@code top = round((h - crop) / 2)}, half to even as Python). Output is RGB (3 channels) or grey (1 channel, ITU-R
 * 601 luma as PIL's {@code convert('L')}; grey source images are read without colour-space conversion).
 */
public final class ImageDecoder {

    private final int resize;
    private final int crop;
    private final boolean grey;

    /**
     * @param resize shorter side after resizing (e.g. 256)
     * @param crop   side of the centre crop (e.g. 224), at most {@code resize}
     * @param grey   1 grey channel instead of 3 RGB channels
     */
    public ImageDecoder(int resize, int crop, boolean grey) {
        if (resize < 1 || crop < 1 || crop > resize) {
            throw new IllegalArgumentException("image decoder: resize " + resize + " and crop " + crop
                    + " must be positive with crop <= resize");
        }
        this.resize = resize;
        this.crop = crop;
        this.grey = grey;
    }

    public int channels() {
        return grey ? 1 : 3;
    }

    public int size() {
        return crop;
    }

    /**
     * @param in     the encoded image; not closed
     * @param source name for messages
     * @return {@code channels × crop × crop} bytes
     */
    public byte[] decode(InputStream in, String source) throws IOException {
        BufferedImage image;
        try {
            image = ImageIO.read(in);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": cannot decode image (" + e.getMessage() + ")", e);
        }
        if (image == null) {
            throw new IllegalArgumentException(source + ": not a decodable image, expected JPEG or PNG");
        }
        return toPixels(image);
    }

    byte[] toPixels(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int newW;
        int newH;
        if (w <= h) {
            newW = resize;
            newH = (int) ((long) resize * h / w);
        } else {
            newH = resize;
            newW = (int) ((long) resize * w / h);
        }
        if (newW < crop || newH < crop) {
            throw new IllegalArgumentException("image decoder: resized image " + newW + "x" + newH
                    + " is smaller than the crop " + crop);
        }
        int channels = channels();
        int[] scaled = PilBilinearResize.resize(planes(image, grey), channels, h, w, newH, newW);
        // torchvision center_crop: int(round((H - crop) / 2.0)), Python's round is half-to-even
        int top = (int) Math.rint((newH - crop) / 2.0);
        int left = (int) Math.rint((newW - crop) / 2.0);
        int plane = crop * crop;
        byte[] out = new byte[channels * plane];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < crop; y++) {
                for (int x = 0; x < crop; x++) {
                    out[c * plane + y * crop + x] = (byte) scaled[(c * newH + top + y) * newW + left + x];
                }
            }
        }
        return out;
    }

    /**
     * Channel planes of the decoded image. Single-band (grey) images are read from the raster directly: converting
     * them through Java2D's linear grey colour space would change their values.
     */
    static int[] planes(BufferedImage image, boolean grey) {
        int w = image.getWidth();
        int h = image.getHeight();
        int plane = w * h;
        Raster raster = image.getRaster();
        boolean singleBand = raster.getNumBands() == 1 && image.getColorModel().getNumComponents() == 1;
        int bits = image.getColorModel().getComponentSize(0);
        int[] out = new int[(grey ? 1 : 3) * plane];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                int r;
                int g;
                int b;
                if (singleBand) {
                    int v = raster.getSample(x, y, 0);
                    v = bits > 8 ? v >> (bits - 8) : bits < 8 ? v * 255 / ((1 << bits) - 1) : v;
                    r = v;
                    g = v;
                    b = v;
                } else {
                    int rgb = image.getRGB(x, y);
                    r = (rgb >> 16) & 0xff;
                    g = (rgb >> 8) & 0xff;
                    b = rgb & 0xff;
                }
                if (grey) {
                    // PIL convert('L'): L = R·299/1000 + G·587/1000 + B·114/1000 in its 16-bit fixed point
                    out[p] = singleBand ? r : (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
                } else {
                    out[p] = r;
                    out[plane + p] = g;
                    out[2 * plane + p] = b;
                }
            }
        }
        return out;
    }
}
