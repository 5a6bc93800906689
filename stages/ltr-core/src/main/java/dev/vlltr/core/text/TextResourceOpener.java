package dev.vlltr.core.text;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;

/**
 * Opens named resources of a text source (e.g. {@code data.noun}, {@code gcide.index}); ltr-core never opens files
 * itself. Stage apps pass a directory-backed opener, tests pass in-memory fixtures.
 */
@FunctionalInterface
public interface TextResourceOpener {

    /**
     * @param name resource name, e.g. {@code "index.noun"}
     * @return a new stream; the caller closes it
     * @throws IOException when the resource is missing or unreadable (the message should name it)
     */
    InputStream open(String name) throws IOException;

    /**
     * Random access to a resource; the default reads it whole into memory, directory openers return a file channel.
     *
     * @param name resource name
     * @return a new channel; the caller closes it
     * @throws IOException when the resource is missing or unreadable
     */
    default SeekableByteChannel openSeekable(String name) throws IOException {
        try (InputStream in = open(name)) {
            return new ByteArraySeekableChannel(in.readAllBytes());
        }
    }
}
