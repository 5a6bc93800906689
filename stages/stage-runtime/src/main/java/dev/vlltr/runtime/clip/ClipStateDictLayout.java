package dev.vlltr.runtime.clip;

import dev.vlltr.runtime.cli.BadInputException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Every tensor of OpenAI CLIP's state dict ({@code clip/model.py}) for a {@link ClipBundleConfig}, with its shape, and
 * the check that a bundle's tensors are exactly these: a name or shape that does not fit the backbone is an error
 * naming the file, the tensor and the expected and found shapes.
 */
public final class ClipStateDictLayout {

    private final Map<String, long[]> shapes = new LinkedHashMap<>();

    private ClipStateDictLayout() {}

    /** @return the layout of the configured model */
    public static ClipStateDictLayout of(ClipBundleConfig c) {
        ClipStateDictLayout l = new ClipStateDictLayout();
        int w = c.visionWidth();
        int e = c.embedDim();
        if (c.vit()) {
            int p = c.patchSize();
            int grid = c.imageSize() / p;
            l.put("visual.conv1.weight", w, 3, p, p); // patch embedding, no bias
            l.put("visual.class_embedding", w);
            l.put("visual.positional_embedding", grid * grid + 1, w);
            l.put("visual.ln_pre.weight", w);
            l.put("visual.ln_pre.bias", w);
            for (int i = 0; i < c.visionLayers().get(0); i++) {
                l.residualBlock("visual.transformer.resblocks." + i + ".", w);
            }
            l.put("visual.ln_post.weight", w);
            l.put("visual.ln_post.bias", w);
            l.put("visual.proj", w, e);
        } else {
            // stem: three 3x3 convs (w/2, w/2, w), each with BN
            l.put("visual.conv1.weight", w / 2, 3, 3, 3);
            l.batchNorm("visual.bn1.", w / 2);
            l.put("visual.conv2.weight", w / 2, w / 2, 3, 3);
            l.batchNorm("visual.bn2.", w / 2);
            l.put("visual.conv3.weight", w, w / 2, 3, 3);
            l.batchNorm("visual.bn3.", w);
            int inplanes = w;
            for (int stage = 0; stage < 4; stage++) {
                int planes = w << stage;
                for (int b = 0; b < c.visionLayers().get(stage); b++) {
                    String pre = "visual.layer" + (stage + 1) + "." + b + ".";
                    l.put(pre + "conv1.weight", planes, inplanes, 1, 1);
                    l.batchNorm(pre + "bn1.", planes);
                    l.put(pre + "conv2.weight", planes, planes, 3, 3);
                    l.batchNorm(pre + "bn2.", planes);
                    l.put(pre + "conv3.weight", planes * 4L, planes, 1, 1);
                    l.batchNorm(pre + "bn3.", planes * 4);
                    if (b == 0) { // first block of a stage: stride or width change, so avgpool + 1x1 conv + BN
                        l.put(pre + "downsample.0.weight", planes * 4L, inplanes, 1, 1);
                        l.batchNorm(pre + "downsample.1.", planes * 4);
                    }
                    inplanes = planes * 4;
                }
            }
            long d = w * 32L;
            long grid = c.imageSize() / 32;
            l.put("visual.attnpool.positional_embedding", grid * grid + 1, d);
            for (String proj : new String[] {"k_proj", "q_proj", "v_proj"}) {
                l.put("visual.attnpool." + proj + ".weight", d, d);
                l.put("visual.attnpool." + proj + ".bias", d);
            }
            l.put("visual.attnpool.c_proj.weight", e, d);
            l.put("visual.attnpool.c_proj.bias", e);
        }
        int t = c.textWidth();
        l.put("token_embedding.weight", c.vocabSize(), t);
        l.put("positional_embedding", c.contextLength(), t);
        for (int i = 0; i < c.textLayers(); i++) {
            l.residualBlock("transformer.resblocks." + i + ".", t);
        }
        l.put("ln_final.weight", t);
        l.put("ln_final.bias", t);
        l.put("text_projection", t, e);
        l.put("logit_scale");
        return l;
    }

    /** @return name → expected shape, in model order */
    public Map<String, long[]> shapes() {
        return java.util.Collections.unmodifiableMap(shapes);
    }

    /** @return the number of weights the layout holds */
    public long parameterCount() {
        long n = 0;
        for (long[] s : shapes.values()) {
            n += Arrays.stream(s).reduce(1, Math::multiplyExact);
        }
        return n;
    }

    /**
     * Checks the tensors found against the layout.
     *
     * @param found    tensor name → shape as stored
     * @param where    the file, for messages
     * @param backbone what the shapes were derived from (for messages)
     */
    public void check(Map<String, long[]> found, String where, String backbone) {
        for (Map.Entry<String, long[]> want : shapes.entrySet()) {
            long[] got = found.get(want.getKey());
            if (got == null) {
                throw new BadInputException(where + ": tensor '" + want.getKey() + "' is missing (expected shape "
                        + Arrays.toString(want.getValue()) + " for backbone " + backbone + ")");
            }
            if (!Arrays.equals(got, want.getValue())) {
                throw new BadInputException(where + ": tensor '" + want.getKey() + "': expected shape "
                        + Arrays.toString(want.getValue()) + " for backbone " + backbone + ", found "
                        + Arrays.toString(got));
            }
        }
        TreeSet<String> extra = new TreeSet<>(found.keySet());
        extra.removeAll(shapes.keySet());
        if (!extra.isEmpty()) {
            throw new BadInputException(where + ": tensor '" + extra.first() + "' is not part of CLIP's " + backbone
                    + " state dict" + (extra.size() > 1 ? " (and " + (extra.size() - 1) + " more)" : ""));
        }
    }

    private void residualBlock(String pre, int w) {
        put(pre + "attn.in_proj_weight", 3L * w, w);
        put(pre + "attn.in_proj_bias", 3L * w);
        put(pre + "attn.out_proj.weight", w, w);
        put(pre + "attn.out_proj.bias", w);
        put(pre + "ln_1.weight", w);
        put(pre + "ln_1.bias", w);
        put(pre + "mlp.c_fc.weight", 4L * w, w);
        put(pre + "mlp.c_fc.bias", 4L * w);
        put(pre + "mlp.c_proj.weight", w, 4L * w);
        put(pre + "mlp.c_proj.bias", w);
        put(pre + "ln_2.weight", w);
        put(pre + "ln_2.bias", w);
    }

    private void batchNorm(String pre, long channels) {
        for (String n : new String[] {"weight", "bias", "running_mean", "running_var"}) {
            put(pre + n, channels);
        }
    }

    private void put(String name, long... shape) {
        shapes.put(name, shape);
    }
}
