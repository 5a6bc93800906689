package dev.vlltr.core.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The evaluation geometry every image split is decoded at (resize of the shorter side, centre crop; the bytes
 * {@link InMemorySplits} holds and {@link LazySplitImages} reads) against Pillow's own output for the same PNG.
 */
class EvalResizeMatchesPillowTest {

    /** The pattern image of the Pillow reference files: v(x, y, c) = (7x + 13y + 50c + (xy mod 11)) mod 256. */
    static byte[] patternPng() throws IOException {
        BufferedImage img = new BufferedImage(37, 23, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 23; y++) {
            for (int x = 0; x < 37; x++) {
                int[] v = new int[3];
                for (int c = 0; c < 3; c++) {
                    v[c] = (x * 7 + y * 13 + c * 50 + (x * y) % 11) % 256;
                }
                img.setRGB(x, y, (v[0] << 16) | (v[1] << 8) | v[2]);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    /**
     * Reference outputs of Pillow 9.4 (Debian python3-pil): {@code Image.resize(BILINEAR)} of the shorter side
     * ({@code convert('L')} first for one channel), torchvision's {@code int(round((H - crop) / 2))} centre crop, CHW
     * bytes (test resources data/pil-*.bin). The resampler keeps floats between its two passes where Pillow rounds to
     * 8 bits, hence one grey level of tolerance.
     */
    @Test
    void evalGeometryMatchesPillowResizeAndCenterCrop() throws IOException {
        byte[] png = patternPng();
        check(png, 3, 11, 8, "pil-rgb-r11-c8.bin");
        check(png, 1, 10, 8, "pil-grey-r10-c8.bin");
        check(png, 3, 5, 5, "pil-rgb-r5-c5.bin");
    }

    private static void check(byte[] png, int channels, int resize, int crop, String reference) throws IOException {
        byte[] expected;
        try (InputStream in = EvalResizeMatchesPillowTest.class.getResourceAsStream("/data/" + reference)) {
            expected = in.readAllBytes();
        }
        List<Double> zeros = Collections.nCopies(channels, 0.0);
        List<Double> ones = Collections.nCopies(channels, 1.0);
        ImageTransform eval = ImageTransform.eval(new DatasetSpec.Geometry(channels, zeros, ones, null,
                new DatasetSpec.EvalGeometry(resize, crop)));
        float[] f = new float[channels * crop * crop];
        eval.apply(png, reference, null, f, 0);
        assertEquals(expected.length, f.length, reference);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i] & 0xff, Math.round(f[i] * 255f), 1, reference + " value " + i);
        }
    }
}
