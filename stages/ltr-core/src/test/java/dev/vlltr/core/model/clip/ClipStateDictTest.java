package dev.vlltr.core.model.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Loading rules, errors, parameter counts at the real sizes and CLIP's initialisation. */
class ClipStateDictTest {

    @Test
    void realSizesHavePyTorchsParameterCountsWithoutAllocating() throws IOException {
        JsonNode counts;
        try (InputStream in = getClass().getResourceAsStream(TinyClipBundle.ROOT + "parameter-counts.json")) {
            counts = new ObjectMapper().readTree(in);
        }
        // built, never initialised: the counts come from the constructors' shapes
        assertEquals(counts.get("resnet50.visual").asLong(), ClipVisualEncoders.resnet50(224).parameterCount());
        assertEquals(counts.get("vit-b16.visual").asLong(), ClipVisualEncoders.vitB16(224).parameterCount());
        assertEquals(counts.get("resnet50.text").asLong(), ClipTextTransformer.clip(1024).parameterCount());
        assertEquals(counts.get("vit-b16.text").asLong(), ClipTextTransformer.clip(512).parameterCount());
        assertEquals(38_316_896L, counts.get("resnet50.visual").asLong(), "RN50 visual ≈ 38.3M");
        assertEquals(86_192_640L, counts.get("vit-b16.visual").asLong(), "ViT-B/16 visual ≈ 86.2M");
        long textTransformer = ClipTextTransformer.clip(512).clipParameters().entrySet().stream()
                .filter(e -> e.getKey().startsWith("transformer.")).mapToLong(e -> e.getValue().getShape().size())
                .sum();
        assertEquals(counts.get("text.transformer").asLong(), textTransformer, "text transformer ≈ 37.8M");
        // CLIP's names at the real sizes
        Map<String, Parameter> rn = ClipVisualEncoders.resnet50(224).clipParameters();
        assertEquals(new Shape(50, 2048), rn.get("visual.attnpool.positional_embedding").getShape());
        assertEquals(new Shape(2048, 1024, 1, 1), rn.get("visual.layer4.0.downsample.0.weight").getShape());
        assertTrue(rn.containsKey("visual.layer3.5.bn3.running_var"));
        Map<String, Parameter> vit = ClipVisualEncoders.vitB16(224).clipParameters();
        assertEquals(new Shape(197, 768), vit.get("visual.positional_embedding").getShape());
        assertEquals(new Shape(2304, 768), vit.get("visual.transformer.resblocks.11.attn.in_proj_weight").getShape());
        assertEquals(new Shape(768, 512), vit.get("visual.proj").getShape());
        Map<String, Parameter> text = ClipTextTransformer.clip(512).clipParameters();
        assertEquals(new Shape(49408, 512), text.get("token_embedding.weight").getShape());
        assertEquals(new Shape(77, 512), text.get("positional_embedding").getShape());
        assertEquals(new Shape(2048, 512), text.get("transformer.resblocks.0.mlp.c_fc.weight").getShape());
    }

    @Test
    void badStateDictsAreRejectedNamingTheTensorsAndNothingIsWritten() {
        Engine.getInstance().setRandomSeed(4);
        try (NDManager m = NDManager.newBaseManager()) {
            TinyClipBundle b = new TinyClipBundle(m, "vit-b16");
            ClipTextTransformer text = b.text();
            text.initialize(m, DataType.FLOAT32, new Shape(1, 8));
            float[] before = text.clipParameters().get("token_embedding.weight").getArray().toFloatArray();

            Map<String, NDArray> missing = new LinkedHashMap<>(b.state);
            missing.remove("ln_final.bias");
            ClipStateDictException e = assertThrows(ClipStateDictException.class,
                    () -> ClipStateDict.load(text, missing));
            assertTrue(e.getMessage().contains("1 missing [ln_final.bias]"), e.getMessage());
            assertEquals(List.of("ln_final.bias"), e.getTensors());

            Map<String, NDArray> extra = new LinkedHashMap<>(b.state);
            extra.put("transformer.resblocks.2.ln_1.weight", m.ones(new Shape(16)));
            e = assertThrows(ClipStateDictException.class, () -> ClipStateDict.load(text, extra));
            assertTrue(e.getMessage().contains("1 unexpected [transformer.resblocks.2.ln_1.weight]"), e.getMessage());

            Map<String, NDArray> misshapen = new LinkedHashMap<>(b.state);
            misshapen.put("transformer.resblocks.1.attn.in_proj_weight", m.zeros(new Shape(48, 8)));
            e = assertThrows(ClipStateDictException.class, () -> ClipStateDict.load(text, misshapen));
            assertTrue(e.getMessage().contains(
                    "transformer.resblocks.1.attn.in_proj_weight: expected shape (48, 16), found (48, 8)"),
                    e.getMessage());
            assertArrayEquals(before, text.clipParameters().get("token_embedding.weight").getArray().toFloatArray(),
                    "a failed load writes nothing");

            Map<String, NDArray> ints = new LinkedHashMap<>(b.state);
            ints.put("text_projection", m.zeros(new Shape(16, 16), DataType.INT32));
            e = assertThrows(ClipStateDictException.class, () -> ClipStateDict.load(text, ints));
            assertTrue(e.getMessage().contains("text_projection: expected a floating-point tensor, found int32"),
                    e.getMessage());

            // a checkpoint made for 32 px loaded into a 48 px ViT: only with the resize option
            ClipVisualEncoder visual = b.visual(48);
            visual.initialize(m, DataType.FLOAT32, new Shape(1, 3, 48, 48));
            e = assertThrows(ClipStateDictException.class, () -> ClipStateDict.load(visual, b.state));
            assertTrue(e.getMessage().contains("visual.positional_embedding: expected shape (37, 16), found (17, 16)"
                    + " (the checkpoint was made for another image size; the tower's is 48 px"), e.getMessage());
            ClipStateDict.load(visual, b.state, PositionalEmbeddingResize.BICUBIC);

            ClipTextTransformer fresh = b.text();
            assertThrows(IllegalStateException.class, () -> ClipStateDict.load(fresh, b.state));
        }
    }

    @Test
    void halfPrecisionCheckpointsAreConvertedAndTheLogitScaleIsRead() {
        Engine.getInstance().setRandomSeed(5);
        try (NDManager m = NDManager.newBaseManager()) {
            TinyClipBundle b = new TinyClipBundle(m, "vit-b16");
            Map<String, NDArray> half = new LinkedHashMap<>();
            b.state.forEach((k, v) -> half.put(k, v.toType(DataType.FLOAT16, false)));
            ClipTextTransformer text = b.text();
            text.initialize(m, DataType.FLOAT32, new Shape(1, 8));
            ClipStateDict.load(text, half);
            NDArray loaded = text.clipParameters().get("text_projection").getArray();
            assertEquals(DataType.FLOAT32, loaded.getDataType());
            assertArrayEquals(b.state.get("text_projection").toType(DataType.FLOAT16, false)
                    .toType(DataType.FLOAT32, false).toFloatArray(), loaded.toFloatArray());
            assertEquals(b.state.get("logit_scale").getFloat(), ClipStateDict.logitScale(b.state), 1e-7);
            Map<String, NDArray> none = new LinkedHashMap<>(b.state);
            none.remove("logit_scale");
            assertThrows(ClipStateDictException.class, () -> ClipStateDict.logitScale(none));
        }
    }

    @Test
    void freshTowersFollowClipsInitialisation() {
        Engine.getInstance().setRandomSeed(6);
        try (NDManager m = NDManager.newBaseManager()) {
            int width = 64;
            int layers = 2;
            ClipTextTransformer text = new ClipTextTransformer(16, 500, width, layers, 4, 32);
            text.initialize(m, DataType.FLOAT32, new Shape(1, 16));
            Map<String, Parameter> t = text.clipParameters();
            double attnStd = Math.pow(width, -0.5);
            double projStd = attnStd * Math.pow(2 * layers, -0.5);
            assertStd(0.02, t.get("token_embedding.weight"));
            assertStd(0.01, t.get("positional_embedding"));
            assertStd(attnStd, t.get("transformer.resblocks.0.attn.in_proj_weight"));
            assertStd(projStd, t.get("transformer.resblocks.1.attn.out_proj.weight"));
            assertStd(Math.pow(2 * width, -0.5), t.get("transformer.resblocks.0.mlp.c_fc.weight"));
            assertStd(projStd, t.get("transformer.resblocks.0.mlp.c_proj.weight"));
            assertStd(attnStd, t.get("text_projection"));
            assertEquals(0f, t.get("transformer.resblocks.0.attn.in_proj_bias").getArray().abs().max().getFloat());

            ClipModifiedResNet rn = ClipVisualEncoders.modifiedResNet(new int[] {1, 1, 1, 1}, 8, 4, 16, 64);
            rn.initialize(m, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            Map<String, Parameter> r = rn.clipParameters();
            assertEquals(0f, r.get("visual.layer2.0.bn3.weight").getArray().abs().max().getFloat(),
                    "CLIP zero-initialises every bottleneck's bn3.weight");
            assertEquals(1f, r.get("visual.bn3.weight").getArray().min().getFloat(), "the stem's bn3 is not");
            assertStd(Math.pow(256, -0.5), r.get("visual.attnpool.q_proj.weight"));
            assertStd(Math.pow(256, -0.5), r.get("visual.attnpool.positional_embedding"));
        }
    }

    private static void assertStd(double want, Parameter p) {
        NDArray a = p.getArray();
        double std = Math.sqrt(a.square().mean().getFloat());
        assertEquals(want, std, 0.05 * want, p.getName() + " " + a.getShape() + ": std");
        assertEquals(0, a.mean().getFloat(), 0.05 * want, p.getName() + ": mean");
    }
}
