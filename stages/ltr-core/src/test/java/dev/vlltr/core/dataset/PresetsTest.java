package dev.vlltr.core.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped presets resolve against their published file names and formats: each spec is copied into a folder
 * holding miniature versions of the distributed files (real published lines, two classes) and read through it.
 */
class PresetsTest {

    @TempDir
    Path dir;

    ResolvedDataset resolvePreset(String name) throws IOException {
        Path spec = FolderFiles.repositoryDatasets().resolve(name).resolve("dataset.yaml");
        DatasetSpec s;
        try (InputStream in = Files.newInputStream(spec)) {
            s = DatasetSpecReader.read(in, name);
        }
        return DatasetResolver.resolve(s, name, new FolderFiles(dir), new FolderFiles(dir), Problems.failFast());
    }

    @Test
    void imagenetLtReadsThePublishedListNames() throws IOException {
        Files.writeString(dir.resolve("ImageNet_LT_classes.txt"), "n01440764\nn01443537\n");
        Files.writeString(dir.resolve("ImageNet_LT_train.txt"), "train/n01440764/n01440764_10026.JPEG 0\n"
                + "train/n01440764/n01440764_190.JPEG 0\ntrain/n01443537/n01443537_10007.JPEG 1\n");
        Files.writeString(dir.resolve("ImageNet_LT_val.txt"), "train/n01440764/n01440764_2265.JPEG 0\n"
                + "train/n01443537/n01443537_1219.JPEG 1\n");
        Files.writeString(dir.resolve("ImageNet_LT_test.txt"), "val/n01440764/ILSVRC2012_val_00000293.JPEG 0\n"
                + "val/n01443537/ILSVRC2012_val_00000236.JPEG 1\n");
        ResolvedDataset d = resolvePreset("imagenet-lt");
        assertEquals(List.of("n01440764", "n01443537"), d.classNames());
        assertArrayEquals(new int[] {2, 1}, d.train().classCounts());
        assertEquals("val/n01440764/ILSVRC2012_val_00000293.JPEG", d.test().paths().get(0));
    }

    @Test
    void placesLtReadsItsCategoriesFileAndTheV2Lists() throws IOException {
        Files.writeString(dir.resolve("categories_places365.txt"), "/a/airfield 0\n/a/airplane_cabin 1\n");
        Files.createDirectories(dir.resolve("Places_LT_v2"));
        for (String split : List.of("train", "val", "test")) {
            Files.writeString(dir.resolve("Places_LT_v2/Places_LT_" + split + ".txt"),
                    "data_256/a/airfield/00000003.jpg 0\ndata_256/a/airplane_cabin/00000001.jpg 1\n");
        }
        ResolvedDataset d = resolvePreset("places-lt");
        assertEquals(List.of("/a/airfield", "/a/airplane_cabin"), d.classNames());
        assertEquals(2, d.val().size());
    }

    @Test
    void inaturalistReadsTheChallengeJson() throws IOException {
        Files.writeString(dir.resolve("categories.json"), """
                [{"id": 0, "name": "Aaa bbb", "kingdom": "Plantae"}, {"id": 1, "name": "Ccc ddd", "kingdom": "Aves"}]
                """);
        String split = """
                {"info": {"year": 2018}, "licenses": [],
                 "images": [{"id": 1, "file_name": "train_val2018/Plantae/0/3b60c9486db1d2ee875f11a669fbde4a.jpg",
                             "width": 800, "height": 600, "license": 3, "rights_holder": "x"},
                            {"id": 2, "file_name": "train_val2018/Aves/1/0b8a2a7b0c6e0b0f.jpg"}],
                 "annotations": [{"id": 1, "image_id": 1, "category_id": 0}, {"id": 2, "image_id": 2, "category_id": 1}],
                 "categories": [{"id": 0, "name": "Aaa bbb"}, {"id": 1, "name": "Ccc ddd"}]}
                """;
        Files.writeString(dir.resolve("train2018.json"), split);
        Files.writeString(dir.resolve("val2018.json"), split);
        ResolvedDataset d = resolvePreset("inaturalist-2018");
        assertEquals(List.of("Aaa bbb", "Ccc ddd"), d.classNames());
        assertArrayEquals(new int[] {0, 1}, d.train().labels());
        assertEquals(d.val().paths(), d.test().paths(), "val2018 serves as the test split, as in the papers");
    }
}
