package dev.vlltr.registry.auth;

import dev.vlltr.registry.dto.ApiKeyInfo;
import dev.vlltr.registry.error.ProblemException;
import dev.vlltr.registry.store.Db;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** API keys stored as SHA-256 hashes, with a short-lived lookup cache (cleared on revoke). */
@ApplicationScoped
public class ApiKeyStore {
    /** A resolved key. */
    public record Principal(String name, Role role) {}

    private record Cached(Optional<Principal> principal, long expiresAtNanos) {}

    private static final long TTL_NANOS = 5_000_000_000L;

    @Inject
    Db db;

    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public Optional<Principal> resolve(String key) {
        String hash = KeyHash.sha256(key);
        Cached c = cache.get(hash);
        long now = System.nanoTime();
        if (c != null && c.expiresAtNanos - now > 0) {
            return c.principal;
        }
        Optional<Principal> p = db.read(conn -> {
            try (PreparedStatement ps = conn.prepareStatement(
                    "select name, role from api_keys where key_hash = ? and revoked_at is null")) {
                ps.setString(1, hash);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Principal(rs.getString(1), Role.parse(rs.getString(2))))
                            : Optional.<Principal>empty();
                }
            }
        });
        if (cache.size() > 10_000) {
            cache.clear(); // bounded: a flood of wrong keys cannot grow it without end
        }
        cache.put(hash, new Cached(p, now + TTL_NANOS));
        return p;
    }

    /** Inserts a key with the given secret (hashed) unless a key of that name exists; returns true if inserted. */
    public boolean ensure(String name, Role role, String secret, String createdBy) {
        return db.tx(conn -> {
            try (PreparedStatement ps = conn.prepareStatement(
                    "insert into api_keys(name, key_hash, role, created_by) values (?, ?, ?, ?) "
                            + "on conflict do nothing")) {
                ps.setString(1, name);
                ps.setString(2, KeyHash.sha256(secret));
                ps.setString(3, role.wire());
                ps.setString(4, createdBy);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /**
     * Makes {@code secret} the admin key called {@code name}: inserted, or replacing that key's hash, role and
     * revocation (a restart with a new bootstrap key must not leave the old one working).
     */
    public void putBootstrap(String name, String secret) {
        db.tx(conn -> {
            try (PreparedStatement ps = conn.prepareStatement(
                    "insert into api_keys(name, key_hash, role, created_by) values (?, ?, 'admin', 'bootstrap') "
                            + "on conflict (name) do update set key_hash = excluded.key_hash, role = 'admin', "
                            + "revoked_at = null")) {
                ps.setString(1, name);
                ps.setString(2, KeyHash.sha256(secret));
                return ps.executeUpdate();
            }
        });
        cache.clear();
    }

    public long countActive() {
        return db.read(conn -> {
            try (PreparedStatement ps = conn.prepareStatement("select count(*) from api_keys where revoked_at is null");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    public List<ApiKeyInfo> list() {
        return db.read(conn -> {
            List<ApiKeyInfo> out = new ArrayList<>();
            try (PreparedStatement ps = conn.prepareStatement(
                    "select name, role, created_at, created_by, revoked_at from api_keys order by name");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ApiKeyInfo(rs.getString(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class),
                            rs.getString(4), rs.getObject(5, OffsetDateTime.class), null));
                }
            }
            return out;
        });
    }

    public void revoke(String name) {
        int n = db.tx(conn -> {
            try (PreparedStatement ps = conn.prepareStatement(
                    "update api_keys set revoked_at = now() where name = ? and revoked_at is null")) {
                ps.setString(1, name);
                return ps.executeUpdate();
            }
        });
        if (n == 0) {
            throw ProblemException.notFound("no active API key named '" + name + "'");
        }
        cache.clear();
    }
}
