package dev.vlltr.runtime.cli;

import dev.vlltr.runtime.manifest.ArtifactRef;
import dev.vlltr.runtime.manifest.ArtifactVerifier;
import dev.vlltr.runtime.manifest.Manifests;
import dev.vlltr.runtime.manifest.StageManifest;
import dev.vlltr.runtime.store.ArtifactNotFoundException;
import dev.vlltr.runtime.store.ArtifactStore;
import dev.vlltr.runtime.store.ArtifactUris;
import dev.vlltr.runtime.store.Sha256;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Resolves the {@code --input NAME=URI} of an invocation into digested references, before anything runs. An input
 * that is an upstream stage's manifest is trusted only after every output it lists has been checked against the
 * store ({@link ArtifactVerifier}): a missing or changed upstream output is bad input (exit 2) naming the output, its
 * URI and the manifest, rather than a skipped stage that silently stands on other bytes or a crash halfway through.
 */
final class StageInputs {

    private StageInputs() {}

    static Map<String, ArtifactRef> resolve(ArtifactStore store, StageDefinition def, Map<String, String> given)
            throws IOException {
        Map<String, InputSpec> specs = new LinkedHashMap<>();
        def.inputs().forEach(s -> specs.put(s.name(), s));
        for (String name : given.keySet()) {
            if (!specs.containsKey(name)) {
                throw new BadInputException("unknown input '" + name + "' for stage '" + def.name() + "'; known: "
                        + specs.keySet());
            }
        }
        Map<String, ArtifactRef> out = new LinkedHashMap<>();
        for (InputSpec s : def.inputs()) {
            String value = given.get(s.name());
            if (value == null || value.isBlank()) {
                if (s.required()) {
                    throw new BadInputException("missing required input '" + s.name() + "' for stage '" + def.name()
                            + "': --input " + s.name() + "=URI (" + s.description() + ")");
                }
                continue;
            }
            URI uri = ArtifactUris.parse(value, "--input " + s.name());
            out.put(s.name(), isManifest(uri) ? upstream(store, s.name(), uri)
                    : s.digest() != null ? s.digest().describe(store, uri) : Manifests.describeInput(store, uri));
        }
        return out;
    }

    static boolean isManifest(URI uri) {
        return ArtifactUris.fileName(uri).equals(StageManifest.FILE_NAME) && !uri.toString().endsWith("/");
    }

    /** An upstream manifest, its outputs verified; the reference carries the digest over those outputs. */
    private static ArtifactRef upstream(ArtifactStore store, String input, URI uri) throws IOException {
        byte[] bytes;
        try {
            bytes = store.readAllBytes(uri, null);
        } catch (ArtifactNotFoundException e) {
            throw new BadInputException("input '" + input + "': no manifest at " + uri
                    + " (the upstream stage has not finished there)", e);
        }
        StageManifest m = Manifests.parse(bytes, uri);
        Map<String, String> problems = ArtifactVerifier.problems(store, m.outputs());
        if (!problems.isEmpty()) {
            Map.Entry<String, String> first = problems.entrySet().iterator().next();
            throw new BadInputException("input '" + input + "': output '" + first.getKey() + "' ("
                    + m.outputs().get(first.getKey()).uri() + ") of stage '" + m.stage() + "' (manifest " + uri
                    + ") is corrupt or missing: " + first.getValue()
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : "") + "; re-run "
                    + m.stage() + " with --force");
        }
        return new ArtifactRef(uri, Sha256.of(bytes), null, Manifests.outputsDigest(m));
    }
}
