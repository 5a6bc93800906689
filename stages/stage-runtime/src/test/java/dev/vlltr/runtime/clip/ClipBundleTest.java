package dev.vlltr.runtime.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vlltr.runtime.cli.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tiny bundles load with the tensors, parameter counts and token ids that tools/clip/make_reader_fixtures.py
 * computed in Python (expected.json), and broken bundles are errors naming the file and the field or tensor.
 */
class ClipBundleTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"tiny-rn50", "tiny-vit-b16"})
    void tinyBundleLoadsAsPythonWroteIt(String name) throws Exception {
        JsonNode want = ClipFixtures.expected().get("bundles").get(name);
        try (NDManager m = NDManager.newBaseManager();
                ClipBundle b = ClipBundle.load(ClipFixtures.bundle(name), "fixture/" + name + "/", null, m)) {
            assertEquals(want.get("tensors").asInt(), b.tensors().size());
            long params = b.tensors().values().stream().mapToLong(a -> a.getShape().size()).sum();
            assertEquals(want.get("parameters").asLong(), params);
            assertEquals(params, ClipStateDictLayout.of(b.config()).parameterCount());
            for (Iterator<Map.Entry<String, JsonNode>> it = want.get("sums").fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                double sum = b.tensors().get(e.getKey()).toType(ai.djl.ndarray.types.DataType.FLOAT64, false).sum()
                        .getDouble();
                assertEquals(e.getValue().asDouble(), sum, 1e-5 * Math.max(1, Math.abs(sum)), e.getKey());
            }
            assertEquals(Math.log(100), b.logitScale(), 1e-6, "OpenAI's released logit scale ln 100");
            assertEquals(name.equals("tiny-vit-b16"), b.config().vit());
            assertEquals(77, b.tokenizer().contextLength());
        }
    }

    /**
     * The ltr-core towers' own fixtures (tools/clip/make_tiny_clip_bundle.py, which builds CLIP's modules in PyTorch
     * and saves their state dict as-is, BN step counters included) pass this reader's layout check: the two
     * independent descriptions of CLIP's state dict agree.
     */
    @ParameterizedTest
    @ValueSource(strings = {"resnet50-tiny", "vit-b16-tiny"})
    void stateDictsSavedByPyTorchsClipModulesMatchTheLayout(String name) throws Exception {
        Path dir = Path.of("../ltr-core/src/test/resources/dev/vlltr/core/model/clip", name);
        ClipBundleConfig c;
        try (var in = Files.newInputStream(dir.resolve("bundle.json"))) {
            c = ClipBundleConfig.read(in, name + "/bundle.json");
        }
        Path weights = dir.resolve("clip.safetensors");
        Map<String, long[]> found = new java.util.LinkedHashMap<>();
        int counters = 0;
        try (var in = Files.newInputStream(weights)) {
            for (SafetensorsHeader.Entry e : SafetensorsHeader.read(in, Files.size(weights), name).tensors()) {
                if (e.name().endsWith(SafetensorsHeader.BN_COUNTER)) {
                    counters++;
                } else {
                    found.put(e.name(), e.shape());
                }
            }
        }
        ClipStateDictLayout.of(c).check(found, name, c.backbone());
        assertEquals(c.vit() ? 0 : 1, Math.min(counters, 1), "PyTorch's BatchNorm step counters are tolerated");
        try (NDManager m = NDManager.newBaseManager()) {
            assertEquals(found.size() + counters, SafetensorsFile.read(weights, m, name).size());
        }
    }

    @Test
    void halfFloatConversionCoversSubnormalsAndSpecials() {
        assertEquals(0x1p-24f, SafetensorsFile.halfToFloat((short) 0x0001));
        assertEquals(65504f, SafetensorsFile.halfToFloat((short) 0x7bff));
        assertEquals(-2f, SafetensorsFile.halfToFloat((short) 0xc000));
        assertEquals(Float.POSITIVE_INFINITY, SafetensorsFile.halfToFloat((short) 0x7c00));
        assertTrue(Float.isNaN(SafetensorsFile.halfToFloat((short) 0x7e00)));
    }

    @Test
    void tokenizationEqualsClipsBpeAndTruncation() throws Exception {
        JsonNode want = ClipFixtures.expected();
        List<String> sentences = new ArrayList<>();
        want.get("sentences").forEach(s -> sentences.add(s.asText()));
        try (NDManager m = NDManager.newBaseManager();
                ClipBundle b = ClipBundle.load(ClipFixtures.bundle("tiny-rn50"), "fixture/", null, m)) {
            long[][] ids = b.tokenizer().tokenize(sentences);
            for (int i = 0; i < ids.length; i++) {
                long[] expected = new long[77];
                for (int j = 0; j < 77; j++) {
                    expected[j] = want.get("tokenIds").get(i).get(j).asLong();
                }
                assertArrayEquals(expected, ids[i], "sentence " + i + ": " + sentences.get(i));
            }
            long[] longest = ids[ids.length - 1]; // 20 repetitions: cut at 77 with end-of-text kept last
            assertEquals(b.tokenizer().eotId(), longest[76]);
            assertTrue(Arrays.stream(longest).noneMatch(id -> id == 0), "a cut sentence has no padding");
        }
    }

    /** dtypes.safetensors (with BF16) takes the reader's own decoding, dtypes-f16 DJL's. */
    @ParameterizedTest
    @ValueSource(strings = {"dtypes.safetensors", "dtypes-f16.safetensors"})
    void halfAndBfloat16AreWidenedExactly(String file) throws Exception {
        JsonNode want = ClipFixtures.expected().get("dtypes");
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> t = SafetensorsFile.read(ClipFixtures.dir().resolve(file), m, "d");
            assertEquals(file.equals("dtypes.safetensors") ? 3 : 2, t.size());
            for (String k : t.keySet()) {
                float[] got = t.get(k).toFloatArray();
                JsonNode v = want.get(k).get("values");
                for (int i = 0; i < got.length; i++) {
                    assertEquals((float) v.get(i).asDouble(), got[i], 0f, k + "[" + i + "]");
                }
                assertEquals(want.get(k).get("shape").size(), t.get(k).getShape().dimension(), k);
            }
        }
    }

    @Test
    void bundleOfTheOtherBackboneNamesTheTensorAndBothShapes() throws Exception {
        Path dir = ClipFixtures.copy("tiny-rn50", tmp.resolve("b"));
        editConfig(dir, c -> c.put("visionWidth", 8));
        BadInputException e = load(dir);
        assertTrue(e.getMessage().startsWith("b/clip.safetensors: tensor 'visual.conv1.weight': expected shape"
                + " [4, 3, 3, 3] for backbone resnet50, found [2, 3, 3, 3]"), e.getMessage());
    }

    @Test
    void vitWeightsUnderAResnetConfigNameTheFirstWrongTensor() throws Exception {
        Path dir = ClipFixtures.copy("tiny-vit-b16", tmp.resolve("b"));
        editConfig(dir, c -> {
            c.put("backbone", "resnet50");
            c.remove("patchSize");
            c.put("imageSize", 32);
            c.put("visionHeads", 2);
            c.putArray("visionLayers").add(1).add(1).add(1).add(1);
        });
        BadInputException e = load(dir);
        assertTrue(e.getMessage().startsWith("b/clip.safetensors: tensor 'visual.conv1.weight': expected shape"
                + " [8, 3, 3, 3] for backbone resnet50, found [16, 3, 16, 16]"), e.getMessage());
        editConfig(dir, c -> c.put("visionWidth", 32)); // stem conv1 (16, 3, 3, 3) != the ViT's patch conv
        assertTrue(load(dir).getMessage().contains("tensor 'visual.conv1.weight'"), load(dir).getMessage());
    }

    @Test
    void stageAskingForAnotherBackboneIsToldWhatTheBundleHolds() {
        BadInputException e = assertThrows(BadInputException.class, () -> {
            try (NDManager m = NDManager.newBaseManager()) {
                ClipBundle.load(ClipFixtures.bundle("tiny-rn50"), "b/", "vit-b16", m).close();
            }
        });
        assertEquals("b/bundle.json: field 'backbone': the bundle holds a resnet50, the stage was asked for"
                + " backbone=vit-b16", e.getMessage());
    }

    @Test
    void badBundleJsonFieldsAreNamed() throws Exception {
        Path dir = ClipFixtures.copy("tiny-rn50", tmp.resolve("b"));
        editConfig(dir, c -> c.put("colour", "blue"));
        assertTrue(load(dir).getMessage().startsWith("b/bundle.json: unknown field 'colour'"));
        editConfig(dir, c -> {
            c.remove("colour");
            c.put("textHeads", 3);
        });
        assertEquals("b/bundle.json: field 'textHeads': 3 heads do not divide textWidth = 16", load(dir).getMessage());
        editConfig(dir, c -> {
            c.put("textHeads", 2);
            c.putArray("visionLayers").add(1).add(1);
        });
        assertTrue(load(dir).getMessage().startsWith("b/bundle.json: field 'visionLayers': expected an array of 4"
                + " numbers"), load(dir).getMessage());
        editConfig(dir, c -> c.put("format", "vlltr.clip-bundle/2"));
        assertTrue(load(dir).getMessage().startsWith("b/bundle.json: field 'format': expected \"vlltr.clip-bundle/1\""));
    }

    @Test
    void missingFileAndBrokenTokenizerAreNamed() throws Exception {
        Path dir = ClipFixtures.copy("tiny-rn50", tmp.resolve("b"));
        Files.writeString(dir.resolve("tokenizer.json"), "{\"not\": \"a tokenizer\"}");
        assertTrue(load(dir).getMessage().startsWith("b/tokenizer.json: not a loadable Hugging Face tokenizers file"),
                load(dir).getMessage());
        Files.delete(dir.resolve("tokenizer.json"));
        assertTrue(load(dir).getMessage().startsWith("b/: the CLIP bundle has no tokenizer.json"));
    }

    @Test
    void vocabSizeDisagreeingWithTheWeightsNamesTokenEmbedding() throws Exception {
        Path dir = ClipFixtures.copy("tiny-rn50", tmp.resolve("b"));
        editConfig(dir, c -> c.put("vocabSize", 500));
        BadInputException e = load(dir);
        assertTrue(e.getMessage().startsWith("b/clip.safetensors: tensor 'token_embedding.weight': expected shape"
                + " [500, 16] for backbone resnet50, found [574, 16]"), e.getMessage());
    }

    @Test
    void truncatedWeightsAreCaughtBeforeDecoding() throws Exception {
        Path dir = ClipFixtures.copy("tiny-vit-b16", tmp.resolve("b"));
        Path w = dir.resolve("clip.safetensors");
        byte[] all = Files.readAllBytes(w);
        Files.write(w, Arrays.copyOf(all, all.length - 4));
        assertTrue(load(dir).getMessage().startsWith("b/clip.safetensors: the tensors cover "), load(dir).getMessage());
    }

    private BadInputException load(Path dir) {
        return assertThrows(BadInputException.class, () -> {
            try (NDManager m = NDManager.newBaseManager()) {
                ClipBundle.load(dir, "b/", null, m).close();
            }
        });
    }

    private static void editConfig(Path dir, java.util.function.Consumer<ObjectNode> edit) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode c = (ObjectNode) json.readTree(dir.resolve("bundle.json").toFile());
        edit.accept(c);
        json.writeValue(dir.resolve("bundle.json").toFile(), c);
    }
}
