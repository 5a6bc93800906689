package dev.vlltr.orchestration.local;

import dev.vlltr.runtime.manifest.ArtifactRef;
import dev.vlltr.runtime.manifest.Manifests;
import dev.vlltr.runtime.manifest.StageManifest;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The local runner's work folder ({@code <repo>/.vlltr/local} by default), the one place a local run and
 * {@code run-local.sh ui} agree on: artifacts, the MLflow file store, the registry's database and its admin key file,
 * per-run logs and scratch space, and while {@code ui} runs, the URL of its registry.
 */
record WorkFolder(Path root) {

    /** Where {@code run-local.sh ui} serves MLflow by default (and so where a local registry mirrors to). */
    static final int MLFLOW_UI_PORT = 5000;
    /** Where {@code run-local.sh ui} serves the registry by default (the registry's own default port). */
    static final int REGISTRY_UI_PORT = 8085;

    WorkFolder {
        root = root.toAbsolutePath().normalize();
    }

    /** {@code dir}, else {@code <repo>/.vlltr/local}. */
    static WorkFolder of(Path dir, Path repo) {
        return new WorkFolder(dir != null ? dir : repo.resolve(".vlltr/local"));
    }

    /**
     * {@code file:///abs/dir} without a trailing slash: {@link Path#toUri()} adds one only once the folder exists, which
     * would make a first run and its re-run pass different artifact roots and tracking URIs.
     */
    static String fileUri(Path dir) {
        String uri = dir.toAbsolutePath().normalize().toUri().toString();
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }

    Path artifacts() {
        return root.resolve("artifacts");
    }

    Path mlruns() {
        return root.resolve("mlruns");
    }

    Path registryDb() {
        return root.resolve("registry-db");
    }

    /** The admin key of the registry last started on {@link #registryDb()} (a new key per start, mode 600). */
    Path adminKeyFile() {
        return root.resolve("registry-admin-key");
    }

    /** The URL of the registry {@code run-local.sh ui} is serving; absent when none runs. */
    Path registryUrlFile() {
        return root.resolve("registry-url");
    }

    Path logs(String runId) {
        return root.resolve("logs").resolve(runId);
    }

    Path scratch(String runId) {
        return root.resolve("scratch").resolve(runId);
    }

    /** The HTML report of a run's evaluation, when it exists. */
    Optional<Path> report(String runId) {
        return evaluationOutput(runId, "report");
    }

    /**
     * A local output of a run's evaluation, when it exists: found through the evaluation's manifest, because outputs
     * live at content addresses ({@code evaluation/outputs/<sha256>/<file>}), never at a fixed path.
     */
    Optional<Path> evaluationOutput(String runId, String output) {
        Path manifest = artifacts().resolve(runId).resolve("evaluation").resolve(StageManifest.FILE_NAME);
        if (!Files.isRegularFile(manifest)) {
            return Optional.empty();
        }
        try {
            ArtifactRef ref = Manifests.parse(Files.readAllBytes(manifest), manifest.toUri()).outputs().get(output);
            if (ref == null || !"file".equals(ref.uri().getScheme())) {
                return Optional.empty();
            }
            Path p = Path.of(ref.uri());
            return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();   // an unreadable manifest: nothing to show, the run's status says why
        }
    }

    /** Run ids with an evaluation manifest, most recent first. */
    List<String> finishedRuns() throws IOException {
        if (!Files.isDirectory(artifacts())) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(artifacts())) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("evaluation/manifest.json")))
                    .sorted(Comparator.comparing((Path d) -> modified(d.resolve("evaluation/manifest.json")))
                            .reversed())
                    .map(d -> d.getFileName().toString()).toList();
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Writes the registry's admin key, readable by the owner only. */
    Path writeAdminKey(String key) throws IOException {
        return writePrivate(adminKeyFile(), key + "\n");
    }

    void writeRegistryUrl(URI url) throws IOException {
        writePrivate(registryUrlFile(), url + "\n");
    }

    /** The URL {@code ui} wrote, when there is one. */
    Optional<URI> registryUrl() {
        try {
            return Files.isRegularFile(registryUrlFile())
                    ? Optional.of(URI.create(Files.readString(registryUrlFile()).strip())) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    Optional<String> adminKey() {
        try {
            return Files.isRegularFile(adminKeyFile())
                    ? Optional.of(Files.readString(adminKeyFile()).strip()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Path writePrivate(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        try {
            // created readable by the owner only, before the secret is in it
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }
}
