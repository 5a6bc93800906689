package dev.vlltr.runtime.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ReportTest {

    static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
            "Shirt", "Sneaker", "Bag", "Ankle boot");
    static final long[] COUNTS = {6000, 3596, 2156, 1292, 774, 464, 278, 166, 100, 60};

    static BufferedImage decode(byte[] png) throws Exception {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertTrue(img != null, "not a decodable PNG");
        return img;
    }

    /** True when the image has pixels other than the background (something was drawn). */
    static boolean hasInk(BufferedImage img) {
        int bg = img.getRGB(0, 0);
        int distinct = 0;
        for (int y = 0; y < img.getHeight(); y += 7) {
            for (int x = 0; x < img.getWidth(); x += 7) {
                if (img.getRGB(x, y) != bg) {
                    distinct++;
                }
            }
        }
        return distinct > 100;
    }

    @Test
    void plotsRenderAsPngs() throws Exception {
        Map<String, double[]> acc = new LinkedHashMap<>();
        acc.put("joint", new double[] {.95, .97, .85, .88, .80, .90, .40, .85, .90, .60});
        acc.put("cRT", new double[] {.92, .96, .82, .86, .82, .93, .55, .88, .94, .80});
        BufferedImage perClass = decode(Plots.perClassAccuracy("per-class accuracy", COUNTS, acc));
        assertEquals(900, perClass.getWidth());
        assertTrue(hasInk(perClass));

        double[] upper = {0.2, 0.4, 0.6, 0.8, 1.0};
        BufferedImage rel = decode(Plots.reliabilityDiagram("reliability", upper,
                new double[] {Double.NaN, 0.3, 0.55, 0.7, 0.93}, new double[] {Double.NaN, 0.35, 0.5, 0.72, 0.95}));
        assertTrue(hasInk(rel));

        long[][] cm = new long[10][10];
        for (int i = 0; i < 10; i++) {
            cm[i][i] = 80;
            cm[i][(i + 1) % 10] = 20;
        }
        BufferedImage conf = decode(Plots.confusionMatrix("confusion", CLASSES, cm));
        assertTrue(hasInk(conf));
        Path out = Path.of("target", "report-samples");
        Files.createDirectories(out);
        Files.write(out.resolve("confusion.png"), Plots.confusionMatrix("confusion", CLASSES, cm));
        Files.write(out.resolve("per-class.png"), Plots.perClassAccuracy("per-class accuracy", COUNTS, acc));

        assertTrue(hasInk(decode(Plots.groupedBars("shot splits", "accuracy", List.of("many", "medium", "few"),
                Map.of("joint", new double[] {.9, .7, Double.NaN}, "cRT", new double[] {.88, .75, .5})))));
        assertTrue(hasInk(decode(Plots.lines("loss", "epoch", "loss", new double[] {0, 1, 2},
                Map.of("train", new double[] {2.3, 1.2, 0.8})))));
        assertThrows(IllegalArgumentException.class,
                () -> Plots.perClassAccuracy("bad", COUNTS, Map.of("x", new double[] {1, 2})));
    }

    @Test
    void htmlIsSelfContainedAndEscaped() throws Exception {
        byte[] png = Plots.lines("l", "x", "y", new double[] {0, 1}, Map.of("a", new double[] {1, 2}));
        String html = new HtmlReport("Run <r1> & co")
                .heading("Comparison")
                .table(List.of(List.of("method", "top-1"), List.of("<script>alert(1)</script>", "0.812")))
                .image("a plot", png)
                .render();
        assertTrue(html.contains("<title>Run &lt;r1&gt; &amp; co</title>"));
        assertTrue(html.contains("<td>&lt;script&gt;alert(1)&lt;/script&gt;</td><td class=\"num\">0.812</td>"));
        assertFalse(html.contains("<script>"));
        assertTrue(html.contains("src=\"data:image/png;base64,"));
        assertFalse(html.matches("(?s).*(src|href)=\"(https?:|//).*"), "no external resources");
    }

    @Test
    void theSelectedRowIsMarkedAndSecondaryColumnsCollapseWithoutAScript() {
        String html = new HtmlReport("r")
                .table(List.of(List.of("model", "method", "top-1", "terciles few"), List.of("a", "crt", "0.81", "0.5"),
                        List.of("b", "tau", "0.84", "0.6")), 1, java.util.Set.of(1, 3))
                .render();
        assertTrue(html.contains("<tr class=\"selected\" title=\"selected\"><td><span class=\"mark\">&#9733;</span> b"
                + "</td><td class=\"secondary\">tau</td><td class=\"num\">0.84</td><td class=\"num secondary\">0.6"
                + "</td></tr>"), html);
        assertTrue(html.contains("<tr><td>a</td>"), "only the selected row is marked: " + html);
        assertTrue(html.contains("<th class=\"secondary\">method</th><th>top-1</th>"), html);
        assertTrue(html.contains("<input type=\"checkbox\" id=\"t1-all\"><label for=\"t1-all\">show all 4 columns"),
                html);
        assertTrue(html.contains(".cols>input:not(:checked)~table .secondary{display:none}"), html);
        assertTrue(html.contains("tr.selected td{background:"), html);
        assertFalse(html.contains("<script"));
    }

    @Test
    void perClassCountTicksReadAsRoundedCounts() {
        assertEquals("160", Plots.twoSignificantDigits(Math.log10(158.49)));
        assertEquals("4000", Plots.twoSignificantDigits(Math.log10(3981.07)));
        assertEquals("63", Plots.twoSignificantDigits(Math.log10(63.0957)));
        assertEquals("6", Plots.twoSignificantDigits(Math.log10(6.2)));
    }

    @Test
    void confusionMatrixNamesUpToFortyClassesAndCountsMore() throws Exception {
        long[][] small = new long[10][10];
        long[][] large = new long[60][60];
        for (int i = 0; i < 60; i++) {
            large[i][i] = 5;
            if (i < 10) {
                small[i][i] = 5;
            }
        }
        List<String> many = java.util.stream.IntStream.range(0, 60).mapToObj(i -> "class-" + i).toList();
        BufferedImage labelled = decode(Plots.confusionMatrix("c", CLASSES, small));
        BufferedImage counted = decode(Plots.confusionMatrix("c", many, large));
        assertEquals(900, labelled.getHeight(), "square, with room for the rotated class names");
        assertTrue(hasInk(labelled) && hasInk(counted));
        Files.createDirectories(Path.of("target", "report-samples"));
        Files.write(Path.of("target", "report-samples", "confusion-60.png"), Plots.confusionMatrix("c", many, large));
    }
}
