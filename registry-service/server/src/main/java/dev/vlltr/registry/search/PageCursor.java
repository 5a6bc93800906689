package dev.vlltr.registry.search;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;

/**
 * Opaque keyset cursor: the last row's sort value and id, plus a fingerprint of the query so that a token
 * cannot be replayed against another filter or order.
 */
public record PageCursor(Object value, long id) {

    public static String encode(Object value, long id, String fingerprint) {
        String v = value instanceof OffsetDateTime t ? t.toString() : String.valueOf(value);
        String raw = fingerprint + "\n" + id + "\n" + v;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    public static PageCursor decode(String token, String fingerprint, FieldCatalog.Kind kind) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        try {
            if (token.length() > 4096) {
                throw new IllegalArgumentException();
            }
            String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            String[] p = raw.split("\n", 3);
            if (p.length != 3 || !p[0].equals(fingerprint)) {
                throw new FilterException("pageToken does not belong to this filter and orderBy");
            }
            long id = Long.parseLong(p[1]);
            Object v = switch (kind) {
                case TEXT -> p[2];
                case NUMBER -> Double.parseDouble(p[2]);
                case TIMESTAMP -> Timestamps.parse(p[2]);
            };
            return new PageCursor(v, id);
        } catch (FilterException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new FilterException("pageToken is malformed");
        }
    }

    /** Fingerprint of a query: a hash of the parts that define the order and the row set. */
    public static String fingerprint(String... parts) {
        return Integer.toHexString(String.join("\u0000", parts).hashCode());
    }
}
