package dev.vlltr.stage.textcrawl;

import dev.vlltr.core.text.PromptTemplates;
import dev.vlltr.core.text.SentenceFilter;
import dev.vlltr.core.text.SentenceSplitter;
import dev.vlltr.core.text.TextSources;
import dev.vlltr.core.text.WikiTextCleaner;
import dev.vlltr.runtime.cli.BadInputException;
import dev.vlltr.runtime.cli.ParamSpec;
import dev.vlltr.runtime.cli.StageParams;
import dev.vlltr.runtime.data.DataFolders;
import dev.vlltr.runtime.store.ArtifactStore;
import dev.vlltr.stagedata.BuiltInDatasets;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The parameters of {@code text-crawl} ({@code --param KEY=VALUE}), with their defaults, and the ltr-core objects
 * they configure. Every default is VL-LTR's behaviour where VL-LTR defines one (templates with a trailing space, the
 * four dropped sections, no dedup/length/language filter) and offline (no Wikipedia) otherwise.
 */
public final class TextCrawlSettings {

    /** The built-in dataset. */
    public static final String FASHION_MNIST = "fashion-mnist";
    /** Default Wikipedia API endpoint. */
    public static final String WIKIPEDIA_API = "https://en.wikipedia.org/w/api.php";
    /** Default User-Agent: replace the contact with yours for real crawls (Wikimedia policy). */
    public static final String DEFAULT_USER_AGENT =
            "vlltr-text-crawl/0.1 (VL-LTR stack research crawler; set wiki.user-agent to add your contact)";

    /** Every parameter of the stage, as documented in {@code --help}. */
    public static final List<ParamSpec> PARAMS = List.of(
            ParamSpec.string("dataset", FASHION_MNIST, "Dataset: 'fashion-mnist' (or a Fashion-MNIST-LT benchmark such as"
                    + " fmnist-lt-quick) uses the built-in classes and their WordNet/GCIDE mapping; any other needs"
                    + " --input class-names or --input mapping"),
            ParamSpec.strings("sources", "templates,wordnet,gcide",
                    "Text sources, any of templates, wikipedia, wordnet, gcide (comma-separated); per class the corpus lists templates first, then wikipedia, wordnet, gcide"),
            ParamSpec.bool("wiki", false, "Also use the wikipedia source (same as adding 'wikipedia' to sources)"),
            ParamSpec.strings("classes", "",
                    "Class names to include (comma-separated; empty = all classes of the mapping)"),
            ParamSpec.bool("templates.trailing-space", true,
                    "Fill the 80 CLIP templates with 'name ' as VL-LTR (\"a photo of a dog .\"); false: bare name"),
            ParamSpec.string("wordnet.dir", "/usr/share/wordnet", "Folder with WordNet 3.0 data.noun (Debian"
                    + " wordnet-base), or an s3:// / file:// URI whose objects are fetched through the artifact store"),
            ParamSpec.bool("wordnet.glosses", true, "WordNet: one '<name>: <gloss>.' sentence per synset"),
            ParamSpec.bool("wordnet.examples", true, "WordNet: the gloss's quoted usage examples"),
            ParamSpec.bool("wordnet.synonyms", true, "WordNet: '<name> is also called ...' from the synset words"),
            ParamSpec.integer("wordnet.hypernym-depth", 1, "WordNet: hypernym levels described ('is a kind of'); 0 = none")
                    .min(0),
            ParamSpec.choice("wordnet.fallback", "none", "Classes without mapped synsets: none (no WordNet text) or"
                    + " first-sense (first noun sense of the name, its '/' parts or its last word; logged, check it).",
                    "none", "first-sense"),
            ParamSpec.string("gcide.dir", "/usr/share/dictd", "Folder with gcide.index and gcide.dict.dz (Debian"
                    + " dict-gcide), or an s3:// / file:// URI to fetch them from"),
            ParamSpec.choice("gcide.fallback", "none", "Classes without GCIDE selections: none (no GCIDE text) or"
                    + " first-noun-sense (sense 1 of the first noun entry of the name, a '/' part or its last word;"
                    + " logged, check it).", "none", "first-noun-sense"),
            ParamSpec.bool("gcide.name-prefix", true, "GCIDE: prefix each sense with '<name>: '"),
            ParamSpec.string("wiki.api-url", WIKIPEDIA_API, "MediaWiki Action API endpoint (source 'wikipedia')"),
            ParamSpec.string("wiki.user-agent", DEFAULT_USER_AGENT,
                    "User-Agent sent to the API; Wikimedia asks for contact information"),
            ParamSpec.integer("wiki.min-interval-ms", 1000, "Minimum time between API requests (rate limit)").min(0),
            ParamSpec.integer("wiki.max-retries", 5,
                    "Retries on network errors, 408/429/5xx, malformed JSON, maxlag (exponential backoff)").min(0),
            ParamSpec.integer("wiki.initial-backoff-ms", 1000, "First retry delay; doubles per retry; Retry-After wins if"
                    + " longer").min(0),
            ParamSpec.integer("wiki.max-backoff-ms", 60000, "Cap on the retry delay").min(0),
            ParamSpec.integer("wiki.timeout-s", 30, "Connect and request timeout (0 = 1 s)").min(0),
            ParamSpec.string("wiki.cache-dir", "~/.cache/vlltr/mediawiki",
                    "On-disk cache of API responses ('~' = home); empty = no cache"),
            ParamSpec.choice("wiki.disambiguation", "skip",
                    "A class title that is a disambiguation page: skip its wiki text (warn) or fail.", "skip", "fail"),
            ParamSpec.choice("wiki.missing", "skip", "A class title with no page (or no wiki-archive file): skip (warn) or fail.", "skip", "fail"),
            ParamSpec.strings("clean.drop-sections", String.join(",", WikiTextCleaner.VLLTR_DROP_SECTIONS),
                    "Wiki sections dropped (exact titles, as VL-LTR's drop_keys)"),
            ParamSpec.bool("clean.case-insensitive-drop", false, "Match dropped section titles ignoring case"),
            ParamSpec.choice("clean.duplicate-sections", "last-wins",
                    "Repeated section titles: last-wins (VL-LTR's dict) or keep-all.", "last-wins", "keep-all"),
            ParamSpec.bool("clean.strip-markup", true, "Strip MediaWiki markup (refs, templates, links) before splitting"),
            ParamSpec.choice("split.mode", "icu", "Sentence splitter: icu (ICU4J BreakIterator) or vlltr-regex"
                    + " (VL-LTR's split_sent regex, for exact reproduction).", "icu", "vlltr-regex"),
            ParamSpec.string("split.locale", "en", "ICU4J sentence-break locale (BCP-47)"),
            ParamSpec.bool("split.suppress-abbreviations", true, "ICU abbreviation suppression ('Mr.' does not end a sentence)"),
            ParamSpec.choice("filter.dedup", "none", "De-duplication per class: none (VL-LTR), exact, or normalized (NFKC, case, punctuation).",
                    "none", "exact", "normalized"),
            ParamSpec.integer("filter.min-words", 0, "Drop sentences with fewer words (0 = off)").min(0),
            ParamSpec.integer("filter.max-words", 0, "Drop sentences with more words (0 = off)").min(0),
            ParamSpec.integer("filter.min-chars", 0, "Drop sentences with fewer characters (0 = off)").min(0),
            ParamSpec.integer("filter.max-chars", 0, "Drop sentences with more characters (0 = off)").min(0),
            ParamSpec.decimal("filter.min-latin-ratio", 0.0, "Drop sentences whose Latin-letter share is lower (0 = off)")
                    .between(0, 1),
            ParamSpec.decimal("filter.min-stopword-ratio", 0.0, "Drop sentences whose English stop-word share is lower"
                    + " (0 = off)").between(0, 1),
            ParamSpec.bool("keep-noise", false,
                    "Keep noise on purpose: no section drop and no filter (AnSS is expected to filter later)"));

    private final StageParams p;

    /** @param params validated stage parameters */
    private ArtifactStore store;
    private Path scratch;
    private Path wordNetLocal;
    private Path gcideLocal;

    public TextCrawlSettings(StageParams params) {
        this.p = params;
    }

    /** @return the enabled sources, validated ({@code wiki=true} adds wikipedia) */
    public List<String> sources() {
        List<String> s = new java.util.ArrayList<>(p.strings("sources"));
        if (p.bool("wiki") && !s.contains(TextSources.WIKIPEDIA)) {
            s.add(TextSources.WIKIPEDIA);
        }
        for (String name : s) {
            if (!TextSources.ALL.contains(name)) {
                throw new BadInputException("parameter 'sources': unknown source '" + name + "', expected some of "
                        + TextSources.ALL);
            }
        }
        if (s.isEmpty()) {
            throw new BadInputException("parameter 'sources': empty corpus requested; enable at least one of "
                    + TextSources.ALL);
        }
        return s;
    }

    /**
     * @return whether the built-in Fashion-MNIST classes are the default class list: {@code fashion-mnist} or one of
     *     its long-tailed benchmarks ({@code fmnist-lt-if100}, ...), the names the training stages accept too
     */
    public boolean builtInFashionMnist() {
        return BuiltInDatasets.known(p.string("dataset"));
    }

    public String dataset() {
        return p.string("dataset").strip();
    }

    public List<String> classes() {
        return p.strings("classes");
    }

    public PromptTemplates templates() {
        return PromptTemplates.withTrailingSpace(p.bool("templates.trailing-space"));
    }

    /**
     * The local WordNet folder. When {@code wordnet.dir} is a URI ({@code s3://.../datasets/wordnet}), every object
     * directly under it is fetched (once) through the store given to {@link #withStore} into its scratch folder.
     */
    public Path wordNetDir() throws IOException {
        if (DataFolders.isUri(p.string("wordnet.dir"))) {
            if (wordNetLocal == null) {
                wordNetLocal = DataFolders.fetchFolder(requireStore("wordnet.dir"), p.string("wordnet.dir"),
                        "wordnet.dir", scratch.resolve("data").resolve("wordnet"));
            }
            return wordNetLocal;
        }
        return path("wordnet.dir");
    }

    /** The local GCIDE folder; a {@code gcide.dir} URI has its two files fetched like {@link #wordNetDir()}. */
    public Path gcideDir() throws IOException {
        if (DataFolders.isUri(p.string("gcide.dir"))) {
            if (gcideLocal == null) {
                gcideLocal = DataFolders.fetchFiles(requireStore("gcide.dir"), p.string("gcide.dir"), "gcide.dir",
                        List.of("gcide.index", "gcide.dict.dz"), scratch.resolve("data").resolve("gcide"));
            }
            return gcideLocal;
        }
        return path("gcide.dir");
    }

    /** How a data folder parameter was given (its URI, or the local path), for messages. */
    String location(String name) {
        String v = p.string(name).strip();
        return DataFolders.isUri(v) ? v : path(name).toString();
    }

    /** The store and scratch folder through which URI-valued data folders are fetched. */
    public TextCrawlSettings withStore(ArtifactStore store, Path scratch) {
        this.store = store;
        this.scratch = scratch;
        return this;
    }

    private ArtifactStore requireStore(String param) {
        if (store == null) {
            throw new BadInputException("parameter '" + param + "': a URI needs an artifact store; give a local folder");
        }
        return store;
    }

    public boolean wordNetGlosses() {
        return p.bool("wordnet.glosses");
    }

    public boolean wordNetExamples() {
        return p.bool("wordnet.examples");
    }

    public boolean wordNetSynonyms() {
        return p.bool("wordnet.synonyms");
    }

    public int hypernymDepth() {
        return p.integer("wordnet.hypernym-depth");
    }

    public boolean wordNetFirstSenseFallback() {
        return p.string("wordnet.fallback").equals("first-sense");
    }

    public boolean gcideFirstSenseFallback() {
        return p.string("gcide.fallback").equals("first-noun-sense");
    }

    public boolean gcideNamePrefix() {
        return p.bool("gcide.name-prefix");
    }

    public boolean failOnDisambiguation() {
        return p.string("wiki.disambiguation").equals("fail");
    }

    public boolean failOnMissing() {
        return p.string("wiki.missing").equals("fail");
    }

    public boolean usesDefaultUserAgent() {
        return p.string("wiki.user-agent").equals(DEFAULT_USER_AGENT);
    }

    public boolean keepNoise() {
        return p.bool("keep-noise");
    }

    /** @return the MediaWiki client the wiki.* parameters describe */
    public MediaWikiClient mediaWikiClient() {
        URI api;
        try {
            api = URI.create(p.string("wiki.api-url"));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("parameter 'wiki.api-url': not a URI: '" + p.string("wiki.api-url") + "'");
        }
        String cache = p.string("wiki.cache-dir");
        try {
            return MediaWikiClient.builder().setApiUrl(api).setUserAgent(p.string("wiki.user-agent"))
                    .optMinInterval(Duration.ofMillis(p.integer("wiki.min-interval-ms")))
                    .optMaxRetries(p.integer("wiki.max-retries"))
                    .optInitialBackoff(Duration.ofMillis(p.integer("wiki.initial-backoff-ms")))
                    .optMaxBackoff(Duration.ofMillis(p.integer("wiki.max-backoff-ms")))
                    .optTimeout(Duration.ofSeconds(Math.max(1, p.integer("wiki.timeout-s"))))
                    .optCacheDir(cache.isBlank() ? null : expandHome(cache))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new BadInputException("wiki.* parameters: " + e.getMessage(), e);
        }
    }

    /** @return the wiki cleaner ({@code keep-noise} empties the drop list) */
    public WikiTextCleaner wikiCleaner() {
        return WikiTextCleaner.builder()
                .optDropSections(keepNoise() ? List.of() : p.strings("clean.drop-sections"))
                .optCaseInsensitiveDrop(p.bool("clean.case-insensitive-drop"))
                .optDuplicateSections(p.string("clean.duplicate-sections").equals("keep-all")
                        ? WikiTextCleaner.DuplicateSections.KEEP_ALL : WikiTextCleaner.DuplicateSections.LAST_WINS)
                .optStripMarkup(p.bool("clean.strip-markup"))
                .build();
    }

    public SentenceSplitter splitter() {
        if (p.string("split.mode").equals("vlltr-regex")) {
            return SentenceSplitter.vlltrRegex();
        }
        try {
            return SentenceSplitter.of(p.string("split.locale"), p.bool("split.suppress-abbreviations"));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("parameter 'split.locale': " + e.getMessage(), e);
        }
    }

    /** @return the sentence filter ({@code keep-noise} keeps everything) */
    public SentenceFilter filter() {
        if (keepNoise()) {
            return SentenceFilter.keepAll();
        }
        try {
            SentenceFilter.Builder b = SentenceFilter.builder()
                    .optDedup(SentenceFilter.Dedup.valueOf(p.string("filter.dedup").toUpperCase(Locale.ROOT)))
                    .optMinWords(p.integer("filter.min-words"))
                    .optMinChars(p.integer("filter.min-chars"))
                    .optMinLatinRatio(p.decimal("filter.min-latin-ratio"))
                    .optMinStopWordRatio(p.decimal("filter.min-stopword-ratio"));
            if (p.integer("filter.max-words") > 0) {
                b.optMaxWords(p.integer("filter.max-words"));
            }
            if (p.integer("filter.max-chars") > 0) {
                b.optMaxChars(p.integer("filter.max-chars"));
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new BadInputException("filter.* parameters: " + e.getMessage(), e);
        }
    }

    private Path path(String name) {
        String v = p.string(name);
        if (v.isBlank()) {
            throw new BadInputException("parameter '" + name + "': expected a folder path, got an empty value");
        }
        return expandHome(v);
    }

    static Path expandHome(String v) {
        return v.equals("~") || v.startsWith("~/") ? Path.of(System.getProperty("user.home"), v.substring(1).replaceFirst("^/", ""))
                : Path.of(v);
    }
}
