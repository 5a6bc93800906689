package dev.vlltr.runtime.store;

import dev.vlltr.runtime.cli.BadInputException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How to reach an S3 server (MinIO or any S3). Read from the environment by {@link #fromEnv(Map)}:
 *
 * <table>
 *   <caption>environment</caption>
 *   <tr><td>{@code VLLTR_S3_ENDPOINT} (or {@code AWS_ENDPOINT_URL}, {@code MINIO_ENDPOINT})</td><td>e.g. http://minio:9000</td></tr>
 *   <tr><td>{@code VLLTR_S3_ACCESS_KEY} (or {@code AWS_ACCESS_KEY_ID}, {@code MINIO_ACCESS_KEY})</td><td>access key</td></tr>
 *   <tr><td>{@code VLLTR_S3_SECRET_KEY} (or {@code AWS_SECRET_ACCESS_KEY}, {@code MINIO_SECRET_KEY})</td><td>secret key</td></tr>
 *   <tr><td>{@code VLLTR_S3_REGION} (or {@code AWS_REGION})</td><td>default us-east-1</td></tr>
 *   <tr><td>{@code VLLTR_S3_PART_SIZE_MB}</td><td>multipart part size, default 16 (min 5)</td></tr>
 *   <tr><td>{@code VLLTR_S3_VERIFY}</td><td>{@code checksum} (default) or {@code read-back}</td></tr>
 *   <tr><td>{@code VLLTR_S3_RETRIES}</td><td>attempts for transient errors, default 5</td></tr>
 * </table>
 */
public record S3Config(
        String endpoint,
        String accessKey,
        String secretKey,
        String region,
        long partSize,
        Verify verify,
        int attempts,
        Duration firstBackoff) {

    /** How a put is verified after upload. */
    public enum Verify {
        /**
         * The upload carries a CRC32C checksum that the server checks on receipt; afterwards the object's size and
         * recorded SHA-256 are checked with a HEAD request.
         */
        CHECKSUM,
        /** As CHECKSUM, and the object is also streamed back and re-hashed (doubles the traffic). */
        READ_BACK
    }

    public static final long MIN_PART_SIZE = 5L * 1024 * 1024;

    public S3Config {
        Objects.requireNonNull(endpoint, "endpoint");
        if (partSize < MIN_PART_SIZE) {
            throw new BadInputException("S3 part size must be at least 5 MiB, got " + partSize + " bytes");
        }
        if (attempts < 1) {
            throw new BadInputException("S3 attempts must be at least 1, got " + attempts);
        }
    }

    public static S3Config of(String endpoint, String accessKey, String secretKey) {
        return new S3Config(endpoint, accessKey, secretKey, "us-east-1", 16L * 1024 * 1024, Verify.CHECKSUM, 5,
                Duration.ofMillis(200));
    }

    public S3Config withPartSize(long bytes) {
        return new S3Config(endpoint, accessKey, secretKey, region, bytes, verify, attempts, firstBackoff);
    }

    public S3Config withVerify(Verify v) {
        return new S3Config(endpoint, accessKey, secretKey, region, partSize, v, attempts, firstBackoff);
    }

    public S3Config withRetries(int attempts, Duration firstBackoff) {
        return new S3Config(endpoint, accessKey, secretKey, region, partSize, verify, attempts, firstBackoff);
    }

    /** Reads the configuration from environment variables; returns null when no endpoint is set. */
    public static S3Config fromEnv(Map<String, String> env) {
        String endpoint = first(env, "VLLTR_S3_ENDPOINT", "AWS_ENDPOINT_URL", "MINIO_ENDPOINT");
        if (endpoint == null) {
            return null;
        }
        String access = first(env, "VLLTR_S3_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "MINIO_ACCESS_KEY");
        String secret = first(env, "VLLTR_S3_SECRET_KEY", "AWS_SECRET_ACCESS_KEY", "MINIO_SECRET_KEY");
        if (access == null || secret == null) {
            throw new BadInputException("S3 endpoint " + endpoint + " is set but VLLTR_S3_ACCESS_KEY/VLLTR_S3_SECRET_KEY"
                    + " (or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) are not");
        }
        String region = first(env, "VLLTR_S3_REGION", "AWS_REGION");
        long part = parseLong(env, "VLLTR_S3_PART_SIZE_MB", 16) * 1024 * 1024;
        String v = first(env, "VLLTR_S3_VERIFY");
        Verify verify;
        if (v == null || v.equalsIgnoreCase("checksum")) {
            verify = Verify.CHECKSUM;
        } else if (v.equalsIgnoreCase("read-back")) {
            verify = Verify.READ_BACK;
        } else {
            throw new BadInputException("VLLTR_S3_VERIFY: expected 'checksum' or 'read-back', got '" + v + "'");
        }
        int attempts = (int) parseLong(env, "VLLTR_S3_RETRIES", 5);
        return new S3Config(endpoint, access, secret, region == null ? "us-east-1" : region, part, verify, attempts,
                Duration.ofMillis(200));
    }

    private static String first(Map<String, String> env, String... keys) {
        for (String k : keys) {
            String v = env.get(k);
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return null;
    }

    private static long parseLong(Map<String, String> env, String key, long dflt) {
        String v = env.get(key);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw new BadInputException(key + ": expected an integer, got '" + v + "'");
        }
    }

    @Override
    public String toString() {
        // never print the secret
        return "S3Config[endpoint=" + endpoint + ", region=" + region + ", partSize=" + partSize + ", verify=" + verify
                + ", attempts=" + attempts + "]";
    }
}
