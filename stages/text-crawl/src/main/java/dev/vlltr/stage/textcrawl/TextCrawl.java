package dev.vlltr.stage.textcrawl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vlltr.core.text.ClassCorpusEntry;
import dev.vlltr.core.text.ClassTextMapping;
import dev.vlltr.core.text.CorpusJsonl;
import dev.vlltr.core.text.CorpusStats;
import dev.vlltr.core.text.FashionMnistTextMapping;
import dev.vlltr.core.text.GcideDictionary;
import dev.vlltr.core.text.GcideSelection;
import dev.vlltr.core.text.GcideSource;
import dev.vlltr.core.text.TextCorpusBuilder;
import dev.vlltr.core.text.TextSources;
import dev.vlltr.core.text.WordNetDatabase;
import dev.vlltr.core.text.WordNetIndex;
import dev.vlltr.core.text.WordNetSource;
import dev.vlltr.runtime.cli.BadInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work of the {@code text-crawl} stage, independent of the command line: choose the classes, gather each enabled
 * source, build the corpus with ltr-core's {@link TextCorpusBuilder}, and write {@code corpus.jsonl},
 * {@code corpus-stats.json} and (with Wikipedia) {@code wiki-pages.json}.
 */
public final class TextCrawl {

    private static final Logger LOG = LoggerFactory.getLogger(TextCrawl.class);

    /**
     * What a crawl produced.
     *
     * @param entries the corpus, one entry per class
     * @param stats sentence counts per class and source
     * @param articles Wikipedia lookups per class id (empty without the wikipedia source)
     */
    public record Outcome(List<ClassCorpusEntry> entries, CorpusStats stats, Map<Integer, WikiArticle> articles) {}

    private final TextCrawlSettings settings;

    /** @param settings the stage parameters */
    public TextCrawl(TextCrawlSettings settings) {
        this.settings = settings;
    }

    /**
     * Reads the class list: a mapping JSON file, a class-names file (one name per line; Fashion-MNIST names get the
     * built-in mapping), or, when neither is given, the built-in Fashion-MNIST mapping.
     *
     * @param mappingJson mapping file or {@code null}
     * @param classNames class-names file or {@code null}
     * @return the classes, in class order
     * @throws IOException on read errors
     */
    public static List<ClassTextMapping> loadClasses(Path mappingJson, Path classNames) throws IOException {
        if (mappingJson != null && classNames != null) {
            throw new BadInputException("give either input 'mapping' or input 'class-names', not both");
        }
        if (mappingJson != null) {
            try (InputStream in = Files.newInputStream(mappingJson)) {
                return ClassTextMapping.readJson(in, mappingJson.getFileName().toString());
            }
        }
        if (classNames != null) {
            List<String> lines = new ArrayList<>(Files.readAllLines(classNames, StandardCharsets.UTF_8));
            while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
                lines.remove(lines.size() - 1);
            }
            List<ClassTextMapping> out = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                String name = lines.get(i).strip();
                if (name.isEmpty()) {
                    throw new BadInputException(classNames.getFileName() + " line " + (i + 1)
                            + ": empty class name (expected one class name per line, line number = class id + 1)");
                }
                int id = i;
                out.add(FashionMnistTextMapping.byName(name)
                        .map(m -> new ClassTextMapping(id, name, m.wikiTitle(), m.wordnetSynsets(), m.gcide()))
                        .orElse(ClassTextMapping.nameOnly(id, name)));
            }
            if (out.isEmpty()) {
                throw new BadInputException(classNames.getFileName() + ": no class names (empty corpus)");
            }
            return out;
        }
        return FashionMnistTextMapping.CLASSES;
    }

    /**
     * @param all the classes
     * @param names wanted names, any case (empty = all)
     * @return the wanted classes, in class order
     * @throws BadInputException naming an unknown class and the known ones
     */
    public static List<ClassTextMapping> selectClasses(List<ClassTextMapping> all, List<String> names) {
        if (names.isEmpty()) {
            return all;
        }
        Set<String> wanted = new LinkedHashSet<>();
        for (String n : names) {
            String key = n.strip().toLowerCase(Locale.ROOT);
            if (all.stream().noneMatch(c -> c.name().toLowerCase(Locale.ROOT).equals(key))) {
                throw new BadInputException("parameter 'classes': unknown class '" + n.strip() + "'; known classes: "
                        + all.stream().map(ClassTextMapping::name).toList());
            }
            wanted.add(key);
        }
        return all.stream().filter(c -> wanted.contains(c.name().toLowerCase(Locale.ROOT))).toList();
    }

    /**
     * Builds the corpus, fetching Wikipedia articles from the API when that source is on.
     *
     * @param classes the classes
     * @return the corpus, stats and wiki lookups
     * @throws IOException on read or API errors
     * @throws InterruptedException when interrupted while waiting for the API
     */
    public Outcome run(List<ClassTextMapping> classes) throws IOException, InterruptedException {
        return run(classes, null);
    }

    /**
     * Builds the corpus.
     *
     * @param classes the classes
     * @param wikiArchive article text per class id from a VL-LTR text-corpus zip ({@code wiki/desc_N.txt}); when
     *     given, the wikipedia source reads it instead of calling the API
     * @return the corpus, stats and wiki lookups
     * @throws IOException on read or API errors
     * @throws InterruptedException when interrupted while waiting for the API
     */
    public Outcome run(List<ClassTextMapping> classes, Map<Integer, String> wikiArchive)
            throws IOException, InterruptedException {
        List<String> sources = settings.sources();
        TextCorpusBuilder.Builder b = TextCorpusBuilder.builder().setClasses(classes)
                .optWikiCleaner(settings.wikiCleaner()).optSplitter(settings.splitter()).optFilter(settings.filter());
        if (sources.contains(TextSources.TEMPLATES)) {
            b.optTemplates(settings.templates());
        }
        Map<Integer, WikiArticle> articles = new LinkedHashMap<>();
        if (sources.contains(TextSources.WIKIPEDIA)) {
            articles = wikiArchive != null ? fromArchive(classes, wikiArchive) : fetchArticles(classes);
            Map<Integer, String> texts = new LinkedHashMap<>();
            articles.forEach((id, a) -> {
                if (a.status() == WikiArticle.Status.FOUND) {
                    texts.put(id, a.text());
                }
            });
            b.optWikiTexts(texts);
        }
        WordNetDatabase wordNet = null;
        try {
            if (sources.contains(TextSources.WORDNET)) {
                DirectoryOpener opener = new DirectoryOpener(settings.wordNetDir(), settings.location("wordnet.dir"), "wordnet.dir",
                        "wordnet-base")
                        .require(WordNetDatabase.DATA_NOUN);
                if (settings.wordNetFirstSenseFallback()) {
                    classes = guessSynsets(classes, WordNetIndex.open(opener.require(WordNetIndex.INDEX_NOUN)));
                    b.setClasses(classes);
                }
                warnUnmapped(classes, c -> c.wordnetSynsets().isEmpty(), "WordNet synsets");
                wordNet = WordNetDatabase.open(opener);
                b.optWordNet(WordNetSource.builder().setDatabase(wordNet).optGlosses(settings.wordNetGlosses())
                        .optExamples(settings.wordNetExamples()).optSynonyms(settings.wordNetSynonyms())
                        .optHypernymDepth(settings.hypernymDepth()).build());
            }
            if (sources.contains(TextSources.GCIDE)) {
                Set<String> headwords = new LinkedHashSet<>();
                for (ClassTextMapping c : classes) {
                    c.gcide().stream().map(GcideSelection::headword).forEach(headwords::add);
                    if (c.gcide().isEmpty() && settings.gcideFirstSenseFallback()) {
                        headwords.addAll(GcideDictionary.candidateHeadwords(c.name()));
                    }
                }
                GcideDictionary dict = GcideDictionary.load(new DirectoryOpener(settings.gcideDir(), settings.location("gcide.dir"), "gcide.dir",
                        "dict-gcide").require(GcideDictionary.INDEX, GcideDictionary.TEXT), headwords);
                if (settings.gcideFirstSenseFallback()) {
                    classes = guessGcide(classes, dict);
                    b.setClasses(classes);
                }
                warnUnmapped(classes, c -> c.gcide().isEmpty(), "GCIDE selections");
                b.optGcide(GcideSource.builder().setDictionary(dict).optNamePrefix(settings.gcideNamePrefix()).build());
            }
            TextCorpusBuilder.Result r = b.build().build();
            for (CorpusStats.ClassStats c : r.stats().classes()) {
                LOG.info("class {} '{}': {} sentences {}", c.classId(), c.name(), c.total(), c.sentences());
            }
            return new Outcome(r.entries(), r.stats(), articles);
        } finally {
            if (wordNet != null) {
                wordNet.close();
            }
        }
    }

    private static List<ClassTextMapping> guessSynsets(List<ClassTextMapping> classes, WordNetIndex index) {
        List<ClassTextMapping> out = new ArrayList<>();
        for (ClassTextMapping c : classes) {
            if (!c.wordnetSynsets().isEmpty()) {
                out.add(c);
                continue;
            }
            var guess = index.guessFirstSense(c.name());
            if (guess.isPresent()) {
                LOG.warn("class {} '{}': no WordNet synset mapped, using the first noun sense {} (wordnet.fallback="
                        + "first-sense); check it, first senses are often not the visual ones", c.classId(), c.name(),
                        String.format("%08d", guess.get()));
                out.add(new ClassTextMapping(c.classId(), c.name(), c.wikiTitle(), List.of(guess.get()), c.gcide()));
            } else {
                out.add(c);
            }
        }
        return out;
    }

    private static List<ClassTextMapping> guessGcide(List<ClassTextMapping> classes, GcideDictionary dict) {
        List<ClassTextMapping> out = new ArrayList<>();
        for (ClassTextMapping c : classes) {
            if (!c.gcide().isEmpty()) {
                out.add(c);
                continue;
            }
            var guess = dict.guessFirstNounSense(c.name());
            if (guess.isPresent()) {
                LOG.warn("class {} '{}': no GCIDE sense mapped, using '{}' (gcide.fallback=first-noun-sense); check it,"
                        + " first entries are often not the visual sense", c.classId(), c.name(), guess.get().spec());
                out.add(new ClassTextMapping(c.classId(), c.name(), c.wikiTitle(), c.wordnetSynsets(),
                        List.of(guess.get())));
            } else {
                out.add(c);
            }
        }
        return out;
    }

    private Map<Integer, WikiArticle> fromArchive(List<ClassTextMapping> classes, Map<Integer, String> texts) {
        Map<Integer, WikiArticle> out = new LinkedHashMap<>();
        for (ClassTextMapping c : classes) {
            String text = texts.get(c.classId());
            String file = "wiki/desc_" + c.classId() + ".txt";
            if (text == null || text.isBlank()) {
                String msg = "class " + c.classId() + " '" + c.name() + "': input 'wiki-archive' has no " + file;
                if (settings.failOnMissing()) {
                    throw new BadInputException(msg + " (wiki.missing=fail)");
                }
                LOG.warn("{}; skipping", msg);
                out.put(c.classId(), new WikiArticle(file, file, -1,
                        text == null ? WikiArticle.Status.MISSING : WikiArticle.Status.EMPTY, ""));
            } else {
                out.put(c.classId(), new WikiArticle(file, file, -1, WikiArticle.Status.FOUND, text));
            }
        }
        return out;
    }

    private Map<Integer, WikiArticle> fetchArticles(List<ClassTextMapping> classes)
            throws IOException, InterruptedException {
        MediaWikiClient client = settings.mediaWikiClient();
        if (settings.usesDefaultUserAgent()) {
            LOG.warn("wiki.user-agent is the default; Wikimedia's User-Agent policy asks for contact information"
                    + " (--param wiki.user-agent='my-crawler/1.0 (https://example.org; me@example.org)')");
        }
        Map<Integer, WikiArticle> out = new LinkedHashMap<>();
        for (ClassTextMapping c : classes) {
            WikiArticle a = client.fetchArticle(c.wikiTitle());
            out.put(c.classId(), a);
            switch (a.status()) {
                case FOUND -> LOG.info("class {} '{}': article '{}' ({} chars)", c.classId(), c.name(), a.title(),
                        a.text().length());
                case DISAMBIGUATION -> {
                    String msg = "class " + c.classId() + " '" + c.name() + "': wiki title '" + c.wikiTitle()
                            + "' is a disambiguation page; give a precise 'wikiTitle' in the mapping";
                    if (settings.failOnDisambiguation()) {
                        throw new BadInputException(msg + " (wiki.disambiguation=fail)");
                    }
                    LOG.warn("{}; skipping its wiki text", msg);
                }
                case MISSING, EMPTY -> {
                    String msg = "class " + c.classId() + " '" + c.name() + "': no article text for wiki title '"
                            + c.wikiTitle() + "' (" + a.status().name().toLowerCase(Locale.ROOT) + ")";
                    if (settings.failOnMissing()) {
                        throw new BadInputException(msg + " (wiki.missing=fail)");
                    }
                    LOG.warn("{}; skipping", msg);
                }
                default -> throw new IllegalStateException(a.status().name());
            }
        }
        LOG.info("MediaWiki: {} classes, {} HTTP requests (the rest from the cache)", classes.size(),
                client.requestsSent());
        return out;
    }

    private static void warnUnmapped(List<ClassTextMapping> classes, java.util.function.Predicate<ClassTextMapping> none,
            String what) {
        List<String> names = classes.stream().filter(none).map(ClassTextMapping::name).toList();
        if (!names.isEmpty()) {
            LOG.warn("no {} mapped for classes {}: they get no sentences from that source", what, names);
        }
    }

    /**
     * Writes the corpus JSON Lines.
     *
     * @param o the outcome
     * @param file target
     * @throws IOException on write errors
     */
    public static void writeCorpus(Outcome o, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            CorpusJsonl.write(o.entries(), out);
        }
    }

    /**
     * Writes the stats JSON.
     *
     * @param o the outcome
     * @param file target
     * @throws IOException on write errors
     */
    public static void writeStats(Outcome o, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            o.stats().writeJson(out);
        }
    }

    /**
     * Writes the Wikipedia lookups: {@code [{classId, requestedTitle, title, pageId, status}]}.
     *
     * @param o the outcome
     * @param file target
     * @throws IOException on write errors
     */
    public static void writeWikiReport(Outcome o, Path file) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ArrayNode arr = mapper.createArrayNode();
        o.articles().forEach((id, a) -> {
            ObjectNode n = arr.addObject();
            n.put("classId", id);
            n.put("requestedTitle", a.requestedTitle());
            n.put("title", a.title());
            n.put("pageId", a.pageId());
            n.put("status", a.status().name());
        });
        mapper.writeValue(file.toFile(), arr);
    }
}
