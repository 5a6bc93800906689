package dev.vlltr.stage.cvlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vlltr.core.data.FashionMnist;
import dev.vlltr.core.model.Teacher;
import dev.vlltr.runtime.cli.BadInputException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The tiny CLIP-like bundle of {@code src/test/resources/teacher} (made by {@code make_tiny_clip.py} with PyTorch):
 * DJL loads it, and tokens and logits for a known batch equal what PyTorch computed there.
 */
class ClipTeacherBundleTest {

    static final float[] MEAN = {FashionMnist.MEAN};
    static final float[] STD = {FashionMnist.STD};

    static Path resource(String name) {
        try {
            return Path.of(ClipTeacherBundleTest.class.getResource("/teacher/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode expected() throws IOException {
        return new ObjectMapper().readTree(resource("expected.json").toFile());
    }

    @Test
    void tokenizerReproducesClipTokenizeOnTheWordVocabulary() throws IOException {
        JsonNode exp = expected();
        ClipTeacherBundle.Config cfg;
        try (var in = Files.newInputStream(resource("tiny-clip/teacher.json"))) {
            cfg = ClipTeacherBundle.readConfig(in, "teacher.json");
        }
        List<String> sentences = new ArrayList<>();
        exp.get("sentences").forEach(s -> sentences.add(s.asText()));
        try (HuggingFaceTokenizer tok = HuggingFaceTokenizer.newInstance(resource("tiny-clip/tokenizer.json"),
                java.util.Map.of("truncation", "false", "padding", "false"))) {
            long[][] ids = ClipTeacherBundle.tokenize(tok, cfg, sentences);
            for (int i = 0; i < ids.length; i++) {
                long[] want = new long[cfg.contextLength()];
                for (int j = 0; j < want.length; j++) {
                    want[j] = exp.get("tokens").get(i).get(j).asLong();
                }
                assertArrayEquals(want, ids[i], "sentence " + i + ": " + sentences.get(i));
            }
            assertEquals(cfg.eotId(), ids[2][cfg.contextLength() - 1], "a cut sentence keeps eot last");
        }
    }

    @Test
    void teacherLogitsEqualPyTorchOnAKnownBatch() throws IOException {
        JsonNode exp = expected();
        int b = exp.get("images").size();
        float[] pixels = new float[b * 28 * 28];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < 28 * 28; j++) {
                pixels[i * 784 + j] = (float) exp.get("images").get(i).get(j).asDouble();
            }
        }
        List<String> sentences = new ArrayList<>();
        exp.get("sentences").forEach(s -> sentences.add(s.asText()));
        try (Teacher t = ClipTeacherBundle.load(resource("tiny-clip"), "tiny-clip/", new Shape(1, 28, 28), MEAN, STD,
                Device.cpu());
                NDManager m = NDManager.newBaseManager()) {
            assertTrue(t.describe().contains("tiny-clip/model.pt") && t.describe().contains("3×32×32"),
                    t.describe());
            NDArray logits = t.logitsPerImage(m, m.create(pixels, new Shape(b, 1, 28, 28)), sentences, null);
            assertEquals(new Shape(b, b), logits.getShape());
            float[] got = logits.toFloatArray();
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < b; j++) {
                    double want = exp.get("logitsPerImage").get(i).get(j).asDouble();
                    assertEquals(want, got[i * b + j], 1e-4, "logits_per_image[" + i + "][" + j + "]");
                }
            }
        }
    }

    @Test
    void bilinearWeightsAreTorchsAlignCornersFalse() {
        // 2 -> 4: source positions -0.25 (clamped 0), 0.25, 0.75, 1.25 (i1 clamped to the last pixel)
        float[][] r = ClipTeacherBundle.ImageTransform.bilinear(2, 4);
        assertArrayEquals(new float[] {1f, 0f}, r[0]);
        assertArrayEquals(new float[] {0.75f, 0.25f}, r[1]);
        assertArrayEquals(new float[] {0.25f, 0.75f}, r[2]);
        assertArrayEquals(new float[] {0f, 1f}, r[3]);
    }

    @Test
    void badTeacherJsonNamesTheFileAndField() throws IOException {
        assertBad(c -> c.put("imageSize", 0), "'imageSize'");
        assertBad(c -> c.remove("contextLength"), "'contextLength'");
        assertBad(c -> c.putArray("std").add(0.2).add(0).add(0.3), "'std'");
        assertBad(c -> c.putArray("mean").add(0.5), "'mean'");
        assertBad(c -> c.put("format", "clip/9"), "'format'");
        assertBad(c -> c.put("eotId", 1.5), "'eotId'");
        assertBad(c -> c.put("imageSise", 32), "'imageSise'");
        BadInputException e = assertThrows(BadInputException.class, () -> ClipTeacherBundle.readConfig(
                new ByteArrayInputStream("{".getBytes(StandardCharsets.UTF_8)), "b/teacher.json"));
        assertTrue(e.getMessage().contains("b/teacher.json"), e.getMessage());
    }

    private static void assertBad(Consumer<ObjectNode> edit, String field) throws IOException {
        ObjectNode cfg = (ObjectNode) new ObjectMapper().readTree(resource("tiny-clip/teacher.json").toFile());
        edit.accept(cfg);
        byte[] bytes = new ObjectMapper().writeValueAsBytes(cfg);
        BadInputException e = assertThrows(BadInputException.class,
                () -> ClipTeacherBundle.readConfig(new ByteArrayInputStream(bytes), "bundle/teacher.json"));
        assertTrue(e.getMessage().contains("bundle/teacher.json") && e.getMessage().contains(field), e.getMessage());
    }
}
