package dev.vlltr.stage.textcrawl;

import dev.vlltr.core.dataset.DatasetClassTexts;
import dev.vlltr.core.dataset.DatasetFiles;
import dev.vlltr.core.dataset.DatasetResolver;
import dev.vlltr.core.dataset.DatasetSpec;
import dev.vlltr.core.dataset.DatasetSpecReader;
import dev.vlltr.core.text.ClassTextMapping;
import dev.vlltr.core.text.WordNetIndex;
import dev.vlltr.runtime.store.ArtifactInfo;
import dev.vlltr.runtime.store.ArtifactStore;
import dev.vlltr.runtime.store.ArtifactUris;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The classes of input {@code dataset} (a {@code dataset.yaml} on {@code file://} or {@code s3://}): names from its
 * class file, Wikipedia titles and WordNet synsets from its {@code textCrawl} block (ImageNet wnids map directly), and
 * the VL-LTR {@code desc_<label>.txt} texts of its {@code texts} folder, which the wikipedia source reads like a
 * wiki archive.
 *
 * @param mappings     one per class, in label order
 * @param descriptions text per label from the spec's {@code texts} folder (empty without one)
 */
record DatasetClasses(List<ClassTextMapping> mappings, Map<Integer, String> descriptions) {

    /**
     * @param settings its {@code wordnet.dir} holds WordNet's {@code index.noun}, read (fetched, for a URI) only when
     *                 the spec names synsets by lemma
     */
    static DatasetClasses load(ArtifactStore store, URI specUri, TextCrawlSettings settings) throws IOException {
        DatasetSpec spec;
        try (InputStream in = store.open(specUri)) {
            spec = DatasetSpecReader.read(in, specUri.toString());
        }
        String s = specUri.toString();
        DatasetFiles folder = new StoreFolder(store, URI.create(s.substring(0, s.lastIndexOf('/') + 1)));
        List<String> names = DatasetResolver.classNames(spec, s, folder);
        WordNetIndex index = null;
        if (DatasetClassTexts.needsIndex(spec)) {
            index = WordNetIndex.open(new DirectoryOpener(settings.wordNetDir(), settings.location("wordnet.dir"),
                    "wordnet.dir", "wordnet-base")
                    .require(WordNetIndex.INDEX_NOUN));
        }
        return new DatasetClasses(DatasetClassTexts.mappings(spec, names, index),
                DatasetClassTexts.descriptions(spec, folder, names.size()));
    }

    /** The spec's folder in the artifact store (text-crawl reads only the class file and the texts). */
    private record StoreFolder(ArtifactStore store, URI root) implements DatasetFiles {

        @Override
        public InputStream open(String relative) throws IOException {
            // a missing object is an ArtifactNotFoundException, a FileNotFoundException: "no text for this class"
            return store.open(ArtifactUris.resolve(root, relative));
        }

        @Override
        public List<String> list(String dir) throws IOException {
            List<String> out = new ArrayList<>();
            for (ArtifactInfo a : store.list(ArtifactUris.asPrefix(ArtifactUris.resolve(root, dir)))) {
                out.add(ArtifactUris.relativize(root, a.uri()));
            }
            return out;
        }

        @Override
        public String describe(String relative) {
            return ArtifactUris.resolve(root, relative).toString();
        }
    }
}
