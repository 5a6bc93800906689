package dev.vlltr.runtime.clip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;

/** The tiny bundles made by tools/clip/make_reader_fixtures.py (test resources dev/vlltr/runtime/clip/). */
final class ClipFixtures {

    private ClipFixtures() {}

    static Path dir() {
        try {
            return Paths.get(ClipFixtures.class.getResource("expected.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path bundle(String name) {
        return dir().resolve(name);
    }

    static JsonNode expected() throws IOException {
        return new ObjectMapper().readTree(dir().resolve("expected.json").toFile());
    }

    /** A writable copy of a fixture bundle, to be broken by a test. */
    static Path copy(String name, Path target) {
        Path from = bundle(name);
        try (Stream<Path> files = Files.list(from)) {
            Files.createDirectories(target);
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, target.resolve(f.getFileName()));
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
