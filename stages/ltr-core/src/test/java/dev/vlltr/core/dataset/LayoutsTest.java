package dev.vlltr.core.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three split layouts and the class-file formats, on published lines and small generated folders. */
class LayoutsTest {

    @TempDir
    Path dir;

    static InputStream text(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    static String problems(Problems p) {
        return p.kept().stream().map(Problems.Problem::toString).collect(Collectors.joining("\n"));
    }

    @Test
    void publishedListLinesParseAsTheyAre() throws IOException {
        // copied from the published ImageNet_LT_train.txt / _test.txt and the iNaturalist18_train.txt lists
        String imagenet = """
                train/n01440764/n01440764_10026.JPEG 0
                train/n01440764/n01440764_190.JPEG 0
                val/n01443537/ILSVRC2012_val_00000994.JPEG 1
                """;
        LabelledImages l = ListFileReader.read(text(imagenet), "ImageNet_LT_train.txt", 1000, Problems.failFast());
        assertEquals(List.of("train/n01440764/n01440764_10026.JPEG", "train/n01440764/n01440764_190.JPEG",
                "val/n01443537/ILSVRC2012_val_00000994.JPEG"), l.paths());
        assertArrayEquals(new int[] {0, 0, 1}, l.labels());
        assertArrayEquals(new int[] {1, 2, 3}, l.lines());
        LabelledImages inat = ListFileReader.read(text(
                "train_val2018/Plantae/7477/3b60c9486db1d2ee875f11a669fbde4a.jpg 7477\n"), "iNaturalist18_train.txt",
                8142, Problems.failFast());
        assertEquals(7477, inat.labels()[0]);
        LabelledImages places = ListFileReader.read(text("data_256/a/airfield/00000003.jpg 0\r\n"
                + "data_256/z/zen_garden/00004920.jpg 364\r\n"), "Places_LT_train.txt", 365, Problems.failFast());
        assertArrayEquals(new int[] {0, 364}, places.labels(), "CRLF line ends too");
    }

    @Test
    void everyBadListLineIsReportedWithFileLineAndField() throws IOException {
        String list = """
                a/1.jpg 0
                a/2.jpg 7
                a/1.jpg 1
                /etc/passwd 1
                a/3.jpg one
                a/4.jpg
                b/5.jpg 1
                """;
        Problems p = Problems.collecting(100);
        LabelledImages l = ListFileReader.read(text(list), "train.txt", 2, p);
        assertEquals(5, p.count(), problems(p));
        String all = problems(p);
        assertTrue(all.contains("train.txt line 2: field 'label' is 7, expected 0..1"), all);
        assertTrue(all.contains("train.txt line 3: field 'path' 'a/1.jpg' is listed twice (first on line 1)"), all);
        assertTrue(all.contains("train.txt line 4: field 'path' is '/etc/passwd'"), all);
        assertTrue(all.contains("train.txt line 5: field 'label' is 'one'"), all);
        assertTrue(all.contains("train.txt line 6: field 'label' is missing"), all);
        assertEquals(List.of("a/1.jpg", "b/5.jpg"), l.paths(), "good lines are kept, bad ones left out");
        DatasetSpecException e = assertThrows(DatasetSpecException.class,
                () -> ListFileReader.read(text(list), "train.txt", 2, Problems.failFast()));
        assertEquals("train.txt line 2: field 'label' is 7, expected 0..1 (the class file has 2 classes)",
                e.getMessage());
    }

    @Test
    void imageFolderLayoutMapsFoldersToClassesByName() throws IOException {
        for (String f : List.of("train/cat/1.jpg", "train/cat/sub/2.JPG", "train/dog/3.png", "train/dog/notes.txt",
                "train/1/4.jpeg")) {
            Files.createDirectories(dir.resolve(f).getParent());
            Files.write(dir.resolve(f), new byte[] {1});
        }
        LabelledImages l = ImageFolderReader.read(new FolderFiles(dir), "train", List.of("cat", "dog"),
                Problems.failFast());
        assertEquals(List.of("train/1/4.jpeg", "train/cat/1.jpg", "train/cat/sub/2.JPG", "train/dog/3.png"), l.paths());
        assertArrayEquals(new int[] {1, 0, 0, 1}, l.labels(), "folder '1' is label 1; non-images skipped");

        Files.createDirectories(dir.resolve("train/horse"));
        Files.write(dir.resolve("train/horse/5.jpg"), new byte[] {1});
        Problems p = Problems.collecting(10);
        ImageFolderReader.read(new FolderFiles(dir), "train", List.of("cat", "dog"), p);
        assertTrue(problems(p).contains("field 'class' folder 'horse' (of 'train/horse/5.jpg') is not a class of the"
                + " class file"), problems(p));
    }

    @Test
    void inaturalistJsonGivesLabelsFromAnnotationsAndChecksCategoryNames() throws IOException {
        String json = """
                {"info": {"year": 2018},
                 "images": [{"id": 10, "file_name": "train_val2018/Plantae/1/a.jpg", "width": 800, "height": 600},
                            {"id": 11, "file_name": "train_val2018/Aves/0/b.jpg"}],
                 "categories": [{"id": 0, "name": "Aves sp"}, {"id": 1, "name": "Plantae sp"}],
                 "annotations": [{"id": 1, "image_id": 11, "category_id": 0},
                                 {"id": 2, "image_id": 10, "category_id": 1}]}
                """;
        List<String> classes = INaturalistReader.readCategories(text(json), "train2018.json");
        assertEquals(List.of("Aves sp", "Plantae sp"), classes);
        LabelledImages l = INaturalistReader.read(text(json), "train2018.json", classes, Problems.failFast());
        assertEquals(List.of("train_val2018/Plantae/1/a.jpg", "train_val2018/Aves/0/b.jpg"), l.paths());
        assertArrayEquals(new int[] {1, 0}, l.labels());

        Problems p = Problems.collecting(10);
        INaturalistReader.read(text(json.replace("\"category_id\": 1", "\"category_id\": 5")
                .replace("\"Plantae sp\"", "\"Fungi sp\"")), "train2018.json", classes, p);
        String all = problems(p);
        assertTrue(all.contains("train2018.json: field 'annotations[1].category_id' is 5, expected 0..1"), all);
        assertTrue(all.contains("field 'categories[1].name' is 'Fungi sp' but the class file names class 1"), all);
        assertTrue(all.contains("field 'images[0]' (id 10) has no annotation"), all);
    }

    @Test
    void placesCategoriesFileParsesAsDistributed() throws IOException {
        List<String> names = DatasetResolver.labelledClassNames(text("/a/airfield 0\n/a/airplane_cabin 1\n"
                + "/a/airport_terminal 2\n"), "categories_places365.txt");
        assertEquals(List.of("/a/airfield", "/a/airplane_cabin", "/a/airport_terminal"), names);
        DatasetSpecException e = assertThrows(DatasetSpecException.class,
                () -> DatasetResolver.labelledClassNames(text("/a/airfield 0\n/a/airplane_cabin 0\n"), "c.txt"));
        assertTrue(e.getMessage().startsWith("c.txt line 2: field 'label'"), e.getMessage());
    }

    @Test
    void classFileAndListDisagreeingIsReported() throws IOException {
        Files.writeString(dir.resolve("classes.txt"), "cat\ndog\nhorse\n");
        Files.writeString(dir.resolve("train.txt"), "a.jpg 0\nb.jpg 1\n");
        Files.writeString(dir.resolve("test.txt"), "c.jpg 0\nd.jpg 1\ne.jpg 2\n");
        DatasetSpec spec = DatasetSpecReaderTest.parse(DatasetSpecReaderTest.MINIMAL
                .replace("val: {format: folder, dir: val}", "val: {format: list, file: test.txt}")
                .replace("test: {format: inaturalist, file: test.json}", "test: {format: list, file: test.txt}"));
        Problems p = Problems.collecting(10);
        DatasetResolver.resolve(spec, "dataset.yaml", new FolderFiles(dir), new FolderFiles(dir), p);
        assertTrue(problems(p).contains("train.txt: field 'label' never takes the value 2 (class 'horse' is empty)"),
                problems(p));
        Files.delete(dir.resolve("train.txt"));
        DatasetSpecException e = assertThrows(DatasetSpecException.class, () -> DatasetResolver.resolve(spec,
                "dataset.yaml", new FolderFiles(dir), new FolderFiles(dir), Problems.failFast()));
        assertTrue(e.getMessage().startsWith("dataset spec: field 'splits.train.file' names ")
                && e.getMessage().endsWith("train.txt, which does not exist"), e.getMessage());
    }
}
