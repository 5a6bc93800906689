package dev.vlltr.core.model.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies a PyTorch CLIP state dict ({@code model.state_dict()} of OpenAI's CLIP or open_clip's OpenAI-named models:
 * {@code visual.conv1.weight}, {@code visual.attnpool.positional_embedding}, {@code
 * visual.transformer.resblocks.0.attn.in_proj_weight}, {@code transformer.resblocks.*}, {@code
 * token_embedding.weight}, {@code positional_embedding}, {@code ln_final.*}, {@code text_projection}, {@code
 * logit_scale}) into a {@link ClipTower}.
 *
 * <p>All checks come before any write, so a failing load leaves the tower as it was: every name of the tower must be
 * present, no other name of the tower's part of the dict may be (the other tower's names and {@code logit_scale} are
 * left alone; BatchNorm's {@code num_batches_tracked} are ignored), and every shape must match — except the image
 * positional embedding, which {@link PositionalEmbeddingResize#BICUBIC} resizes. fp16/fp64 tensors (OpenAI's
 * checkpoints are fp16) are converted to the tower's
 * data type (float32, or float64 for a tower initialised so).
 */
public final class ClipStateDict {

    private static final int LISTED = 10;

    private ClipStateDict() {}

    /**
     * Loads with the faithful default: no resizing ({@link PositionalEmbeddingResize#NONE}).
     *
     * @param tower an initialised tower
     * @param stateDict CLIP name → tensor
     * @throws ClipStateDictException naming the missing, unexpected or misshapen tensors
     */
    public static void load(ClipTower tower, Map<String, NDArray> stateDict) {
        load(tower, stateDict, PositionalEmbeddingResize.NONE);
    }

    /**
     * @param tower an initialised tower (its parameters hold arrays)
     * @param stateDict CLIP name → tensor
     * @param resize what to do with an image positional embedding made for another image size
     * @throws ClipStateDictException naming the missing, unexpected or misshapen tensors
     * @throws IllegalStateException when the tower is not initialised
     */
    public static void load(ClipTower tower, Map<String, NDArray> stateDict, PositionalEmbeddingResize resize) {
        Map<String, Parameter> expected = tower.clipParameters();
        List<String> missing = new ArrayList<>();
        for (String name : expected.keySet()) {
            if (!stateDict.containsKey(name)) {
                missing.add(name);
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String name : stateDict.keySet()) {
            if (tower.ownsClipName(name) && !expected.containsKey(name) && !name.endsWith(".num_batches_tracked")) {
                unexpected.add(name);
            }
        }
        String kind = tower instanceof ClipVisualEncoder ? "image" : "text";
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            List<String> all = new ArrayList<>(missing);
            all.addAll(unexpected);
            throw new ClipStateDictException("CLIP state dict does not fit the " + kind + " tower ("
                    + tower.getClass().getSimpleName() + "): " + missing.size() + " missing " + listed(missing)
                    + ", " + unexpected.size() + " unexpected " + listed(unexpected), all);
        }
        String posName = tower instanceof ClipVisualEncoder v ? v.positionalEmbeddingName() : null;
        Map<String, NDArray> values = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : expected.entrySet()) {
            String name = e.getKey();
            Parameter p = e.getValue();
            if (!p.isInitialized()) {
                throw new IllegalStateException("initialise the " + kind + " tower before loading (" + name
                        + " has no array)");
            }
            NDArray src = stateDict.get(name);
            DataType type = src.getDataType();
            if (!type.isFloating()) {
                problems.add(name + ": expected a floating-point tensor, found " + type);
                bad.add(name);
                continue;
            }
            Shape want = p.getShape();
            Shape found = src.getShape();
            DataType target = p.getArray().getDataType();
            NDArray data = src.toType(target, false);
            if (!want.equals(found)) {
                if (name.equals(posName) && resize == PositionalEmbeddingResize.BICUBIC && found.dimension() == 2
                        && found.get(1) == want.get(1) && isSquarePlusOne(found.get(0))
                        && isSquarePlusOne(want.get(0))) {
                    float[] resized = PositionalEmbeddingResize.bicubicAntialias(
                            src.toType(DataType.FLOAT32, false).toFloatArray(), (int) want.get(1),
                            (int) Math.round(Math.sqrt(want.get(0) - 1)));
                    data = src.getManager().create(resized, want).toType(target, false);
                } else {
                    String hint = name.equals(posName) && resize == PositionalEmbeddingResize.NONE
                            ? " (the checkpoint was made for another image size; the tower's is "
                                    + ((ClipVisualEncoder) tower).getImageSize()
                                    + " px: use the checkpoint's size or the bicubic resize option)"
                            : "";
                    problems.add(name + ": expected shape " + want + ", found " + found + hint);
                    bad.add(name);
                    continue;
                }
            }
            values.put(name, data);
        }
        if (!problems.isEmpty()) {
            throw new ClipStateDictException("CLIP state dict does not fit the " + kind + " tower ("
                    + tower.getClass().getSimpleName() + "): " + String.join("; ", problems.subList(0,
                            Math.min(LISTED, problems.size())))
                    + (problems.size() > LISTED ? "; … " + (problems.size() - LISTED) + " more" : ""), bad);
        }
        for (Map.Entry<String, NDArray> e : values.entrySet()) {
            expected.get(e.getKey()).getArray().set(e.getValue().toByteBuffer()); // in place: same tensor, same grad
        }
    }

    /**
     * @param stateDict CLIP name → tensor
     * @return {@code logit_scale} (θ, the log of the scale; ln 100 in OpenAI's checkpoints)
     * @throws ClipStateDictException when it is missing or not a single value
     */
    public static double logitScale(Map<String, NDArray> stateDict) {
        NDArray t = stateDict.get("logit_scale");
        if (t == null || t.size() != 1 || !t.getDataType().isFloating()) {
            throw new ClipStateDictException("CLIP state dict: logit_scale must be one floating-point value, found "
                    + (t == null ? "none" : t.getDataType() + " " + t.getShape()), List.of("logit_scale"));
        }
        return t.toType(DataType.FLOAT64, false).getDouble();
    }

    private static boolean isSquarePlusOne(long rows) {
        long g = Math.round(Math.sqrt(rows - 1));
        return rows > 1 && g * g + 1 == rows;
    }

    private static String listed(List<String> names) {
        if (names.isEmpty()) {
            return "";
        }
        return names.subList(0, Math.min(LISTED, names.size())) + (names.size() > LISTED ? " … " : "");
    }
}
