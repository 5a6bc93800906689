package dev.vlltr.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlltr.stagedata.GeneratedDatasets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dataset check} on a local dataset folder: each kind of bad input exits 2 with a message naming file, line and
 * field, and writes no histogram; the image-folder and iNaturalist-JSON layouts pass.
 */
class CheckBadInputTest {

    @TempDir
    Path dir;
    Path data;
    Path png;

    @BeforeEach
    void generate() throws Exception {
        data = dir.resolve("data");
        GeneratedDatasets.write(data);
        png = dir.resolve("out/counts.png");
    }

    record Run(int exit, String out, String err) {}

    Run check(String... extra) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CheckCommand c = new CheckCommand();
        c.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        c.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(List.of(data.resolve("dataset.yaml").toString(), "--histogram",
                png.toString()));
        args.addAll(List.of(extra));
        int exit = new picocli.CommandLine(c).execute(args.toArray(String[]::new));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    void assertBadInput(String expected) {
        Run r = check();
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in:\n" + r.err());
        assertFalse(Files.exists(png), "no histogram for bad input");
    }

    List<String> lines(String file) throws Exception {
        return new ArrayList<>(Files.readAllLines(data.resolve(file)));
    }

    @Test
    void aGoodDatasetPassesAndWritesTheHistogram() {
        Run r = check();
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("train: head 24, tail 3 images per class, imbalance factor 8.0"), r.out());
        assertTrue(Files.isRegularFile(png));
    }

    @Test
    void theShippedFashionMnistSpecChecksFromTheDebianPackage() throws Exception {
        Path repo = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(repo.resolve("datasets/fmnist-lt-quick"))) {
            repo = repo.getParent();
        }
        data = repo.resolve("datasets/fmnist-lt-quick");
        Run r = check();
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("dataset fmnist-lt-quick: 10 classes; train 1222, val 100, test 10000 images"),
                r.out());
        assertTrue(r.out().contains("train: head 300, tail 30 images per class, imbalance factor 10.0"), r.out());
    }

    @Test
    void aCorruptJpegIsNamedWithListFileAndLine() throws Exception {
        String first = lines("train.txt").get(4).split(" ")[0];
        byte[] good = Files.readAllBytes(data.resolve(first));
        Files.write(data.resolve(first), java.util.Arrays.copyOf(good, good.length / 2));
        assertBadInput("train.txt line 5: field 'image' '" + first + "'");
    }

    @Test
    void aLabelOutOfRangeIsNamed() throws Exception {
        List<String> l = lines("val.txt");
        l.set(2, l.get(2).replaceAll(" \\d+$", " 10"));
        Files.write(data.resolve("val.txt"), l);
        assertBadInput("val.txt line 3: field 'label' is 10, expected 0..9");
    }

    @Test
    void aMissingImageIsNamed() throws Exception {
        String path = lines("test.txt").get(6).split(" ")[0];
        Files.delete(data.resolve(path));
        assertBadInput("test.txt line 7: field 'path' '" + path + "' does not exist");
    }

    @Test
    void aDuplicatePathIsNamed() throws Exception {
        List<String> l = lines("train.txt");
        l.add(l.get(0));
        Files.write(data.resolve("train.txt"), l);
        assertBadInput("train.txt line " + l.size() + ": field 'path' '" + l.get(0).split(" ")[0]
                + "' is listed twice (first on line 1)");
    }

    @Test
    void anEmptyClassMeansTheClassFileAndListDisagree() throws Exception {
        List<String> classes = lines("classes.txt");
        classes.add("Umbrella");
        Files.write(data.resolve("classes.txt"), classes);
        assertBadInput("train.txt: field 'label' never takes the value 10 (class 'Umbrella' is empty)");
    }

    @Test
    void anUnknownSpecFieldIsNamed() throws Exception {
        Files.writeString(data.resolve("dataset.yaml"), Files.readString(data.resolve("dataset.yaml"))
                .replace("flip: 0.5", "flip: 0.5, mirror: true"));
        assertBadInput("dataset.yaml: field 'geometry.train.mirror': unknown field");
    }

    @Test
    void uploadOfAMissingFolderOrToABadUriExitsTwo() {
        for (String[] args : new String[][] {{dir.resolve("nope").toString(), "s3://datasets/x"},
            {data.toString(), "ftp://host/x"}}) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            UploadCommand u = new UploadCommand();
            u.err = new PrintStream(err, true, StandardCharsets.UTF_8);
            assertEquals(2, new picocli.CommandLine(u).execute(args), err.toString(StandardCharsets.UTF_8));
            String msg = err.toString(StandardCharsets.UTF_8);
            assertTrue(msg.contains("is not a folder") || msg.contains("unsupported scheme in 'ftp://host/x'"), msg);
        }
    }

    @Test
    void imageFolderAndINaturalistLayoutsPass() throws Exception {
        // test split as an image folder (images/test/<label>/...), val as COCO-style JSON
        StringBuilder json = new StringBuilder("{\"images\": [");
        StringBuilder ann = new StringBuilder("], \"annotations\": [");
        List<String> val = lines("val.txt");
        for (int i = 0; i < val.size(); i++) {
            String[] p = val.get(i).split(" ");
            json.append(i > 0 ? "," : "").append("{\"id\": ").append(i).append(", \"file_name\": \"").append(p[0])
                    .append("\"}");
            ann.append(i > 0 ? "," : "").append("{\"image_id\": ").append(i).append(", \"category_id\": ")
                    .append(p[1]).append("}");
        }
        Files.writeString(data.resolve("val2018.json"), json.append(ann).append("]}"));
        Files.writeString(data.resolve("dataset.yaml"), Files.readString(data.resolve("dataset.yaml"))
                .replace("val: {format: list, file: val.txt}", "val: {format: inaturalist, file: val2018.json}")
                .replace("test: {format: list, file: test.txt}", "test: {format: folder, dir: images/test}"));
        Run r = check();
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains(", val 30, test 40 images"), r.out());
        assertTrue(r.err().contains("val2018.json: 30 of 30 images decode"), r.err());
    }
}
