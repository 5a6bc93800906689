package dev.vlltr.stagedata;

import dev.vlltr.core.dataset.DatasetFiles;
import dev.vlltr.runtime.store.ArtifactInfo;
import dev.vlltr.runtime.store.ArtifactStore;
import dev.vlltr.runtime.store.ArtifactUris;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Dataset files under a root URI of the artifact store ({@code s3://bucket/prefix} through the MinIO SDK, or
 * {@code file://}). The store's S3 client is thread-safe, so the streaming loader's workers open objects in
 * parallel through one instance.
 */
public record StoreFiles(ArtifactStore store, URI root) implements DatasetFiles {

    @Override
    public InputStream open(String relative) throws IOException {
        // a missing object throws ArtifactNotFoundException, a FileNotFoundException: reported as a missing image
        return store.open(ArtifactUris.resolve(root, relative));
    }

    @Override
    public List<String> list(String dir) throws IOException {
        URI prefix = ArtifactUris.asPrefix(dir.isEmpty() ? root : ArtifactUris.resolve(root, dir));
        List<String> out = new ArrayList<>();
        URI base = ArtifactUris.asPrefix(root);
        for (ArtifactInfo info : store.list(prefix)) {
            String rel = ArtifactUris.relativize(base, info.uri());
            if (rel != null) {
                out.add(rel);
            }
        }
        out.sort(null);
        return out;
    }

    @Override
    public String describe(String relative) {
        return ArtifactUris.resolve(root, relative).toString();
    }
}
