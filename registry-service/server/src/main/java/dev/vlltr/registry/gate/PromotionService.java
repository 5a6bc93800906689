package dev.vlltr.registry.gate;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlltr.registry.auth.Caller;
import dev.vlltr.registry.dto.Alias;
import dev.vlltr.registry.dto.AliasSet;
import dev.vlltr.registry.dto.GateResult;
import dev.vlltr.registry.dto.Model;
import dev.vlltr.registry.dto.Policy;
import dev.vlltr.registry.dto.StageChange;
import dev.vlltr.registry.dto.Version;
import dev.vlltr.registry.error.ProblemException;
import dev.vlltr.registry.mirror.AliasMirror;
import dev.vlltr.registry.mirror.MlflowMirror;
import dev.vlltr.registry.store.AuditLog;
import dev.vlltr.registry.store.ModelStore;
import dev.vlltr.registry.store.VersionStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Aliases, stage transitions and the promotion policy that guards them. */
@ApplicationScoped
public class PromotionService {
    static final Policy NO_POLICY = new Policy(List.of("production"), Map.of(), Map.of());

    @Inject
    ModelStore models;

    @Inject
    VersionStore versions;

    @Inject
    AuditLog audit;

    @Inject
    Caller caller;

    @Inject
    ObjectMapper json;

    @Inject
    MlflowMirror mirror;

    @Inject
    AliasMirror aliasMirror;

    public Alias setAlias(Connection c, String model, String alias, String ifMatch, AliasSet req) throws SQLException {
        Model m = models.lock(c, model, ifMatch);
        Version candidate = versions.require(c, model, req.version());
        Long currentId = aliasTarget(c, m.id(), alias);
        Version current = currentId == null ? null : versions.load(c, List.of(currentId)).get(currentId);
        Policy policy = policy(c, m.id());
        boolean force = checkForce(req.force());
        if (policy.guardedAliases().contains(alias) && !force) {
            enforce(alias, candidate, current, policy);
        }
        try (PreparedStatement ps = c.prepareStatement("insert into model_aliases(model_id, alias, version_id,"
                + " updated_by) values (?, ?, ?, ?) on conflict (model_id, alias) do update set"
                + " version_id = excluded.version_id, updated_at = now(), updated_by = excluded.updated_by")) {
            ps.setLong(1, m.id());
            ps.setString(2, alias);
            ps.setLong(3, candidate.id());
            ps.setString(4, caller.name());
            ps.executeUpdate();
        }
        models.touch(c, m.id());
        if (mirror.enabled()) {
            aliasMirror.enqueue(c, m.id(), alias);
        }
        Map<String, Object> before = current == null ? null : Map.of("alias", alias, "version", current.version());
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("alias", alias);
        after.put("version", candidate.version());
        if (force) {
            after.put("forced", true);
            after.put("reason", req.reason());
        }
        audit.record(c, "alias.set", "model", model, before, after);
        return getAlias(c, model, alias);
    }

    public void deleteAlias(Connection c, String model, String alias, String ifMatch) throws SQLException {
        Model m = models.lock(c, model, ifMatch);
        Integer v = m.aliases().get(alias);
        if (v == null) {
            throw ProblemException.notFound("model '" + model + "' has no alias '" + alias + "'");
        }
        try (PreparedStatement ps = c.prepareStatement("delete from model_aliases where model_id = ? and alias = ?")) {
            ps.setLong(1, m.id());
            ps.setString(2, alias);
            ps.executeUpdate();
        }
        models.touch(c, m.id());
        if (mirror.enabled()) {
            aliasMirror.enqueue(c, m.id(), alias);
        }
        audit.record(c, "alias.delete", "model", model, Map.of("alias", alias, "version", v), null);
    }

    public Alias getAlias(Connection c, String model, String alias) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select v.version, a.updated_at, a.updated_by"
                + " from model_aliases a join registered_models m on m.id = a.model_id"
                + " join model_versions v on v.id = a.version_id where m.name = ? and a.alias = ?")) {
            ps.setString(1, model);
            ps.setString(2, alias);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    models.require(c, model);
                    throw ProblemException.notFound("model '" + model + "' has no alias '" + alias + "'");
                }
                return new Alias(model, alias, rs.getInt(1), rs.getObject(2, OffsetDateTime.class), rs.getString(3));
            }
        }
    }

    /**
     * Moves a version to a stage. Production is guarded by the policy when it lists {@code production};
     * {@code archiveExisting} archives the other versions in the target stage.
     */
    public Version transition(Connection c, String model, int version, String ifMatch, StageChange req)
            throws SQLException {
        Version before = versions.lock(c, model, version, ifMatch);
        boolean force = checkForce(req.force());
        if (req.stage().equals("Production") && !force) {
            Policy policy = policy(c, before.modelId());
            if (policy.guardedAliases().contains("production")) {
                Version current = null;
                try (PreparedStatement ps = c.prepareStatement("select id from model_versions where model_id = ?"
                        + " and stage = 'Production' and id <> ? order by version desc limit 1")) {
                    ps.setLong(1, before.modelId());
                    ps.setLong(2, before.id());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            current = versions.load(c, List.of(rs.getLong(1))).get(rs.getLong(1));
                        }
                    }
                }
                enforce("stage Production", before, current, policy);
            }
        }
        if (Boolean.TRUE.equals(req.archiveExisting()) && !req.stage().equals("None")
                && !req.stage().equals("Archived")) {
            try (PreparedStatement ps = c.prepareStatement("update model_versions set stage = 'Archived',"
                    + " row_version = row_version + 1, updated_at = now() where model_id = ? and stage = ?"
                    + " and id <> ? returning version")) {
                ps.setLong(1, before.modelId());
                ps.setString(2, req.stage());
                ps.setLong(3, before.id());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        audit.record(c, "version.stage", "version", model + "/" + rs.getInt(1),
                                Map.of("stage", req.stage()), Map.of("stage", "Archived"));
                    }
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("update model_versions set stage = ? where id = ?")) {
            ps.setString(1, req.stage());
            ps.setLong(2, before.id());
            ps.executeUpdate();
        }
        versions.touch(c, before.id());
        Version after = versions.load(c, List.of(before.id())).get(before.id());
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("stage", req.stage());
        if (force) {
            a.put("forced", true);
            a.put("reason", req.reason());
        }
        audit.record(c, "version.stage", "version", model + "/" + version, Map.of("stage", before.stage()), a);
        return after;
    }

    /** Dry run of the gate for moving {@code alias} to {@code version}. */
    public GateResult evaluate(Connection c, String model, String alias, int version) throws SQLException {
        Model m = models.require(c, model);
        Version candidate = versions.require(c, model, version);
        Long currentId = aliasTarget(c, m.id(), alias);
        Version current = currentId == null ? null : versions.load(c, List.of(currentId)).get(currentId);
        Policy policy = policy(c, m.id());
        List<String> reasons = policy.guardedAliases().contains(alias)
                ? PromotionGate.reasons(policy, VersionStore.flatMetrics(candidate),
                        current == null ? null : VersionStore.flatMetrics(current))
                : List.of();
        return new GateResult(alias, version, current == null ? null : current.version(), reasons.isEmpty(), reasons);
    }

    private void enforce(String target, Version candidate, Version current, Policy policy) {
        if (current != null && current.id() == candidate.id()) {
            return;
        }
        List<String> reasons = PromotionGate.reasons(policy, VersionStore.flatMetrics(candidate),
                current == null ? null : VersionStore.flatMetrics(current));
        if (!reasons.isEmpty()) {
            throw new ProblemException(409, "Promotion Blocked", "the promotion policy of model '" + candidate.model()
                    + "' blocks version " + candidate.version() + " for " + target
                    + (current == null ? "" : " (current: version " + current.version() + ")"))
                    .with("reasons", reasons)
                    .with("candidate", candidate.version())
                    .with("current", current == null ? null : current.version());
        }
    }

    private boolean checkForce(Boolean force) {
        if (Boolean.TRUE.equals(force)) {
            if (!caller.isAdmin()) {
                throw new ProblemException(403, "Forbidden", "force=true (skipping the promotion gate) needs role 'admin'");
            }
            return true;
        }
        return false;
    }

    private static Long aliasTarget(Connection c, long modelId, String alias) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select version_id from model_aliases where model_id = ? and alias = ?")) {
            ps.setLong(1, modelId);
            ps.setString(2, alias);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    public Policy policy(Connection c, long modelId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select guarded_aliases, max_drop::text, min_value::text from promotion_policies where model_id = ?")) {
            ps.setLong(1, modelId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return NO_POLICY;
                }
                TypeReference<LinkedHashMap<String, Double>> t = new TypeReference<>() {};
                try {
                    return new Policy(Arrays.asList((String[]) rs.getArray(1).getArray()),
                            json.readValue(rs.getString(2), t), json.readValue(rs.getString(3), t));
                } catch (Exception e) {
                    throw new IllegalStateException("corrupt policy", e);
                }
            }
        }
    }

    public Policy putPolicy(Connection c, String model, String ifMatch, Policy p) throws SQLException {
        requireFinite("maxDrop", p.maxDrop());
        requireFinite("minValue", p.minValue());
        Model m = models.lock(c, model, ifMatch);
        Policy before = policy(c, m.id());
        Policy after = new Policy(p.guardedAliases() == null ? List.of("production") : p.guardedAliases(),
                p.maxDrop() == null ? Map.of() : p.maxDrop(), p.minValue() == null ? Map.of() : p.minValue());
        try (PreparedStatement ps = c.prepareStatement("insert into promotion_policies(model_id, guarded_aliases,"
                + " max_drop, min_value) values (?, ?, ?::jsonb, ?::jsonb) on conflict (model_id) do update set"
                + " guarded_aliases = excluded.guarded_aliases, max_drop = excluded.max_drop,"
                + " min_value = excluded.min_value, updated_at = now()")) {
            ps.setLong(1, m.id());
            ps.setArray(2, c.createArrayOf("text", after.guardedAliases().toArray(new String[0])));
            ps.setString(3, json.writeValueAsString(after.maxDrop()));
            ps.setString(4, json.writeValueAsString(after.minValue()));
            ps.executeUpdate();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        models.touch(c, m.id());
        audit.record(c, "policy.set", "model", model, before, after);
        return after;
    }

    /** NaN would make every comparison of the gate false (so nothing is ever blocked); infinities are no bound. */
    private static void requireFinite(String field, Map<String, Double> values) {
        if (values == null) {
            return;
        }
        values.forEach((k, v) -> {
            if (v != null && !Double.isFinite(v)) {
                throw ProblemException.badRequest(field + "." + k + ": expected a finite number, got " + v)
                        .with("errors", List.of(Map.of("field", field + "." + k, "message", "must be finite")));
            }
        });
    }
}
