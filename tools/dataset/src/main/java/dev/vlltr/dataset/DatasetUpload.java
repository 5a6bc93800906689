package dev.vlltr.dataset;

import dev.vlltr.runtime.store.ArtifactInfo;
import dev.vlltr.runtime.store.ArtifactStore;
import dev.vlltr.runtime.store.ArtifactUris;
import dev.vlltr.runtime.store.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Copies a dataset folder to a prefix of the object store. Each file is hashed locally (SHA-256); an object already
 * there with the same digest is skipped, so an interrupted upload resumes where it stopped and a repeated one sends
 * nothing. Each put is atomic and verified by the store. {@value #CHECKSUMS} (sha256sum format, one line per file) is
 * written last, so its presence means the upload finished.
 */
public final class DatasetUpload {

    /** The checksum file written at the prefix once every file is in place. */
    public static final String CHECKSUMS = "SHA256SUMS";

    /**
     * @param uploaded files sent
     * @param skipped  files already present with the same digest
     * @param bytes    bytes sent
     */
    public record Outcome(int uploaded, int skipped, long bytes) {}

    private DatasetUpload() {
    }

    public static Outcome run(ArtifactStore store, Path dir, URI target, int workers)
            throws IOException, InterruptedException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals(CHECKSUMS))
                    .sorted().toList();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, workers));
        try {
            List<Future<String[]>> parts = new ArrayList<>();
            for (Path f : files) {
                parts.add(pool.submit(() -> uploadOne(store, dir, f, target)));
            }
            StringBuilder sums = new StringBuilder();
            int uploaded = 0;
            int skipped = 0;
            long bytes = 0;
            for (Future<String[]> part : parts) {
                String[] r = part.get();
                sums.append(r[0]).append("  ").append(r[1]).append('\n');
                if (r[2].equals("sent")) {
                    uploaded++;
                    bytes += Long.parseLong(r[3]);
                } else {
                    skipped++;
                }
            }
            store.put(sums.toString().getBytes(StandardCharsets.UTF_8), ArtifactUris.resolve(target, CHECKSUMS));
            return new Outcome(uploaded, skipped, bytes);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(c);
        } finally {
            pool.shutdownNow();
        }
    }

    /** @return {sha256, relative path, "sent"|"skipped", size} */
    private static String[] uploadOne(ArtifactStore store, Path dir, Path file, URI target) throws IOException {
        String rel = dir.relativize(file).toString().replace('\\', '/');
        String sha;
        try (InputStream in = Files.newInputStream(file)) {
            sha = Sha256.of(in);
        }
        URI uri = ArtifactUris.resolve(target, rel);
        Optional<ArtifactInfo> there = store.stat(uri);
        if (there.isPresent() && sha.equals(there.get().sha256())) {
            return new String[] {sha, rel, "skipped", "0"};
        }
        ArtifactInfo put = store.put(file, uri);
        if (!sha.equals(put.sha256())) {
            throw new IOException(uri + ": stored digest " + put.sha256() + " differs from the local file's " + sha
                    + " (was " + file + " changed during the upload?)");
        }
        return new String[] {sha, rel, "sent", Long.toString(put.size())};
    }
}
