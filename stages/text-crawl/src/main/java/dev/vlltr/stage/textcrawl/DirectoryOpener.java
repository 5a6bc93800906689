package dev.vlltr.stage.textcrawl;

import dev.vlltr.core.text.TextResourceOpener;
import dev.vlltr.runtime.cli.BadInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Opens the files of an installed text source from a directory, failing with the parameter to fix. */
final class DirectoryOpener implements TextResourceOpener {

    private final Path dir;
    private final String param;
    private final String debianPackage;
    private final String location;

    DirectoryOpener(Path dir, String param, String debianPackage) {
        this(dir, dir.toString(), param, debianPackage);
    }

    /** @param location how the folder was given: a URI whose objects were fetched into {@code dir}, or the path */
    DirectoryOpener(Path dir, String location, String param, String debianPackage) {
        this.location = location;
        this.dir = dir;
        this.param = param;
        this.debianPackage = debianPackage;
    }

    /** Fails early, naming the parameter, when a required file is missing. */
    DirectoryOpener require(String... names) {
        for (String n : names) {
            if (!Files.isReadable(dir.resolve(n))) {
                if (dev.vlltr.runtime.data.DataFolders.isUri(location)) {
                    throw new BadInputException(param + "=" + location + ": object "
                            + dev.vlltr.runtime.store.ArtifactUris.resolve(
                                    dev.vlltr.runtime.store.ArtifactUris.parse(location, param), n)
                            + " not found; upload the data set (orchestration/stack.sh bootstrap-data) or fix "
                            + param);
                }
                throw new BadInputException(param + "=" + dir + ": " + n + " not found; install the Debian package '"
                        + debianPackage + "' (apt-get install -y " + debianPackage + ") or point " + param
                        + " at a folder that has it");
            }
        }
        return this;
    }

    @Override
    public InputStream open(String name) throws IOException {
        return Files.newInputStream(dir.resolve(name));
    }

    @Override
    public SeekableByteChannel openSeekable(String name) throws IOException {
        return Files.newByteChannel(dir.resolve(name), StandardOpenOption.READ);
    }
}
