package dev.vlltr.runtime.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-execution local scratch folders under the work dir, and the removal of those that killed executions left.
 *
 * <p>A killed JVM runs no {@code finally}, so its folder (downloaded inputs, staged outputs: easily 100 MB) stays.
 * Each folder therefore holds a lock file locked for the execution's lifetime; the operating system releases the lock
 * when the process dies, however it dies. At the next start every folder whose lock can be taken belongs to a dead
 * execution and is deleted; a live one (another process, or another stage in this JVM) keeps its lock and is left
 * alone. Folders without the lock file (made by older versions, or by anything else sharing the work dir) are never
 * touched: their owner cannot be told dead from alive.
 */
final class ScratchDirs {

    private static final Logger LOG = LoggerFactory.getLogger(ScratchDirs.class);
    static final String LOCK_FILE = ".vlltr-scratch.lock";

    /** A scratch folder owned by this execution; closing it releases the lock and deletes the folder. */
    record Scratch(Path dir, FileChannel lockChannel, FileLock lock) implements AutoCloseable {
        @Override
        public void close() {
            try {
                lock.release();
                lockChannel.close();
            } catch (IOException e) {
                LOG.warn("could not release {}: {}", dir, e.getMessage());
            }
            deleteRecursively(dir);
        }
    }

    private ScratchDirs() {}

    static Scratch create(Path workDir, String stage) throws IOException {
        Files.createDirectories(workDir);
        Path dir = Files.createTempDirectory(workDir, stage + "-");
        FileChannel ch = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        return new Scratch(dir, ch, ch.lock());
    }

    /** Deletes the scratch folders under {@code workDir} whose execution is gone; returns how many. */
    static int removeStale(Path workDir) {
        if (!Files.isDirectory(workDir)) {
            return 0;
        }
        List<Path> dirs;
        try (Stream<Path> s = Files.list(workDir)) {
            dirs = s.filter(Files::isDirectory).toList();
        } catch (IOException e) {
            LOG.warn("could not list {}: {}", workDir, e.getMessage());
            return 0;
        }
        int removed = 0;
        for (Path dir : dirs) {
            if (isAbandoned(dir)) {
                deleteRecursively(dir);
                removed++;
            }
        }
        if (removed > 0) {
            LOG.info("removed {} scratch folder(s) of killed executions from {}", removed, workDir);
        }
        return removed;
    }

    private static boolean isAbandoned(Path dir) {
        Path lockFile = dir.resolve(LOCK_FILE);
        if (!Files.exists(lockFile)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = ch.tryLock();
            if (lock == null) {
                return false;   // another process holds it: a live execution
            }
            lock.release();
            return true;
        } catch (OverlappingFileLockException e) {
            return false;   // held by this JVM: a live execution here
        } catch (IOException e) {
            return false;
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not clean {}: {}", dir, e.getMessage());
        }
    }
}
