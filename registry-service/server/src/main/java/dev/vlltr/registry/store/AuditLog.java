package dev.vlltr.registry.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlltr.registry.auth.Caller;
import dev.vlltr.registry.dto.AuditEntry;
import dev.vlltr.registry.dto.Page;
import dev.vlltr.registry.error.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** Append-only audit log, written in the same transaction as the change it records. */
@ApplicationScoped
public class AuditLog {
    @Inject
    ObjectMapper json;

    @Inject
    Caller caller;

    public void record(Connection c, String action, String entityType, String entityKey, Object before, Object after)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into audit_log(actor, action, entity_type, entity_key,"
                + " before, after, request_id) values (?, ?, ?, ?, ?::jsonb, ?::jsonb, ?)")) {
            ps.setString(1, caller.name());
            ps.setString(2, action);
            ps.setString(3, entityType);
            ps.setString(4, entityKey);
            ps.setString(5, toJson(before));
            ps.setString(6, toJson(after));
            ps.setString(7, caller.requestId());
            ps.executeUpdate();
        }
    }

    private String toJson(Object o) {
        if (o == null) {
            return null;
        }
        try {
            return json.writeValueAsString(o);
        } catch (Exception e) {
            throw new IllegalStateException("cannot serialise audit state", e);
        }
    }

    /** Newest first; filters are optional; {@code pageToken} is the last id seen. */
    public Page<AuditEntry> query(Connection c, String entityType, String entityKey, String actor, String action,
                                  OffsetDateTime since, int pageSize, String pageToken) throws SQLException {
        long before = Long.MAX_VALUE;
        if (pageToken != null && !pageToken.isBlank()) {
            try {
                before = Long.parseLong(pageToken);
            } catch (NumberFormatException e) {
                throw ProblemException.badRequest("pageToken is malformed");
            }
        }
        StringBuilder sql = new StringBuilder("select id, at, actor, action, entity_type, entity_key, before, after,"
                + " request_id from audit_log where id < ?");
        List<Object> params = new ArrayList<>();
        params.add(before);
        if (entityType != null) {
            sql.append(" and entity_type = ?");
            params.add(entityType);
        }
        if (entityKey != null) {
            sql.append(" and entity_key = ?");
            params.add(entityKey);
        }
        if (actor != null) {
            sql.append(" and actor = ?");
            params.add(actor);
        }
        if (action != null) {
            sql.append(" and action = ?");
            params.add(action);
        }
        if (since != null) {
            sql.append(" and at >= ?");
            params.add(since);
        }
        sql.append(" order by id desc limit ?");
        params.add(pageSize + 1);
        List<AuditEntry> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int k = 0; k < params.size(); k++) {
                ps.setObject(k + 1, params.get(k));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AuditEntry(rs.getLong(1), rs.getObject(2, OffsetDateTime.class), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), tree(rs.getString(7)),
                            tree(rs.getString(8)), rs.getString(9)));
                }
            }
        }
        String next = null;
        if (out.size() > pageSize) {
            out = out.subList(0, pageSize);
            next = Long.toString(out.get(pageSize - 1).id());
        }
        return new Page<>(out, next);
    }

    private JsonNode tree(String s) {
        if (s == null) {
            return null;
        }
        try {
            return json.readTree(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
