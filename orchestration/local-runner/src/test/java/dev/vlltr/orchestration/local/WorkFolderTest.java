package dev.vlltr.orchestration.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The work folder a run and {@code run-local.sh ui} share, and how {@code ui} picks its run. */
class WorkFolderTest {

    @Test
    void fileUrisAreTheSameBeforeAndAfterTheFolderExists(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("artifacts");
        String before = WorkFolder.fileUri(dir);
        Files.createDirectories(dir);
        assertEquals(before, WorkFolder.fileUri(dir));
        assertTrue(before.startsWith("file:///") && !before.endsWith("/"), before);
    }

    @Test
    void uiTakesTheNewestFinishedRunOrTheNamedOneAndSaysWhatExists(@TempDir Path tmp) throws Exception {
        WorkFolder work = new WorkFolder(tmp);
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> UiCommand.chooseRun(work, null));
        assertTrue(none.getMessage().contains("run the pipeline first (orchestration/run-local.sh --quick)"),
                none.getMessage());
        for (String run : new String[] {"old", "new"}) {
            Path m = tmp.resolve("artifacts").resolve(run).resolve("evaluation/manifest.json");
            Files.createDirectories(m.getParent());
            Files.writeString(m, "{}");
            Files.setLastModifiedTime(m, FileTime.from(Instant.now().minusSeconds(run.equals("old") ? 600 : 0)));
        }
        Files.createDirectories(tmp.resolve("artifacts/method-crt/new/recalibration"));   // a fan-out root: no run
        assertEquals("new", UiCommand.chooseRun(work, null));
        assertEquals("old", UiCommand.chooseRun(work, "old"));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> UiCommand.chooseRun(work, "nope"));
        assertTrue(unknown.getMessage().contains("no finished run 'nope'") && unknown.getMessage().contains("[new, old]"),
                unknown.getMessage());
    }

    @Test
    void theAdminKeyFileIsReadableByItsOwnerOnly(@TempDir Path tmp) throws Exception {
        WorkFolder work = new WorkFolder(tmp);
        Path key = work.writeAdminKey("vlltr-local-secret");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertEquals("vlltr-local-secret", work.adminKey().orElseThrow());
        work.writeAdminKey("vlltr-local-next");
        assertEquals("vlltr-local-next", work.adminKey().orElseThrow(), "a new key per start replaces the old one");
    }
}
