package dev.vlltr.core.dataset;

import dev.vlltr.core.text.ClassTextMapping;
import dev.vlltr.core.text.FashionMnistTextMapping;
import dev.vlltr.core.text.WordNetIndex;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What text-crawl needs from a dataset spec: one {@link ClassTextMapping} per class (its name, its Wikipedia title —
 * the name unless {@code textCrawl.wikipediaTitles} overrides it — and its WordNet synsets) and the class texts of the
 * spec's {@code texts} folder in VL-LTR's {@code desc_<label>.txt} format.
 *
 * <p>WordNet synsets of a class come from {@code textCrawl.wordnet} (ImageNet wnids such as {@code n01440764}, which
 * are WordNet 3.0 noun offsets, or lemmas looked up in {@code index.noun}); without an entry, a class whose name is a
 * wnid (ImageNet-LT's class file) maps to that synset, and any other class to none (text-crawl's
 * {@code wordnet.fallback=first-sense} then guesses, logged; all senses of a name would mix e.g. the bird and the
 * machine "crane").
 *
 * <p>A spec without a {@code textCrawl} block whose classes are exactly Fashion-MNIST's ten, in label order (the shipped
 * {@code fmnist-lt-*} specs, or Fashion-MNIST re-encoded as JPEGs), gets the hand-checked {@link FashionMnistTextMapping}
 * — WordNet garment senses and GCIDE selections — so a run through the spec crawls the same corpus as the built-in
 * {@code fashion-mnist} classes.
 */
public final class DatasetClassTexts {

    private static final Pattern WNID = Pattern.compile("n(\\d{8})");

    private DatasetClassTexts() {
    }

    /**
     * @param spec       the spec (its {@code textCrawl} block may be null)
     * @param classNames names in label order
     * @param index      WordNet's noun index for the lemma entries of {@code textCrawl.wordnet}, or null when there
     *                   are none ({@link #needsIndex})
     */
    public static List<ClassTextMapping> mappings(DatasetSpec spec, List<String> classNames, WordNetIndex index) {
        DatasetSpec.TextCrawl tc = spec.textCrawl();
        if (tc == null && classNames.equals(FashionMnistTextMapping.CLASSES.stream().map(ClassTextMapping::name)
                .toList())) {
            return FashionMnistTextMapping.CLASSES;
        }
        Map<String, String> titles = tc == null || tc.wikipediaTitles() == null ? Map.of() : tc.wikipediaTitles();
        Map<String, List<String>> wordnet = tc == null || tc.wordnet() == null ? Map.of() : tc.wordnet();
        for (String key : titles.keySet()) {
            requireClassKey(key, classNames, "textCrawl.wikipediaTitles");
        }
        for (String key : wordnet.keySet()) {
            requireClassKey(key, classNames, "textCrawl.wordnet");
        }
        List<ClassTextMapping> out = new ArrayList<>();
        for (int c = 0; c < classNames.size(); c++) {
            String name = classNames.get(c);
            String title = lookup(titles, c, name);
            List<String> senses = lookup(wordnet, c, name);
            List<Long> synsets = new ArrayList<>();
            if (senses != null) {
                for (String s : senses) {
                    List<Long> found = synsets(s, index);
                    if (found.isEmpty()) {
                        throw new DatasetSpecException(spec.name() + ": field 'textCrawl.wordnet." + name + "' entry '"
                                + s + "' is neither a wnid (n01440764) nor a WordNet noun");
                    }
                    synsets.addAll(found);
                }
            } else if (WNID.matcher(name).matches()) {
                synsets.addAll(synsets(name, null));
            }
            out.add(new ClassTextMapping(c, name, title, synsets.stream().distinct().toList(), List.of()));
        }
        return out;
    }

    /** @return whether {@code textCrawl.wordnet} has lemma entries, which need WordNet's noun index */
    public static boolean needsIndex(DatasetSpec spec) {
        return spec.textCrawl() != null && spec.textCrawl().wordnet() != null && spec.textCrawl().wordnet().values()
                .stream().flatMap(List::stream).anyMatch(s -> !WNID.matcher(s).matches());
    }

    /** @return WordNet offsets of a wnid, or of a lemma's noun senses (empty when unknown) */
    static List<Long> synsets(String wnidOrLemma, WordNetIndex index) {
        var m = WNID.matcher(wnidOrLemma);
        if (m.matches()) {
            return List.of(Long.parseLong(m.group(1)));
        }
        return index == null ? List.of() : index.lookup(wnidOrLemma.strip().toLowerCase(java.util.Locale.ROOT)
                .replace(' ', '_'));
    }

    /**
     * Reads {@code <texts>/desc_<label>.txt} for every class that has one (UTF-8), as VL-LTR's released corpora lay
     * them out.
     *
     * @return text per label
     */
    public static Map<Integer, String> descriptions(DatasetSpec spec, DatasetFiles specFolder, int numClasses)
            throws IOException {
        Map<Integer, String> out = new TreeMap<>();
        if (spec.texts() == null) {
            return out;
        }
        String dir = spec.texts().endsWith("/") ? spec.texts() : spec.texts() + "/";
        for (int c = 0; c < numClasses; c++) {
            try (InputStream in = specFolder.open(dir + "desc_" + c + ".txt")) {
                out.put(c, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (FileNotFoundException | NoSuchFileException e) {
                // a class without a text file simply has no text from this source
            }
        }
        return out;
    }

    private static <T> T lookup(Map<String, T> byKey, int label, String name) {
        T v = byKey.get(Integer.toString(label));
        return v != null ? v : byKey.get(name);
    }

    private static void requireClassKey(String key, List<String> classNames, String field) {
        boolean label = key.matches("\\d+") && Integer.parseInt(key) < classNames.size();
        if (!label && !classNames.contains(key)) {
            throw new DatasetSpecException("dataset spec: field '" + field + "." + key + "' names no class, expected"
                    + " a label 0.." + (classNames.size() - 1) + " or a class name");
        }
    }
}
