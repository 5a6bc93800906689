package dev.vlltr.runtime.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Artifacts as local files ({@code file:///abs/path}). Writes go to a hidden temporary file in the target folder, are
 * flushed to disk and read back to verify their SHA-256, then renamed into place: readers never see a partial file.
 */
public final class FileArtifactStore implements ArtifactStore {

    static final String PARTIAL_SUFFIX = ".partial";

    @Override
    public ArtifactInfo put(Path source, URI target) throws IOException {
        InputStream in;
        try {
            in = Files.newInputStream(source);
        } catch (NoSuchFileException e) {
            // only a missing source is "not found"; a failure to create the target must keep its own cause
            throw new ArtifactNotFoundException(source.toUri());
        }
        try (in) {
            return publish(in, target);
        }
    }

    @Override
    public ArtifactInfo put(byte[] data, URI target) throws IOException {
        return publish(new java.io.ByteArrayInputStream(data), target);
    }

    @Override
    public Optional<ArtifactInfo> putIfAbsent(byte[] data, URI target) throws IOException {
        Path dest = path(target);
        Path tmp = writeVerified(new java.io.ByteArrayInputStream(data), dest, target).file();
        try {
            // link(2) fails if the name exists: an atomic create-only publish
            Files.createLink(dest, tmp);
            return Optional.of(new ArtifactInfo(target, Sha256.of(data), data.length));
        } catch (FileAlreadyExistsException e) {
            return Optional.empty();
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private ArtifactInfo publish(InputStream in, URI target) throws IOException {
        Path dest = path(target);
        VerifiedFile staged = writeVerified(in, dest, target);
        try {
            moveIntoPlace(staged.file(), dest);
        } finally {
            Files.deleteIfExists(staged.file());
        }
        return new ArtifactInfo(target, staged.sha256(), staged.size());
    }

    private record VerifiedFile(Path file, String sha256, long size) {}

    /** Copies the stream into a hidden temp file beside {@code dest}, syncs it, and checks it by reading it back. */
    private VerifiedFile writeVerified(InputStream in, Path dest, URI target) throws IOException {
        Files.createDirectories(dest.getParent());
        Path tmp = dest.resolveSibling("." + dest.getFileName() + "." + UUID.randomUUID() + PARTIAL_SUFFIX);
        try {
            String written;
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
                written = Sha256.copy(in, out);
                out.flush();
                ch.force(true);
            }
            String readBack = Sha256.of(tmp);
            if (!readBack.equals(written)) {
                throw new WriteVerificationException(target, written, readBack);
            }
            return new VerifiedFile(tmp, written, Files.size(tmp));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    private static void moveIntoPlace(Path tmp, Path dest) throws IOException {
        try {
            Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public InputStream open(URI source) throws IOException {
        Path p = path(source);
        try {
            return Files.newInputStream(p);
        } catch (NoSuchFileException e) {
            throw new ArtifactNotFoundException(source);
        } catch (FileSystemException e) {
            // a path through a regular file ("Not a directory") names nothing either; other failures keep their cause
            if (!Files.exists(p)) {
                throw new ArtifactNotFoundException(source);
            }
            throw e;
        }
    }

    @Override
    public ArtifactInfo download(URI source, Path target, String expectedSha256) throws IOException {
        Path src = path(source);
        if (src.equals(target.toAbsolutePath().normalize())) {
            String actual = Sha256.of(src);
            if (expectedSha256 != null && !expectedSha256.equals(actual)) {
                throw new ChecksumMismatchException(source, expectedSha256, actual);
            }
            return new ArtifactInfo(source, actual, Files.size(src));
        }
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve("." + target.getFileName() + "." + UUID.randomUUID() + PARTIAL_SUFFIX);
        try (InputStream in = open(source);
                OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW)) {
            String actual = Sha256.copy(in, out);
            out.close();
            if (expectedSha256 != null && !expectedSha256.equals(actual)) {
                throw new ChecksumMismatchException(source, expectedSha256, actual);
            }
            moveIntoPlace(tmp, target);
            return new ArtifactInfo(source, actual, Files.size(target));
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public Optional<ArtifactInfo> stat(URI source) throws IOException {
        Path p = path(source);
        if (!Files.isRegularFile(p)) {
            return Optional.empty();
        }
        return Optional.of(new ArtifactInfo(source, Sha256.of(p), Files.size(p)));
    }

    @Override
    public List<ArtifactInfo> list(URI prefix) throws IOException {
        Path p = path(prefix);
        Path root = prefix.toString().endsWith("/") || Files.isDirectory(p) ? p : p.getParent();
        String start = p.toString();
        List<ArtifactInfo> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString))::iterator) {
                if (f.toString().startsWith(start) && !f.getFileName().toString().endsWith(PARTIAL_SUFFIX)) {
                    out.add(new ArtifactInfo(f.toUri(), null, Files.size(f)));
                }
            }
        }
        return out;
    }

    @Override
    public ArtifactInfo copy(URI source, URI target) throws IOException {
        try (InputStream in = open(source)) {
            return publish(in, target);
        }
    }

    @Override
    public void delete(URI target) throws IOException {
        Files.deleteIfExists(path(target));
    }

    /**
     * Deletes the hidden {@code .partial} files that writers killed before their rename left under {@code prefix}.
     * The caller owns the folder (one live execution per stage folder): a live writer's temporary file would be
     * removed too, and its rename would then fail rather than publish anything wrong.
     */
    @Override
    public int removeIncomplete(URI prefix) throws IOException {
        Path root = path(prefix);
        if (!Files.isDirectory(root)) {
            return 0;
        }
        List<Path> partials;
        try (Stream<Path> files = Files.walk(root)) {
            partials = files.filter(f -> f.getFileName().toString().endsWith(PARTIAL_SUFFIX)).toList();
        }
        for (Path p : partials) {
            Files.deleteIfExists(p);
        }
        return partials.size();
    }

    static Path path(URI uri) {
        if (!"file".equals(uri.getScheme())) {
            throw new IllegalArgumentException("not a file:// URI: " + uri);
        }
        return Path.of(uri).toAbsolutePath().normalize();
    }
}
