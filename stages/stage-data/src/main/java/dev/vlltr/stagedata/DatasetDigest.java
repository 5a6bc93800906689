package dev.vlltr.stagedata;

import dev.vlltr.core.dataset.DatasetFiles;
import dev.vlltr.core.dataset.DatasetSpec;
import dev.vlltr.core.dataset.DatasetSpecException;
import dev.vlltr.runtime.cli.BadInputException;
import dev.vlltr.runtime.manifest.ArtifactRef;
import dev.vlltr.runtime.store.ArtifactStore;
import dev.vlltr.runtime.store.Sha256;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;

/**
 * The fingerprint digest of input {@code dataset}: SHA-256 over a listing of the spec and every file it names that
 * decides which images carry which labels — the class file, the list or iNaturalist JSON files, IDX label and image
 * files, and the names of an image folder's files. Editing a list (a relabelled line, a new image) changes the digest,
 * so the stage re-runs; the image bytes of list and folder layouts are not read (they are checked when loaded). A
 * file the spec names that does not exist is recorded as missing: a stage that reads it fails naming it (text-crawl
 * reads only the class names, so a spec of classes and texts alone is enough for it).
 */
public final class DatasetDigest {

    private DatasetDigest() {
    }

    /** @throws BadInputException naming the spec (and field) when it is missing or invalid */
    public static ArtifactRef describe(ArtifactStore store, URI uri) throws IOException {
        DatasetLocation at;
        try {
            at = DatasetLocation.open(uri.toString(), store);
        } catch (DatasetSpecException e) {
            throw new BadInputException("input 'dataset': " + e.getMessage(), e);
        }
        StringBuilder listing = new StringBuilder();
        try (InputStream in = store.open(uri)) {
            listing.append("spec\t").append(Sha256.of(in)).append('\n');
        }
        DatasetSpec spec = at.spec();
        if (spec.classes().file() != null) {
            entry(listing, "classes.file", at.specFolder(), spec.classes().file(), uri);
        }
        split(listing, "train", spec.splits().train(), at, uri);
        split(listing, "val", spec.splits().val(), at, uri);
        split(listing, "test", spec.splits().test(), at, uri);
        if (spec.texts() != null) {
            for (String f : at.specFolder().list(spec.texts())) {
                entry(listing, "texts", at.specFolder(), f, uri);
            }
        }
        return new ArtifactRef(uri, Sha256.of(listing.toString().getBytes(StandardCharsets.UTF_8)), null);
    }

    private static void split(StringBuilder listing, String name, DatasetSpec.Split s, DatasetLocation at, URI uri)
            throws IOException {
        if (s == null) {
            return;
        }
        String field = "splits." + name;
        switch (s.format()) {
            case DatasetSpec.Split.LIST, DatasetSpec.Split.INATURALIST ->
                    entry(listing, field + ".file", at.specFolder(), s.file(), uri);
            case DatasetSpec.Split.IDX -> {
                entry(listing, field + ".file", at.images(), s.file(), uri);
                entry(listing, field + ".labels", at.images(), s.labels(), uri);
            }
            default -> {
                StringBuilder names = new StringBuilder();
                for (String f : at.images().list(s.dir())) {
                    names.append(f).append('\n');
                }
                listing.append(field).append(".dir\t").append(s.dir()).append('\t')
                        .append(Sha256.of(names.toString().getBytes(StandardCharsets.UTF_8))).append('\n');
            }
        }
    }

    private static void entry(StringBuilder listing, String field, DatasetFiles folder, String relative, URI spec)
            throws IOException {
        try (InputStream in = folder.open(relative)) {
            listing.append(field).append('\t').append(relative).append('\t').append(Sha256.of(in)).append('\n');
        } catch (FileNotFoundException | NoSuchFileException e) {
            listing.append(field).append('\t').append(relative).append("\tmissing\n");
        }
    }
}
