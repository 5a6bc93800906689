package dev.vlltr.registry.store;

import dev.vlltr.registry.dto.Model;
import dev.vlltr.registry.dto.ModelCreate;
import dev.vlltr.registry.dto.ModelPatch;
import dev.vlltr.registry.dto.Page;
import dev.vlltr.registry.error.ProblemException;
import dev.vlltr.registry.search.Catalogs;
import dev.vlltr.registry.search.FilterParser;
import dev.vlltr.registry.search.PageCursor;
import dev.vlltr.registry.search.SortSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Registered models: create, read, search, rename/update, tags, delete-if-unused. */
@ApplicationScoped
public class ModelStore {
    @Inject
    AuditLog audit;

    @Inject
    JsonColumns json;

    public Model create(Connection c, ModelCreate req, String actor) throws SQLException {
        long id;
        try (PreparedStatement ps = c.prepareStatement(
                "insert into registered_models(name, description, created_by) values (?, ?, ?) returning id")) {
            ps.setString(1, req.name());
            ps.setString(2, req.description() == null ? "" : req.description());
            ps.setString(3, actor);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
            }
        }
        if (req.tags() != null) {
            for (Map.Entry<String, String> t : req.tags().entrySet()) {
                upsertTag(c, id, t.getKey(), t.getValue());
            }
        }
        Model m = load(c, List.of(id)).get(id);
        audit.record(c, "model.create", "model", m.name(), null, m);
        return m;
    }

    public Model require(Connection c, String name) throws SQLException {
        return load(c, List.of(idOf(c, name, false))).values().iterator().next();
    }

    /** Locks the model row for the rest of the transaction and checks If-Match against it. */
    public Model lock(Connection c, String name, String ifMatch) throws SQLException {
        Model m = load(c, List.of(idOf(c, name, true))).values().iterator().next();
        Etags.check(ifMatch, Etags.of(m), "model '" + name + "'");
        return m;
    }

    long idOf(Connection c, String name, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select id from registered_models where name = ?"
                + (forUpdate ? " for update" : ""))) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ProblemException.notFound("no registered model named '" + name + "'");
                }
                return rs.getLong(1);
            }
        }
    }

    /** Marks the model changed: a new ETag and updated_at. */
    public void touch(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "update registered_models set row_version = row_version + 1, updated_at = now() where id = ?")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
    }

    public Model patch(Connection c, String name, String ifMatch, ModelPatch p) throws SQLException {
        Model before = lock(c, name, ifMatch);
        try (PreparedStatement ps = c.prepareStatement(
                "update registered_models set name = coalesce(?, name), description = coalesce(?, description)"
                        + " where id = ?")) {
            ps.setString(1, p.name());
            ps.setString(2, p.description());
            ps.setLong(3, before.id());
            ps.executeUpdate();
        }
        touch(c, before.id());
        Model after = load(c, List.of(before.id())).get(before.id());
        audit.record(c, p.name() != null && !p.name().equals(name) ? "model.rename" : "model.update", "model",
                before.name(), before, after);
        return after;
    }

    /** Deletes a model (and its versions) when no alias points at it and no version is in Staging/Production. */
    public void delete(Connection c, String name, String ifMatch) throws SQLException {
        Model before = lock(c, name, ifMatch);
        if (!before.aliases().isEmpty()) {
            throw ProblemException.conflict("model '" + name + "' is in use: aliases " + before.aliases().keySet()
                    + " point at its versions; delete them first");
        }
        try (PreparedStatement ps = c.prepareStatement("select version, stage from model_versions where model_id = ?"
                + " and stage in ('Staging', 'Production') order by version")) {
            ps.setLong(1, before.id());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    throw ProblemException.conflict("model '" + name + "' is in use: version " + rs.getInt(1)
                            + " is in stage " + rs.getString(2) + "; archive it first");
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("delete from model_versions where model_id = ?")) {
            ps.setLong(1, before.id());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("delete from registered_models where id = ?")) {
            ps.setLong(1, before.id());
            ps.executeUpdate();
        }
        audit.record(c, "model.delete", "model", name, before, null);
    }

    public Model setTag(Connection c, String name, String ifMatch, String key, String value) throws SQLException {
        Model before = lock(c, name, ifMatch);
        upsertTag(c, before.id(), key, value);
        touch(c, before.id());
        Model after = load(c, List.of(before.id())).get(before.id());
        audit.record(c, "model.tag.set", "model", name, before, after);
        return after;
    }

    public Model deleteTag(Connection c, String name, String ifMatch, String key) throws SQLException {
        Model before = lock(c, name, ifMatch);
        try (PreparedStatement ps = c.prepareStatement("delete from model_tags where model_id = ? and key = ?")) {
            ps.setLong(1, before.id());
            ps.setString(2, key);
            if (ps.executeUpdate() == 0) {
                throw ProblemException.notFound("model '" + name + "' has no tag '" + key + "'");
            }
        }
        touch(c, before.id());
        Model after = load(c, List.of(before.id())).get(before.id());
        audit.record(c, "model.tag.delete", "model", name, before, after);
        return after;
    }

    private static void upsertTag(Connection c, long id, String key, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into model_tags(model_id, key, value) values (?, ?, ?)"
                + " on conflict (model_id, key) do update set value = excluded.value")) {
            ps.setLong(1, id);
            ps.setString(2, key);
            ps.setString(3, value);
            ps.executeUpdate();
        }
    }

    public Page<Model> search(Connection c, String filter, String orderBy, int pageSize, String token)
            throws SQLException {
        SortSpec sort = SortSpec.forModels(orderBy);
        KeysetPage query = new KeysetPage("m.id", "registered_models m", FilterParser.parse(filter, Catalogs.MODELS),
                sort, PageCursor.fingerprint("models", filter == null ? "" : filter, sort.label(), "" + sort.desc()));
        KeysetPage.Ids page = query.fetch(c, pageSize, token);
        Map<Long, Model> loaded = load(c, page.ids());
        return new Page<>(page.ids().stream().map(loaded::get).toList(), page.nextPageToken());
    }

    /**
     * Loads full models (tags, aliases, latest version) for the given ids in one query, so each model is read from
     * one snapshot (its ETag always belongs to its body) and in one round trip.
     */
    public Map<Long, Model> load(Connection c, List<Long> ids) throws SQLException {
        Map<Long, Model> out = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("select m.id, m.name, m.description, m.created_at,"
                + " m.updated_at, m.created_by, m.row_version,"
                + " (select json_object_agg(t.key, t.value) from model_tags t where t.model_id = m.id)::text,"
                + " (select json_object_agg(a.alias, v.version) from model_aliases a"
                + "   join model_versions v on v.id = a.version_id where a.model_id = m.id)::text,"
                + " (select max(x.version) from model_versions x where x.model_id = m.id)"
                + " from registered_models m where m.id = any(?)")) {
            ps.setArray(1, Sql.ids(c, ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    out.put(id, new Model(rs.getString(2), rs.getString(3), json.sortedMap(rs.getString(8), String.class),
                            json.sortedMap(rs.getString(9), Integer.class), (Integer) rs.getObject(10),
                            rs.getObject(4, OffsetDateTime.class), rs.getObject(5, OffsetDateTime.class),
                            rs.getString(6), id, rs.getLong(7)));
                }
            }
        }
        return out;
    }
}
