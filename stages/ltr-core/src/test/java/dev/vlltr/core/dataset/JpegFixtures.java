package dev.vlltr.core.dataset;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/** Test helper: small generated RGB JPEGs in an ImageNet-LT style list layout. */
final class JpegFixtures {

    private JpegFixtures() {
    }

    /** A {@code width × height} JPEG whose colour depends on {@code label} plus seeded noise. */
    static byte[] jpeg(int width, int height, int label, long seed) throws IOException {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Random r = new Random(seed);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int red = (label * 80 + x * 3 + r.nextInt(20)) & 0xff;
                int green = (y * 4 + r.nextInt(20)) & 0xff;
                int blue = (200 - label * 50 + r.nextInt(20)) & 0xff;
                img.setRGB(x, y, (red << 16) | (green << 8) | blue);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", out);
        return out.toByteArray();
    }

    /**
     * Writes {@code counts[c]} images of class c under {@code root/images/c<c>/} and {@code root/<listName>}.
     *
     * @return the list lines
     */
    static List<String> writeList(Path root, String listName, int[] counts, int width, int height) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int c = 0; c < counts.length; c++) {
            Path dir = Files.createDirectories(root.resolve("images/c" + c));
            for (int i = 0; i < counts[c]; i++) {
                String rel = "images/c" + c + "/" + i + ".jpg";
                Files.write(dir.resolve(i + ".jpg"), jpeg(width + i % 3, height, c, 31L * c + i));
                lines.add(rel + " " + c);
            }
        }
        Files.write(root.resolve(listName), lines);
        return lines;
    }
}
