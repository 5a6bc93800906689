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
     * and every output still present with its recorded size and digest.
     */
    public static Optional<StageManifest> memoised(ArtifactStore store, URI uri, String fingerprint)
            throws IOException {
        Optional<StageManifest> existing;
        try {
            existing = read(store, uri);
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
        for (Map.Entry<String, ArtifactRef> out : m.outputs().entrySet()) {
            Optional<ArtifactInfo> st = store.stat(out.getValue().uri());
            if (st.isEmpty() || (out.getValue().size() != null && st.get().size() != out.getValue().size())
                    || (st.get().sha256() != null && !st.get().sha256().equals(out.getValue().sha256()))) {
                LOG.warn("output '{}' of {} is missing or changed: re-running", out.getKey(), uri);
                return Optional.empty();
            }
        }
        return existing;
    }

    /**
     * Resolves a stage input. A manifest URI (ending in {@code manifest.json}) is digested by its bytes, which cover
     * its outputs' digests; a folder URI (ending in {@code /}) by its sorted listing of relative names and digests;
     * any other URI by its content.
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
