package dev.vlltr.runtime.store;

import dev.vlltr.runtime.cli.BadInputException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The store for every scheme: {@code file://} goes to {@link FileArtifactStore}, {@code s3://} to an
 * {@link S3ArtifactStore} configured from the environment ({@link S3Config#fromEnv(Map)}), created on first use.
 */
public final class ArtifactStores implements ArtifactStore {

    private final FileArtifactStore files = new FileArtifactStore();
    private final S3Config s3Config;
    private S3ArtifactStore s3;

    public ArtifactStores(S3Config s3Config) {
        this.s3Config = s3Config;
    }

    /** A store configured from the process environment. */
    public static ArtifactStores fromEnv() {
        return new ArtifactStores(S3Config.fromEnv(System.getenv()));
    }

    private synchronized ArtifactStore forUri(URI uri) {
        String scheme = uri.getScheme();
        if ("file".equals(scheme)) {
            return files;
        }
        if ("s3".equals(scheme)) {
            if (s3Config == null) {
                throw new BadInputException("'" + uri + "' is an s3:// URI but no S3 endpoint is configured: set"
                        + " VLLTR_S3_ENDPOINT, VLLTR_S3_ACCESS_KEY and VLLTR_S3_SECRET_KEY");
            }
            if (s3 == null) {
                s3 = new S3ArtifactStore(s3Config);
            }
            return s3;
        }
        throw new BadInputException("unsupported artifact URI scheme in '" + uri + "': expected file:// or s3://");
    }

    @Override
    public ArtifactInfo put(Path source, URI target) throws IOException {
        return forUri(target).put(source, target);
    }

    @Override
    public ArtifactInfo put(byte[] data, URI target) throws IOException {
        return forUri(target).put(data, target);
    }

    @Override
    public Optional<ArtifactInfo> putIfAbsent(byte[] data, URI target) throws IOException {
        return forUri(target).putIfAbsent(data, target);
    }

    @Override
    public InputStream open(URI source) throws IOException {
        return forUri(source).open(source);
    }

    @Override
    public ArtifactInfo download(URI source, Path target, String expectedSha256) throws IOException {
        return forUri(source).download(source, target, expectedSha256);
    }

    @Override
    public Optional<ArtifactInfo> stat(URI source) throws IOException {
        return forUri(source).stat(source);
    }

    @Override
    public List<ArtifactInfo> list(URI prefix) throws IOException {
        return forUri(prefix).list(prefix);
    }

    @Override
    public ArtifactInfo copy(URI source, URI target) throws IOException {
        ArtifactStore from = forUri(source);
        ArtifactStore to = forUri(target);
        if (from == to) {
            return from.copy(source, target);
        }
        Path tmp = from.downloadToTemp(source, null);
        try {
            return to.put(tmp, target);
        } finally {
            java.nio.file.Files.deleteIfExists(tmp);
        }
    }

    @Override
    public void delete(URI target) throws IOException {
        forUri(target).delete(target);
    }

    @Override
    public int removeIncomplete(URI prefix) throws IOException {
        return forUri(prefix).removeIncomplete(prefix);
    }

    @Override
    public synchronized void close() throws IOException {
        if (s3 != null) {
            s3.close();
        }
    }
}
