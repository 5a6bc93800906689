package dev.vlltr.runtime.cli;

import dev.vlltr.runtime.manifest.ArtifactRef;
import dev.vlltr.runtime.manifest.ArtifactVerifier;
import dev.vlltr.runtime.manifest.Manifests;
import dev.vlltr.runtime.manifest.StageManifest;
import dev.vlltr.runtime.store.ArtifactInfo;
import dev.vlltr.runtime.store.ArtifactStore;
import dev.vlltr.runtime.store.Sha256;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a finished execution: every output at its content address ({@link Manifests#outputUri}), each verified by
 * the store, then the manifest last. Until the manifest's single atomic write, the previous manifest (if any) is the
 * one readers see, and since new outputs never land where it points, its outputs stay intact whenever the process
 * dies; after that write the new manifest is complete. There is no moment in between.
 */
final class OutputPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(OutputPublisher.class);

    private final ArtifactStore store;
    private final PublishListener listener;

    OutputPublisher(ArtifactStore store, PublishListener listener) {
        this.store = store;
        this.listener = listener;
    }

    /** Uploads the stage's local output files; returns them as the manifest will record them. */
    Map<String, ArtifactRef> publishOutputs(String stage, Map<String, Path> outputs, URI stageDir) throws Exception {
        listener.reached(PublishListener.Phase.BEFORE_OUTPUTS);
        Map<String, ArtifactRef> published = new LinkedHashMap<>();
        List<Map.Entry<String, Path>> entries = new ArrayList<>(outputs.entrySet());
        for (int i = 0; i < entries.size(); i++) {
            String name = entries.get(i).getKey();
            Path file = entries.get(i).getValue();
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException("stage " + stage + " declared output '" + name
                        + "' but did not write " + file.getFileName());
            }
            published.put(name, publishOne(name, file, stageDir));
            if (i < entries.size() - 1) {
                listener.reached(PublishListener.Phase.BETWEEN_OUTPUTS);
            }
        }
        listener.reached(PublishListener.Phase.BEFORE_MANIFEST);
        return published;
    }

    private ArtifactRef publishOne(String name, Path file, URI stageDir) throws Exception {
        // the address needs the digest before the upload: one extra local read, the price of never overwriting
        String sha = Sha256.of(file);
        long size = Files.size(file);
        URI target = Manifests.outputUri(stageDir, sha, file.getFileName().toString());
        ArtifactRef ref = new ArtifactRef(target, sha, size);
        if (ArtifactVerifier.problem(store, ref).isEmpty()) {
            // an earlier (killed or forced) execution already published these very bytes here
            LOG.info("output {} -> {} ({} bytes, already there)", name, target, size);
            return ref;
        }
        ArtifactInfo info = store.put(file, target);
        if (!sha.equals(info.sha256())) {
            throw new IllegalStateException("output '" + name + "' (" + file + ") changed while it was published: "
                    + "hashed " + sha + ", uploaded " + info.sha256());
        }
        LOG.info("output {} -> {} ({} bytes)", name, target, size);
        return ref;
    }

    /** Writes the manifest: the one write that makes the execution exist. */
    void publishManifest(URI manifestUri, StageManifest manifest) throws Exception {
        Manifests.publish(store, manifestUri, manifest);
        listener.reached(PublishListener.Phase.AFTER_MANIFEST);
    }
}
