package dev.vlltr.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.vlltr.runtime.cli.BadInputException;
import dev.vlltr.runtime.testing.RequiredTool;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistFilesTest {

    @TempDir
    Path tmp;

    @BeforeEach
    void needsDebianPackage() {
        if (FashionMnistFiles.find(FashionMnistFiles.DEBIAN_DIR).isEmpty()) {
            RequiredTool.missing("Fashion-MNIST is not installed: apt-get install dataset-fashion-mnist");
        }
    }

    @Test
    void theDebianFilesAreTheOfficialContent() throws Exception {
        Map<String, Path> files = FashionMnistFiles.locate(null, tmp.resolve("cache"), false, FashionMnistFiles.UPSTREAM);
        assertEquals(4, files.size());
        assertTrue(files.values().stream().allMatch(p -> p.startsWith(FashionMnistFiles.DEBIAN_DIR)));
    }

    @Test
    void downloadsFromAMirrorVerifyingContentAndRejectingCorruptFiles() throws Exception {
        Path mirrorDir = tmp.resolve("mirror");
        Files.createDirectories(mirrorDir);
        for (Map.Entry<String, Path> f : FashionMnistFiles.find(FashionMnistFiles.DEBIAN_DIR).orElseThrow().entrySet()) {
            Files.copy(f.getValue(), mirrorDir.resolve(f.getKey() + ".gz"));
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            Path file = mirrorDir.resolve(ex.getRequestURI().getPath().substring(1));
            if (!Files.isRegularFile(file)) {
                ex.sendResponseHeaders(404, -1);
                ex.close();
                return;
            }
            ex.sendResponseHeaders(200, Files.size(file));
            try (OutputStream out = ex.getResponseBody()) {
                Files.copy(file, out);
            }
        });
        server.start();
        try {
            URI mirror = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            Path cache = tmp.resolve("cache");
            Map<String, Path> got = FashionMnistFiles.download(cache, mirror);
            assertEquals(4, got.size());
            for (Map.Entry<String, Path> f : got.entrySet()) {
                FashionMnistFiles.verify(f.getKey(), f.getValue());
            }

            // a mirror serving a damaged file: clear error, nothing kept in the cache
            Path cache2 = tmp.resolve("cache2");
            byte[] bytes = Files.readAllBytes(mirrorDir.resolve("t10k-labels-idx1-ubyte.gz"));
            bytes[bytes.length / 2] ^= 0x5a;
            Files.write(mirrorDir.resolve("t10k-labels-idx1-ubyte.gz"), bytes);
            BadInputException e = assertThrows(BadInputException.class,
                    () -> FashionMnistFiles.download(cache2, mirror));
            assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte"), e.getMessage());
            try (Stream<Path> s = Files.list(cache2)) {
                assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith("t10k-labels")
                        || p.getFileName().toString().endsWith(".partial")), "no damaged or partial file may stay");
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anExplicitFolderWithoutTheFilesIsAClearError() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> FashionMnistFiles.locate(tmp, tmp.resolve("cache"), false, FashionMnistFiles.UPSTREAM));
        assertTrue(e.getMessage().contains("does not contain the four IDX files"), e.getMessage());
    }
}
