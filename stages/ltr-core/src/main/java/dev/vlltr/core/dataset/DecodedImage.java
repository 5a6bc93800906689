package dev.vlltr.core.dataset;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * A decoded image as interleaved 8-bit RGB ({@code height × width × 3}).
 *
 * <p>Decoder choice: the JDK's ImageIO JPEG reader is libjpeg (6b) compiled into the JDK, a native decoder that is
 * fast enough that the bench (docs/datasets.md) measures decode + augment at or above PIL's; TwelveMonkeys (the only
 * other JPEG decoder on our Maven mirror) wraps the same native reader and adds CMYK/odd JPEGs, which the benchmarks'
 * images do not have. What made decoding slow before was reading pixels one {@code getRGB} call at a time: here the
 * raster's byte buffer is copied directly for the common layouts (3-byte BGR from JPEG, grey), falling back to one
 * bulk {@code getRGB} for anything else (palette PNG, alpha).
 *
 * @param width  pixels
 * @param height pixels
 * @param rgb    {@code height × width × 3} bytes, row-major, R G B
 */
public record DecodedImage(int width, int height, byte[] rgb) {

    /**
     * @param encoded JPEG or PNG bytes
     * @param where   names the image in messages (file and line of its list entry)
     * @throws DatasetSpecException when the bytes are not a decodable image
     */
    public static DecodedImage decode(byte[] encoded, String where) {
        BufferedImage image;
        // an in-memory stream: ImageIO.read would otherwise spool every image through a temporary file
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new DatasetSpecException(where + ": field 'image' is not a decodable image (" + encoded.length
                        + " bytes), expected a JPEG or PNG");
            }
            ImageReader reader = readers.next();
            List<String> warnings = new ArrayList<>(1);
            try {
                reader.setInput(in, true, true);
                // a truncated JPEG decodes "successfully" with grey rows and only a warning: treat it as corrupt
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                image = reader.read(0);
            } finally {
                reader.dispose();
            }
            if (!warnings.isEmpty()) {
                throw new DatasetSpecException(where + ": field 'image' is corrupt (" + warnings.get(0)
                        + "), expected a complete JPEG or PNG");
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof DatasetSpecException d) {
                throw d;
            }
            throw new DatasetSpecException(where + ": field 'image' cannot be decoded (" + e.getMessage()
                    + "), expected a JPEG or PNG", e);
        }
        return of(image);
    }

    /** Converts a decoded image, copying its raster directly when the layout allows it. */
    public static DecodedImage of(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] out = new byte[w * h * 3];
        int type = image.getType();
        if ((type == BufferedImage.TYPE_3BYTE_BGR || type == BufferedImage.TYPE_BYTE_GRAY)
                && image.getRaster().getDataBuffer() instanceof DataBufferByte buffer
                && image.getRaster().getSampleModelTranslateX() == 0
                && image.getRaster().getSampleModelTranslateY() == 0) {
            byte[] src = buffer.getData();
            if (type == BufferedImage.TYPE_3BYTE_BGR) {
                for (int p = 0, n = w * h * 3; p < n; p += 3) {
                    out[p] = src[p + 2];
                    out[p + 1] = src[p + 1];
                    out[p + 2] = src[p];
                }
            } else {
                for (int p = 0, n = w * h; p < n; p++) {
                    byte v = src[p];
                    out[3 * p] = v;
                    out[3 * p + 1] = v;
                    out[3 * p + 2] = v;
                }
            }
            return new DecodedImage(w, h, out);
        }
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        for (int p = 0; p < argb.length; p++) {
            int v = argb[p];
            out[3 * p] = (byte) (v >> 16);
            out[3 * p + 1] = (byte) (v >> 8);
            out[3 * p + 2] = (byte) v;
        }
        return new DecodedImage(w, h, out);
    }
}
