package dev.vlltr.runtime.store;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where stage inputs and outputs live. Implementations are chosen by URI scheme ({@link ArtifactStores}):
 * {@code file://} ({@link FileArtifactStore}) and {@code s3://bucket/key} ({@link S3ArtifactStore}).
 *
 * <p>Publishing is atomic: {@code put} makes the object visible only once all its bytes are written and their
 * SHA-256 verified; a failed or interrupted put leaves nothing visible at the target. Reads that know the expected
 * digest verify it and throw {@link ChecksumMismatchException} without leaving a partial local file.
 */
public interface ArtifactStore extends AutoCloseable {

    /** Publishes a local file at {@code target}, verifies it, and returns its URI, digest and size. */
    ArtifactInfo put(Path source, URI target) throws IOException;

    /** Publishes bytes at {@code target} (small artifacts such as manifests). */
    ArtifactInfo put(byte[] data, URI target) throws IOException;

    /**
     * Publishes bytes only if nothing exists at {@code target} yet.
     *
     * @return the new artifact, or empty when an object was already there (it is left untouched)
     */
    Optional<ArtifactInfo> putIfAbsent(byte[] data, URI target) throws IOException;

    /** Opens the artifact for reading. The caller closes the stream. */
    InputStream open(URI source) throws IOException;

    /**
     * Downloads to a local file, atomically (the file appears complete or not at all), verifying the digest the
     * artifact was published with and, when given, {@code expectedSha256}.
     */
    ArtifactInfo download(URI source, Path target, String expectedSha256) throws IOException;

    /** Reads a whole (small) artifact, verifying {@code expectedSha256} when given. */
    default byte[] readAllBytes(URI source, String expectedSha256) throws IOException {
        byte[] data;
        try (InputStream in = open(source)) {
            data = in.readAllBytes();
        }
        if (expectedSha256 != null) {
            String actual = Sha256.of(data);
            if (!actual.equals(expectedSha256)) {
                throw new ChecksumMismatchException(source, expectedSha256, actual);
            }
        }
        return data;
    }

    /** Metadata of the artifact, or empty when it does not exist. The digest may be computed by reading it. */
    Optional<ArtifactInfo> stat(URI source) throws IOException;

    default boolean exists(URI source) throws IOException {
        return stat(source).isPresent();
    }

    /** Every artifact whose URI starts with {@code prefix} (recursive), sorted by URI. */
    List<ArtifactInfo> list(URI prefix) throws IOException;

    /** Copies within this store (server-side where possible), verifying the result. */
    ArtifactInfo copy(URI source, URI target) throws IOException;

    /** Removes the artifact; a missing one is not an error. */
    void delete(URI target) throws IOException;

    /**
     * Removes what interrupted writes left under {@code prefix} and readers never see: temporary {@code .partial}
     * files of a local folder, incomplete multipart uploads of a bucket. Call it only on a prefix no live writer uses.
     *
     * @return how many leftovers were removed
     */
    default int removeIncomplete(URI prefix) throws IOException {
        return 0;
    }

    /** Downloads to a temporary file next to nothing else, for stores that need a local path. */
    default Path downloadToTemp(URI source, String expectedSha256) throws IOException {
        Path tmp = Files.createTempFile("vlltr-artifact-", ".bin");
        try {
            Files.delete(tmp);
            download(source, tmp, expectedSha256);
            return tmp;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    @Override
    default void close() throws IOException {}
}
