package dev.vlltr.stage.cvlp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vlltr.runtime.testing.CommandRun;
import dev.vlltr.runtime.testing.PublishedOutputs;
import dev.vlltr.stagedata.GeneratedDatasets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same images in the three layouts a dataset spec can name — an ImageNet-LT list, an image folder per class, and
 * iNaturalist-2018 COCO-style JSON — go through the cvlp stage (one tiny epoch) and give the same split: the same
 * training images per class (reversed order, class 9 the head) and the same number of images trained on.
 */
class CvlpDatasetLayoutsTest {

    private static final String[] TINY = {"--param", "depth=8", "--param", "embed-dim=16", "--param",
        "text-hidden-dim=32", "--param", "batch-size=16", "--param", "warmup-epochs=0", "--param", "epochs=1",
        "--param", "eval-batch-size=64"};

    @TempDir
    Path tmp;

    @Test
    void listFolderAndINaturalistLayoutsGiveTheSameSplit() throws IOException {
        Path data = tmp.resolve("jpeg-lt");
        GeneratedDatasets.write(data, GeneratedDatasets.SPEC_IN_MEMORY);
        String list = Files.readString(data.resolve("dataset.yaml"));

        // image folders: GeneratedDatasets writes images/<split>/<label>/<i>.jpg, one folder per class (by label)
        Files.writeString(data.resolve("folder.yaml"), list.replace("name: fmnist-jpeg-lt", "name: fmnist-jpeg-folder")
                .replace("train: {format: list, file: train.txt}", "train: {format: folder, dir: images/train}")
                .replace("val: {format: list, file: val.txt}", "val: {format: folder, dir: images/val}")
                .replace("test: {format: list, file: test.txt}", "test: {format: folder, dir: images/test}"));
        // iNaturalist 2018 JSON written from the list files: images, annotations (category_id = label), categories
        for (String split : List.of("train", "val", "test")) {
            writeINaturalist(data.resolve(split + ".txt"), data.resolve("classes.txt"), data.resolve(split + ".json"));
        }
        Files.writeString(data.resolve("inat.yaml"), list.replace("name: fmnist-jpeg-lt", "name: fmnist-jpeg-inat")
                .replace("{format: list, file: train.txt}", "{format: inaturalist, file: train.json}")
                .replace("{format: list, file: val.txt}", "{format: inaturalist, file: val.json}")
                .replace("{format: list, file: test.txt}", "{format: inaturalist, file: test.json}"));

        JsonNode fromList = run("list", data.resolve("dataset.yaml"));
        JsonNode fromFolder = run("folder", data.resolve("folder.yaml"));
        JsonNode fromINat = run("inat", data.resolve("inat.yaml"));
        assertEquals(24, fromList.get("trainCounts").get(9).intValue(), "reversed order: class 9 is the head");
        assertEquals(fromList.get("trainCounts"), fromFolder.get("trainCounts"), "folder layout");
        assertEquals(fromList.get("trainCounts"), fromINat.get("trainCounts"), "iNaturalist layout");
    }

    /** Runs cvlp on the spec; returns its published long-tail split record. */
    private JsonNode run(String runId, Path spec) throws IOException {
        Path corpus = tmp.resolve("text-crawl").resolve("manifest.json");
        if (!Files.exists(corpus)) {
            StageTestSupport.corpusManifest(tmp.resolve("text-crawl"));
        }
        List<String> args = new ArrayList<>(List.of("--run-id", runId, "--artifact-root",
                tmp.resolve("root").toString(), "--xcom-dir", tmp.resolve("no-xcom").toString(), "--tracking-uri",
                "none", "--input", "corpus=" + corpus, "--input", "dataset=" + spec.toUri()));
        args.addAll(List.of(TINY));
        CommandRun r = CommandRun.of(new CvlpCommand(), args.toArray(String[]::new));
        assertEquals(0, r.code(), runId + ": " + r.err());
        Path dir = tmp.resolve("root").resolve(runId).resolve("cvlp");
        JsonNode manifest = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile());
        JsonNode split = new ObjectMapper().readTree(PublishedOutputs.in(dir, "long-tail-split.json").toFile());
        int total = 0;
        for (JsonNode n : split.get("trainCounts")) {
            total += n.intValue();
        }
        assertEquals(total, manifest.get("metrics").get("train_images").intValue(), runId);
        return split;
    }

    private static void writeINaturalist(Path listFile, Path classFile, Path out) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        ArrayNode images = root.putArray("images");
        ArrayNode annotations = root.putArray("annotations");
        int id = 0;
        for (String line : Files.readAllLines(listFile)) {
            if (line.isBlank()) {
                continue;
            }
            int cut = line.lastIndexOf(' ');
            images.addObject().put("id", id).put("file_name", line.substring(0, cut));
            annotations.addObject().put("id", id).put("image_id", id)
                    .put("category_id", Integer.parseInt(line.substring(cut + 1)));
            id++;
        }
        ArrayNode categories = root.putArray("categories");
        List<String> names = Files.readAllLines(classFile);
        for (int c = 0; c < names.size(); c++) {
            categories.addObject().put("id", c).put("name", names.get(c));
        }
        json.writeValue(out.toFile(), root);
    }
}
