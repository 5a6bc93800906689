package dev.vlltr.stage.textcrawl;

import dev.vlltr.core.text.ClassTextMapping;
import dev.vlltr.core.text.TextSources;
import dev.vlltr.core.text.WikiDescriptionArchive;
import dev.vlltr.runtime.cli.BadInputException;
import dev.vlltr.runtime.cli.InputSpec;
import dev.vlltr.runtime.cli.OutputSpec;
import dev.vlltr.runtime.cli.StageCommand;
import dev.vlltr.runtime.cli.StageContext;
import dev.vlltr.runtime.cli.StageDefinition;
import dev.vlltr.stagedata.StageDataset;
import io.quarkus.picocli.runtime.annotations.TopCommand;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code text-crawl}: the class-text corpus of the pipeline (thin wiring of {@link TextCrawl}). */
@TopCommand
@Command(name = "text-crawl", mixinStandardHelpOptions = true,
        description = {"Builds the class-text corpus (JSON Lines, one object per class: {classId, name, sources,"
                + " sentences:[{text, source}]}) from the 80 CLIP prompt templates, WordNet 3.0, GCIDE and optionally"
                + " a MediaWiki API, cleaned as in VL-LTR.",
            "Offline by default (sources templates,wordnet,gcide; built-in Fashion-MNIST classes).",
            "Outputs: corpus (corpus.jsonl), stats (corpus-stats.json: sentences per class per source, drops per"
                + " filter rule), wiki-report (wiki-pages.json, only with the wikipedia source)."})
public class TextCrawlCommand extends StageCommand {

    /** The stage's name, parameters, inputs and outputs. */
    public static final StageDefinition DEFINITION = new StageDefinition("text-crawl",
            "Class-text corpus from prompt templates, WordNet, GCIDE and MediaWiki",
            TextCrawlSettings.PARAMS,
            List.of(InputSpec.optional("mapping", "JSON array [{classId, name, wikiTitle?, wordnet:[offsets]?,"
                            + " gcide:['head[:pos][#entry][/senses]']?}]; default: built-in Fashion-MNIST mapping"),
                    InputSpec.optional("class-names", "text file, one class name per line (line i = class i);"
                            + " Fashion-MNIST names get the built-in mapping, others templates + Wikipedia only"),
                    InputSpec.optional("wiki-archive", "zip in VL-LTR's text-corpus layout (wiki/desc_{classId}.txt,"
                            + " UTF-8 or GBK); the wikipedia source then reads it instead of calling the API"),
                    StageDataset.input("dataset spec (dataset.yaml): classes from its class file, Wikipedia"
                            + " titles and WordNet synsets (wnids or lemmas) from its textCrawl block, its texts folder"
                            + " (VL-LTR desc_<label>.txt) read by the wikipedia source like a wiki archive")),
            List.of(OutputSpec.of("corpus", "corpus.jsonl", "JSON lines", "one object per class {classId, name,"
                            + " sources, sentences}"),
                    OutputSpec.of("stats", "corpus-stats.json", "JSON", "sentences per class per source, drops per"
                            + " filter rule"),
                    OutputSpec.of("wiki-report", "wiki-pages.json", "JSON", "the Wikipedia pages used (wikipedia"
                            + " source)").optionally()));

    @Override
    protected StageDefinition definition() {
        return DEFINITION;
    }

    @Override
    protected void execute(StageContext ctx) throws Exception {
        TextCrawlSettings settings = new TextCrawlSettings(ctx.params()).withStore(ctx.store(), ctx.scratch());
        List<String> sources = settings.sources();
        Path mapping = ctx.hasInput("mapping") ? ctx.fetchInput("mapping") : null;
        Path names = ctx.hasInput("class-names") ? ctx.fetchInput("class-names") : null;
        DatasetClasses dataset = null;
        if (ctx.hasInput("dataset")) {
            if (mapping != null || names != null) {
                throw new BadInputException("give input 'dataset' or the inputs 'mapping'/'class-names', not both");
            }
            dataset = DatasetClasses.load(ctx.store(), ctx.input("dataset").uri(), settings);
        }
        if (dataset == null && mapping == null && names == null && !settings.builtInFashionMnist()) {
            throw new BadInputException("parameter 'dataset': '" + settings.dataset() + "' is not the built-in '"
                    + TextCrawlSettings.FASHION_MNIST + "'; give its classes with --input class-names=URI (one name"
                    + " per line, line i = class i) or --input mapping=URI");
        }
        List<ClassTextMapping> classes = TextCrawl.selectClasses(dataset != null ? dataset.mappings()
                : TextCrawl.loadClasses(mapping, names), settings.classes());

        Map<Integer, String> archive = null;
        if (ctx.hasInput("wiki-archive")) {
            if (!sources.contains(TextSources.WIKIPEDIA)) {
                throw new BadInputException("input 'wiki-archive' needs the wikipedia source (--param sources=...,wikipedia)");
            }
            Path zip = ctx.fetchInput("wiki-archive");
            try (InputStream in = Files.newInputStream(zip)) {
                archive = WikiDescriptionArchive.read(in, zip.getFileName().toString());
            }
        }
        if (dataset != null && !dataset.descriptions().isEmpty() && sources.contains(TextSources.WIKIPEDIA)) {
            // the dataset's own class texts, with a wiki-archive input filling the classes they lack
            Map<Integer, String> merged = new java.util.TreeMap<>(archive == null ? Map.of() : archive);
            merged.putAll(dataset.descriptions());
            archive = merged;
        }
        TextCrawl.Outcome outcome = new TextCrawl(settings).run(classes, archive);

        TextCrawl.writeCorpus(outcome, ctx.output("corpus", "corpus.jsonl"));
        Path stats = ctx.output("stats", "corpus-stats.json");
        TextCrawl.writeStats(outcome, stats);
        ctx.trackArtifact(stats);
        if (sources.contains(TextSources.WIKIPEDIA)) {
            TextCrawl.writeWikiReport(outcome, ctx.output("wiki-report", "wiki-pages.json"));
        }
        ctx.headline("classes", classes.size());
        ctx.headline("sentences_total", outcome.stats().totalSentences());
        ctx.headline("sentences_min_per_class", outcome.stats().minSentencesPerClass());
        for (Map.Entry<String, Integer> e : outcome.stats().totalsBySource().entrySet()) {
            ctx.headline("sentences_" + e.getKey(), e.getValue());
        }
        for (var c : outcome.stats().classes()) {
            ctx.metric("sentences_per_class", c.total(), c.classId());
        }
    }
}
