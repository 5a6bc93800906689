package dev.vlltr.stage.textcrawl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * On-disk cache of successful API responses, one file per request URL ({@code <dir>/<sha256[0:2]>/<sha256>.json}),
 * written atomically. Re-running a crawl with the same cache sends no request at all.
 */
final class ResponseCache {

    private final Path dir;

    ResponseCache(Path dir) {
        this.dir = dir;
    }

    Optional<String> get(String url) throws IOException {
        Path p = path(url);
        return Files.isRegularFile(p) ? Optional.of(Files.readString(p, StandardCharsets.UTF_8)) : Optional.empty();
    }

    void put(String url, String body) throws IOException {
        Path p = path(url);
        Files.createDirectories(p.getParent());
        Path tmp = Files.createTempFile(p.getParent(), ".part-", ".json");
        Files.writeString(tmp, body, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    Path path(String url) {
        String key = sha256(url);
        return dir.resolve(key.substring(0, 2)).resolve(key + ".json");
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
