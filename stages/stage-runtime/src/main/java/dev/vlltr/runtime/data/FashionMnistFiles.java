package dev.vlltr.runtime.data;

import dev.vlltr.runtime.cli.BadInputException;
import dev.vlltr.runtime.store.Sha256;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the four Fashion-MNIST IDX files and proves they are the real ones: each file (gzip-compressed or raw) must
 * decompress to the exact bytes of the official release, checked by SHA-256 of the content. Debian's
 * {@code dataset-fashion-mnist} package recompresses the files, so digests of the uncompressed IDX content are what
 * identify the dataset, wherever it comes from.
 *
 * <p>Search order: an explicit folder; {@code /usr/share/datasets/fashion-mnist} (Debian); the download cache; and, only
 * when allowed, a download from the upstream mirror (or {@code $VLLTR_FMNIST_MIRROR}) into the cache, written
 * atomically and verified before it is kept.
 */
public final class FashionMnistFiles {

    private static final Logger LOG = LoggerFactory.getLogger(FashionMnistFiles.class);

    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final URI UPSTREAM = URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/");

    /** File stem → SHA-256 and size of its uncompressed IDX content (official release). */
    public static final Map<String, Digest> CONTENT = Map.of(
            "train-images-idx3-ubyte", new Digest("c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888", 47_040_016),
            "train-labels-idx1-ubyte", new Digest("bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9", 60_008),
            "t10k-images-idx3-ubyte", new Digest("5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b", 7_840_016),
            "t10k-labels-idx1-ubyte", new Digest("0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34", 10_008));

    /** Expected content digest and size. */
    public record Digest(String sha256, long size) {}

    private FashionMnistFiles() {}

    /** Opens one of the dataset's files by stem (ltr-core's {@code DataSource} has this shape). */
    @FunctionalInterface
    public interface Opener {
        InputStream open(String stem) throws IOException;
    }

    /** Where downloads are cached by default: {@code ~/.cache/vlltr/datasets/fashion-mnist}. */
    public static Path defaultCacheDir() {
        return Path.of(System.getProperty("user.home"), ".cache", "vlltr", "datasets", "fashion-mnist");
    }

    /**
     * What every stage uses: the folder of the {@code data-dir} parameter when given, else the Debian package, else
     * the cache, else a verified download from {@code $VLLTR_FMNIST_MIRROR} (default: the upstream release).
     *
     * @param dataDir the {@code data-dir} parameter ("" or null: look in the usual places)
     * @return an opener of the verified files' uncompressed content
     */
    public static Opener forStage(String dataDir) throws IOException {
        if (DataFolders.isUri(dataDir)) {
            throw new BadInputException("Fashion-MNIST data-dir " + dataDir + " is a URI; this caller has no artifact"
                    + " store to read it through (give a local folder)");
        }
        return forLocal(dataDir);
    }

    /**
     * Like {@link #forStage(String)}, and {@code data-dir} may also be a URI ({@code s3://bucket/datasets/fashion-mnist},
     * {@code file:///...}): the four files ({@code <stem>.gz}, else {@code <stem>}) are fetched through the stage's
     * artifact store into its scratch folder, then verified by their content SHA-256 like local ones.
     */
    public static Opener forStage(String dataDir, dev.vlltr.runtime.cli.StageContext ctx) throws IOException {
        return forStage(dataDir, ctx.store(), ctx.scratch());
    }

    /** {@link #forStage(String, dev.vlltr.runtime.cli.StageContext)} with a URI fetched into {@code scratch/data/fashion-mnist}. */
    public static Opener forStage(String dataDir, dev.vlltr.runtime.store.ArtifactStore store, Path scratch)
            throws IOException {
        if (!DataFolders.isUri(dataDir)) {
            return forLocal(dataDir);
        }
        List<String> names = CONTENT.keySet().stream().sorted().map(stem -> stem + ".gz|" + stem).toList();
        Path local = DataFolders.fetchFiles(store, dataDir, "data-dir", names,
                scratch.resolve("data").resolve("fashion-mnist"));
        LOG.info("Fashion-MNIST: fetched from {} into {}", dataDir.strip(), local);
        return forLocal(local.toString());
    }

    private static Opener forLocal(String dataDir) throws IOException {
        Path explicit = dataDir == null || dataDir.isBlank() ? null : Path.of(dataDir);
        String mirror = System.getenv("VLLTR_FMNIST_MIRROR");
        Map<String, Path> files = locate(explicit, defaultCacheDir(), true,
                mirror == null || mirror.isBlank() ? UPSTREAM : URI.create(mirror));
        return stem -> {
            Path file = files.get(stem);
            if (file == null) {
                throw new IOException("Fashion-MNIST has no file '" + stem + "'; expected one of " + files.keySet());
            }
            return content(file);
        };
    }

    /**
     * Locates and verifies the dataset.
     *
     * @param explicit  a folder given by the user, or null
     * @param cacheDir  where downloads are kept (e.g. {@code ~/.cache/vlltr/datasets/fashion-mnist})
     * @param download  whether fetching from the mirror is allowed
     * @param mirror    base URI of the mirror (files {@code <stem>.gz} under it)
     * @return stem → verified local file (gz or raw)
     */
    public static Map<String, Path> locate(Path explicit, Path cacheDir, boolean download, URI mirror)
            throws IOException {
        List<Path> candidates = new ArrayList<>();
        if (explicit != null) {
            Map<String, Path> files = find(explicit).orElseThrow(() -> new BadInputException("Fashion-MNIST folder "
                    + explicit + " does not contain the four IDX files (" + String.join(", ", CONTENT.keySet())
                    + ", optionally .gz)"));
            verifyAll(files);
            return files;
        }
        candidates.add(DEBIAN_DIR);
        candidates.add(cacheDir);
        for (Path dir : candidates) {
            Optional<Map<String, Path>> files = find(dir);
            if (files.isPresent()) {
                verifyAll(files.get());
                LOG.info("Fashion-MNIST: using {}", dir);
                return files.get();
            }
        }
        if (!download) {
            throw new BadInputException("Fashion-MNIST not found in " + DEBIAN_DIR + " or " + cacheDir
                    + "; install it (apt-get install dataset-fashion-mnist), pass its folder, or allow the download");
        }
        return download(cacheDir, mirror);
    }

    static Optional<Map<String, Path>> find(Path dir) {
        Map<String, Path> out = new LinkedHashMap<>();
        for (String stem : CONTENT.keySet()) {
            Path gz = dir.resolve(stem + ".gz");
            Path raw = dir.resolve(stem);
            if (Files.isRegularFile(gz)) {
                out.put(stem, gz);
            } else if (Files.isRegularFile(raw)) {
                out.put(stem, raw);
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(out);
    }

    static void verifyAll(Map<String, Path> files) throws IOException {
        for (Map.Entry<String, Path> e : files.entrySet()) {
            verify(e.getKey(), e.getValue());
        }
    }

    /** Checks that {@code file} (gz or raw) holds exactly the official content of {@code stem}. */
    public static void verify(String stem, Path file) throws IOException {
        Digest expected = CONTENT.get(stem);
        String actual;
        try (InputStream in = content(file)) {
            actual = Sha256.of(in);
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new BadInputException(file + ": corrupt gzip data (" + e.getMessage() + ")");
        }
        if (!actual.equals(expected.sha256())) {
            throw new BadInputException(file + ": its content has SHA-256 " + actual + ", expected " + expected.sha256()
                    + " (the official " + stem + "); the file is corrupt or not Fashion-MNIST");
        }
    }

    /** The uncompressed IDX bytes of a gz or raw file (by the gzip magic number). */
    public static InputStream content(Path file) throws IOException {
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
    }

    /** Downloads all four files from {@code mirror} into {@code cacheDir}, keeping only verified ones. */
    static Map<String, Path> download(Path cacheDir, URI mirror) throws IOException {
        Files.createDirectories(cacheDir);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        Map<String, Path> out = new LinkedHashMap<>();
        for (String stem : CONTENT.keySet()) {
            URI uri = mirror.resolve(stem + ".gz");
            Path target = cacheDir.resolve(stem + ".gz");
            Path tmp = cacheDir.resolve("." + stem + "." + UUID.randomUUID() + ".partial");
            LOG.info("Fashion-MNIST: downloading {}", uri);
            try {
                HttpResponse<Path> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5))
                        .header("User-Agent", "vlltr-stack/0.1 (dataset fetch)").build(),
                        HttpResponse.BodyHandlers.ofFile(tmp));
                if (r.statusCode() != 200) {
                    throw new IOException("GET " + uri + " answered HTTP " + r.statusCode());
                }
                verify(stem, tmp);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                out.put(stem, target);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while downloading " + uri, e);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        return out;
    }
}
