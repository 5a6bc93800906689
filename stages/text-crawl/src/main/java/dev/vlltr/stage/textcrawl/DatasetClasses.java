package dev.vlltr.stage.textcrawl;

import dev.vlltr.core.dataset.DatasetClassTexts;
import dev.vlltr.core.dataset.DatasetFiles;
import dev.vlltr.core.dataset.DatasetResolver;
import dev.vlltr.core.dataset.DatasetSpec;
import dev.vlltr.core.text.ClassTextMapping;
import dev.vlltr.core.text.WordNetIndex;
import dev.vlltr.runtime.store.ArtifactStore;
import dev.vlltr.stagedata.DatasetLocation;
import java.io.IOException;
import java.net.URI;
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
        DatasetLocation at = DatasetLocation.open(specUri.toString(), store);
        DatasetSpec spec = at.spec();
        DatasetFiles folder = at.specFolder();
        List<String> names = DatasetResolver.classNames(spec, specUri.toString(), folder);
        WordNetIndex index = null;
        if (DatasetClassTexts.needsIndex(spec)) {
            index = WordNetIndex.open(new DirectoryOpener(settings.wordNetDir(), settings.location("wordnet.dir"),
                    "wordnet.dir", "wordnet-base")
                    .require(WordNetIndex.INDEX_NOUN));
        }
        return new DatasetClasses(DatasetClassTexts.mappings(spec, names, index),
                DatasetClassTexts.descriptions(spec, folder, names.size()));
    }
}
