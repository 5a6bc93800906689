package dev.vlltr.stage.cvlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlltr.core.data.FashionMnist;
import dev.vlltr.core.data.FeatureTable;
import dev.vlltr.core.model.CvlpModel;
import dev.vlltr.core.model.CvlpModelConfig;
import dev.vlltr.core.model.ScratchTextEncoder;
import dev.vlltr.core.model.WordVocabulary;
import dev.vlltr.core.text.ClassCorpusEntry;
import dev.vlltr.core.text.CorpusJsonl;
import dev.vlltr.core.text.CorpusSentence;
import dev.vlltr.runtime.testing.CommandRun;
import dev.vlltr.runtime.testing.PublishedOutputs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code text-encoder=scratch}: outputs, model-config round trip, teacher handling, parameter validation. */
class ScratchTextCvlpTest {

    @TempDir
    Path tmp;

    @Test
    void scratchRunRebuildsItsTextTowerFromTheModelConfig() throws IOException {
        StageTestSupport.requireFashionMnist();
        Path corpus = StageTestSupport.corpusManifest(tmp.resolve("text-crawl"));
        Path manifest = StageTestSupport.cvlpManifest(tmp.resolve("root"), corpus, StageTestSupport.SCRATCH_TEXT);
        Path dir = manifest.getParent();
        JsonNode m = new ObjectMapper().readTree(manifest.toFile());
        for (String out : List.of("encoders", "model-config", "sentence-embeddings", "text-features", "split",
                "history")) {
            assertTrue(m.get("outputs").has(out), "manifest lacks output " + out + ": " + m);
        }
        List<String> texts = new ArrayList<>();
        try (InputStream in = Files.newInputStream(corpus.resolveSibling("corpus.jsonl"))) {
            for (ClassCorpusEntry e : CorpusJsonl.readAll(in, "corpus")) {
                e.sentences().stream().map(CorpusSentence::text).forEach(texts::add);
            }
        }
        assertEquals(30, texts.size());

        CvlpModelConfig cfg;
        try (InputStream in = Files.newInputStream(PublishedOutputs.in(dir, "model-config.json"))) {
            cfg = CvlpModelConfig.read(in, "model-config.json");
        }
        assertEquals(CvlpModelConfig.TEXT_SCRATCH, cfg.textEncoder());
        assertEquals(CvlpModelConfig.SCRATCH_ID, cfg.textEncoderId());
        assertEquals(16, cfg.textInputDim());
        CvlpModelConfig.ScratchText st = cfg.scratchText();
        assertNotNull(st);
        assertEquals(List.of(32, 1, 2, 16), List.of(st.width(), st.layers(), st.heads(), st.maxLength()));
        // the vocabulary is a deterministic function of the corpus
        assertEquals(WordVocabulary.build(texts, 20000, 1).tokens(), st.vocabulary());
        assertEquals(m.get("metrics").get("text_vocabulary_size").intValue(), st.vocabulary().size());

        // sentence-embeddings holds the scratch tower's input: the token ids
        FeatureTable ids = CvlpCommandTest.read(PublishedOutputs.in(dir, "sentence-embeddings.vlft"));
        assertFalse(ids.arrays().containsKey("embeddings"), "no MiniLM vectors in a scratch run");
        float[][] tokenIds = ids.array("token_ids");
        assertEquals(30, tokenIds.length);
        assertEquals(16, tokenIds[0].length);
        assertArrayEquals(cfg.textInputs(texts), tokenIds);
        assertEquals(FashionMnist.CLASS_NAMES.get(2).toLowerCase().split("[^a-z]+")[0],
                st.vocabulary().get((int) tokenIds[6][4]), "row 6 = 'a photo of a pullover .'");

        // the rebuilt model gives the same text features as the trained tower wrote
        float[][] written = CvlpCommandTest.read(PublishedOutputs.in(dir, "text-features.vlft"))
                .array(FeatureTable.FEATURES);
        try (NDManager manager = NDManager.newBaseManager();
                InputStream in = Files.newInputStream(PublishedOutputs.in(dir, "cvlp-encoders.params"))) {
            CvlpModel model = cfg.load(manager, in, "cvlp-encoders.params");
            assertTrue(model.getText() instanceof ScratchTextEncoder);
            float[] flat = new float[30 * 16];
            for (int i = 0; i < 30; i++) {
                System.arraycopy(tokenIds[i], 0, flat, i * 16, 16);
            }
            NDArray input = manager.create(flat, new Shape(30, 16)).toType(DataType.INT32, false);
            float[] again = model.encodeText(new ParameterStore(manager, false), input, false).toFloatArray();
            for (int i = 0; i < 30; i++) {
                for (int j = 0; j < 16; j++) {
                    assertEquals(written[i][j], again[i * 16 + j], 1e-4, "text feature " + i + "," + j);
                }
            }
        }

        // JSON round trip keeps the scratch tower; a minilm config's JSON has no scratchText field
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        cfg.write(json);
        CvlpModelConfig back = CvlpModelConfig.read(new ByteArrayInputStream(json.toByteArray()), "again");
        assertEquals(cfg.scratchText(), back.scratchText());
        CvlpModelConfig minilmCfg = new CvlpModelConfig(cfg.format(), cfg.visionDepth(), 1, 28, 28, 16,
                CvlpModelConfig.TEXT_MINILM, "id", 384, 32, true, cfg.logitScaleInit(), cfg.logitScaleMax(),
                cfg.logitScaleTheta(), cfg.logitScale(), cfg.classNames(), cfg.normalizationMean(),
                cfg.normalizationStd(), cfg.corpusSha256());
        ByteArrayOutputStream minilmJson = new ByteArrayOutputStream();
        minilmCfg.write(minilmJson);
        String minilm = minilmJson.toString(StandardCharsets.UTF_8);
        assertFalse(minilm.contains("scratchText"), "minilm configs keep their pre-scratch JSON: " + minilm);
        String older = minilm.replaceAll("\"textEncoder\"\\s*:\\s*\"minilm\"\\s*,", "");
        assertFalse(older.contains("\"textEncoder\""), older);
        CvlpModelConfig old = CvlpModelConfig.read(new ByteArrayInputStream(older.getBytes(StandardCharsets.UTF_8)),
                "older config");
        assertEquals(CvlpModelConfig.TEXT_MINILM, old.textEncoder(), "a missing text encoder means minilm");
        IOException noVocab = assertThrows(IOException.class, () -> CvlpModelConfig.read(new ByteArrayInputStream(
                minilm.replace("\"minilm\"", "\"scratch\"").getBytes(StandardCharsets.UTF_8)), "cfg"));
        assertTrue(noVocab.getMessage().contains("scratchText"), noVocab.getMessage());

        // a scratch teacher distils into a scratch student (the teacher gets its own token ids)
        CommandRun student = CvlpCommandTest.run(concat(new String[] {"--run-id", "student",
            "--artifact-root", tmp.resolve("root").toString(), "--xcom-dir", tmp.resolve("no-xcom").toString(),
            "--tracking-uri", "none", "--input", "corpus=" + corpus, "--input", "teacher=" + manifest, "--param",
            "epochs=1"}, CvlpCommandTest.TINY, StageTestSupport.SCRATCH_TEXT));
        assertEquals(0, student.code(), student.err());
        JsonNode sm = new ObjectMapper().readTree(tmp.resolve("root/student/cvlp/manifest.json").toFile());
        assertEquals(0.5, sm.get("metrics").get("lambda_effective").doubleValue());
        JsonNode hist = new ObjectMapper().readTree(
                PublishedOutputs.file(tmp.resolve("root"), "student", "cvlp", "history").toFile()).get(0);
        assertTrue(Double.isFinite(hist.get("l_dis").doubleValue()) && hist.get("l_dis").doubleValue() > 0,
                hist.toString());
    }

    @Test
    void aMiniLmTeacherDistilsIntoAScratchStudent() throws IOException {
        StageTestSupport.requireFashionMnist();
        Path corpus = StageTestSupport.corpusManifest(tmp.resolve("text-crawl"));
        Path teacher = StageTestSupport.cvlpManifest(tmp.resolve("teacher-root"), corpus);
        // the MiniLM teacher gets MiniLM vectors of the student's sampled sentences, not the student's token ids
        CommandRun student = CvlpCommandTest.run(concat(new String[] {"--run-id", "student",
            "--artifact-root", tmp.resolve("root").toString(), "--xcom-dir", tmp.resolve("no-xcom").toString(),
            "--tracking-uri", "none", "--input", "corpus=" + corpus, "--input", "teacher=" + teacher, "--param",
            "epochs=1"}, CvlpCommandTest.TINY, StageTestSupport.SCRATCH_TEXT));
        assertEquals(0, student.code(), student.err());
        JsonNode sm = new ObjectMapper().readTree(tmp.resolve("root/student/cvlp/manifest.json").toFile());
        assertEquals(0.5, sm.get("metrics").get("lambda_effective").doubleValue());
        JsonNode last = new ObjectMapper().readTree(
                PublishedOutputs.file(tmp.resolve("root"), "student", "cvlp", "history").toFile()).get(0);
        assertTrue(Double.isFinite(last.get("l_dis").doubleValue()) && last.get("l_dis").doubleValue() > 0,
                last.toString());
    }

    @Test
    void unknownTextEncoderExitsTwoNamingTheChoices() throws IOException {
        Path corpus = StageTestSupport.corpusManifest(tmp.resolve("text-crawl"));
        CommandRun r = CvlpCommandTest.run("--run-id", "bad", "--artifact-root",
                tmp.resolve("root").toString(), "--xcom-dir", tmp.resolve("no-xcom").toString(), "--tracking-uri",
                "none", "--input", "corpus=" + corpus, "--param", "text-encoder=bert");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("'text-encoder'") && r.err().contains("minilm") && r.err().contains("scratch"),
                r.err());
        CommandRun heads = CvlpCommandTest.run("--run-id", "bad", "--artifact-root",
                tmp.resolve("root").toString(), "--xcom-dir", tmp.resolve("no-xcom").toString(), "--tracking-uri",
                "none", "--input", "corpus=" + corpus, "--param", "text-encoder=scratch", "--param", "text-width=30",
                "--param", "text-heads=4");
        assertEquals(2, heads.code());
        assertTrue(heads.err().contains("'text-width'"), heads.err());
        CommandRun help = CvlpCommandTest.run("--help");
        assertTrue(help.out().contains("text-encoder") && help.out().contains("(default: minilm)"), help.out());
    }

    private static String[] concat(String[]... parts) {
        List<String> all = new ArrayList<>();
        for (String[] p : parts) {
            all.addAll(List.of(p));
        }
        return all.toArray(String[]::new);
    }
}
