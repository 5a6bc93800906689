package dev.vlltr.stage.anchors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlltr.core.data.FashionMnist;
import dev.vlltr.core.data.FeatureTable;
import dev.vlltr.runtime.cli.ParamSpec;
import dev.vlltr.runtime.testing.CommandRun;
import dev.vlltr.runtime.testing.PublishedOutputs;
import dev.vlltr.stage.cvlp.StageTestSupport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The anchor-selection app in-process on a tiny real cvlp run: help, AnSS, cut-off, padding, memoisation, bad input. */
class AnchorSelectionCommandTest {

    @TempDir
    static Path tmp;
    static Path corpus;
    static Path cvlp;

    @BeforeAll
    static void upstream() throws IOException {
        StageTestSupport.requireFashionMnist();
        corpus = StageTestSupport.corpusManifest(tmp.resolve("text-crawl"));
        cvlp = StageTestSupport.cvlpManifest(tmp.resolve("up-root"), corpus);
    }

    static CommandRun run(String... args) {
        return CommandRun.of(new AnchorSelectionCommand(), args);
    }

    static CommandRun stage(String runId, String... extra) {
        List<String> args = new ArrayList<>(List.of("--run-id", runId, "--artifact-root",
                tmp.resolve("root").toString(), "--xcom-dir", tmp.resolve("no-xcom").toString(), "--tracking-uri",
                "none", "--input", "cvlp=" + cvlp, "--input", "corpus=" + corpus, "--input",
                StageTestSupport.datasetInput("fmnist-lt-quick"), "--param", "images-per-class=5"));
        args.addAll(Arrays.asList(extra));
        return run(args.toArray(String[]::new));
    }

    static Path dir(String runId) {
        return tmp.resolve("root").resolve(runId).resolve("anchor-selection");
    }

    static JsonNode json(Path p) throws IOException {
        return new ObjectMapper().readTree(p.toFile());
    }

    @Test
    void helpDocumentsParametersInputsAndOutputs() {
        CommandRun r = run("--help");
        assertEquals(0, r.code(), r.err());
        for (ParamSpec p : AnchorSelectionCommand.PARAMS) {
            assertTrue(r.out().contains("  " + p.name() + " "), "help lacks parameter " + p.name() + ":\n" + r.out());
        }
        for (String s : new String[] {"cvlp", "corpus", "anchors.json", "anchor-embeddings.vlft", "(default: anss)"}) {
            assertTrue(r.out().contains(s), "help lacks '" + s + "':\n" + r.out());
        }
    }

    @Test
    void anssKeepsTheLowestScoresPadsAndMasks() throws IOException {
        // M = 4 > 3 sentences per class: all kept (sorted by score), one padded slot per class
        CommandRun all = stage("m4", "--param", "m=4");
        assertEquals(0, all.code(), all.err());
        JsonNode a4 = json(PublishedOutputs.in(dir("m4"), "anchors.json"));
        assertEquals("vlltr.anchors/1", a4.get("format").asText());
        assertEquals(50, a4.get("imagesScored").intValue(), "5 val images of each of 10 classes");
        CommandRun two = stage("m2", "--param", "m=2");
        assertEquals(0, two.code(), two.err());
        JsonNode a2 = json(PublishedOutputs.in(dir("m2"), "anchors.json"));
        for (int c = 0; c < 10; c++) {
            JsonNode s4 = a4.get("classes").get(c).get("sentences");
            JsonNode s2 = a2.get("classes").get(c).get("sentences");
            assertEquals(3, a4.get("classes").get(c).get("count").intValue());
            assertEquals(2, a2.get("classes").get(c).get("count").intValue());
            assertTrue(s4.get(0).get("score").doubleValue() <= s4.get(1).get("score").doubleValue()
                    && s4.get(1).get("score").doubleValue() <= s4.get(2).get("score").doubleValue(), s4.toString());
            // AnSS with M = 2 keeps the two best of the full ranking
            assertEquals(s4.get(0).get("id").asText(), s2.get(0).get("id").asText());
            assertEquals(s4.get(1).get("id").asText(), s2.get(1).get("id").asText());
            assertTrue(s4.get(0).get("id").asText().startsWith(c + "/"));
            assertTrue(s4.get(0).get("text").asText().contains(FashionMnist.CLASS_NAMES.get(c)));
        }
        FeatureTable memory;
        try (InputStream in = Files.newInputStream(PublishedOutputs.in(dir("m4"), "anchor-embeddings.vlft"))) {
            memory = FeatureTable.readFrom(in, "anchor-embeddings.vlft");
        }
        assertEquals(40, memory.rows());
        assertEquals(16, memory.array(FeatureTable.FEATURES)[0].length);
        for (int r = 0; r < 40; r++) {
            assertEquals(r / 4, memory.labels()[r]);
            boolean pad = r % 4 == 3;
            assertEquals(pad ? 0f : 1f, memory.array("mask")[r][0]);
            if (pad) {
                assertArrayEquals(new float[16], memory.array(FeatureTable.FEATURES)[r]);
                assertEquals(-1f, memory.array("sentence_index")[r][0]);
            }
        }
        JsonNode manifest = json(dir("m2").resolve("manifest.json"));
        assertEquals(20, manifest.get("metrics").get("anchors_total").intValue());
        assertTrue(manifest.get("metrics").get("mean_score_selected").doubleValue()
                <= manifest.get("metrics").get("mean_score_all").doubleValue() + 1e-9, manifest.toString());

        // memoised
        String finished = manifest.get("finishedAt").asText();
        assertEquals(0, stage("m2", "--param", "m=2").code());
        assertEquals(finished, json(dir("m2").resolve("manifest.json")).get("finishedAt").asText());
    }

    @Test
    void cutoffKeepsCorpusOrderAndRandomIsSeeded() throws IOException {
        CommandRun r = stage("cut", "--param", "m=2", "--param", "strategy=cutoff");
        assertEquals(0, r.code(), r.err());
        JsonNode a = json(PublishedOutputs.in(dir("cut"), "anchors.json"));
        assertEquals("7/0", a.get("classes").get(7).get("sentences").get(0).get("id").asText());
        assertEquals("7/1", a.get("classes").get(7).get("sentences").get(1).get("id").asText());
        assertEquals(0, stage("rnd1", "--param", "m=2", "--param", "strategy=random", "--param", "seed=3").code());
        assertEquals(0, stage("rnd2", "--param", "m=2", "--param", "strategy=random", "--param", "seed=3").code());
        assertEquals(json(PublishedOutputs.in(dir("rnd1"), "anchors.json")),
                json(PublishedOutputs.in(dir("rnd2"), "anchors.json")));
    }

    @Test
    void badInputExitsTwoNamingTheField() throws IOException {
        CommandRun m = stage("bad", "--param", "m=0");
        assertEquals(2, m.code());
        assertTrue(m.err().contains("'m'"), m.err());
        CommandRun strategy = stage("bad", "--param", "strategy=best");
        assertEquals(2, strategy.code());
        assertTrue(strategy.err().contains("'strategy'"), strategy.err());
        // a different corpus than the one cvlp was trained on
        CommandRun wrong = run("--run-id", "bad2", "--artifact-root", tmp.resolve("root").toString(), "--xcom-dir",
                tmp.resolve("no-xcom").toString(), "--tracking-uri", "none", "--input", "cvlp=" + cvlp, "--input",
                "corpus=" + StageTestSupport.corpusManifest(tmp.resolve("other3"), List.of("a", "b", "c", "d", "e",
                        "f", "g", "h", "i", "j")));
        assertEquals(2, wrong.code());
        assertTrue(wrong.err().contains("input 'corpus'"), wrong.err());
    }
}
