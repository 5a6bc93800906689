package dev.vlltr.orchestration.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlltr.core.data.LongTailSplit;
import dev.vlltr.orchestration.PipelineSpecReader;
import dev.vlltr.runtime.testing.MinioServer;
import dev.vlltr.stagedata.GeneratedDatasets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue #12's "done when", as a user does it: lay out your own long-tailed JPEG dataset (Fashion-MNIST as RGB JPEGs in
 * list layout, classes in reversed order), upload it to MinIO with {@code dataset upload}, and run the whole quick
 * pipeline on it from {@code s3://} with {@code vlltr-local --quick --dataset s3://…/dataset.yaml} through evaluation
 * and registration (the registry on its embedded PostgreSQL). Kept small: 80 images in the head class, the quick
 * profile's epochs (CVLP needs two: one is warm-up), one re-calibration method.
 */
class OwnDatasetPipelineTest {

    static final Path REPO = PipelineSpecReader.findRepositoryRoot();
    static final Path DATASET_TOOL = REPO.resolve("tools/dataset/target/quarkus-app/quarkus-run.jar");
    static final String SPEC_URI = "s3://datasets/fmnist-jpeg-lt/dataset.yaml";

    @Test
    void quickPipelineRunsOnAnUploadedJpegListDatasetFromS3(@TempDir Path tmp) throws Exception {
        // 1. the user's dataset (stage-data's GeneratedDatasets, in docs/datasets.md's list layout, with the in-memory
        //    geometry): n_max 80, IF 10, reversed order (327 training images: more than two of cvlp's batches of 128
        //    per epoch); 2 val and 4 test images per class
        Path folder = tmp.resolve("fmnist-jpeg-lt");
        LongTailSplit split = GeneratedDatasets.write(folder, GeneratedDatasets.SPEC_IN_MEMORY, 80, 10.0, 2, 4);
        int[] counts = split.trainCounts();
        assertEquals(80, counts[9], "reversed order: class 9 is the head");
        assertEquals(8, counts[0], "and class 0 the tail");

        try (MinioServer minio = MinioServer.start(tmp.resolve("minio"))) {
            minio.createBucket("datasets");
            Map<String, String> s3 = new LinkedHashMap<>();
            s3.put("VLLTR_S3_ENDPOINT", minio.endpoint());
            s3.put("VLLTR_S3_ACCESS_KEY", MinioServer.ACCESS);
            s3.put("VLLTR_S3_SECRET_KEY", MinioServer.SECRET);

            // 2. upload it as docs/datasets.md says: dataset upload <dir> s3://...
            ProcessBuilder upload = new ProcessBuilder(javaExe().toString(), "-jar", DATASET_TOOL.toString(),
                    "upload", folder.toString(), "s3://datasets/fmnist-jpeg-lt")
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("upload.log").toFile());
            upload.environment().putAll(s3);
            Process p = upload.start();
            assertTrue(p.waitFor(5, TimeUnit.MINUTES), "dataset upload did not finish in 5 minutes");
            String uploadLog = Files.readString(tmp.resolve("upload.log"));
            assertEquals(0, p.exitValue(), uploadLog);
            assertTrue(uploadLog.contains("uploaded "), uploadLog);

            // 3. the whole quick pipeline from s3://, artifacts and tracking in the work folder
            Path work = tmp.resolve("work");
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            PrintStream saved = System.out;
            System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            int code;
            try {
                LocalRunCommand command = new LocalRunCommand();
                command.stageEnv.putAll(s3);
                code = new CommandLine(command).execute("--quick", "--dataset", SPEC_URI,
                        // 323 training images hold no cRT batch of 512: without this the stage refuses (exit 2)
                        "--param", "methods=crt", "--param", "recalibration_batch_size=256", "--run-id", "own",
                        "--work-dir", work.toString(), "--repo", REPO.toString(),
                        "--jvm-option", "-Dai.djl.pytorch.num_threads=1");
            } finally {
                System.setOut(saved);
            }
            String out = bytes.toString(StandardCharsets.UTF_8);
            System.out.println(out);   // in the surefire report
            assertEquals(0, code, out);
            List<String> done = out.lines().filter(l -> l.matches("\\[\\s*\\d+/6\\] \\S+\\s+done\\s.*")).toList();
            assertEquals(6, done.size(), "text-crawl, cvlp, anchor-selection, lgr, recalibration[crt], evaluation:\n"
                    + out);
            done.forEach(l -> assertTrue(!l.contains("NaN"), "every headline metric is a number: " + l));

            // 4. the report: per class, the training images the pipeline read; class 9 (Ankle boot) is the head
            WorkFolder folderOfRun = new WorkFolder(work);
            Path report = folderOfRun.report("own").orElseThrow(() -> new AssertionError("no report\n" + out));
            String html = Files.readString(report);
            Map<String, Integer> reported = trainCountsIn(html, List.of("T-shirt/top", "Trouser", "Pullover",
                    "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"));
            List<Integer> expected = new ArrayList<>();
            for (int c : counts) {
                expected.add(c);
            }
            assertEquals(expected, new ArrayList<>(reported.values()), "train images per class in the report");
            assertEquals(80, reported.get("Ankle boot"));
            assertEquals(8, reported.get("T-shirt/top"));

            // 5. registered into the quick model; its lineage (queried from the registry on the run's database)
            //    names the dataset it was trained on: the spec's s3:// URI and the digest of spec + list files
            Path registration = folderOfRun.evaluationOutput("own", "registration")
                    .orElseThrow(() -> new AssertionError("no registration output\n" + out));
            JsonNode reg = new ObjectMapper().readTree(registration.toFile());
            assertEquals("registered: vl-ltr-quick version 1", reg.path("registry").path("status").asText(),
                    reg.toString());
            try (EmbeddedRegistry registry = EmbeddedRegistry.start(javaExe(),
                    REPO.resolve(LocalRunCommand.REGISTRY_JAR), folderOfRun.registryDb(),
                    tmp.resolve("registry-query.log"), Duration.ofMinutes(3))) {
                HttpResponse<String> v1 = QuickPipelineTest.get(
                        registry.url().resolve("/api/v1/models/vl-ltr-quick/versions/1"), registry.apiKey());
                assertEquals(200, v1.statusCode(), v1.body());
                JsonNode lineage = new ObjectMapper().readTree(v1.body()).get("lineage");
                assertTrue(lineage.get("datasetId").asText().matches(Pattern.quote(SPEC_URI) + "@sha256:[0-9a-f]{64}"),
                        "lineage names the dataset: " + lineage);
                assertEquals("own", lineage.get("pipelineRunId").asText());
            }
        }
    }

    /** The "train images" column of the report's per-class table, in class order. */
    static Map<String, Integer> trainCountsIn(String html, List<String> classNames) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String name : classNames) {
            String escaped = name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
            Matcher m = Pattern.compile("<t[dh][^>]*>\\s*" + Pattern.quote(escaped)
                    + "\\s*</t[dh]>\\s*<td[^>]*>\\s*(\\d+)\\s*</td>").matcher(html);
            assertTrue(m.find(), "no per-class row for " + name + " in the report");
            out.put(name, Integer.parseInt(m.group(1)));
        }
        return out;
    }

    static Path javaExe() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }
}
