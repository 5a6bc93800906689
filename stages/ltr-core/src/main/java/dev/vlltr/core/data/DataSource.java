package dev.vlltr.core.data;

import java.io.IOException;
import java.io.InputStream;

/**
 * Opens named resources (files, objects) for the readers in this package. ltr-core never opens files itself; the
 * stage layer implements this over a directory, an S3 prefix or a jar.
 */
@FunctionalInterface
public interface DataSource {

    /**
     * Opens the resource {@code name} for reading; the caller closes the stream.
     *
     * @param name a name relative to this source, with {@code /} separators
     * @return a fresh stream positioned at the start of the resource
     * @throws IOException if the resource is missing or cannot be read (the message should name it)
     */
    InputStream open(String name) throws IOException;
}
