package dev.vlltr.orchestration.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --dataset}: a path becomes a file:// URI of the spec, a URI or a shipped name stays as given. */
class DatasetArgumentTest {

    @Test
    void aFolderOrTheSpecFileBecomesTheSpecsFileUri(@TempDir Path tmp) throws Exception {
        Path spec = Files.writeString(Files.createDirectories(tmp.resolve("my data")).resolve("dataset.yaml"), "x");
        String expected = spec.toAbsolutePath().toUri().toString();
        assertTrue(expected.startsWith("file:///") && expected.endsWith("/my%20data/dataset.yaml"), expected);
        assertEquals(expected, DatasetArgument.uriOrName(tmp.resolve("my data").toString()));
        assertEquals(expected, DatasetArgument.uriOrName(spec.toString()));
    }

    @Test
    void urisAndNamesStayAsGiven() {
        assertEquals("s3://datasets/mine/dataset.yaml", DatasetArgument.uriOrName("s3://datasets/mine/dataset.yaml"));
        assertEquals("fmnist-lt-quick", DatasetArgument.uriOrName("fmnist-lt-quick"));
    }

    @Test
    void aFolderWithoutSpecOrAMissingPathIsAClearError(@TempDir Path tmp) throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DatasetArgument.uriOrName(tmp.toString()));
        assertTrue(e.getMessage().endsWith("the folder has no dataset.yaml"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> DatasetArgument.uriOrName(tmp.resolve("nope/dataset.yaml").toString()));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }
}
