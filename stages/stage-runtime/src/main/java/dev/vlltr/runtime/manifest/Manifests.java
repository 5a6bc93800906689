package dev.vlltr.runtime.manifest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.vlltr.runtime.cli.BadInputException;
import dev.vlltr.runtime.store.ArtifactInfo;
import dev.vlltr.runtime.store.ArtifactNotFoundException;
import dev.vlltr.runtime.store.ArtifactStore;
import dev.vlltr.runtime.store.ArtifactStoreAccessException;
import dev.vlltr.runtime.store.ArtifactUris;
import dev.vlltr.runtime.store.Sha256;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reading, writing and checking stage manifests in an {@link ArtifactStore}. */
public final class Manifests {

    private static final Logger LOG = LoggerFactory.getLogger(Manifests.class);

    /** The JSON mapper for manifests and other small runtime documents (ISO-8601 times, sorted keys). */
    public static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Manifests() {}

    /** The stage folder {@code <artifact-root>/<run-id>/<stage>/}. */
    public static URI stageDir(URI artifactRoot, String runId, String stage) {
        return ArtifactUris.asPrefix(ArtifactUris.resolve(ArtifactUris.resolve(artifactRoot, runId), stage));
    }

    public static URI manifestUri(URI artifactRoot, String runId, String stage) {
        return ArtifactUris.resolve(stageDir(artifactRoot, runId, stage), StageManifest.FILE_NAME);
    }

    /**
     * Where an output with content {@code sha256} is published: {@code <stage-dir>/outputs/<sha256>/<fileName>}.
     * The path is a function of the bytes, so no execution, whatever its parameters or inputs, can write other bytes
     * where a manifest already points: a re-run killed mid-publish leaves the old manifest's outputs untouched, and a
     * re-run that reproduces a file writes the same bytes over it. The file keeps its name as the last segment
     * (consumers find outputs by name, {@code UpstreamFiles}).
     */
    public static URI outputUri(URI stageDir, String sha256, String fileName) {
        if (!Sha256.isDigest(sha256)) {
            throw new IllegalArgumentException("not a SHA-256: " + sha256);
        }
        return ArtifactUris.resolve(ArtifactUris.asPrefix(stageDir), "outputs/" + sha256 + "/" + fileName);
    }

    /**
     * SHA-256 over a manifest's outputs ({@code name TAB sha256 LF}, sorted by name): what a consumer of the manifest
     * reads, independent of the manifest's timestamps.
     */
    public static String outputsDigest(StageManifest m) {
        StringBuilder listing = new StringBuilder();
        new java.util.TreeMap<>(m.outputs()).forEach((k, v) -> listing.append(k).append('\t').append(v.sha256())
                .append('\n'));
        return Sha256.of(listing.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public static byte[] toBytes(StageManifest m) {
        try {
            return JSON.writeValueAsBytes(m);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static StageManifest parse(byte[] data, URI from) {
        try {
            StageManifest m = JSON.readValue(data, StageManifest.class);
            if (m.schemaVersion() != StageManifest.SCHEMA_VERSION) {
                throw new BadInputException(from + ": manifest schemaVersion " + m.schemaVersion()
                        + " is not supported (expected " + StageManifest.SCHEMA_VERSION + ")");
            }
            if (m.stage() == null || m.runId() == null) {
                throw new BadInputException(from + ": manifest lacks 'stage' or 'runId'");
            }
            return m;
        } catch (IOException e) {
            throw new BadInputException(from + ": not a valid stage manifest: " + e.getMessage(), e);
        }
    }

    /** Reads a manifest; empty when none exists there. */
    public static Optional<StageManifest> read(ArtifactStore store, URI uri) throws IOException {
        try {
            return Optional.of(parse(store.readAllBytes(uri, null), uri));
        } catch (ArtifactNotFoundException e) {
            return Optional.empty();
        }
    }

    /** Publishes the manifest. Call it last, after every output is published and verified. */
    public static ArtifactInfo publish(ArtifactStore store, URI uri, StageManifest manifest) throws IOException {
        ArtifactInfo info = store.put(toBytes(manifest), uri);
        LOG.info("published manifest {} (sha256 {})", uri, info.sha256());
        return info;
    }

    /**
     * The manifest at {@code uri} when it can stand for a new execution with {@code fingerprint}: same fingerprint,
     * and every output still present with its recorded size and SHA-256 ({@link ArtifactVerifier}: object metadata on
     * S3, the content on file://). A changed or missing output means re-running, never skipping.
     */
    public static Optional<StageManifest> memoised(ArtifactStore store, URI uri, String fingerprint)
            throws IOException {
        Optional<StageManifest> existing;
        try {
            existing = read(store, uri);
        } catch (ArtifactStoreAccessException e) {
            throw e;   // refused credentials are the user's to fix (exit 2), not a reason to re-run
        } catch (BadInputException e) {
            LOG.warn("ignoring unreadable manifest {}: {}", uri, e.getMessage());
            return Optional.empty();
        }
        if (existing.isEmpty()) {
            return Optional.empty();
        }
        StageManifest m = existing.get();
        if (!fingerprint.equals(m.fingerprint())) {
            LOG.info("manifest {} has another fingerprint (params or inputs changed): re-running", uri);
            return Optional.empty();
        }
        Map<String, String> problems = ArtifactVerifier.problems(store, m.outputs());
        if (!problems.isEmpty()) {
            problems.forEach((name, problem) -> LOG.warn("output '{}' ({}) of {}: {}: re-running", name,
                    m.outputs().get(name).uri(), uri, problem));
            return Optional.empty();
        }
        return existing;
    }

    /**
     * Resolves a plain stage input: a folder URI (ending in {@code /}) is digested by its sorted listing of relative
     * names and digests, any other URI by its content. (Upstream manifests are resolved by the runner, which also
     * verifies the outputs they list: {@code StageInputs}.)
     */
    public static ArtifactRef describeInput(ArtifactStore store, URI uri) throws IOException {
        if (uri.toString().endsWith("/")) {
            var files = store.list(uri);
            if (files.isEmpty()) {
                throw new BadInputException("input folder " + uri + " is empty or does not exist");
            }
            StringBuilder listing = new StringBuilder();
            for (ArtifactInfo f : files) {
                String sha = f.sha256() != null ? f.sha256() : digestOf(store, f.uri());
                listing.append(ArtifactUris.relativize(uri, f.uri())).append('\t').append(sha).append('\n');
            }
            return new ArtifactRef(uri, Sha256.of(listing.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                    null);
        }
        ArtifactInfo info = store.stat(uri).orElseThrow(() -> new BadInputException("input " + uri + " does not exist"));
        return new ArtifactRef(uri, info.sha256() != null ? info.sha256() : digestOf(store, uri), null);
    }

    private static String digestOf(ArtifactStore store, URI uri) throws IOException {
        try (var in = store.open(uri)) {
            return Sha256.of(in);
        }
    }
}
