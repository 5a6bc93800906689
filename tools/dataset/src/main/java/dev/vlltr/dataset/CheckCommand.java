package dev.vlltr.dataset;

import dev.vlltr.core.dataset.ClassCountStats;
import dev.vlltr.core.dataset.DatasetResolver;
import dev.vlltr.core.dataset.DatasetSpec;
import dev.vlltr.core.dataset.ImageCheck;
import dev.vlltr.core.dataset.LabelledImages;
import dev.vlltr.core.dataset.Problems;
import dev.vlltr.core.dataset.ResolvedDataset;
import dev.vlltr.runtime.cli.ExitCodes;
import dev.vlltr.runtime.report.Plots;
import dev.vlltr.runtime.store.ArtifactStores;
import dev.vlltr.stagedata.DatasetLocation;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dataset check <spec>}: reads the spec, the class file and every split line by line, opens and decodes every
 * image, and reports every problem with file, line and field (exit 2); on success prints the class counts of the
 * training split, its head and tail sizes, imbalance factor and shot groups, and writes a class-count PNG.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Validate a dataset spec, its lists and every image; print the long-tail shape.")
public class CheckCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SPEC", description = "dataset.yaml: a path, file:// or s3:// URI")
    String spec;

    @Option(names = "--histogram", paramLabel = "PNG",
            description = "Where to write the class-count plot (default: <name>-class-counts.png in the current folder)")
    Path histogram;

    @Option(names = "--skip-images", description = "Check the spec and lists only; do not open the images")
    boolean skipImages;

    @Option(names = "--workers", defaultValue = "8", description = "Parallel image reads (default: ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--max-problems", defaultValue = "50",
            description = "Problems printed (all are counted; default: ${DEFAULT-VALUE})")
    int maxProblems;

    /** The store for s3:// (configured from VLLTR_S3_*); tests pass one bound to their MinIO server. */
    java.util.function.Supplier<ArtifactStores> stores = ArtifactStores::fromEnv;
    PrintStream out = System.out;
    PrintStream err = System.err;

    @Override
    public Integer call() {
        return Exits.run(err, this::check);
    }

    private int check() throws Exception {
        try (ArtifactStores store = stores.get()) {
            DatasetLocation at = DatasetLocation.open(spec, store);
            Problems problems = Problems.collecting(maxProblems);
            ResolvedDataset d = DatasetResolver.resolve(at.spec(), at.specUri().toString(), at.specFolder(),
                    at.images(), problems);
            List<LabelledImages> splits = new ArrayList<>();
            splits.add(d.sourceTrain());
            if (d.spec().splits().val() != null) {
                splits.add(d.val());
            }
            if (!d.spec().splits().test().equals(d.spec().splits().val())) {
                splits.add(d.test());
            }
            boolean images = !skipImages && splits.stream().noneMatch(s -> s.paths().stream()
                    .anyMatch(p -> p.contains("#")));
            if (images) {
                for (LabelledImages s : splits) {
                    int ok = ImageCheck.run(s, at.images(), workers, problems);
                    err.printf(Locale.ROOT, "%s: %d of %d images decode%n", s.source(), ok, s.size());
                }
            }
            if (!problems.isEmpty()) {
                for (Problems.Problem p : problems.kept()) {
                    err.println(p);
                }
                err.printf(Locale.ROOT, "dataset: bad input: %d problem(s) in %s%s%n", problems.count(), at.specUri(),
                        problems.count() > problems.kept().size() ? " (first " + problems.kept().size() + " shown)"
                                : "");
                return ExitCodes.BAD_INPUT;
            }
            report(d);
            writeHistogram(d);
            return ExitCodes.OK;
        }
    }

    private void report(ResolvedDataset d) {
        DatasetSpec s = d.spec();
        out.printf(Locale.ROOT, "dataset %s: %d classes; train %d, val %d, test %d images%n", s.name(),
                d.numClasses(), d.train().size(), d.val().size(), d.test().size());
        ClassCountStats st = ClassCountStats.of(d.train());
        out.printf(Locale.ROOT, "train: head %d, tail %d images per class, imbalance factor %.1f; many-shot (>100) %d,"
                + " medium (20-100) %d, few (<20) %d classes%n", st.head(), st.tail(), st.imbalanceFactor(),
                st.manyShotClasses(), st.mediumShotClasses(), st.fewShotClasses());
        int[] counts = st.counts();
        out.println("class counts (label count name):");
        for (int c = 0; c < counts.length; c++) {
            out.printf(Locale.ROOT, "  %d %d %s%n", c, counts[c], d.classNames().get(c));
        }
    }

    /** The train split's counts sorted head to tail (the long-tail curve); written atomically. */
    private void writeHistogram(ResolvedDataset d) throws Exception {
        int[] counts = ClassCountStats.of(d.train()).counts();
        double[] sorted = Arrays.stream(counts).mapToDouble(v -> v).sorted().toArray();
        double[] byRank = new double[sorted.length];
        double[] rank = new double[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            byRank[i] = sorted[sorted.length - 1 - i];
            rank[i] = i;
        }
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("train images", byRank);
        byte[] png = Plots.lines(d.spec().name() + ": training images per class (head to tail)",
                "class rank", "images", rank, series);
        Path target = histogram != null ? histogram : Path.of(d.spec().name() + "-class-counts.png");
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".class-counts", ".png.partial");
        try {
            Files.write(tmp, png);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        out.println("histogram: " + target);
    }
}
