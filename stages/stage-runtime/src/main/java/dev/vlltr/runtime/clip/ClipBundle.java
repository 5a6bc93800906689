package dev.vlltr.runtime.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.vlltr.runtime.cli.BadInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A CLIP weight bundle ({@value ClipBundleConfig#FORMAT}) read from a local folder: {@value #CONFIG} (the
 * architecture), {@value #WEIGHTS} (OpenAI CLIP's state dict by name, validated against the architecture) and
 * {@value #TOKENIZER} (CLIP's BPE). The towers of ltr-core load their parameters from {@link #tensors()}; the stage
 * that opened the bundle closes it (its arrays belong to the manager it was given, the tokenizer to the bundle).
 *
 * @param config    bundle.json
 * @param tensors   name → float32 array, exactly {@link ClipStateDictLayout#of}'s names and shapes
 * @param tokenizer CLIP tokenisation with the bundle's context length
 */
public record ClipBundle(ClipBundleConfig config, Map<String, NDArray> tensors, ClipTokenizer tokenizer)
        implements AutoCloseable {

    public static final String WEIGHTS = "clip.safetensors";
    public static final String CONFIG = "bundle.json";
    public static final String TOKENIZER = "tokenizer.json";
    /** The files of a bundle; others in the folder are ignored. */
    public static final List<String> FILES = List.of(WEIGHTS, CONFIG, TOKENIZER);

    /**
     * Reads and validates a bundle.
     *
     * @param dir      the folder
     * @param source   the folder as the user named it (a URI ending with '/'), prefixed to file names in messages
     * @param backbone the backbone the stage was asked for, or null to take the bundle's
     * @param manager  owns the arrays
     */
    public static ClipBundle load(Path dir, String source, String backbone, NDManager manager) throws IOException {
        for (String f : FILES) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new BadInputException(source + ": the CLIP bundle has no " + f + " (a bundle is a folder with "
                        + String.join(", ", FILES) + "; tools/clip/convert_clip.py writes one)");
            }
        }
        ClipBundleConfig config;
        try (InputStream in = Files.newInputStream(dir.resolve(CONFIG))) {
            config = ClipBundleConfig.read(in, source + CONFIG);
        }
        if (backbone != null && !backbone.equals(config.backbone())) {
            throw new BadInputException(source + CONFIG + ": field 'backbone': the bundle holds a "
                    + config.backbone() + ", the stage was asked for backbone=" + backbone);
        }
        ClipStateDictLayout layout = ClipStateDictLayout.of(config);
        String weights = source + WEIGHTS;
        // names and shapes are checked on the header before any data is decoded
        Map<String, long[]> found = new LinkedHashMap<>();
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(dir.resolve(WEIGHTS)))) {
            for (SafetensorsHeader.Entry e : SafetensorsHeader.read(in, Files.size(dir.resolve(WEIGHTS)), weights)
                    .tensors()) {
                if (!e.name().endsWith(SafetensorsHeader.BN_COUNTER)) {
                    found.put(e.name(), e.shape());
                }
            }
        }
        layout.check(found, weights, config.backbone());
        ClipTokenizer tokenizer = ClipTokenizer.load(dir.resolve(TOKENIZER), source + TOKENIZER,
                config.contextLength(), config.vocabSize());
        try {
            Map<String, NDArray> tensors = SafetensorsFile.read(dir.resolve(WEIGHTS), manager, weights);
            tensors.keySet().removeIf(name -> {
                boolean counter = name.endsWith(SafetensorsHeader.BN_COUNTER);
                if (counter) {
                    tensors.get(name).close();
                }
                return counter;
            });
            return new ClipBundle(config, tensors, tokenizer);
        } catch (IOException | RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    /** @return the checkpoint's logit scale θ (ln 100 in OpenAI's released models), the start of training */
    public float logitScale() {
        return tensors.get("logit_scale").getFloat();
    }

    @Override
    public void close() {
        tensors.values().forEach(NDArray::close);
        tokenizer.close();
    }
}
