package dev.vlltr.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vlltr.runtime.cli.BadInputException;
import dev.vlltr.runtime.store.ArtifactStores;
import dev.vlltr.runtime.store.Sha256;
import dev.vlltr.runtime.testing.MinioServerExtension;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 3: a Fashion-MNIST data-dir given as s3:// (real MinIO) or file:// is fetched through the artifact
 * store and verified; it reads the same bytes as the Debian folder; a missing object or a bad URI is exit 2 naming it.
 */
class DataFoldersMinioTest {

    @RegisterExtension
    static final MinioServerExtension MINIO = new MinioServerExtension();

    private static final String PREFIX = "s3://" + MinioServerExtension.BUCKET + "/datasets/fashion-mnist";

    @TempDir
    Path tmp;

    private ArtifactStores store;

    @BeforeEach
    void debianPackage() {
        if (FashionMnistFiles.find(FashionMnistFiles.DEBIAN_DIR).isEmpty()) {
            String msg = "Fashion-MNIST not installed: apt-get install -y dataset-fashion-mnist";
            if (Boolean.getBoolean("vlltr.requireServers")) {
                fail(msg);
            }
            Assumptions.abort(msg);
        }
        store = new ArtifactStores(MINIO.server().config());
    }

    @org.junit.jupiter.api.AfterEach
    void close() throws Exception {
        if (store != null) {
            store.close();
        }
    }

    private void upload(String prefix, List<String> skip) throws Exception {
        for (Map.Entry<String, Path> f : FashionMnistFiles.find(FashionMnistFiles.DEBIAN_DIR).orElseThrow().entrySet()) {
            if (!skip.contains(f.getKey())) {
                store.put(f.getValue(), URI.create(prefix + "/" + f.getValue().getFileName()));
            }
        }
    }

    private static Map<String, String> digests(FashionMnistFiles.Opener opener) throws Exception {
        Map<String, String> out = new java.util.TreeMap<>();
        for (String stem : FashionMnistFiles.CONTENT.keySet()) {
            try (InputStream in = opener.open(stem)) {
                out.put(stem, Sha256.of(in));
            }
        }
        return out;
    }

    @Test
    void s3DataDirReadsTheSameVerifiedContentAsTheDebianFolder() throws Exception {
        upload(PREFIX, List.of());
        Map<String, String> fromS3 = digests(FashionMnistFiles.forStage(PREFIX, store, tmp.resolve("scratch")));
        Map<String, String> local = digests(FashionMnistFiles.forStage(FashionMnistFiles.DEBIAN_DIR.toString(), store,
                tmp.resolve("scratch2")));
        assertEquals(local, fromS3);
        FashionMnistFiles.CONTENT.forEach((stem, d) -> assertEquals(d.sha256(), fromS3.get(stem), stem));
        assertTrue(Files.isRegularFile(tmp.resolve("scratch/data/fashion-mnist/train-images-idx3-ubyte.gz")));
        // a second fetch into the same folder keeps the files (same content) and still verifies
        assertEquals(fromS3, digests(FashionMnistFiles.forStage(PREFIX + "/", store, tmp.resolve("scratch"))));
        // file:// goes the same way
        Path folder = FashionMnistFiles.DEBIAN_DIR;
        assertEquals(local, digests(FashionMnistFiles.forStage(folder.toUri().toString(), store,
                tmp.resolve("scratch3"))));
    }

    @Test
    void missingObjectIsExitTwoNamingTheUriAndObject() throws Exception {
        String prefix = "s3://" + MinioServerExtension.BUCKET + "/datasets/partial";
        upload(prefix, List.of("t10k-labels-idx1-ubyte"));
        BadInputException e = assertThrows(BadInputException.class,
                () -> FashionMnistFiles.forStage(prefix, store, tmp.resolve("scratch")));
        assertTrue(e.getMessage().contains("data-dir"), e.getMessage());
        assertTrue(e.getMessage().contains(prefix + "/t10k-labels-idx1-ubyte.gz not found"), e.getMessage());
    }

    @Test
    void corruptObjectFailsTheSha256Check() throws Exception {
        String prefix = "s3://" + MinioServerExtension.BUCKET + "/datasets/corrupt";
        upload(prefix, List.of("train-labels-idx1-ubyte"));
        Path bad = Files.write(tmp.resolve("train-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 1, 7});
        store.put(bad, URI.create(prefix + "/train-labels-idx1-ubyte"));
        BadInputException e = assertThrows(BadInputException.class,
                () -> FashionMnistFiles.forStage(prefix, store, tmp.resolve("scratch")));
        assertTrue(e.getMessage().contains("expected " + FashionMnistFiles.CONTENT.get("train-labels-idx1-ubyte")
                .sha256()), e.getMessage());
    }

    @Test
    void badUriIsExitTwoNamingIt() {
        BadInputException noBucket = assertThrows(BadInputException.class,
                () -> FashionMnistFiles.forStage("s3:///datasets/fashion-mnist", store, tmp.resolve("scratch")));
        assertTrue(noBucket.getMessage().contains("s3:///datasets/fashion-mnist"), noBucket.getMessage());
        BadInputException scheme = assertThrows(BadInputException.class,
                () -> FashionMnistFiles.forStage("http://example.org/fmnist", store, tmp.resolve("scratch")));
        assertTrue(scheme.getMessage().contains("http://example.org/fmnist"), scheme.getMessage());
        assertTrue(scheme.getMessage().contains("data-dir"), scheme.getMessage());
    }

    @Test
    void folderFetchTakesTheObjectsDirectlyUnderThePrefix() throws Exception {
        String prefix = "s3://" + MinioServerExtension.BUCKET + "/datasets/folder";
        store.put("a".getBytes(), URI.create(prefix + "/a.txt"));
        store.put("b".getBytes(), URI.create(prefix + "/sub/b.txt"));
        store.put("x".getBytes(), URI.create(prefix + "-other/x.txt"));
        Path got = DataFolders.fetchFolder(store, prefix, "wordnet.dir", tmp.resolve("f"));
        try (var files = Files.list(got)) {
            assertEquals(List.of("a.txt"), files.map(p -> p.getFileName().toString()).toList());
        }
        BadInputException e = assertThrows(BadInputException.class, () -> DataFolders.fetchFolder(store,
                "s3://" + MinioServerExtension.BUCKET + "/datasets/none", "wordnet.dir", tmp.resolve("g")));
        assertTrue(e.getMessage().contains("wordnet.dir") && e.getMessage().contains("/datasets/none/"),
                e.getMessage());
    }
}
