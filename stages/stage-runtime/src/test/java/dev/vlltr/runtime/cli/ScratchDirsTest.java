package dev.vlltr.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 18, defect 5 (local side): only scratch folders of dead executions are removed. */
class ScratchDirsTest {

    @TempDir
    Path work;

    @Test
    void removesFoldersOfDeadExecutionsOnlyNeverLiveOrForeignOnes() throws Exception {
        // dead: its lock file is there and nobody holds the lock (what a kill -9 leaves)
        Path dead = Files.createDirectories(work.resolve("pair-123"));
        Files.writeString(dead.resolve(ScratchDirs.LOCK_FILE), "");
        Files.write(dead.resolve("inputs.bin"), new byte[1024]);
        // foreign: no lock file, so its owner cannot be told dead from alive
        Path foreign = Files.createDirectories(work.resolve("something-else"));
        try (ScratchDirs.Scratch live = ScratchDirs.create(work, "pair")) {
            assertEquals(1, ScratchDirs.removeStale(work));
            assertFalse(Files.exists(dead));
            assertTrue(Files.isDirectory(live.dir()), "a live execution keeps its folder");
            assertTrue(Files.isDirectory(foreign));
            Path live2 = live.dir();
            live.close();
            assertFalse(Files.exists(live2), "closing removes the folder");
        }
    }
}
