package dev.vlltr.stage.recalibration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vlltr.runtime.store.ArtifactInfo;
import dev.vlltr.runtime.store.ArtifactStore;
import dev.vlltr.runtime.store.ArtifactUris;
import dev.vlltr.runtime.store.Sha256;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A content-addressed cache of trained CE backbones in an artifact store folder: entry {@code <folder>/<key>/} holds
 * the files of one training run and {@code entry.json} (the training settings and every file's SHA-256), written
 * last — an entry without it does not exist. The key is the SHA-256 of the canonical settings JSON, so the five
 * recalibration methods of a pipeline run (same seed, data and CE settings) train the backbone once. Files are
 * verified against their digests when read; a corrupt entry is ignored (and overwritten by the next run).
 */
public final class CeCache {

    private static final Logger LOG = LoggerFactory.getLogger(CeCache.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String ENTRY = "entry.json";

    private final ArtifactStore store;
    private final URI folder;

    public CeCache(ArtifactStore store, URI folder) {
        this.store = store;
        this.folder = ArtifactUris.asPrefix(folder);
    }

    /** The key of a settings object: SHA-256 of its JSON with sorted keys. */
    public static String key(ObjectNode settings) {
        try {
            Object sorted = JSON.treeToValue(settings, Object.class);
            byte[] canonical = JSON.copy().configure(com.fasterxml.jackson.databind.SerializationFeature
                    .ORDER_MAP_ENTRIES_BY_KEYS, true).writeValueAsBytes(sorted);
            return Sha256.of(canonical);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public URI entryUri(String key) {
        return ArtifactUris.asPrefix(ArtifactUris.resolve(folder, key));
    }

    /** Downloads the entry's files into {@code dir} (verified) or returns empty when there is no valid entry. */
    public Optional<Map<String, Path>> lookup(String key, List<String> files, Path dir) {
        URI entry = entryUri(key);
        try {
            if (!store.exists(ArtifactUris.resolve(entry, ENTRY))) {
                return Optional.empty();
            }
            JsonNode index = JSON.readTree(store.readAllBytes(ArtifactUris.resolve(entry, ENTRY), null));
            Map<String, Path> out = new LinkedHashMap<>();
            for (String f : files) {
                String sha = index.path("files").path(f).asText(null);
                if (sha == null) {
                    LOG.warn("CE cache entry {} lacks {}: ignoring it", entry, f);
                    return Optional.empty();
                }
                Path target = dir.resolve(f);
                store.download(ArtifactUris.resolve(entry, f), target, sha);
                out.put(f, target);
            }
            return Optional.of(out);
        } catch (IOException | RuntimeException e) {
            LOG.warn("CE cache entry {} is unusable ({}): training again", entry, e.toString());
            return Optional.empty();
        }
    }

    /** Publishes the files, then {@code entry.json}. A failure is logged: the cache is an optimisation. */
    public void store(String key, ObjectNode settings, Map<String, Path> files) {
        URI entry = entryUri(key);
        try {
            ObjectNode index = JSON.createObjectNode();
            index.put("key", key);
            index.set("settings", settings);
            ObjectNode digests = index.putObject("files");
            for (Map.Entry<String, Path> f : files.entrySet()) {
                ArtifactInfo info = store.put(f.getValue(), ArtifactUris.resolve(entry, f.getKey()));
                digests.put(f.getKey(), info.sha256());
            }
            store.put(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(index)
                    .getBytes(StandardCharsets.UTF_8), ArtifactUris.resolve(entry, ENTRY));
            LOG.info("CE backbone cached at {}", entry);
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not cache the CE backbone at {}: {}", entry, e.toString());
        }
    }

    static String describe(ObjectNode settings) {
        StringBuilder sb = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = settings.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            sb.append(e.getKey()).append('=').append(e.getValue().asText()).append(it.hasNext() ? ", " : "");
        }
        return sb.toString();
    }
}
