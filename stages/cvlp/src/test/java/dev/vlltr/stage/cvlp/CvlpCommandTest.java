package dev.vlltr.stage.cvlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlltr.core.data.FashionMnist;
import dev.vlltr.core.data.FeatureTable;
import dev.vlltr.core.model.CvlpModelConfig;
import dev.vlltr.runtime.cli.ParamSpec;
import dev.vlltr.runtime.testing.CommandRun;
import dev.vlltr.runtime.testing.PublishedOutputs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cvlp app in-process on the quick benchmark: help, a tiny run, memoisation, resume, bad input. */
class CvlpCommandTest {

    /** Tiny but real: ResNet-8, 16-d embedding, 6 batches of 64 per epoch from fmnist-lt-quick (1,222 images). */
    static final String[] TINY = {"--input", StageTestSupport.datasetInput("fmnist-lt-quick"), "--param", "depth=8",
        "--param", "embed-dim=16", "--param", "text-hidden-dim=32", "--param", "batch-size=64", "--param", "warmup-epochs=0",
        "--param", "epoch-length=384"};

    @TempDir
    Path tmp;

    static CommandRun run(String... args) {
        return CommandRun.of(new CvlpCommand(), args);
    }

    CommandRun stage(String runId, Path corpus, String... extra) {
        List<String> args = new ArrayList<>(List.of("--run-id", runId, "--artifact-root",
                tmp.resolve("root").toString(), "--xcom-dir", tmp.resolve("no-xcom").toString(), "--tracking-uri",
                "none", "--input", "corpus=" + corpus));
        args.addAll(Arrays.asList(TINY));
        args.addAll(Arrays.asList(extra));
        return run(args.toArray(String[]::new));
    }

    Path dir(String runId) {
        return tmp.resolve("root").resolve(runId).resolve("cvlp");
    }

    JsonNode manifest(String runId) throws IOException {
        return new ObjectMapper().readTree(dir(runId).resolve("manifest.json").toFile());
    }

    @Test
    void helpDocumentsParametersInputsAndOutputs() {
        CommandRun r = run("--help");
        assertEquals(0, r.code(), r.err());
        for (ParamSpec p : CvlpSettings.PARAMS) {
            assertTrue(r.out().contains("  " + p.name() + " "), "help lacks parameter " + p.name() + ":\n" + r.out());
        }
        for (String s : new String[] {"corpus", "teacher", "teacher-torchscript", "cvlp-encoders.params",
            "model-config.json", "sentence-embeddings.vlft", "text-features.vlft", "long-tail-split.json",
            "(default: sqrt)"}) {
            assertTrue(r.out().contains(s), "help lacks '" + s + "':\n" + r.out());
        }
    }

    @Test
    void tinyRunWritesEveryOutputIsMemoisedAndResumesExactly() throws IOException {
        StageTestSupport.requireFashionMnist();
        Path corpus = StageTestSupport.corpusManifest(tmp.resolve("text-crawl"));
        CommandRun r = stage("a", corpus, "--param", "epochs=2");
        assertEquals(0, r.code(), r.err());
        JsonNode m = manifest("a");
        for (String out : List.of("encoders", "model-config", "sentence-embeddings", "text-features", "split",
                "history")) {
            assertTrue(m.get("outputs").has(out), "manifest lacks output " + out + ": " + m);
        }
        assertEquals(1.0, m.get("metrics").get("lambda_effective").doubleValue(), "no teacher: lambda = 1");
        assertEquals(30, m.get("metrics").get("sentences").intValue());
        assertEquals(1222, m.get("metrics").get("train_images").intValue());
        double zeroShot = m.get("metrics").get("val_zero_shot_acc").doubleValue();
        assertTrue(zeroShot >= 0 && zeroShot <= 1, m.toString());

        FeatureTable emb = read(PublishedOutputs.in(dir("a"), "sentence-embeddings.vlft"));
        assertEquals(30, emb.rows());
        assertEquals(384, emb.array("embeddings")[0].length);
        assertEquals(FashionMnist.CLASS_NAMES, emb.classNames());
        assertEquals(2, emb.labels()[7]);                      // class 2, its sentence 1
        assertEquals(1f, emb.array("sentence_index")[7][0]);
        double norm = 0;
        for (float v : emb.array("embeddings")[0]) {
            norm += v * v;
        }
        assertEquals(1.0, norm, 1e-4, "MiniLM vectors are L2-normalised");
        FeatureTable text = read(PublishedOutputs.in(dir("a"), "text-features.vlft"));
        assertEquals(16, text.array(FeatureTable.FEATURES)[0].length);

        CvlpModelConfig cfg;
        try (InputStream in = Files.newInputStream(PublishedOutputs.in(dir("a"), "model-config.json"))) {
            cfg = CvlpModelConfig.read(in, "model-config.json");
        }
        assertEquals(8, cfg.visionDepth());
        assertEquals(Math.exp(Math.min(cfg.logitScaleTheta(), Math.log(100))), cfg.logitScale(), 1e-4);
        assertEquals(m.get("inputs").get("corpus").get("sha256").asText().length(), 64);
        JsonNode history = new ObjectMapper().readTree(PublishedOutputs.in(dir("a"), "history.json").toFile());
        assertEquals(2, history.size());
        assertTrue(history.get(1).get("lr").doubleValue() < history.get(0).get("lr").doubleValue(), "cosine decays");

        // memoised: same inputs and parameters -> skipped, manifest untouched
        String finished = m.get("finishedAt").asText();
        assertEquals(0, stage("a", corpus, "--param", "epochs=2").code());
        assertEquals(finished, manifest("a").get("finishedAt").asText());

        // a crash after epoch 1: drop the manifest and the last checkpoint; the rerun resumes from epoch 1
        String encoders = m.get("outputs").get("encoders").get("sha256").asText();
        Files.delete(dir("a").resolve("manifest.json"));
        deleteTree(dir("a").resolve("checkpoints").resolve("epoch-0002"));
        CommandRun resumed = stage("a", corpus, "--param", "epochs=2");
        assertEquals(0, resumed.code(), resumed.err());
        JsonNode m2 = manifest("a");
        assertEquals(1, m2.get("metrics").get("resumed_from_epoch").intValue(), m2.toString());
        assertEquals(encoders, m2.get("outputs").get("encoders").get("sha256").asText(),
                "resumed training must end with the same weights as the uninterrupted run");
    }

    /**
     * The backwards-compatible {@code --param dataset=fmnist-lt-quick} (what the local runner still passes) and the
     * shipped spec as {@code --input dataset=} train the same network bit for bit: same split record, same weights.
     */
    @Test
    void builtInNameAndShippedSpecInputTrainIdentically() throws IOException {
        StageTestSupport.requireFashionMnist();
        Path corpus = StageTestSupport.corpusManifest(tmp.resolve("text-crawl"));
        List<String> tiny = new ArrayList<>(Arrays.asList(TINY).subList(2, TINY.length));
        tiny.addAll(List.of("--param", "epochs=1"));
        List<String> base = List.of("--artifact-root", tmp.resolve("root").toString(), "--xcom-dir",
                tmp.resolve("no-xcom").toString(), "--tracking-uri", "none", "--input", "corpus=" + corpus);
        List<String> byName = new ArrayList<>(List.of("--run-id", "name"));
        byName.addAll(base);
        byName.addAll(tiny);
        byName.addAll(List.of("--param", "dataset=fmnist-lt-quick"));
        List<String> bySpec = new ArrayList<>(List.of("--run-id", "spec"));
        bySpec.addAll(base);
        bySpec.addAll(tiny);
        bySpec.addAll(List.of("--input", StageTestSupport.datasetInput("fmnist-lt-quick")));
        CommandRun a = run(byName.toArray(String[]::new));
        assertEquals(0, a.code(), a.err());
        CommandRun b = run(bySpec.toArray(String[]::new));
        assertEquals(0, b.code(), b.err());
        for (String out : List.of("split", "encoders", "text-features", "model-config")) {
            assertEquals(manifest("name").get("outputs").get(out).get("sha256").asText(),
                    manifest("spec").get("outputs").get(out).get("sha256").asText(), out);
        }
        double wait = new ObjectMapper().readTree(PublishedOutputs.in(dir("spec"), "history.json").toFile()).get(0)
                .get("data_wait_share").doubleValue();
        assertTrue(wait >= 0 && wait <= 1, "data_wait_share is a share: " + wait);
    }

    @Test
    void badInputExitsTwoNamingTheField() throws IOException {
        Path corpus = StageTestSupport.corpusManifest(tmp.resolve("text-crawl"));
        CommandRun depth = stage("bad", corpus, "--param", "depth=9");
        assertEquals(2, depth.code());
        assertTrue(depth.err().contains("'depth'"), depth.err());
        CommandRun dataset = stage("bad", corpus, "--param", "dataset=cifar-lt");
        assertEquals(2, dataset.code());
        assertTrue(dataset.err().contains("'dataset'"), dataset.err());

        StageTestSupport.requireFashionMnist();
        List<String> names = new ArrayList<>(FashionMnist.CLASS_NAMES);
        names.set(3, "Skirt");
        Path wrong = StageTestSupport.corpusManifest(tmp.resolve("wrong"), names);
        CommandRun mismatch = stage("bad", wrong, "--param", "epochs=1");
        assertEquals(2, mismatch.code());
        assertTrue(mismatch.err().contains("input 'corpus'") && mismatch.err().contains("Skirt"), mismatch.err());
    }

    static FeatureTable read(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return FeatureTable.readFrom(in, p.toString());
        }
    }

    static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(q);
            }
        }
    }
}
