package dev.vlltr.registry.search;

import dev.vlltr.registry.dto.Patterns;
import java.util.List;
import java.util.Map;

/** The searchable fields of models (alias {@code m}) and versions (alias {@code v}, joined model {@code m}). */
public final class Catalogs {
    private Catalogs() {}

    private static final java.util.regex.Pattern TAG_KEY = java.util.regex.Pattern.compile(Patterns.TAG_KEY);
    private static final java.util.regex.Pattern METRIC = java.util.regex.Pattern.compile(Patterns.METRIC);
    private static final java.util.regex.Pattern ALIAS = java.util.regex.Pattern.compile(Patterns.ALIAS);

    private static FieldCatalog.Field column(FieldCatalog.Kind kind, String column) {
        return new FieldCatalog.Field(kind, column + " %s ?", List.of());
    }

    public static final FieldCatalog MODELS = new FieldCatalog() {
        private final Map<String, FieldCatalog.Field> columns = Map.of(
                "name", column(Kind.TEXT, "m.name"),
                "description", column(Kind.TEXT, "m.description"),
                "created_at", column(Kind.TIMESTAMP, "m.created_at"),
                "updated_at", column(Kind.TIMESTAMP, "m.updated_at"));

        @Override
        public Field resolve(String name) {
            if (name.startsWith("tags.") && TAG_KEY.matcher(name.substring(5)).matches()) {
                return new Field(Kind.TEXT, "exists (select 1 from model_tags t where t.model_id = m.id"
                        + " and t.key = ? and t.value %s ?)", List.of(name.substring(5)));
            }
            return columns.get(name);
        }

        @Override
        public String describe() {
            return "name, description, created_at, updated_at, tags.<key>";
        }
    };

    public static final FieldCatalog VERSIONS = new FieldCatalog() {
        private final Map<String, FieldCatalog.Field> columns = Map.ofEntries(
                Map.entry("model", column(Kind.TEXT, "m.name")),
                Map.entry("version", column(Kind.NUMBER, "v.version")),
                Map.entry("stage", column(Kind.TEXT, "v.stage")),
                Map.entry("description", column(Kind.TEXT, "v.description")),
                Map.entry("pipeline_run_id", column(Kind.TEXT, "v.pipeline_run_id")),
                Map.entry("mlflow_run_id", column(Kind.TEXT, "v.mlflow_run_id")),
                Map.entry("code_version", column(Kind.TEXT, "v.code_version")),
                Map.entry("dataset_id", column(Kind.TEXT, "v.dataset_id")),
                Map.entry("corpus_id", column(Kind.TEXT, "v.corpus_id")),
                Map.entry("mirror_status", column(Kind.TEXT, "v.mirror_status")),
                Map.entry("created_by", column(Kind.TEXT, "v.created_by")),
                Map.entry("created_at", column(Kind.TIMESTAMP, "v.created_at")),
                Map.entry("alias", new Field(Kind.TEXT,
                        "exists (select 1 from model_aliases a where a.version_id = v.id and a.alias %s ?)", List.of())));

        @Override
        public Field resolve(String name) {
            if (name.startsWith("tags.") && TAG_KEY.matcher(name.substring(5)).matches()) {
                return new Field(Kind.TEXT, "exists (select 1 from version_tags t where t.version_id = v.id"
                        + " and t.key = ? and t.value %s ?)", List.of(name.substring(5)));
            }
            if (name.startsWith("metrics.") && METRIC.matcher(name.substring(8)).matches()) {
                return new Field(Kind.NUMBER, "exists (select 1 from version_metrics x where x.version_id = v.id"
                        + " and x.key = ? and x.value %s ?)", List.of(name.substring(8)));
            }
            return columns.get(name);
        }

        @Override
        public String describe() {
            return "model, version, stage, alias, description, pipeline_run_id, mlflow_run_id, code_version,"
                    + " dataset_id, corpus_id, mirror_status, created_by, created_at, tags.<key>, metrics.<key>";
        }
    };

    static boolean isMetric(String key) {
        return METRIC.matcher(key).matches();
    }

    static boolean isAlias(String key) {
        return ALIAS.matcher(key).matches();
    }
}
