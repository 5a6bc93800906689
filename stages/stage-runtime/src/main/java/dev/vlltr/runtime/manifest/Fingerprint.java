package dev.vlltr.runtime.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vlltr.runtime.store.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The memoisation key of a stage execution: SHA-256 of the canonical JSON of its name, its effective parameters (in
 * their canonical spelling, {@code StageParams}) and the digests of its inputs. For an input that is an upstream
 * manifest the digest is that of the manifest file, which records every upstream output's SHA-256; the runner has
 * verified those outputs against the store before the key is taken ({@code StageInputs}), so the key covers the bytes
 * the stage will read. Equal fingerprints mean the stage would compute the same thing again.
 */
public final class Fingerprint {

    /**
     * Version of what the key covers; bumped when that changes, so that a manifest keyed the old way is never taken for
     * current (2: canonical parameter values).
     */
    static final int SCHEME = 2;

    private Fingerprint() {}

    public static String of(String stage, Map<String, String> params, Map<String, ArtifactRef> inputs) {
        Map<String, Object> canonical = new LinkedHashMap<>();
        canonical.put("scheme", SCHEME);
        canonical.put("stage", stage);
        canonical.put("params", new TreeMap<>(params));
        Map<String, String> digests = new TreeMap<>();
        inputs.forEach((k, v) -> digests.put(k, v.sha256()));
        canonical.put("inputs", digests);
        try {
            return Sha256.of(Manifests.JSON.writeValueAsString(canonical).getBytes(StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
