package dev.vlltr.stagedata;

import dev.vlltr.core.dataset.DatasetFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.UUID;

/**
 * Keeps a local copy of every object read, so later epochs (and later runs) read images from local disk instead of
 * the object store. A copy appears atomically (written to a temporary name beside it, then moved), so a crash never
 * leaves a truncated image in the cache; concurrent readers of one object may both download it, harmlessly.
 */
public record CachingFiles(DatasetFiles remote, Path cacheDir) implements DatasetFiles {

    @Override
    public InputStream open(String relative) throws IOException {
        Path local = cacheDir.resolve(relative).normalize();
        if (!local.startsWith(cacheDir)) {
            throw new IOException("'" + relative + "' points outside the cache folder " + cacheDir);
        }
        if (Files.isRegularFile(local)) {
            return Files.newInputStream(local);
        }
        byte[] data;
        try (InputStream in = remote.open(relative)) {
            data = in.readAllBytes();
        }
        Files.createDirectories(local.getParent());
        Path tmp = local.resolveSibling("." + local.getFileName() + "." + UUID.randomUUID() + ".partial");
        try {
            Files.write(tmp, data);
            Files.move(tmp, local, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return new ByteArrayInputStream(data);
    }

    @Override
    public List<String> list(String dir) throws IOException {
        return remote.list(dir);
    }

    @Override
    public String describe(String relative) {
        return remote.describe(relative);
    }
}
