package dev.vlltr.orchestration.local;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads what a running stage appends to its log file, line by line, from where the file ended when the follower was
 * made (a retried stage appends to the log of its earlier attempt, which must not be replayed). Lines split by
 * {@code \r} (a progress bar redrawn in place) count as lines too. Not thread-safe: one poller.
 */
final class LogFollower {

    /** At most this much is read per poll, so a stage that floods its log cannot stall the display. */
    private static final int MAX_READ = 1 << 20;

    private final Path log;
    /** Just after the last line break consumed: a line (and a UTF-8 character) is never read half-written. */
    private long position;

    LogFollower(Path log) throws IOException {
        this.log = log;
        this.position = Files.exists(log) ? Files.size(log) : 0;
    }

    /** The complete lines added since the last call (blank ones dropped). */
    List<String> newLines() {
        byte[] chunk = read();
        int end = chunk.length;
        while (end > 0 && chunk[end - 1] != '\n' && chunk[end - 1] != '\r') {
            end--;
        }
        if (end == 0 && chunk.length < MAX_READ) {
            return List.of();
        }
        int consumed = end == 0 ? chunk.length : end;   // one line longer than MAX_READ: take it as it is
        position += consumed;
        return split(new String(chunk, 0, consumed, StandardCharsets.UTF_8));
    }

    /** A last line without a line break, once the process has ended. */
    Optional<String> rest() {
        byte[] chunk = read();
        position += chunk.length;
        String line = new String(chunk, StandardCharsets.UTF_8).strip();
        return line.isEmpty() ? Optional.empty() : Optional.of(line);
    }

    private byte[] read() {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long length = f.length();
            if (length < position) {
                position = 0;   // truncated: start over
            }
            byte[] chunk = new byte[(int) Math.min(length - position, MAX_READ)];
            f.seek(position);
            f.readFully(chunk);
            return chunk;
        } catch (IOException notYet) {
            return new byte[0];   // the process has not created the file yet
        }
    }

    private static List<String> split(String text) {
        List<String> lines = new ArrayList<>();
        for (String line : text.split("[\r\n]+")) {
            if (!line.isBlank()) {
                lines.add(line.strip());
            }
        }
        return lines;
    }
}
