package dev.vlltr.registry.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vlltr.registry.dto.ArtifactRef;
import dev.vlltr.registry.dto.Lineage;
import dev.vlltr.registry.dto.Metrics;
import dev.vlltr.registry.dto.Mirror;
import dev.vlltr.registry.dto.Page;
import dev.vlltr.registry.dto.Version;
import dev.vlltr.registry.dto.VersionCreate;
import dev.vlltr.registry.error.ProblemException;
import dev.vlltr.registry.search.Catalogs;
import dev.vlltr.registry.search.FilterParser;
import dev.vlltr.registry.search.PageCursor;
import dev.vlltr.registry.search.SortSpec;
import dev.vlltr.registry.search.SqlFragment;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Model versions: create with lineage and metrics, read, search, update, tags. */
@ApplicationScoped
public class VersionStore {
    /** Shot splits of long-tailed evaluation; stored flattened as {@code <split>_<metric>}. */
    static final List<String> SPLITS = List.of("many", "medium", "few");

    @Inject
    AuditLog audit;

    @Inject
    ModelStore models;

    @Inject
    ObjectMapper json;

    @Inject
    JsonColumns columns;

    /** Creates the next version; with an idempotency key that was already used, returns that version instead. */
    public Version create(Connection c, String modelName, VersionCreate req, String idempotencyKey, String actor,
                          boolean mirror) throws SQLException {
        long modelId = models.idOf(c, modelName, true); // serialises version numbering per model
        String fingerprint = idempotencyKey == null ? null : fingerprint(req);
        if (idempotencyKey != null) {
            try (PreparedStatement ps = c.prepareStatement("select id, version, idempotency_fingerprint"
                    + " from model_versions where model_id = ? and idempotency_key = ?")) {
                ps.setLong(1, modelId);
                ps.setString(2, idempotencyKey);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        String first = rs.getString(3);
                        if (first != null && !first.equals(fingerprint)) {
                            throw new ProblemException(422, "Unprocessable Content", "Idempotency-Key was used"
                                    + " for a different registration (version " + rs.getInt(2) + " of model '"
                                    + modelName + "'); send a new key for a new version").with("version", rs.getInt(2));
                        }
                        return load(c, List.of(rs.getLong(1))).get(rs.getLong(1));
                    }
                }
            }
        }
        Map<String, Double> flat = flatten(req.metrics());
        Lineage l = req.lineage() == null ? new Lineage(null, null, null, null, null) : req.lineage();
        long id;
        try (PreparedStatement ps = c.prepareStatement("insert into model_versions(model_id, version, description,"
                + " pipeline_run_id, mlflow_run_id, code_version, dataset_id, corpus_id, per_class, created_by,"
                + " mirror_status, mirror_next_at, idempotency_key, idempotency_fingerprint)"
                + " values (?, (select coalesce(max(version), 0) + 1 from model_versions where model_id = ?),"
                + " ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, now(), ?, ?) returning id")) {
            ps.setLong(1, modelId);
            ps.setLong(2, modelId);
            ps.setString(3, req.description() == null ? "" : req.description());
            ps.setString(4, l.pipelineRunId());
            ps.setString(5, l.mlflowRunId());
            ps.setString(6, l.codeVersion());
            ps.setString(7, l.datasetId());
            ps.setString(8, l.corpusId());
            ps.setString(9, req.metrics() == null || req.metrics().perClass() == null ? null
                    : writeJson(req.metrics().perClass()));
            ps.setString(10, actor);
            ps.setString(11, mirror ? "PENDING" : "DISABLED");
            ps.setString(12, idempotencyKey);
            ps.setString(13, fingerprint);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
            }
        }
        if (req.artifacts() != null) {
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into version_artifacts(version_id, name, uri, sha256) values (?, ?, ?, ?)")) {
                for (ArtifactRef a : req.artifacts()) {
                    ps.setLong(1, id);
                    ps.setString(2, a.name());
                    ps.setString(3, a.uri());
                    ps.setString(4, a.sha256());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "insert into version_metrics(version_id, key, value) values (?, ?, ?)")) {
            for (Map.Entry<String, Double> e : flat.entrySet()) {
                ps.setLong(1, id);
                ps.setString(2, e.getKey());
                ps.setDouble(3, e.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        if (req.tags() != null) {
            for (Map.Entry<String, String> t : req.tags().entrySet()) {
                upsertTag(c, id, t.getKey(), t.getValue());
            }
        }
        Version v = load(c, List.of(id)).get(id);
        audit.record(c, "version.create", "version", modelName + "/" + v.version(), null, v);
        return v;
    }

    /** Flattens metrics into searchable keys: overall as-is, shot splits as {@code <split>_<key>}. */
    static Map<String, Double> flatten(Metrics m) {
        Map<String, Double> flat = new TreeMap<>();
        if (m == null) {
            return flat;
        }
        if (m.overall() != null) {
            for (Map.Entry<String, Double> e : m.overall().entrySet()) {
                for (String s : SPLITS) {
                    if (e.getKey().startsWith(s + "_")) {
                        throw ProblemException.badRequest("metrics.overall." + e.getKey() + ": overall metric names"
                                + " must not start with '" + s + "_' (reserved for metrics.shots." + s + ")");
                    }
                }
                flat.put(e.getKey(), finite(e.getValue(), "metrics.overall." + e.getKey()));
            }
        }
        if (m.shots() != null) {
            for (Map.Entry<String, Map<String, Double>> s : m.shots().entrySet()) {
                for (Map.Entry<String, Double> e : s.getValue().entrySet()) {
                    flat.put(s.getKey() + "_" + e.getKey(),
                            finite(e.getValue(), "metrics.shots." + s.getKey() + "." + e.getKey()));
                }
            }
        }
        if (m.perClass() != null) {
            for (Map.Entry<String, Map<String, Double>> cl : m.perClass().entrySet()) {
                for (Map.Entry<String, Double> e : cl.getValue().entrySet()) {
                    finite(e.getValue(), "metrics.perClass." + cl.getKey() + "." + e.getKey());
                }
            }
        }
        return flat;
    }

    private static double finite(Double d, String field) {
        if (d == null || !Double.isFinite(d)) {
            throw ProblemException.badRequest(field + ": expected a finite number");
        }
        return d;
    }

    public Version require(Connection c, String model, int version) throws SQLException {
        return load(c, List.of(idOf(c, model, version, false))).values().iterator().next();
    }

    /** Locks the version row and checks If-Match against it. */
    public Version lock(Connection c, String model, int version, String ifMatch) throws SQLException {
        Version v = load(c, List.of(idOf(c, model, version, true))).values().iterator().next();
        Etags.check(ifMatch, Etags.of(v), "version " + model + "/" + version);
        return v;
    }

    long idOf(Connection c, String model, int version, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select v.id from model_versions v join registered_models m"
                + " on m.id = v.model_id where m.name = ? and v.version = ?" + (forUpdate ? " for update of v" : ""))) {
            ps.setString(1, model);
            ps.setInt(2, version);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    models.idOf(c, model, false); // 404 naming the model when the model is missing
                    throw ProblemException.notFound("model '" + model + "' has no version " + version);
                }
                return rs.getLong(1);
            }
        }
    }

    public void touch(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "update model_versions set row_version = row_version + 1, updated_at = now() where id = ?")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
    }

    public Version setDescription(Connection c, String model, int version, String ifMatch, String description)
            throws SQLException {
        Version before = lock(c, model, version, ifMatch);
        try (PreparedStatement ps = c.prepareStatement("update model_versions set description = ? where id = ?")) {
            ps.setString(1, description);
            ps.setLong(2, before.id());
            ps.executeUpdate();
        }
        return finish(c, before, "version.update");
    }

    public Version setTag(Connection c, String model, int version, String ifMatch, String key, String value)
            throws SQLException {
        Version before = lock(c, model, version, ifMatch);
        upsertTag(c, before.id(), key, value);
        return finish(c, before, "version.tag.set");
    }

    public Version deleteTag(Connection c, String model, int version, String ifMatch, String key) throws SQLException {
        Version before = lock(c, model, version, ifMatch);
        try (PreparedStatement ps = c.prepareStatement("delete from version_tags where version_id = ? and key = ?")) {
            ps.setLong(1, before.id());
            ps.setString(2, key);
            if (ps.executeUpdate() == 0) {
                throw ProblemException.notFound("version " + model + "/" + version + " has no tag '" + key + "'");
            }
        }
        return finish(c, before, "version.tag.delete");
    }

    /** Bumps the row version, reloads and audits. */
    Version finish(Connection c, Version before, String action) throws SQLException {
        touch(c, before.id());
        Version after = load(c, List.of(before.id())).get(before.id());
        audit.record(c, action, "version", before.model() + "/" + before.version(), before, after);
        return after;
    }

    private static void upsertTag(Connection c, long id, String key, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into version_tags(version_id, key, value)"
                + " values (?, ?, ?) on conflict (version_id, key) do update set value = excluded.value")) {
            ps.setLong(1, id);
            ps.setString(2, key);
            ps.setString(3, value);
            ps.executeUpdate();
        }
    }

    /** Searches versions of all models (or of {@code model} when not null). */
    public Page<Version> search(Connection c, String model, String filter, String orderBy, int pageSize, String token)
            throws SQLException {
        SqlFragment where = FilterParser.parse(filter, Catalogs.VERSIONS);
        if (model != null) {
            models.idOf(c, model, false); // 404 for an unknown model rather than an empty page
            List<Object> params = new ArrayList<>(where.params());
            params.add(model);
            where = new SqlFragment(where.sql() + " and m.name = ?", params);
        }
        SortSpec sort = SortSpec.forVersions(orderBy);
        KeysetPage query = new KeysetPage("v.id", "model_versions v join registered_models m on m.id = v.model_id",
                where, sort, PageCursor.fingerprint("versions", model == null ? "" : model,
                        filter == null ? "" : filter, sort.label(), "" + sort.desc()));
        KeysetPage.Ids page = query.fetch(c, pageSize, token);
        Map<Long, Version> loaded = load(c, page.ids());
        return new Page<>(page.ids().stream().map(loaded::get).toList(), page.nextPageToken());
    }

    /**
     * Loads full versions (artifacts, metrics, tags, aliases) for the given ids in one query, so each version is read
     * from one snapshot (its ETag always belongs to its body) and in one round trip.
     */
    public Map<Long, Version> load(Connection c, List<Long> ids) throws SQLException {
        Map<Long, Version> out = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("select v.id, m.name, v.version, v.stage, v.description,"
                + " v.pipeline_run_id, v.mlflow_run_id, v.code_version, v.dataset_id, v.corpus_id, v.per_class,"
                + " v.created_at, v.updated_at, v.created_by, v.mirror_status, v.mirror_attempts, v.mirror_error,"
                + " v.mirror_version, v.model_id, v.row_version,"
                + " (select json_agg(json_build_object('name', a.name, 'uri', a.uri, 'sha256', a.sha256)"
                + "   order by a.name) from version_artifacts a where a.version_id = v.id)::text,"
                + " (select json_object_agg(x.key, x.value) from version_metrics x where x.version_id = v.id)::text,"
                + " (select json_object_agg(t.key, t.value) from version_tags t where t.version_id = v.id)::text,"
                + " (select json_agg(al.alias order by al.alias) from model_aliases al where al.version_id = v.id)::text"
                + " from model_versions v join registered_models m on m.id = v.model_id where v.id = any(?)")) {
            ps.setArray(1, Sql.ids(c, ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    Lineage lineage = new Lineage(rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                            rs.getString(10));
                    Metrics metrics = unflatten(columns.sortedMap(rs.getString(22), Double.class), rs.getString(11));
                    Mirror mirror = new Mirror(rs.getString(15), rs.getInt(16), rs.getString(17), rs.getString(18));
                    out.put(id, new Version(rs.getString(2), rs.getInt(3), rs.getString(4), rs.getString(5), lineage,
                            columns.list(rs.getString(21), ArtifactRef.class), metrics,
                            columns.sortedMap(rs.getString(23), String.class),
                            columns.list(rs.getString(24), String.class), rs.getObject(12, OffsetDateTime.class),
                            rs.getObject(13, OffsetDateTime.class), rs.getString(14), mirror, id, rs.getLong(19),
                            rs.getLong(20)));
                }
            }
        }
        return out;
    }

    /** Flat metrics of one version ({@code acc}, {@code few_acc}, ...), for the promotion gate. */
    public static Map<String, Double> flatMetrics(Version v) {
        return flatten(v.metrics());
    }

    private Metrics unflatten(Map<String, Double> flat, String perClassJson) {
        Map<String, Double> overall = new TreeMap<>();
        Map<String, Map<String, Double>> shots = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : flat.entrySet()) {
            String split = SPLITS.stream().filter(s -> e.getKey().startsWith(s + "_")).findFirst().orElse(null);
            if (split == null) {
                overall.put(e.getKey(), e.getValue());
            } else {
                shots.computeIfAbsent(split, k -> new TreeMap<>()).put(e.getKey().substring(split.length() + 1),
                        e.getValue());
            }
        }
        Map<String, Map<String, Double>> perClass = null;
        if (perClassJson != null) {
            try {
                perClass = json.readValue(perClassJson, new TypeReference<TreeMap<String, Map<String, Double>>>() {});
            } catch (Exception e) {
                throw new IllegalStateException("corrupt per_class metrics", e);
            }
        }
        return new Metrics(overall, shots, perClass);
    }

    /** SHA-256 of the request in a canonical form (map keys sorted), to recognise a retry of the same request. */
    private String fingerprint(VersionCreate req) {
        try {
            byte[] canonical = json.writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).writeValueAsBytes(req);
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (Exception e) {
            throw new IllegalStateException("cannot fingerprint the request", e);
        }
    }

    private String writeJson(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
