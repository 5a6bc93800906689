package dev.vlltr.runtime.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The record a stage writes last, after every output is published and verified: {@code
 * <artifact-root>/<run-id>/<stage>/manifest.json}. A stage output without a manifest does not exist.
 *
 * @param schemaVersion format version of this file (currently 1)
 * @param stage         stage name, e.g. {@code cvlp}
 * @param runId         pipeline run id
 * @param codeVersion   version of the code that produced it
 * @param fingerprint   SHA-256 over stage, params and input digests: the memoisation key ({@link Fingerprint})
 * @param params        effective parameters (defaults filled in), as strings
 * @param inputs        named inputs with their digests
 * @param outputs       named outputs with digests and sizes
 * @param metrics       headline metrics
 * @param startedAt     start time
 * @param finishedAt    end time (when the manifest was written)
 */
@JsonPropertyOrder({"schemaVersion", "stage", "runId", "codeVersion", "fingerprint", "params", "inputs", "outputs",
    "metrics", "startedAt", "finishedAt"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StageManifest(
        int schemaVersion,
        String stage,
        String runId,
        String codeVersion,
        String fingerprint,
        Map<String, String> params,
        Map<String, ArtifactRef> inputs,
        Map<String, ArtifactRef> outputs,
        Map<String, Double> metrics,
        Instant startedAt,
        Instant finishedAt) {

    public static final int SCHEMA_VERSION = 1;
    public static final String FILE_NAME = "manifest.json";

    public StageManifest {
        params = sorted(params);
        inputs = sorted(inputs);
        outputs = sorted(outputs);
        metrics = sorted(metrics);
    }

    private static <V> Map<String, V> sorted(Map<String, V> m) {
        return m == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(m));
    }

    /** The output named {@code name}, or a clear error naming what exists. */
    public ArtifactRef output(String name) {
        ArtifactRef ref = outputs.get(name);
        if (ref == null) {
            throw new dev.vlltr.runtime.cli.BadInputException("stage '" + stage + "' of run '" + runId
                    + "' has no output named '" + name + "'; it has " + outputs.keySet());
        }
        return ref;
    }
}
