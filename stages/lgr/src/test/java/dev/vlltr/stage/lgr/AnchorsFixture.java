package dev.vlltr.stage.lgr;

import java.nio.file.Path;

/** The anchor-selection upstream of the lgr tests (on top of cvlp's {@code StageTestSupport}). */
final class AnchorsFixture {

    private AnchorsFixture() {}

    /** AnSS on the tiny cvlp run: M = 4 (3 real sentences + 1 padded slot per class), 5 val images per class. */
    static Path anchorsManifest(Path root, Path cvlpManifest, Path corpusManifest) {
        int code = new picocli.CommandLine(new dev.vlltr.stage.anchors.AnchorSelectionCommand()).execute("--run-id",
                "up", "--artifact-root", root.toString(), "--xcom-dir", root.resolve("no-xcom").toString(),
                "--tracking-uri", "none", "--input", "cvlp=" + cvlpManifest, "--input", "corpus=" + corpusManifest,
                "--input", dev.vlltr.stage.cvlp.StageTestSupport.datasetInput("fmnist-lt-quick"), "--param", "m=4",
                "--param", "images-per-class=5");
        if (code != 0) {
            throw new AssertionError("upstream anchor-selection run failed with exit code " + code);
        }
        return root.resolve("up").resolve("anchor-selection").resolve("manifest.json");
    }
}
