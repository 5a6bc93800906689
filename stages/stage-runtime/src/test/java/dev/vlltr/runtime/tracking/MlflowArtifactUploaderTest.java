package dev.vlltr.runtime.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MlflowArtifactUploaderTest {
    @TempDir
    Path tmp;

    private static MlflowArtifactUploader uploader(String tracking) {
        return new MlflowArtifactUploader(URI.create(tracking), null, null, null, false, Duration.ofSeconds(5));
    }

    @Test
    void mapsProxyLocationsToTheArtifactEndpoint() {
        assertEquals("http://h:5000/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/d%20x/f.txt",
                uploader("http://h:5000").proxyUri(URI.create("mlflow-artifacts:/1/abc/artifacts"), "d x/f.txt")
                        .toASCIIString());
        // a server behind a path prefix keeps it
        assertEquals("https://h/mlflow/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/f.txt",
                uploader("https://h/mlflow").proxyUri(URI.create("mlflow-artifacts:/1/abc/artifacts"), "f.txt")
                        .toASCIIString());
        // an explicit artifact server host wins
        assertEquals("http://art:9000/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/f.txt",
                uploader("http://h:5000").proxyUri(URI.create("mlflow-artifacts://art:9000/1/abc/artifacts"), "f.txt")
                        .toASCIIString());
    }

    @Test
    void copiesToFileLocationsAndRefusesOthersClearly() throws Exception {
        Path file = Files.writeString(tmp.resolve("m.json"), "{}");
        Path dest = tmp.resolve("dest/artifacts");
        uploader("http://h:5000").upload("r1", LocalMlflowStore.fileUri(dest), file, "a/b");
        assertEquals("{}", Files.readString(dest.resolve("a/b/m.json")));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> uploader("http://h:5000").upload("r1", "s3://bucket/1/r1/artifacts", file, ""));
        assertTrue(e.getMessage().contains("s3://bucket/1/r1/artifacts") && e.getMessage().contains("r1"),
                e.getMessage());
    }
}
