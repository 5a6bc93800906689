package dev.vlltr.orchestration;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Parses Kubernetes YAML with the fabric8 model and reports what a strict API server would reject: fabric8 keeps
 * unknown fields in {@code getAdditionalProperties()} and unknown kinds as {@link GenericKubernetesResource}, so a
 * walk over the parsed objects finds both (type errors already fail while parsing).
 */
final class StrictKubernetesModel {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private StrictKubernetesModel() {}

    /** All documents of a multi-document YAML stream. */
    static List<HasMetadata> parse(String yaml) {
        Object parsed = SERIALIZATION.unmarshal(yaml);
        List<HasMetadata> out = new ArrayList<>();
        if (parsed instanceof List<?> list) {
            list.forEach(o -> out.add((HasMetadata) o));
        } else if (parsed != null) {
            out.add((HasMetadata) parsed);
        }
        return out;
    }

    /** Paths of unknown fields and unknown kinds, e.g. {@code Deployment/mlflow.spec.template.spec.containers[0].resource}. */
    static List<String> unknownFields(List<HasMetadata> objects) {
        List<String> errors = new ArrayList<>();
        for (HasMetadata o : objects) {
            walk(o, o.getKind() + "/" + o.getMetadata().getName(), errors);
        }
        return errors;
    }

    private static void walk(Object node, String path, List<String> errors) {
        if (node == null) {
            return;
        }
        if (node instanceof GenericKubernetesResource g) {
            errors.add(path + ": unknown kind " + g.getApiVersion() + "/" + g.getKind());
            return;
        }
        if (node instanceof Collection<?> c) {
            int i = 0;
            for (Object x : c) {
                walk(x, path + "[" + i++ + "]", errors);
            }
            return;
        }
        if (node instanceof Map<?, ?> m) {
            m.forEach((k, v) -> walk(v, path + "." + k, errors));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method m : node.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || m.getDeclaringClass() == Object.class) {
                continue;
            }
            try {
                if (m.getName().equals("getAdditionalProperties")) {
                    Map<?, ?> extra = (Map<?, ?>) m.invoke(node);
                    if (extra != null) {
                        extra.keySet().forEach(k -> errors.add(path + "." + k));
                    }
                } else if (m.getName().startsWith("get") && !m.getReturnType().isPrimitive()
                        && !m.getReturnType().getName().startsWith("java.lang")) {
                    String field = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
                    walk(m.invoke(node), path + "." + field, errors);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + path + " via " + m, e);
            }
        }
    }
}
