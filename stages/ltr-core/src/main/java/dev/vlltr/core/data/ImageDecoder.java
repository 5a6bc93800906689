package dev.vlltr.core.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import javax.imageio.ImageIO;

/**
 * Decodes JPEG/PNG (anything {@link ImageIO} reads) into uint8 {@code C × H × W} pixels with the evaluation
 * geometry of torchvision {@code Resize(resize)} + {@code CenterCrop(crop)}: the shorter side is scaled to
 * {@code resize} (bilinear, aspect kept, the long side {@code int(resize · long / short)}), then a
 * {@code crop × crop} window is cut at the centre ({@code top = round((h - crop) / 2)}). Output is RGB (3 channels)
 * or grey (1 channel, ITU-R 601 luma as PIL's {@code convert('L')}).
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
        BufferedImage scaled = new BufferedImage(newW, newH, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scaled.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(image, 0, 0, newW, newH, null);
        } finally {
            g.dispose();
        }
        int top = (int) Math.round((newH - crop) / 2.0);
        int left = (int) Math.round((newW - crop) / 2.0);
        int plane = crop * crop;
        byte[] out = new byte[channels() * plane];
        for (int y = 0; y < crop; y++) {
            for (int x = 0; x < crop; x++) {
                int rgb = scaled.getRGB(left + x, top + y);
                int r = (rgb >> 16) & 0xff;
                int gr = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                int p = y * crop + x;
                if (grey) {
                    out[p] = (byte) Math.round((r * 299 + gr * 587 + b * 114) / 1000.0);
                } else {
                    out[p] = (byte) r;
                    out[plane + p] = (byte) gr;
                    out[2 * plane + p] = (byte) b;
                }
            }
        }
        return out;
    }
}
