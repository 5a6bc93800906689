package dev.vlltr.core.dataset;

import dev.vlltr.core.data.DataSource;
import java.io.IOException;
import java.util.List;

/**
 * A folder of dataset files addressed by relative paths: the spec's folder (class and list files) or the images root.
 * ltr-core never opens files itself; the tools and stages pass implementations over local folders or the artifact
 * store ({@code s3://}). Implementations must allow concurrent {@code open} calls (the streaming loader's workers).
 */
public interface DatasetFiles extends DataSource {

    /**
     * @param relative path relative to this folder, {@code /}-separated
     * @throws java.io.FileNotFoundException or {@link java.nio.file.NoSuchFileException} when it does not exist
     */
    @Override
    java.io.InputStream open(String relative) throws IOException;

    /**
     * @param dir a folder relative to this one ({@code ""} for all)
     * @return the relative paths (from this folder's root) of every file under {@code dir}, recursively, sorted
     */
    List<String> list(String dir) throws IOException;

    /** @return how to name {@code relative} in messages: a URI or an absolute path */
    String describe(String relative);
}
