package dev.vlltr.runtime.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileArtifactStoreTest {

    @TempDir
    Path tmp;

    private final FileArtifactStore store = new FileArtifactStore();

    @Test
    void putPublishesVerifiedBytesAndLeavesNoTemporaryFiles() throws Exception {
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new Random(1).nextBytes(data);
        Path src = tmp.resolve("src.bin");
        Files.write(src, data);
        URI target = tmp.resolve("out/run/stage/model.bin").toUri();

        ArtifactInfo info = store.put(src, target);

        assertEquals(Sha256.of(data), info.sha256());
        assertEquals(data.length, info.size());
        assertArrayEquals(data, Files.readAllBytes(Path.of(target)));
        try (Stream<Path> s = Files.list(Path.of(target).getParent())) {
            assertEquals(List.of("model.bin"), s.map(p -> p.getFileName().toString()).toList());
        }
        assertEquals(info, store.stat(target).orElseThrow());
    }

    @Test
    void downloadVerifiesTheExpectedDigestAndLeavesNothingOnMismatch() throws Exception {
        URI uri = tmp.resolve("a.txt").toUri();
        store.put("hello".getBytes(StandardCharsets.UTF_8), uri);
        Path target = tmp.resolve("dl/a.txt");

        ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class,
                () -> store.download(uri, target, Sha256.of("other".getBytes(StandardCharsets.UTF_8))));
        assertTrue(e.getMessage().contains(uri.toString()), e.getMessage());
        assertFalse(Files.exists(target));
        try (Stream<Path> s = Files.list(target.getParent())) {
            assertEquals(0, s.count(), "no partial file may remain");
        }

        ArtifactInfo ok = store.download(uri, target, Sha256.of("hello".getBytes(StandardCharsets.UTF_8)));
        assertEquals("hello", Files.readString(target));
        assertEquals(5, ok.size());
    }

    @Test
    void putIfAbsentNeverOverwrites() throws Exception {
        URI uri = tmp.resolve("m/manifest.json").toUri();
        assertTrue(store.putIfAbsent("first".getBytes(StandardCharsets.UTF_8), uri).isPresent());
        assertTrue(store.putIfAbsent("second".getBytes(StandardCharsets.UTF_8), uri).isEmpty());
        assertEquals("first", Files.readString(Path.of(uri)));
    }

    @Test
    void listCopyDeleteAndMissingArtifacts() throws Exception {
        URI dir = tmp.resolve("d/").toUri();
        store.put("1".getBytes(StandardCharsets.UTF_8), ArtifactUris.resolve(dir, "x/1.txt"));
        store.put("2".getBytes(StandardCharsets.UTF_8), ArtifactUris.resolve(dir, "x/2.txt"));
        store.put("3".getBytes(StandardCharsets.UTF_8), ArtifactUris.resolve(dir, "y.txt"));

        assertEquals(List.of("x/1.txt", "x/2.txt", "y.txt"),
                store.list(dir).stream().map(a -> ArtifactUris.relativize(dir, a.uri())).toList());
        assertEquals(2, store.list(ArtifactUris.resolve(dir, "x/")).size());

        ArtifactInfo copy = store.copy(ArtifactUris.resolve(dir, "y.txt"), ArtifactUris.resolve(dir, "z/y.txt"));
        assertEquals(Sha256.of("3".getBytes(StandardCharsets.UTF_8)), copy.sha256());
        store.delete(ArtifactUris.resolve(dir, "y.txt"));
        assertFalse(store.exists(ArtifactUris.resolve(dir, "y.txt")));
        store.delete(ArtifactUris.resolve(dir, "y.txt")); // deleting a missing artifact is fine

        assertThrows(ArtifactNotFoundException.class, () -> store.open(ArtifactUris.resolve(dir, "nope")));
        assertTrue(store.stat(ArtifactUris.resolve(dir, "nope")).isEmpty());
    }
}
