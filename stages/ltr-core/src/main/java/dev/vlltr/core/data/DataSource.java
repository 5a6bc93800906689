package dev.vlltr.core.data;

import java.io.IOException;
import java.io.InputStream;

/**
 * Opens named inputs (a file stem such as {@code train-images-idx3-ubyte}, or a relative image path). ltr-core never
 * opens files itself; the stage layer passes an opener backed by verified local files, tests pass their own.
 */
@FunctionalInterface
public interface DataSource {

    /**
     * @param name the logical name of the input
     * @return a fresh stream the caller closes; gzip-compressed or raw is fine where the reader says so
     * @throws IOException when the input cannot be opened
     */
    InputStream open(String name) throws IOException;
}
