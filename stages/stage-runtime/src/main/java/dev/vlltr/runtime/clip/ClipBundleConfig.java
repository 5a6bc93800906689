package dev.vlltr.runtime.clip;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vlltr.runtime.cli.BadInputException;
import dev.vlltr.runtime.cli.StrictJson;
import java.io.InputStream;
import java.util.List;
import java.util.Set;

/**
 * A CLIP bundle's {@code bundle.json} ({@value #FORMAT}): the architecture the state dict in {@code clip.safetensors}
 * was exported from, as OpenAI's {@code build_model} reads it off the weights, plus CLIP's image normalisation.
 *
 * @param backbone      {@value #RESNET50} (CLIP's ModifiedResNet: 3 stem convs, bottlenecks, attention pooling) or
 *                      {@value #VIT_B16} (CLIP's VisionTransformer)
 * @param imageSize     square input side (224 for the released models)
 * @param visionWidth   ModifiedResNet stem width (64) or ViT width (768)
 * @param visionLayers  bottlenecks per stage (JSON array of 4: RN50 3, 4, 6, 3) or the ViT depth (JSON integer: 12;
 *                      here a list of one)
 * @param visionHeads   attention-pool heads (RN50: 32) or ViT heads (12)
 * @param patchSize     ViT patch side (16); 0 for the ResNet
 * @param embedDim      joint embedding dimension (RN50 1024, ViT-B/16 512)
 * @param contextLength text positions (77)
 * @param vocabSize     token ids (49408)
 * @param textWidth     text transformer width (512)
 * @param textHeads     its heads (8)
 * @param textLayers    its depth (12)
 * @param mean          per-channel mean of [0, 1] pixels (optional; default CLIP's)
 * @param std           per-channel std (optional; default CLIP's)
 * @param source        where the weights came from (optional free text, logged)
 */
public record ClipBundleConfig(String backbone, int imageSize, int visionWidth, List<Integer> visionLayers,
        int visionHeads, int patchSize, int embedDim, int contextLength, int vocabSize, int textWidth, int textHeads,
        int textLayers, float[] mean, float[] std, String source) {

    public static final String FORMAT = "vlltr.clip-bundle/1";
    public static final String RESNET50 = "resnet50";
    public static final String VIT_B16 = "vit-b16";
    /** CLIP's image normalisation ({@code clip/clip.py _transform}), the default of {@code mean}. */
    public static final float[] CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    /** The default of {@code std}. */
    public static final float[] CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};
    private static final Set<String> FIELDS = Set.of("format", "backbone", "imageSize", "visionWidth", "visionLayers",
            "visionHeads", "patchSize", "embedDim", "contextLength", "vocabSize", "textWidth", "textHeads",
            "textLayers", "mean", "std", "source");

    /** @return whether the image tower is CLIP's VisionTransformer */
    public boolean vit() {
        return VIT_B16.equals(backbone);
    }

    /**
     * Reads and validates bundle.json: every field present with its type and range, no unknown field, the widths
     * consistent with the heads; errors name the file and the field.
     */
    public static ClipBundleConfig read(InputStream in, String where) {
        JsonNode root = StrictJson.object(in, where, FIELDS, FORMAT);
        String backbone = text(root, "backbone", where);
        if (!backbone.equals(RESNET50) && !backbone.equals(VIT_B16)) {
            throw new BadInputException(where + ": field 'backbone': expected " + RESNET50 + " (CLIP ModifiedResNet)"
                    + " or " + VIT_B16 + " (CLIP ViT), got \"" + backbone + "\"");
        }
        boolean vit = backbone.equals(VIT_B16);
        int imageSize = integer(root, "imageSize", 1, 4096, where);
        int visionWidth = integer(root, "visionWidth", vit ? 1 : 2, 1 << 16, where);
        List<Integer> layers = visionLayers(root.get("visionLayers"), vit, where);
        int visionHeads = integer(root, "visionHeads", 1, 1 << 12, where);
        int patchSize = 0;
        if (vit) {
            patchSize = integer(root, "patchSize", 1, imageSize, where);
            if (imageSize % patchSize != 0) {
                throw new BadInputException(where + ": field 'patchSize': " + patchSize + " does not divide imageSize "
                        + imageSize);
            }
            divides(visionWidth, visionHeads, "visionWidth", "visionHeads", where);
        } else {
            if (root.has("patchSize")) {
                throw new BadInputException(where + ": field 'patchSize': only for backbone " + VIT_B16);
            }
            if (imageSize % 32 != 0) {
                throw new BadInputException(where + ": field 'imageSize': the ModifiedResNet downsamples by 32,"
                        + " expected a multiple of 32, got " + imageSize);
            }
            if (visionWidth % 2 != 0) {
                throw new BadInputException(where + ": field 'visionWidth': expected an even stem width, got "
                        + visionWidth);
            }
            divides(visionWidth * 32, visionHeads, "visionWidth * 32", "visionHeads", where);
        }
        int embedDim = integer(root, "embedDim", 1, 1 << 16, where);
        int contextLength = integer(root, "contextLength", 2, 1 << 16, where);
        int vocabSize = integer(root, "vocabSize", 3, 1 << 24, where);
        int textWidth = integer(root, "textWidth", 1, 1 << 16, where);
        int textHeads = integer(root, "textHeads", 1, 1 << 12, where);
        divides(textWidth, textHeads, "textWidth", "textHeads", where);
        int textLayers = integer(root, "textLayers", 0, 1000, where);
        // optional: OpenAI's normalisation, and an unnamed source
        float[] mean = root.has("mean") ? floats(root, "mean", where, false) : CLIP_MEAN.clone();
        float[] std = root.has("std") ? floats(root, "std", where, true) : CLIP_STD.clone();
        String source = root.has("source") ? text(root, "source", where) : "";
        return new ClipBundleConfig(backbone, imageSize, visionWidth, layers, visionHeads, patchSize,
                embedDim, contextLength, vocabSize, textWidth, textHeads, textLayers, mean, std, source);
    }

    /** The ViT depth as one integer, or the ResNet's four stage depths as an array (as build_model reads them). */
    private static List<Integer> visionLayers(JsonNode n, boolean vit, String where) {
        if (vit) {
            if (n == null || !n.isIntegralNumber() || n.asInt() < 1 || n.asInt() > 1000) {
                throw new BadInputException(where + ": field 'visionLayers': expected the ViT depth, an integer in"
                        + " [1, 1000], got " + n);
            }
            return List.of(n.asInt());
        }
        if (n == null || !n.isArray() || n.size() != 4) {
            throw new BadInputException(where + ": field 'visionLayers': expected an array of 4 numbers (bottlenecks"
                    + " per ResNet stage), got " + n);
        }
        List<Integer> layers = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            JsonNode v = n.get(i);
            if (!v.isIntegralNumber() || v.asInt() < 1 || v.asInt() > 1000) {
                throw new BadInputException(where + ": field 'visionLayers': element " + i + " must be an integer in"
                        + " [1, 1000], got " + v);
            }
            layers.add(v.asInt());
        }
        return List.copyOf(layers);
    }

    private static void divides(int width, int heads, String wf, String hf, String where) {
        if (width % heads != 0) {
            throw new BadInputException(where + ": field '" + hf + "': " + heads + " heads do not divide " + wf
                    + " = " + width);
        }
    }

    private static String text(JsonNode root, String field, String where) {
        JsonNode n = root.get(field);
        if (n == null || !n.isTextual()) {
            throw new BadInputException(where + ": field '" + field + "': expected a string, got " + n);
        }
        return n.asText();
    }

    private static int integer(JsonNode root, String field, int min, int max, String where) {
        JsonNode n = root.get(field);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < min || n.asInt() > max) {
            throw new BadInputException(where + ": field '" + field + "': expected an integer in [" + min + ", " + max
                    + "], got " + n);
        }
        return n.asInt();
    }

    private static float[] floats(JsonNode root, String field, String where, boolean positive) {
        JsonNode n = root.get(field);
        if (n == null || !n.isArray() || n.size() != 3) {
            throw new BadInputException(where + ": field '" + field + "': expected an array of 3 numbers (RGB), got "
                    + n);
        }
        float[] out = new float[3];
        for (int i = 0; i < 3; i++) {
            JsonNode v = n.get(i);
            if (!v.isNumber() || !Double.isFinite(v.asDouble()) || positive && !(v.asDouble() > 0)) {
                throw new BadInputException(where + ": field '" + field + "': element " + i + " must be a "
                        + (positive ? "positive " : "") + "finite number, got " + v);
            }
            out[i] = (float) v.asDouble();
        }
        return out;
    }
}
