package dev.vlltr.orchestration.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vlltr.orchestration.local.LocalRunCommand;
import dev.vlltr.runtime.cli.StageDefinition;
import dev.vlltr.runtime.cli.StageOptions;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Renders the generated reference pages under {@code docs/reference/} from the code and files they document, so they
 * cannot drift: each stage's inputs and parameters from its {@link StageDefinition} (what its {@code --help} prints),
 * the options every stage shares ({@link StageOptions}), the local runner's options ({@link LocalRunCommand}) and the
 * pipeline's parameters and stages from {@code orchestration/pipeline.yaml}. The registry's operations are rendered
 * by {@code RegistryReferenceDocsTest} in registry-service/server from its OpenAPI document.
 *
 * <p>Records are read by reflection, so a field added to {@code ParamSpec} or {@code InputSpec} becomes a column and
 * a list added to {@code StageDefinition} becomes a section after the next regeneration, with no change here.
 */
final class ReferenceDocs {

    /** The one command that rewrites every generated page (both modules' generators). */
    static final String REGENERATE = "./mvnw -B -ntp -o test -pl orchestration/local-runner,registry-service/server"
            + " -am -Dsurefire.failIfNoSpecifiedTests=false -Dtest='ReferenceDocsTest,RegistryReferenceDocsTest'"
            + " -Dvlltr.docs.update=true";

    static final String STAGES = "docs/reference/stages.md";
    static final String PIPELINE = "docs/reference/pipeline.md";
    static final String LOCAL_RUNNER = "docs/reference/local-runner.md";

    /** The stage apps, in pipeline order. */
    static List<StageDefinition> stageDefinitions() {
        return List.of(
                dev.vlltr.stage.textcrawl.TextCrawlCommand.DEFINITION,
                dev.vlltr.stage.cvlp.CvlpCommand.DEFINITION,
                dev.vlltr.stage.anchors.AnchorSelectionCommand.DEFINITION,
                dev.vlltr.stage.lgr.LgrCommand.DEFINITION,
                dev.vlltr.stage.recalibration.RecalibrationCommand.DEFINITION,
                dev.vlltr.stage.evaluation.EvaluationCommand.DEFINITION);
    }

    private ReferenceDocs() {}

    static String banner(String source) {
        return "<!-- Generated from " + source + " by ReferenceDocsTest; do not edit by hand. Regenerate with:\n     "
                + REGENERATE + " -->\n";
    }

    /** Every generated page of this module: repository-relative path → content. */
    static Map<String, String> render(Path repo) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(STAGES, stages(stageDefinitions()));
        out.put(PIPELINE, pipeline(repo.resolve("orchestration/pipeline.yaml")));
        out.put(LOCAL_RUNNER, localRunner());
        return out;
    }

    // ---- stages ------------------------------------------------------------------------------------------------

    static String stages(List<StageDefinition> defs) {
        StringBuilder sb = new StringBuilder(banner("each stage app's StageDefinition and StageOptions"));
        sb.append("# Stage reference\n\n");
        sb.append("What each stage app's `--help` prints (`java -jar stages/<stage>/target/quarkus-app/quarkus-run.jar"
                + " --help`): the options every stage shares, then per stage its inputs and parameters with their"
                + " types and defaults. How the stages fit together: [the models guide](../models-and-gpus.md) and"
                + " [the stage runtime](../stage-runtime.md); the values the pipeline sets:"
                + " [pipeline reference](pipeline.md).\n\n");
        sb.append("Stages: ");
        List<String> links = new ArrayList<>();
        for (StageDefinition d : defs) {
            links.add("[" + d.name() + "](#" + d.name() + ")");
        }
        sb.append(String.join(" · ", links)).append("\n\n");

        sb.append("## Common options\n\n");
        sb.append(options(CommandSpec.forAnnotatedObject(new StageOptions())));
        sb.append("\nPlus `-h, --help` and `-V, --version`. Exit codes: 0 success (or skipped: outputs already"
                + " current), 2 bad input or configuration (the message names the file or field; see"
                + " [troubleshooting](../troubleshooting.md)), 1 anything else.\n");

        for (StageDefinition d : defs) {
            sb.append("\n## ").append(d.name()).append("\n\n");
            for (RecordComponent rc : StageDefinition.class.getRecordComponents()) {
                Object value = invoke(rc, d);
                if (rc.getName().equals("name")) {
                    continue;
                }
                if (value instanceof List<?> list) {
                    sb.append("\n### ").append(sectionTitle(rc.getName())).append("\n\n");
                    if (list.isEmpty()) {
                        sb.append("None.\n");
                    } else {
                        sb.append(recordTable(elementType(rc), list));
                    }
                } else if (value != null) {
                    sb.append(Markdown.text(value)).append("\n");
                }
            }
        }
        return sb.toString();
    }

    private static String sectionTitle(String component) {
        return switch (component) {
            case "params" -> "Parameters (`--param KEY=VALUE`)";
            case "inputs" -> "Inputs (`--input NAME=URI`)";
            case "outputs" -> "Outputs";
            default -> Character.toUpperCase(Markdown.heading(component).charAt(0))
                    + Markdown.heading(component).substring(1);
        };
    }

    private static Class<?> elementType(RecordComponent rc) {
        Type t = rc.getGenericType();
        if (t instanceof ParameterizedType p && p.getActualTypeArguments()[0] instanceof Class<?> c) {
            return c;
        }
        return Object.class;
    }

    /** One row per element, one column per record component (or one column when the elements are not records). */
    static String recordTable(Class<?> type, List<?> elements) {
        if (!type.isRecord()) {
            List<List<String>> rows = new ArrayList<>();
            elements.forEach(e -> rows.add(List.of(Markdown.text(e))));
            return Markdown.table(List.of("value"), rows);
        }
        RecordComponent[] components = type.getRecordComponents();
        List<String> headers = new ArrayList<>();
        for (RecordComponent c : components) {
            headers.add(c.getName().equals("defaultValue") ? "default" : Markdown.heading(c.getName()));
        }
        List<List<String>> rows = new ArrayList<>();
        for (Object e : elements) {
            List<String> row = new ArrayList<>();
            for (RecordComponent c : components) {
                row.add(cell(c.getName(), invoke(c, e)));
            }
            rows.add(row);
        }
        return Markdown.table(headers, rows);
    }

    private static String cell(String component, Object value) {
        if (component.equals("name")) {
            return Markdown.code(value);
        }
        if (component.equals("defaultValue")) {
            return value == null ? "*required*" : Markdown.code(value);
        }
        if (value instanceof Boolean b) {
            return component.equals("required") ? (b ? "yes" : "optional") : b.toString();
        }
        if (component.equals("choices") && value instanceof List<?> l) {
            List<String> codes = new ArrayList<>();
            l.forEach(x -> codes.add(Markdown.code(x)));
            return String.join(", ", codes);
        }
        if (value instanceof java.util.Optional<?> o) {
            return o.map(Markdown::text).orElse("");
        }
        if (value instanceof dev.vlltr.runtime.cli.InputDigest) {
            // a function: its toString is a JVM-specific lambda name, which would change the page on every run
            return "own digest (see the description)";
        }
        return Markdown.text(value);
    }

    private static Object invoke(RecordComponent rc, Object target) {
        try {
            return rc.getAccessor().invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(rc + ": " + e, e);
        }
    }

    /** The visible options of a picocli command: names, value label, default, description. */
    static String options(CommandSpec spec) {
        List<List<String>> rows = new ArrayList<>();
        for (OptionSpec o : spec.options()) {
            if (o.hidden()) {
                continue;
            }
            List<String> names = new ArrayList<>();
            for (String n : o.names()) {
                names.add(Markdown.code(n));
            }
            String label = o.typeInfo().isBoolean() ? "" : Markdown.code(o.paramLabel());
            String dflt = o.defaultValue() == null ? "" : Markdown.code(o.defaultValue());
            rows.add(List.of(String.join(", ", names), label, dflt, Markdown.text(String.join(" ", o.description()))));
        }
        return Markdown.table(List.of("option", "value", "default", "description"), rows);
    }

    // ---- local runner ------------------------------------------------------------------------------------------

    static String localRunner() {
        CommandSpec spec = CommandSpec.forAnnotatedObject(new LocalRunCommand());
        StringBuilder sb = new StringBuilder(banner("LocalRunCommand (vlltr-local --help)"));
        sb.append("# Local runner reference (`vlltr-local`)\n\n");
        sb.append("`orchestration/run-local.sh [options]` builds what is missing and runs `vlltr-local` with these"
                + " options (`orchestration/run-local.sh --help` prints them). Guide:"
                + " [Airflow, Kubernetes and the local runner](../airflow-and-kubernetes.md).\n\n");
        for (String line : spec.usageMessage().description()) {
            sb.append(Markdown.text(line)).append("\n\n");
        }
        sb.append(options(spec));
        return sb.toString();
    }

    // ---- pipeline.yaml -----------------------------------------------------------------------------------------

    static String pipeline(Path pipelineYaml) throws IOException {
        JsonNode root = new ObjectMapper(new YAMLFactory())
                .readTree(Files.readString(pipelineYaml, StandardCharsets.UTF_8));
        StringBuilder sb = new StringBuilder(banner("orchestration/pipeline.yaml"));
        sb.append("# Pipeline reference (`orchestration/pipeline.yaml`)\n\n");
        sb.append(Markdown.text(root.path("description").asText())).append("\n\n");
        sb.append("## Parameters\n\n");
        sb.append("The Airflow trigger form and the local runner's `--param KEY=VALUE` (arrays comma-separated,"
                + " e.g. `--param methods=crt,tau`). Profiles in `orchestration/profiles/` set some of them.\n\n");
        sb.append(objectTable("parameter", root.path("params")));
        sb.append("\n## Stages\n\n");
        sb.append("In order. A stage parameter either takes a pipeline parameter (`← name`) or is fixed (`= value`);"
                + " every other parameter of the app keeps its default ([stage reference](stages.md)).\n\n");
        List<String> headers = new ArrayList<>(List.of("stage", "summary", "inputs", "parameters"));
        Set<String> extra = new LinkedHashSet<>();
        for (JsonNode s : root.path("stages")) {
            s.fieldNames().forEachRemaining(extra::add);
        }
        extra.removeAll(List.of("name", "summary", "inputs", "params"));
        extra.forEach(k -> headers.add(Markdown.heading(k)));
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode s : root.path("stages")) {
            List<String> row = new ArrayList<>();
            row.add(Markdown.code(s.path("name").asText()));
            row.add(Markdown.text(s.path("summary").asText("")));
            List<String> inputs = new ArrayList<>();
            for (JsonNode in : s.path("inputs")) {
                String t = Markdown.code(in.path("name").asText()) + " ← " + in.path("from").asText();
                if (in.path("perFanOutValue").asBoolean(false)) {
                    t += " (one per fan-out value: `" + in.path("name").asText() + "-<value>`)";
                }
                if (!in.path("required").asBoolean(true)) {
                    t += " (optional)";
                }
                inputs.add(t);
            }
            row.add(String.join("<br>", inputs));
            List<String> params = new ArrayList<>();
            for (JsonNode p : s.path("params")) {
                String v = p.has("from") ? " ← " + p.path("from").asText()
                        : " = " + Markdown.code(p.path("default").asText());
                params.add(Markdown.code(p.path("name").asText()) + v);
            }
            row.add(String.join("<br>", params));
            for (String k : extra) {
                row.add(s.has(k) ? Markdown.code(compact(s.get(k))) : "");
            }
            rows.add(row);
        }
        sb.append(Markdown.table(headers, rows));
        return sb.toString();
    }

    /** Fields of a pipeline parameter shown in their own column, in this order; every other field is a constraint. */
    private static final List<String> OWN_COLUMNS = List.of("type", "default", "title", "description", "section");

    /**
     * A table of a mapping of objects (pipeline parameters): one row per key; type and default, then every other
     * field (minimum, maximum, pattern, enum, items, ... and any added later) as one constraints column, then title,
     * description and section.
     */
    private static String objectTable(String first, JsonNode mapping) {
        List<List<String>> rows = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = mapping.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode p = e.getValue();
            List<String> constraints = new ArrayList<>();
            if (p.has("minimum") || p.has("maximum")) {
                constraints.add(Markdown.code(p.path("minimum").asText("−∞") + " … " + p.path("maximum").asText("∞")));
            }
            for (Iterator<Map.Entry<String, JsonNode>> f = p.fields(); f.hasNext();) {
                Map.Entry<String, JsonNode> c = f.next();
                String k = c.getKey();
                if (!OWN_COLUMNS.contains(k) && !k.equals("minimum") && !k.equals("maximum")) {
                    constraints.add(Markdown.text(Markdown.heading(k)) + " " + Markdown.code(compact(c.getValue())));
                }
            }
            rows.add(List.of(Markdown.code(e.getKey()), Markdown.text(p.path("type").asText("")),
                    p.has("default") ? Markdown.code(compact(p.get("default"))) : "*required*",
                    String.join("<br>", constraints), Markdown.text(p.path("title").asText("")),
                    Markdown.text(p.path("description").asText("")), Markdown.text(p.path("section").asText(""))));
        }
        return Markdown.table(List.of(first, "type", "default", "constraints", "title", "description", "section"), rows);
    }

    /** Scalars as text, arrays comma-separated in brackets, objects as {@code key: value} pairs. */
    private static String compact(JsonNode v) {
        if (v.isValueNode()) {
            return v.asText();
        }
        List<String> parts = new ArrayList<>();
        if (v.isArray()) {
            v.forEach(x -> parts.add(compact(x)));
            return "[" + String.join(", ", parts) + "]";
        }
        v.fields().forEachRemaining(e -> parts.add(e.getKey() + ": " + compact(e.getValue())));
        return "{" + String.join(", ", parts) + "}";
    }
}
