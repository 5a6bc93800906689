package dev.vlltr.stage.lgr;

import dev.vlltr.core.data.DataSource;
import dev.vlltr.runtime.data.FashionMnistFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** Where the Fashion-MNIST files come from: an explicit folder, the Debian package or the cache (never downloaded). */
final class StageData {

    private StageData() {}

    static DataSource fashionMnist(String dataDir) throws IOException {
        Path explicit = dataDir == null || dataDir.isBlank() ? null : Path.of(dataDir);
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "vlltr", "datasets", "fashion-mnist");
        Map<String, Path> files = FashionMnistFiles.locate(explicit, cache, false, FashionMnistFiles.UPSTREAM);
        return name -> {
            Path p = files.get(name);
            if (p == null) {
                throw new IOException("Fashion-MNIST has no file '" + name + "'");
            }
            return FashionMnistFiles.content(p);
        };
    }
}
