package dev.vlltr.stage.textcrawl;

import static dev.vlltr.stage.textcrawl.FakeMediaWikiServer.Reply.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlltr.core.text.ClassCorpusEntry;
import dev.vlltr.core.text.CorpusJsonl;
import dev.vlltr.runtime.cli.ParamSpec;
import dev.vlltr.runtime.testing.CommandRun;
import dev.vlltr.runtime.testing.PublishedOutputs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stage from the command line: help, the offline Fashion-MNIST corpus, Wikipedia via a fake API, bad input. */
class TextCrawlCommandTest {

    @TempDir
    Path tmp;

    private CommandRun run(String... args) {
        return CommandRun.of(new TextCrawlCommand(), args);
    }

    private CommandRun stage(String runId, String... extra) {
        List<String> args = new ArrayList<>(List.of("--run-id", runId, "--artifact-root", tmp.resolve("root").toString(),
                "--xcom-dir", tmp.resolve("no-xcom").toString(), "--tracking-uri", "none"));
        args.addAll(Arrays.asList(extra));
        return run(args.toArray(String[]::new));
    }

    private Path stageDir(String runId) {
        return tmp.resolve("root").resolve(runId).resolve("text-crawl");
    }

    private List<ClassCorpusEntry> corpus(String runId) throws IOException {
        try (InputStream in = Files.newInputStream(PublishedOutputs.in(stageDir(runId), "corpus.jsonl"))) {
            return CorpusJsonl.readAll(in, "corpus.jsonl");
        }
    }

    private static void requireInstalled() {
        boolean present = Files.isReadable(Path.of("/usr/share/wordnet/data.noun"))
                && Files.isReadable(Path.of("/usr/share/dictd/gcide.index"));
        if (!present) {
            String msg = "WordNet/GCIDE not installed: apt-get install -y wordnet-base dict-gcide";
            if (Boolean.getBoolean("vlltr.requireServers")) {
                fail(msg);
            }
            Assumptions.abort(msg);
        }
    }

    @Test
    void helpDocumentsEveryParameterInputAndOutput() {
        CommandRun r = run("--help");
        assertEquals(0, r.code(), r.err());
        for (ParamSpec p : TextCrawlSettings.PARAMS) {
            assertTrue(r.out().contains("  " + p.name() + " "), "help lacks parameter " + p.name() + ":\n" + r.out());
        }
        for (String s : new String[] {"--run-id", "--artifact-root", "--config", "--tracking-uri", "mapping",
            "class-names", "(default: templates,wordnet,gcide)", "One of none, exact, normalized.",
            "corpus.jsonl", "corpus-stats.json", "wiki-pages.json", "Exit codes:"}) {
            assertTrue(r.out().contains(s), "help lacks '" + s + "':\n" + r.out());
        }
    }

    @Test
    void offlineFashionMnistCorpusHasTemplatesWordNetAndGcideForEveryClass() throws IOException {
        requireInstalled();
        CommandRun r = stage("offline");
        assertEquals(0, r.code(), r.err());
        List<ClassCorpusEntry> corpus = corpus("offline");
        assertEquals(10, corpus.size());
        for (int i = 0; i < 10; i++) {
            ClassCorpusEntry e = corpus.get(i);
            assertEquals(i, e.classId());
            assertEquals(List.of("templates", "wordnet", "gcide"), e.sources(), e.name());
            assertEquals(80, e.count("templates"));
            assertTrue(e.count("wordnet") >= 2 && e.count("gcide") >= 1, e.name());
        }
        assertEquals("a bad photo of a T-shirt/top .", corpus.get(0).texts().get(0));

        JsonNode stats = new ObjectMapper().readTree(
                PublishedOutputs.in(stageDir("offline"), "corpus-stats.json").toFile());
        assertEquals(800, stats.get("totals").get("templates").intValue());
        int total = corpus.stream().mapToInt(e -> e.sentences().size()).sum();
        assertEquals(total, stats.get("totalSentences").intValue());
        assertEquals(corpus.get(9).count("gcide"), stats.get("classes").get(9).get("sentences").get("gcide").intValue());

        JsonNode manifest = new ObjectMapper().readTree(stageDir("offline").resolve("manifest.json").toFile());
        assertTrue(manifest.toString().contains("corpus.jsonl"), manifest.toString());
        assertEquals(total, manifest.get("metrics").get("sentences_total").intValue(), manifest.toString());
        assertFalse(PublishedOutputs.has(stageDir("offline"), "wiki-pages.json"));
    }

    @Test
    void subsetOfClassesAndFilters() throws IOException {
        requireInstalled();
        CommandRun r = stage("subset", "--param", "classes=sandal, Ankle boot", "--param", "filter.min-words=6",
                "--param", "wordnet.hypernym-depth=2", "--param", "templates.trailing-space=false");
        assertEquals(0, r.code(), r.err());
        List<ClassCorpusEntry> corpus = corpus("subset");
        assertEquals(List.of(5, 9), corpus.stream().map(ClassCorpusEntry::classId).toList());
        assertEquals("a bad photo of a Sandal.", corpus.get(0).texts().get(0));
        // templates are exempt from the length filter, everything else has >= 6 words
        assertEquals(80, corpus.get(0).count("templates"));
        corpus.get(0).sentences().stream().filter(s -> !s.source().equals("templates"))
                .forEach(s -> assertTrue(s.text().split("\\s+").length >= 6, s.text()));
        assertTrue(corpus.get(1).texts().stream().anyMatch(t -> t.startsWith("Ankle boot is a kind of covering:")),
                corpus.get(1).texts().toString());
    }

    @Test
    void countsAndStatsReachAnMlflowFileStore() throws IOException {
        Path mlruns = tmp.resolve("mlruns");
        CommandRun r = run("--run-id", "tracked", "--artifact-root", tmp.resolve("root").toString(), "--xcom-dir",
                tmp.resolve("no-xcom").toString(), "--tracking-uri", mlruns.toString(), "--param", "sources=templates",
                "--param", "classes=Bag,Coat");
        assertEquals(0, r.code(), r.err());
        try (java.util.stream.Stream<Path> files = Files.walk(mlruns)) {
            List<String> paths = files.map(p -> mlruns.relativize(p).toString().replace('\\', '/')).toList();
            Path total = paths.stream().filter(p -> p.endsWith("/metrics/sentences_total")).map(mlruns::resolve)
                    .findFirst().orElseThrow(() -> new AssertionError("no sentences_total metric in " + paths));
            // MLflow file store metric line: "<timestamp> <value> <step>"
            assertEquals("160.0", Files.readString(total).strip().split(" ")[1]);
            assertTrue(paths.stream().anyMatch(p -> p.endsWith("/artifacts/corpus-stats.json")), paths.toString());
        }
    }

    /** The training stages' benchmark names (fmnist-lt-*) mean the Fashion-MNIST classes here too. */
    @Test
    void longTailBenchmarkNameUsesTheBuiltInClasses() throws IOException {
        requireInstalled();
        CommandRun r = stage("benchmark", "--param", "dataset=fmnist-lt-quick");
        assertEquals(0, r.code(), r.err());
        assertEquals(10, corpus("benchmark").size());
        CommandRun bad = stage("bad-benchmark", "--param", "dataset=fmnist-lt-nope");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("fmnist-lt-nope"), bad.err());
    }

    /** The parameters orchestration/pipeline.yaml passes: dataset, sources (its order), wiki. */
    @Test
    void pipelineInvocation() throws IOException {
        requireInstalled();
        CommandRun r = stage("pipeline", "--param", "dataset=fashion-mnist", "--param",
                "sources=wordnet,gcide,templates", "--param", "wiki=false");
        assertEquals(0, r.code(), r.err());
        List<ClassCorpusEntry> corpus = corpus("pipeline");
        assertEquals(10, corpus.size());
        assertEquals(List.of("templates", "wordnet", "gcide"), corpus.get(4).sources());
    }

    @Test
    void configFileWithDottedParameterNames() throws IOException {
        Path cfg = tmp.resolve("text-crawl.yaml");
        Files.writeString(cfg, "runId: cfg\nartifactRoot: " + tmp.resolve("root") + "\ntrackingUri: none\n"
                + "params:\n  sources: templates\n  classes: Bag\n  templates.trailing-space: false\n"
                + "  filter.min-words: 3\n");
        CommandRun r = run("--config", cfg.toString(), "--xcom-dir", tmp.resolve("no-xcom").toString());
        assertEquals(0, r.code(), r.err());
        List<ClassCorpusEntry> corpus = corpus("cfg");
        assertEquals(1, corpus.size());
        assertEquals("a bad photo of a Bag.", corpus.get(0).texts().get(0));
        JsonNode manifest = new ObjectMapper().readTree(stageDir("cfg").resolve("manifest.json").toFile());
        assertEquals("3", manifest.get("params").get("filter.min-words").textValue(), manifest.toString());
    }

    @Test
    void classNamesFileWithFirstSenseFallbackForUnmappedClasses() throws IOException {
        requireInstalled();
        Path names = tmp.resolve("cifar.txt");
        Files.writeString(names, "airplane\ncat\nSandal\n");
        CommandRun none = stage("names", "--input", "class-names=" + names, "--param", "sources=templates,wordnet");
        assertEquals(0, none.code(), none.err());
        List<ClassCorpusEntry> plain = corpus("names");
        assertEquals(List.of("templates"), plain.get(1).sources());
        // a Fashion-MNIST name in a names file keeps its hand-picked synset
        assertTrue(plain.get(2).texts().contains("Sandal: a shoe consisting of a sole fastened by straps to the foot."));

        CommandRun guess = stage("guess", "--input", "class-names=" + names, "--param",
                "sources=templates,wordnet,gcide", "--param", "wordnet.fallback=first-sense", "--param",
                "gcide.fallback=first-noun-sense");
        assertEquals(0, guess.code(), guess.err());
        List<ClassCorpusEntry> corpus = corpus("guess");
        assertTrue(corpus.get(1).texts().stream().anyMatch(t -> t.startsWith("cat: feline mammal")),
                corpus.get(1).texts().toString());
        assertTrue(corpus.get(0).texts().stream().anyMatch(t -> t.startsWith("airplane: an aircraft")),
                corpus.get(0).texts().toString());
        assertEquals(List.of("templates", "wordnet", "gcide"), corpus.get(1).sources());
        // the hand-picked GCIDE sense of Sandal (3rd noun entry) is kept, not replaced by the first-entry guess
        assertTrue(corpus.get(2).texts().contains("Sandal: A kind of slipper."), corpus.get(2).texts().toString());
    }

    @Test
    void wikipediaThroughAFakeApiWithSectionDropsRedirectsAndDisambiguation() throws Exception {
        try (FakeMediaWikiServer server = new FakeMediaWikiServer()) {
            server.on("Sandal", ok("sandal.json")).on("Pants", ok("pants-redirect.json"))
                    .on("Mercury", ok("disambiguation.json"));
            Path mapping = tmp.resolve("mapping.json");
            Files.writeString(mapping, "[{\"classId\":0,\"name\":\"Sandal\"},"
                    + "{\"classId\":1,\"name\":\"Trouser\",\"wikiTitle\":\"Pants\"},"
                    + "{\"classId\":2,\"name\":\"Planet\",\"wikiTitle\":\"Mercury\"}]");
            String[] common = {"--input", "mapping=" + mapping, "--param", "sources=templates,wikipedia",
                "--param", "wiki.api-url=" + server.apiUrl(), "--param", "wiki.min-interval-ms=0",
                "--param", "wiki.cache-dir=" + tmp.resolve("cache")};
            CommandRun r = stage("wiki", common);
            assertEquals(0, r.code(), r.err());
            List<ClassCorpusEntry> corpus = corpus("wiki");
            ClassCorpusEntry sandal = corpus.get(0);
            assertEquals(List.of("templates", "wikipedia"), sandal.sources());
            List<String> wiki = sandal.sentences().stream().filter(s -> s.source().equals("wikipedia"))
                    .map(s -> s.text()).toList();
            assertEquals(List.of(
                    "A sandal is an open type of shoe, consisting of a sole held to the foot by straps.",
                    "Sandals are worn in warm weather.",
                    "The oldest known sandals were made of plant fibre.",
                    "Mr. Smith found a pair in a cave.",
                    "Leather, rubber and cork are common.",
                    "Flip-flops"), wiki);
            assertEquals(1, corpus.get(1).count("wikipedia"), corpus.get(1).texts().toString());
            assertEquals(List.of("templates"), corpus.get(2).sources());
            JsonNode pages = new ObjectMapper().readTree(
                    PublishedOutputs.in(stageDir("wiki"), "wiki-pages.json").toFile());
            assertEquals("Trousers", pages.get(1).get("title").textValue());
            assertEquals("DISAMBIGUATION", pages.get(2).get("status").textValue());

            // keep-noise keeps the References and External links sections; the cache answers, no new request
            int before = server.requests().size();
            CommandRun noisy = stage("noisy", concat(common, "--param", "keep-noise=true"));
            assertEquals(0, noisy.code(), noisy.err());
            assertTrue(corpus("noisy").get(0).texts().contains("Media related to sandals"));
            assertEquals(before, server.requests().size());

            // VL-LTR's regex splitter does split after "Mr." (ICU with abbreviation suppression does not)
            CommandRun regex = stage("regex", concat(common, "--param", "split.mode=vlltr-regex"));
            assertEquals(0, regex.code(), regex.err());
            List<String> regexTexts = corpus("regex").get(0).texts();
            assertTrue(regexTexts.contains("Mr.") && regexTexts.contains("Smith found a pair in a cave."),
                    regexTexts.toString());

            CommandRun strict = stage("strict", concat(common, "--param", "wiki.disambiguation=fail"));
            assertEquals(2, strict.code());
            assertTrue(strict.err().contains("class 2 'Planet': wiki title 'Mercury' is a disambiguation page"),
                    strict.err());
        }
    }

    @Test
    void datasetSpecGivesClassesWordNetByWnidAndItsOwnClassTexts() throws IOException {
        requireInstalled();
        Path ds = Files.createDirectories(tmp.resolve("imagenet-mini"));
        Files.writeString(ds.resolve("classes.txt"), "n01440764\nGolden fish\n");
        Files.createDirectories(ds.resolve("texts"));
        Files.writeString(ds.resolve("texts/desc_0.txt"), "The tench is a fish. It lives in rivers.\n"
                + "== References ==\nA ref.\n");
        Files.writeString(ds.resolve("dataset.yaml"), """
                name: imagenet-mini
                classes: {file: classes.txt}
                splits:
                  train: {format: list, file: train.txt}
                  val: {format: list, file: val.txt}
                  test: {format: list, file: test.txt}
                geometry:
                  channels: 3
                  mean: [0.5, 0.5, 0.5]
                  std: [0.25, 0.25, 0.25]
                  train: {randomResizedCrop: {size: 224}, flip: 0.5}
                  eval: {resize: 256, centerCrop: 224}
                texts: texts
                textCrawl:
                  wikipediaTitles: {"1": "Goldfish"}
                  wordnet: {"Golden fish": ["goldfish"]}
                """);
        CommandRun r = stage("spec", "--input", "dataset=" + ds.resolve("dataset.yaml").toUri(), "--param",
                "sources=templates,wordnet,wikipedia");
        assertEquals(0, r.code(), r.err());
        List<ClassCorpusEntry> corpus = corpus("spec");
        assertEquals(List.of("n01440764", "Golden fish"), corpus.stream().map(ClassCorpusEntry::name).toList());
        assertEquals(List.of("templates", "wordnet"), corpus.get(1).sources(), "the lemma entry found goldfish");
        assertTrue(corpus.get(0).texts().stream().anyMatch(t -> t.contains("freshwater dace-like game fish")),
                "the wnid is the WordNet synset: " + corpus.get(0).texts());
        assertTrue(corpus.get(0).texts().containsAll(List.of("The tench is a fish.", "It lives in rivers.")),
                "the dataset's desc_0.txt as wiki text: " + corpus.get(0).texts());
        assertEquals(List.of("templates", "wikipedia", "wordnet"), corpus.get(0).sources());
        JsonNode pages = new ObjectMapper().readTree(PublishedOutputs.in(stageDir("spec"), "wiki-pages.json").toFile());
        // texts/ has no desc_1.txt: class 1 has no wiki text (its title override matters for the API, see
        // DatasetClassTextsTest)
        assertEquals("FOUND", pages.get(0).get("status").textValue(), pages.toString());
        assertEquals("MISSING", pages.get(1).get("status").textValue(), pages.toString());

        CommandRun both = stage("spec2", "--input", "dataset=" + ds.resolve("dataset.yaml").toUri(), "--input",
                "class-names=" + ds.resolve("classes.txt"));
        assertEquals(2, both.code());
        Files.writeString(ds.resolve("dataset.yaml"), Files.readString(ds.resolve("dataset.yaml"))
                .replace("texts: texts", "texts: texts\nlabels: 3"));
        CommandRun bad = stage("spec3", "--input", "dataset=" + ds.resolve("dataset.yaml").toUri());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("dataset.yaml: field 'labels': unknown field"), bad.err());
    }

    @Test
    void wikiTextFromAVlltrTextCorpusZip() throws IOException {
        Path zip = tmp.resolve("corpus.zip");
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            z.putNextEntry(new java.util.zip.ZipEntry("wiki/desc_1.txt"));
            z.write(("Trousers cover each leg separately. They reach the ankles.\n== Bibliography ==\nA book.\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            z.closeEntry();
        }
        Path names = tmp.resolve("names.txt");
        Files.writeString(names, "Widget\nTrouser\n");
        CommandRun r = stage("zip", "--input", "class-names=" + names, "--input", "wiki-archive=" + zip,
                "--param", "sources=templates,wikipedia");
        assertEquals(0, r.code(), r.err());
        List<ClassCorpusEntry> corpus = corpus("zip");
        assertEquals(List.of("templates"), corpus.get(0).sources());
        assertEquals(List.of("Trousers cover each leg separately.", "They reach the ankles."),
                corpus.get(1).sentences().subList(80, 82).stream().map(s -> s.text()).toList());
        assertEquals(82, corpus.get(1).sentences().size());
        JsonNode pages = new ObjectMapper().readTree(PublishedOutputs.in(stageDir("zip"), "wiki-pages.json").toFile());
        assertEquals("MISSING", pages.get(0).get("status").textValue());

        CommandRun noWikiSource = stage("zip2", "--input", "class-names=" + names, "--input", "wiki-archive=" + zip);
        assertEquals(2, noWikiSource.code());
        assertTrue(noWikiSource.err().contains("input 'wiki-archive' needs the wikipedia source"), noWikiSource.err());
    }

    @Test
    void badInputExitsWithCodeTwoAndAClearMessage() throws IOException {
        CommandRun unknownClass = stage("bad1", "--param", "classes=Jacket");
        assertEquals(2, unknownClass.code());
        assertTrue(unknownClass.err().contains("unknown class 'Jacket'; known classes: [T-shirt/top, Trouser"),
                unknownClass.err());

        CommandRun noSource = stage("bad2", "--param", "sources=");
        assertEquals(2, noSource.code());
        assertTrue(noSource.err().contains("parameter 'sources': empty corpus requested"), noSource.err());

        CommandRun unknownSource = stage("bad3", "--param", "sources=templates,webster");
        assertEquals(2, unknownSource.code());
        assertTrue(unknownSource.err().contains("unknown source 'webster'"), unknownSource.err());

        CommandRun noWordNet = stage("bad4", "--param", "sources=wordnet", "--param",
                "wordnet.dir=" + tmp.resolve("nowhere"));
        assertEquals(2, noWordNet.code());
        assertTrue(noWordNet.err().contains("wordnet.dir=" + tmp.resolve("nowhere") + ": data.noun not found"),
                noWordNet.err());

        // only GCIDE, and the mapping gives the class no GCIDE sense: the class would be empty
        Path mapping = tmp.resolve("m.json");
        Files.writeString(mapping, "[{\"classId\":0,\"name\":\"Widget\"}]");
        CommandRun empty = stage("bad5", "--input", "mapping=" + mapping, "--param", "sources=gcide",
                "--param", "gcide.dir=" + tmp);
        assertEquals(2, empty.code());
        assertTrue(empty.err().contains("gcide.index not found") || empty.err().contains("empty corpus"), empty.err());

        Path names = tmp.resolve("names.txt");
        Files.writeString(names, "Widget\n\nGadget\n");
        CommandRun blank = stage("bad6", "--input", "class-names=" + names);
        assertEquals(2, blank.code());
        assertTrue(blank.err().contains("names.txt line 2: empty class name"), blank.err());

        Files.writeString(mapping, "[{\"classId\":0}]");
        CommandRun badMapping = stage("bad7", "--input", "mapping=" + mapping);
        assertEquals(2, badMapping.code());
        assertTrue(badMapping.err().contains("m.json[0]: field 'name' must be a non-blank string"), badMapping.err());

        CommandRun otherDataset = stage("bad9", "--param", "dataset=file:///data/imagenet-lt.yaml");
        assertEquals(2, otherDataset.code());
        assertTrue(otherDataset.err().contains("give its classes with --input class-names=URI"), otherDataset.err());

        CommandRun badFilter = stage("bad8", "--param", "filter.min-latin-ratio=2");
        assertEquals(2, badFilter.code());
        assertTrue(badFilter.err().contains("minLatinRatio must be in [0, 1]"), badFilter.err());
    }

    @Test
    void emptyClassIsAnEmptyCorpusError() throws IOException {
        try (FakeMediaWikiServer server = new FakeMediaWikiServer()) {
            Path names = tmp.resolve("names.txt");
            Files.writeString(names, "Nonexistent page\n");
            CommandRun r = stage("empty", "--input", "class-names=" + names, "--param", "sources=wikipedia",
                    "--param", "wiki.api-url=" + server.apiUrl(), "--param", "wiki.min-interval-ms=0",
                    "--param", "wiki.cache-dir=");
            assertEquals(2, r.code());
            assertTrue(r.err().contains("empty corpus: class 0 'Nonexistent page' has no sentence"), r.err());
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
