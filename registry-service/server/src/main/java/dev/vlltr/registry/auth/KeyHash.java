package dev.vlltr.registry.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Keys are 256-bit random secrets, so an unsalted SHA-256 is enough to store them (no dictionary to attack)
 * and allows an indexed lookup by hash.
 */
public final class KeyHash {
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyHash() {}

    public static String sha256(String key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new key: prefix {@code vlr_} + 43 url-safe characters. */
    public static String newKey() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return "vlr_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
