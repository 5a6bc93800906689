package dev.vlltr.stagedata;

import dev.vlltr.core.dataset.DatasetFiles;
import dev.vlltr.core.dataset.DatasetSpec;
import dev.vlltr.core.dataset.DatasetSpecReader;
import dev.vlltr.runtime.cli.BadInputException;
import dev.vlltr.runtime.store.ArtifactNotFoundException;
import dev.vlltr.runtime.store.ArtifactStore;
import dev.vlltr.runtime.store.ArtifactUris;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;

/**
 * A dataset spec at a URI ({@code file://}, {@code s3://} or a local path) with the two folders it refers to: its
 * own (class and list files) and the images root ({@code images:} as a URI, as a path relative to the spec, or by
 * default the spec's folder).
 *
 * @param specUri    where the spec is
 * @param spec       the parsed, validated spec
 * @param specFolder the spec's folder
 * @param images     the images root
 * @param imagesUri  the images root as a URI
 */
public record DatasetLocation(URI specUri, DatasetSpec spec, DatasetFiles specFolder, DatasetFiles images,
        URI imagesUri) {

    /**
     * @param location a URI or local path of {@code dataset.yaml}
     * @param store    the artifact store for {@code s3://}
     * @throws BadInputException when the spec is missing; {@code DatasetSpecException} when it is invalid
     */
    public static DatasetLocation open(String location, ArtifactStore store) throws IOException {
        URI uri = ArtifactUris.parse(location, "dataset spec");
        byte[] yaml;
        try (InputStream in = store.open(uri)) {
            yaml = in.readAllBytes();
        } catch (ArtifactNotFoundException e) {
            throw new BadInputException("dataset spec " + uri + " does not exist", e);
        }
        DatasetSpec spec = DatasetSpecReader.read(new ByteArrayInputStream(yaml), uri.toString());
        URI folder = parent(uri);
        URI imagesUri = spec.images() == null ? folder
                : spec.images().matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") ? ArtifactUris.parse(spec.images(), uri
                        + ": field 'images'") : ArtifactUris.resolve(folder, spec.images());
        return new DatasetLocation(uri, spec, files(store, folder), files(store, imagesUri), imagesUri);
    }

    /** Local folders are read directly; anything else through the store. */
    public static DatasetFiles files(ArtifactStore store, URI root) {
        return "file".equals(root.getScheme()) ? new LocalFolderFiles(Path.of(root)) : new StoreFiles(store, root);
    }

    public static URI parent(URI uri) {
        String s = uri.toString();
        return URI.create(s.substring(0, s.lastIndexOf('/') + 1));
    }

    /** @return the images root, with a local cache of downloaded objects when {@code cacheDir} is given */
    public DatasetFiles images(Path cacheDir) {
        return cacheDir == null || "file".equals(imagesUri.getScheme()) ? images : new CachingFiles(images, cacheDir);
    }
}
