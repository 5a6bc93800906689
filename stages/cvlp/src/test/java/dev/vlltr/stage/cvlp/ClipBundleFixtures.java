package dev.vlltr.stage.cvlp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The tiny CLIP bundles of stage-runtime's tests (tools/clip/make_reader_fixtures.py: {@code tiny-rn50}, a
 * ModifiedResNet-shaped CLIP at 64 px, and {@code tiny-vit-b16}, a ViT-shaped one at 32 px, with CLIP's tokenizer
 * format) copied to a folder, as a user's bundle would lie.
 */
public final class ClipBundleFixtures {

    private ClipBundleFixtures() {}

    /**
     * @param name tiny-rn50 or tiny-vit-b16
     * @param dir  the folder to create
     * @return the folder
     */
    public static Path copy(String name, Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String f : List.of("clip.safetensors", "bundle.json", "tokenizer.json")) {
            try (InputStream in = ClipBundleFixtures.class.getResourceAsStream("/dev/vlltr/runtime/clip/" + name + "/"
                    + f)) {
                if (in == null) {
                    throw new IllegalStateException("test resource " + name + "/" + f + " of stage-runtime is missing");
                }
                Files.copy(in, dir.resolve(f));
            }
        }
        return dir;
    }

    /** The cvlp arguments that train both CLIP towers of a bundle. */
    public static String[] clipTowers(String backbone, Path bundle) {
        return new String[] {"--param", "backbone=" + backbone, "--param", "text-encoder=clip", "--input",
            "clip-bundle=" + bundle.toUri()};
    }
}
