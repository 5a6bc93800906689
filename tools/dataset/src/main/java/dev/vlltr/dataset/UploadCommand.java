package dev.vlltr.dataset;

import dev.vlltr.runtime.cli.BadInputException;
import dev.vlltr.runtime.cli.ExitCodes;
import dev.vlltr.runtime.store.ArtifactStores;
import dev.vlltr.runtime.store.ArtifactUris;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dataset upload <dir> <s3://bucket/prefix>}: see {@link DatasetUpload}. */
@Command(name = "upload", mixinStandardHelpOptions = true,
        description = "Upload a dataset folder with SHA-256 checksums; rerun to resume (files already there are skipped).")
public class UploadCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "the dataset folder (spec, lists, images)")
    Path dir;

    @Parameters(index = "1", paramLabel = "TARGET", description = "s3://bucket/prefix (or file:///folder)")
    String target;

    @Option(names = "--workers", defaultValue = "8", description = "Parallel uploads (default: ${DEFAULT-VALUE})")
    int workers;

    /** The store for s3:// (configured from VLLTR_S3_*); tests pass one bound to their MinIO server. */
    java.util.function.Supplier<ArtifactStores> stores = ArtifactStores::fromEnv;
    PrintStream out = System.out;
    PrintStream err = System.err;

    @Override
    public Integer call() {
        return Exits.run(err, () -> {
            if (!Files.isDirectory(dir)) {
                throw new BadInputException("upload: DIR " + dir + " is not a folder");
            }
            URI uri = ArtifactUris.parse(target, "upload: TARGET");
            try (ArtifactStores store = stores.get()) {
                DatasetUpload.Outcome o = DatasetUpload.run(store, dir, uri, workers);
                out.printf(Locale.ROOT, "uploaded %d files (%d bytes), %d already there with the same SHA-256; %s%n",
                        o.uploaded(), o.bytes(), o.skipped(), ArtifactUris.resolve(uri, DatasetUpload.CHECKSUMS));
            }
            return ExitCodes.OK;
        });
    }
}
