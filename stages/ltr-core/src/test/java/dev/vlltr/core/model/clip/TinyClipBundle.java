package dev.vlltr.core.model.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * A fixture bundle of {@code tools/clip/make_tiny_clip_bundle.py} (format {@code vlltr.clip-bundle/1}): its
 * {@code bundle.json}, the towers it describes, its state dict and PyTorch's expected values.
 */
final class TinyClipBundle {

    static final String ROOT = "/dev/vlltr/core/model/clip/";

    final String backbone;
    final JsonNode json;
    final Map<String, NDArray> state;
    final Map<String, NDArray> expected;

    TinyClipBundle(NDManager manager, String backbone) {
        this.backbone = backbone;
        String dir = ROOT + backbone + "-tiny/";
        try (InputStream in = TinyClipBundle.class.getResourceAsStream(dir + "bundle.json")) {
            json = new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!"vlltr.clip-bundle/1".equals(json.get("format").asText()) || !backbone.equals(json.get("backbone")
                .asText())) {
            throw new IllegalStateException(dir + "bundle.json: unexpected format/backbone " + json);
        }
        state = TestSafetensors.read(manager, dir + "clip.safetensors");
        expected = TestSafetensors.read(manager, dir + "expected.safetensors");
    }

    int imageSize() {
        return json.get("imageSize").asInt();
    }

    /** The image tower of the bundle at image side {@code size}. */
    ClipVisualEncoder visual(int size) {
        int embed = json.get("embedDim").asInt();
        int width = json.get("visionWidth").asInt();
        int heads = json.get("visionHeads").asInt();
        if (backbone.equals("resnet50")) {
            int[] layers = new int[4];
            for (int i = 0; i < 4; i++) {
                layers[i] = json.get("visionLayers").get(i).asInt();
            }
            return ClipVisualEncoders.modifiedResNet(layers, width, heads, embed, size);
        }
        return ClipVisualEncoders.vit(size, json.get("patchSize").asInt(), width, json.get("visionLayers").asInt(),
                heads, embed);
    }

    ClipTextTransformer text() {
        return new ClipTextTransformer(json.get("contextLength").asInt(), json.get("vocabSize").asInt(),
                json.get("textWidth").asInt(), json.get("textLayers").asInt(), json.get("textHeads").asInt(),
                json.get("embedDim").asInt());
    }

    /** The image tower at the bundle's size, initialised and loaded. */
    ClipVisualEncoder loadedVisual(NDManager m, Shape input, DataType type) {
        return loaded(m, visual(imageSize()), state, input, PositionalEmbeddingResize.NONE, type);
    }

    /** The text tower, initialised and loaded. */
    ClipTextTransformer loadedText(NDManager m, Shape input, DataType type) {
        return loaded(m, text(), state, input, PositionalEmbeddingResize.NONE, type);
    }

    /** Initialises (random, seeded) and loads the bundle's weights. */
    static <T extends ClipTower> T loaded(NDManager m, T tower, Map<String, NDArray> state, Shape input,
            PositionalEmbeddingResize resize) {
        return loaded(m, tower, state, input, resize, DataType.FLOAT32);
    }

    static <T extends ClipTower> T loaded(NDManager m, T tower, Map<String, NDArray> state, Shape input,
            PositionalEmbeddingResize resize, DataType type) {
        tower.initialize(m, type, input);
        ClipStateDict.load(tower, state, resize);
        return tower;
    }
}
