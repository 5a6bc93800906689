package dev.vlltr.orchestration;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code orchestration/pipeline.yaml}: the stages, their images and inputs, parameters, resources and the fan-out
 * of re-calibration. Both runners read it; {@link PipelineSpecReader} parses it strictly (unknown fields are
 * errors) and {@link #validate(String)} checks what a JSON schema cannot: inputs come from earlier stages,
 * parameters bind to existing pipeline parameters, the fan-out runs over an array parameter.
 *
 * <p>Field meanings are documented in the YAML file itself and in {@code orchestration/pipeline.schema.json}.
 */
public record PipelineSpec(String apiVersion, String kind, String name, String description, Images images,
        Defaults defaults, Kubernetes kubernetes, LinkedHashMap<String, PipelineParam> params, List<Stage> stages) {

    public static final String API_VERSION = "vlltr.dev/v1";
    public static final String KIND = "Pipeline";

    /** Image coordinates: {@code <registry><prefix><stage>:<tag>}, CUDA variants for GPU stages. */
    public record Images(String registry, String prefix, String tag, String cudaTagSuffix, String pullPolicy) {}

    /** Settings every stage inherits unless it overrides them. */
    public record Defaults(Integer retries, Integer retryDelaySeconds, Boolean retryExponentialBackoff,
            Integer maxRetryDelaySeconds, Integer startupTimeoutSeconds, Resources resources) {}

    /** CPU and memory requests in Kubernetes quantity syntax ({@code "4"}, {@code 16Gi}). */
    public record Resources(String cpu, String memory) {}

    /** Where and how stage pods run: namespace, identity, environment, credentials from Secrets, GPU placement. */
    public record Kubernetes(String namespace, String serviceAccount, Map<String, String> env, List<SecretRef> secrets,
            Gpu gpu, String workDirSize, String tmpDirSize, List<String> imagePullSecrets, String runtimeClassName,
            Integer deferrableAfterSeconds) {}

    /** An environment variable filled from a key of a Kubernetes Secret. */
    public record SecretRef(String env, String secret, String key) {}

    /** GPU placement: the extended resource, node selector, tolerations, /dev/shm size, priority class. */
    public record Gpu(String resource, Map<String, String> nodeSelector, List<Toleration> tolerations,
            String sharedMemory, String priorityClassName, String runtimeClassName, Pool pool) {}

    /** The Airflow pool GPU stages take a slot of (the DAG's kubernetes mode), and its size. */
    public record Pool(String name, Integer slots) {}

    /** A Kubernetes toleration. */
    public record Toleration(String key, String operator, String value, String effect) {}

    /** A pipeline parameter: a field of the Airflow trigger form, with its JSON-schema constraints. */
    public record PipelineParam(String type, @JsonProperty("default") Object defaultValue, String title,
            String description, String section, Double minimum, Double maximum, String pattern,
            @JsonProperty("enum") List<Object> enumValues, Integer minItems, Boolean uniqueItems, Items items) {}

    /** The element type of an array parameter. */
    public record Items(String type, @JsonProperty("enum") List<Object> enumValues) {}

    /** A stage parameter: bound to a pipeline parameter ({@code from}) or fixed to its {@code default}. */
    public record StageParam(String name, ParamType type, @JsonProperty("default") String defaultValue, String from,
            List<String> choices, String description) {

        public boolean bound() {
            return from != null;
        }
    }

    /**
     * A stage input: the manifest of stage {@code from}, or the URI a string pipeline parameter {@code param} holds
     * (the dataset spec). With {@code perFanOutValue}, one input per value of the upstream stage's fan-out, named
     * {@code <name>-<value>}. With {@code byName}, a parameter value without a scheme is a name whose URI is that
     * template, e.g. {@code {data_root}/{value}/dataset.yaml}: how a shipped dataset is addressed in every runner.
     */
    public record StageInput(String name, String from, String param, String byName, Boolean required,
            Boolean perFanOutValue) {

        public boolean isRequired() {
            return required == null || required;
        }

        public boolean isPerFanOutValue() {
            return perFanOutValue != null && perFanOutValue;
        }

        /** Is this input a pipeline parameter's value (not an upstream manifest)? */
        public boolean fromParam() {
            return param != null;
        }

        /**
         * Whether this optional {@link #fromParam()} input is not given: its parameter's value is empty (e.g. the
         * {@code clip_bundle} default). Both runners then pass no {@code --input} for it.
         */
        public boolean absent(Map<String, ?> pipelineParams) {
            Object v = pipelineParams.get(param);
            return fromParam() && !isRequired() && (v == null || String.valueOf(v).isBlank());
        }

        /**
         * The URI of a {@link #fromParam()} input: the parameter's value when it has a scheme, else {@code byName}
         * filled in with {@code {value}} and the other pipeline parameters (trailing '/' of their values dropped).
         *
         * @throws IllegalArgumentException a name without a {@code byName} template, or a template naming an unknown
         *     parameter
         */
        public String uri(Map<String, ?> pipelineParams) {
            String value = String.valueOf(Objects.requireNonNull(pipelineParams.get(param),
                    () -> "no value for pipeline parameter '" + param + "'")).strip();
            if (value.contains("://") || byName == null) {
                if (!value.contains("://")) {
                    throw new IllegalArgumentException("pipeline parameter '" + param + "': expected a URI"
                            + " (file://, s3://), got '" + value + "'");
                }
                return value;
            }
            Matcher m = PLACEHOLDER.matcher(byName);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String key = m.group(1);
                Object v = key.equals("value") ? value : pipelineParams.get(key);
                if (v == null) {
                    throw new IllegalArgumentException("input '" + name + "': byName template " + byName
                            + " names '" + key + "', which is no pipeline parameter with a value");
                }
                String text = key.equals("value") ? value : String.valueOf(v).replaceAll("/+$", "");
                m.appendReplacement(out, Matcher.quoteReplacement(text));
            }
            m.appendTail(out);
            return out.toString();
        }

        /** The pipeline parameters a {@code byName} template names (besides {@code value}). */
        public List<String> templateParams() {
            List<String> out = new ArrayList<>();
            if (byName != null) {
                Matcher m = PLACEHOLDER.matcher(byName);
                while (m.find()) {
                    if (!m.group(1).equals("value")) {
                        out.add(m.group(1));
                    }
                }
            }
            return out;
        }

        private static final Pattern PLACEHOLDER = Pattern.compile(
                "\\{([a-z][a-z0-9_]*)\\}");
    }

    /** Run the stage once per value of the array pipeline parameter {@code over}, as {@code --param <param>=v}. */
    public record FanOut(String param, String over, String artifactRootSuffix, Integer maxActive) {

        /** The artifact root of the execution for {@code value}: distinct per value so manifests never collide. */
        public String artifactRoot(String root, String value) {
            if (artifactRootSuffix == null || artifactRootSuffix.isEmpty()) {
                return root;
            }
            return root.replaceAll("/+$", "") + "/" + artifactRootSuffix.replace("{value}", value);
        }
    }

    /** How the local runner starts the stage: a Quarkus fast-jar. */
    public record Local(String jar) {}

    /** One stage of the pipeline. */
    public record Stage(String name, String summary, String image, List<String> command, Local local,
            List<StageInput> inputs, List<StageParam> params, FanOut fanOut, Integer gpu, Resources resources,
            Integer timeoutSeconds, Integer retries, Map<String, String> env, List<SecretRef> secrets) {

        public Stage {
            inputs = inputs == null ? List.of() : List.copyOf(inputs);
            params = params == null ? List.of() : List.copyOf(params);
            command = command == null ? List.of() : List.copyOf(command);
            env = env == null ? Map.of() : Map.copyOf(env);
            secrets = secrets == null ? List.of() : List.copyOf(secrets);
        }

        public int gpus() {
            return gpu == null ? 0 : gpu;
        }

        public Optional<StageParam> param(String paramName) {
            return params.stream().filter(p -> p.name().equals(paramName)).findFirst();
        }
    }

    public Stage stage(String stageName) {
        return stages.stream().filter(s -> s.name().equals(stageName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no stage '" + stageName + "' in the pipeline; stages: "
                        + stages.stream().map(Stage::name).toList()));
    }

    /** The values a fanned-out stage runs over by default (the pipeline parameter's default). */
    public List<String> fanOutDefaults(Stage stage) {
        if (stage.fanOut() == null) {
            return List.of();
        }
        Object dflt = params.get(stage.fanOut().over()).defaultValue();
        List<String> out = new ArrayList<>();
        ((List<?>) dflt).forEach(v -> out.add(String.valueOf(v)));
        return out;
    }

    /**
     * Checks required fields and the cross-references a JSON schema cannot express.
     *
     * @param source file name used in messages
     * @return this
     * @throws PipelineSpecException naming the file and field
     */
    public PipelineSpec validate(String source) {
        Check c = new Check(source);
        c.equal("apiVersion", apiVersion, API_VERSION);
        c.equal("kind", kind, KIND);
        c.present("name", name);
        c.present("images", images);
        c.present("images.prefix", images.prefix());
        c.present("images.tag", images.tag());
        c.present("defaults", defaults);
        c.present("defaults.retries", defaults.retries());
        c.present("defaults.retryDelaySeconds", defaults.retryDelaySeconds());
        c.resources("defaults.resources", defaults.resources());
        c.present("kubernetes", kubernetes);
        c.present("kubernetes.namespace", kubernetes.namespace());
        c.present("kubernetes.serviceAccount", kubernetes.serviceAccount());
        c.present("kubernetes.gpu", kubernetes.gpu());
        c.present("kubernetes.gpu.resource", kubernetes.gpu().resource());
        c.present("params", params);
        params.forEach((k, p) -> {
            c.present("params." + k + ".type", p.type());
            c.present("params." + k + ".default", p.defaultValue());
            if ("array".equals(p.type())) {
                c.present("params." + k + ".items", p.items());
                c.check(p.defaultValue() instanceof List<?>, "params." + k + ".default", "expected a list");
            }
        });
        c.check(stages != null && !stages.isEmpty(), "stages", "expected at least one stage");

        Map<String, Stage> earlier = new HashMap<>();
        for (int i = 0; i < stages.size(); i++) {
            Stage s = stages.get(i);
            String at = "stages[" + i + "]";
            c.present(at + ".name", s.name());
            at = at + " (" + s.name() + ")";
            c.check(!earlier.containsKey(s.name()), at + ".name", "a unique stage name, '" + s.name()
                    + "' appears twice");
            c.present(at + ".summary", s.summary());
            c.resources(at + ".resources", s.resources());
            for (int j = 0; j < s.inputs().size(); j++) {
                StageInput in = s.inputs().get(j);
                String ia = at + ".inputs[" + j + "]";
                c.present(ia + ".name", in.name());
                c.check(in.fromParam() != (in.from() != null), ia, "exactly one of 'from' and 'param'");
                if (in.fromParam()) {
                    PipelineParam bound = params.get(in.param());
                    c.check(bound != null && "string".equals(bound.type()), ia + ".param", "a string pipeline"
                            + " parameter, one of " + params.keySet() + ", got '" + in.param() + "'");
                    c.check(!in.isPerFanOutValue(), ia + ".perFanOutValue", "no fan-in for a parameter input");
                    for (String t : in.templateParams()) {
                        c.check(params.containsKey(t), ia + ".byName", "placeholders naming pipeline parameters,"
                                + " got '{" + t + "}'");
                    }
                    continue;
                }
                c.check(earlier.containsKey(in.from()), ia + ".from", "an earlier stage, one of "
                        + earlier.keySet().stream().sorted().toList() + ", got '" + in.from() + "'");
                if (in.isPerFanOutValue() && earlier.containsKey(in.from())) {
                    c.check(earlier.get(in.from()).fanOut() != null, ia + ".perFanOutValue",
                            "stage '" + in.from() + "' to have a fanOut");
                }
            }
            List<String> names = new ArrayList<>();
            for (int j = 0; j < s.params().size(); j++) {
                StageParam p = s.params().get(j);
                String pa = at + ".params[" + j + "]";
                c.present(pa + ".name", p.name());
                c.present(pa + ".type", p.type());
                c.check(!names.contains(p.name()), pa + ".name", "a unique parameter name, '" + p.name()
                        + "' appears twice");
                names.add(p.name());
                c.check(p.bound() != (p.defaultValue() != null), pa, "exactly one of 'default' and 'from'");
                if (p.bound()) {
                    c.check(params.containsKey(p.from()), pa + ".from", "a pipeline parameter, one of "
                            + params.keySet() + ", got '" + p.from() + "'");
                }
                if (p.type() == ParamType.ENUM) {
                    c.check(p.choices() != null && !p.choices().isEmpty(), pa + ".choices", "a non-empty list for"
                            + " an enum parameter");
                    if (p.defaultValue() != null && p.choices() != null) {
                        c.check(p.choices().contains(p.defaultValue()), pa + ".default", "one of " + p.choices()
                                + ", got '" + p.defaultValue() + "'");
                    }
                } else {
                    c.check(p.choices() == null, pa + ".choices", "choices only on enum parameters");
                }
            }
            FanOut fan = s.fanOut();
            if (fan != null) {
                PipelineParam over = params.get(fan.over());
                c.check(over != null && "array".equals(over.type()), at + ".fanOut.over",
                        "an array pipeline parameter, got '" + fan.over() + "'");
                c.check(names.contains(fan.param()), at + ".fanOut.param", "a parameter of the stage, got '"
                        + fan.param() + "'");
            }
            earlier.put(s.name(), s);
        }
        return this;
    }

    /** Collects nothing: fails on the first problem with a message naming the field. */
    private record Check(String source) {

        void present(String field, Object value) {
            check(value != null, field, "a value (the field is required)");
        }

        void equal(String field, Object value, Object expected) {
            check(Objects.equals(value, expected), field, "'" + expected + "', got '" + value + "'");
        }

        void resources(String field, Resources r) {
            present(field, r);
            present(field + ".cpu", r.cpu());
            present(field + ".memory", r.memory());
        }

        void check(boolean ok, String field, String expected) {
            if (!ok) {
                throw new PipelineSpecException(source + ": " + field + ": expected " + expected);
            }
        }
    }
}
