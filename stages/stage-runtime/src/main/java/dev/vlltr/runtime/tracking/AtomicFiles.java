package dev.vlltr.runtime.tracking;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Whole-file writes that readers never see half done: write a temp file, then rename it over the target. The temp
 * file lives in a directory the reader does not list (MLflow lists {@code metrics/}, {@code params/}, {@code tags/}
 * and {@code artifacts/} recursively, so temp files go to the run directory itself).
 */
final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Replaces {@code target} with {@code data}, staging in {@code tempDir} (same file system). */
    static void write(Path target, byte[] data, Path tempDir) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = tempFile(tempDir);
        try {
            Files.write(tmp, data, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            move(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Replaces {@code target} with {@code old content + data} (an append no reader sees half done). */
    static void append(Path target, byte[] data, Path tempDir) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = tempFile(tempDir);
        try {
            if (Files.exists(target)) {
                Files.copy(target, tmp);
            }
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                out.write(data);
            }
            move(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Copies {@code source} to {@code target}, staging next to the target under a hidden name. */
    static void copy(Path source, Path target) throws IOException {
        copy(source, target, target.getParent());
    }

    /** Copies {@code source} to {@code target}, staging in {@code tempDir}. */
    static void copy(Path source, Path target, Path tempDir) throws IOException {
        Files.createDirectories(target.getParent());
        Files.createDirectories(tempDir);
        Path tmp = tempFile(tempDir);
        try {
            Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
            move(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static Path tempFile(Path dir) {
        return dir.resolve(".tmp-" + UUID.randomUUID());
    }

    private static void move(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
