package dev.vlltr.stagedata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlltr.runtime.cli.BadInputException;
import dev.vlltr.runtime.store.ArtifactStores;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fingerprint digest of input {@code dataset} covers the spec and the files it names (class file, split lists),
 * so editing a list re-runs a stage; the image bytes are not read; a bad spec is exit 2 naming the field.
 */
class DatasetDigestTest {

    @TempDir
    Path tmp;

    private final ArtifactStores store = new ArtifactStores(null);

    private Path dataset() throws IOException {
        Path d = Files.createDirectories(tmp.resolve("ds"));
        Files.write(d.resolve("classes.txt"), List.of("cat", "dog"));
        Files.write(d.resolve("train.txt"), List.of("a.jpg 0", "b.jpg 1"));
        Files.write(d.resolve("test.txt"), List.of("c.jpg 0", "d.jpg 1"));
        Files.writeString(d.resolve("a.jpg"), "image bytes");
        Files.writeString(d.resolve("dataset.yaml"), """
                name: tiny
                classes: {file: classes.txt}
                splits:
                  train: {format: list, file: train.txt}
                  val: {format: list, file: train.txt}
                  test: {format: list, file: test.txt}
                geometry:
                  channels: 3
                  mean: [0.5, 0.5, 0.5]
                  std: [0.25, 0.25, 0.25]
                  train: {randomCrop: {padding: 4}, flip: 0.5}
                  eval: {resize: 32, centerCrop: 32}
                """);
        return d;
    }

    private String digest(Path d) throws IOException {
        URI spec = d.resolve("dataset.yaml").toUri();
        var ref = DatasetDigest.describe(store, spec);
        assertEquals(spec, ref.uri());
        return ref.sha256();
    }

    @Test
    void followsTheSpecTheClassFileAndTheListsButNotTheImages() throws IOException {
        Path d = dataset();
        String before = digest(d);
        assertEquals(before, digest(d), "deterministic");
        Files.writeString(d.resolve("a.jpg"), "other image bytes");
        assertEquals(before, digest(d), "image bytes are checked when loaded, not digested");

        Files.write(d.resolve("train.txt"), List.of("a.jpg 1", "b.jpg 1"));
        String relabelled = digest(d);
        assertNotEquals(before, relabelled, "a relabelled list line");
        Files.write(d.resolve("classes.txt"), List.of("cat", "wolf"));
        String renamed = digest(d);
        assertNotEquals(relabelled, renamed, "a renamed class");
        Files.writeString(d.resolve("dataset.yaml"), Files.readString(d.resolve("dataset.yaml"))
                .replace("padding: 4", "padding: 2"));
        assertNotEquals(renamed, digest(d), "the spec's own bytes");
    }

    @Test
    void aMissingListIsRecordedAndABadSpecIsBadInput() throws IOException {
        Path d = dataset();
        String before = digest(d);
        Files.delete(d.resolve("test.txt"));
        assertNotEquals(before, digest(d), "a missing list file is recorded as missing (its stage reports it)");

        Files.writeString(d.resolve("dataset.yaml"), Files.readString(d.resolve("dataset.yaml")) + "labels: 3\n");
        BadInputException unknown = assertThrows(BadInputException.class, () -> digest(d));
        assertTrue(unknown.getMessage().contains("field 'labels'"), unknown.getMessage());
        BadInputException missing = assertThrows(BadInputException.class,
                () -> DatasetDigest.describe(store, tmp.resolve("nowhere/dataset.yaml").toUri()));
        assertTrue(missing.getMessage().contains("nowhere/dataset.yaml"), missing.getMessage());
    }
}
