package dev.vlltr.core.text;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Assumptions;

/** The Debian-installed WordNet and GCIDE files; tests skip without them unless {@code vlltr.requireServers=true}. */
final class InstalledTextData {

    static final Path WORDNET_DIR = Path.of("/usr/share/wordnet");
    static final Path GCIDE_DIR = Path.of("/usr/share/dictd");

    private InstalledTextData() {}

    static TextResourceOpener wordNet() {
        return require(WORDNET_DIR, "data.noun", "wordnet-base");
    }

    static TextResourceOpener gcide() {
        return require(GCIDE_DIR, "gcide.index", "dict-gcide");
    }

    private static TextResourceOpener require(Path dir, String probe, String pkg) {
        if (!Files.isReadable(dir.resolve(probe))) {
            String msg = dir.resolve(probe) + " is missing: install it with 'apt-get install -y " + pkg + "'";
            if (Boolean.getBoolean("vlltr.requireServers")) {
                fail(msg + " (vlltr.requireServers=true)");
            }
            Assumptions.abort(msg);
        }
        return directory(dir);
    }

    static TextResourceOpener directory(Path dir) {
        return new TextResourceOpener() {
            @Override
            public InputStream open(String name) throws IOException {
                return Files.newInputStream(dir.resolve(name));
            }

            @Override
            public SeekableByteChannel openSeekable(String name) throws IOException {
                return Files.newByteChannel(dir.resolve(name), StandardOpenOption.READ);
            }
        };
    }
}
