package dev.vlltr.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code kubectl kustomize} renders k8s/overlays/dev and k8s/overlays/gpu; every rendered object parses strictly
 * with the fabric8 model (unknown fields and kinds rejected), and what the DAG assumes about the cluster
 * (namespace, service account, Secrets and their keys, service URLs, priority class) is what the manifests create.
 */
class KustomizeOverlaysTest {

    static final PipelineSpec SPEC = PipelineSpecTest.SPEC;
    static String kubectl;
    /** A copy of k8s/ with generated credentials: the real env files are git-ignored and absent from a clone. */
    static Path k8s;

    @BeforeAll
    static void findKubectl() throws Exception {
        kubectl = Optional.ofNullable(System.getenv("KUBECTL")).orElse("kubectl");
        boolean present;
        try {
            Process p = new ProcessBuilder(kubectl, "version", "--client").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            present = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            present = false;
        }
        if (!present) {
            String msg = "kubectl (with kustomize) not found on PATH (set KUBECTL=...): cannot render k8s/overlays";
            if (Boolean.getBoolean("vlltr.requireServers")) {
                fail(msg + " and vlltr.requireServers=true");
            }
            Assumptions.abort(msg);
        }
        k8s = Files.createTempDirectory("vlltr-k8s-");
        copyTree(RepoFiles.root().resolve("k8s"), k8s);
        Process gen = new ProcessBuilder("bash", k8s.resolve("generate-secrets.sh").toString(),
                k8s.resolve("base/secrets").toString()).redirectErrorStream(true).start();
        String out = new String(gen.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(gen.waitFor(30, TimeUnit.SECONDS) && gen.exitValue() == 0, "generate-secrets.sh: " + out);
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path rel = from.relativize(f);
                if (rel.toString().startsWith("base/secrets/") && rel.toString().endsWith(".env")) {
                    continue;  // a developer's real credentials stay where they are
                }
                Path t = to.resolve(rel.toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(f, t, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    static String render(String dir) throws Exception {
        Path target = k8s.resolve(dir);
        Process p = new ProcessBuilder(kubectl, "kustomize", target.toString()).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize " + dir + " timed out");
        assertEquals(0, p.exitValue(), "kubectl kustomize " + dir + " failed: " + err);
        return new String(out, StandardCharsets.UTF_8);
    }

    static List<HasMetadata> objects(String dir) throws Exception {
        return StrictKubernetesModel.parse(render(dir));
    }

    static <T extends HasMetadata> T one(List<HasMetadata> all, Class<T> type, String name) {
        return all.stream().filter(type::isInstance).map(type::cast).filter(o -> o.getMetadata().getName().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev", "overlays/gpu"})
    void everyRenderedObjectParsesStrictly(String dir) throws Exception {
        List<HasMetadata> all = objects(dir);
        assertTrue(all.size() >= 20, dir + " rendered only " + all.size() + " objects");
        assertEquals(List.of(), StrictKubernetesModel.unknownFields(all));
        Set<String> kinds = all.stream().map(HasMetadata::getKind).collect(Collectors.toCollection(TreeSet::new));
        assertTrue(kinds.containsAll(Set.of("Namespace", "StatefulSet", "Job", "Deployment", "Service", "Secret",
                "ServiceAccount", "Role", "RoleBinding", "NetworkPolicy", "ConfigMap")), kinds::toString);
    }

    @Test
    void strictParsingCatchesTyposAndUnknownKinds() {
        String typo = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: { name: typo }
                spec:
                  selector: { matchLabels: { a: b } }
                  template:
                    metadata: { labels: { a: b } }
                    spec:
                      containers:
                        - name: c
                          image: i
                          resource: { limits: { memory: 1Gi } }
                          ports: [ { containerPort: 80, protcol: TCP } ]
                ---
                apiVersion: example.org/v1
                kind: Widget
                metadata: { name: w }
                """;
        List<String> errors = StrictKubernetesModel.unknownFields(StrictKubernetesModel.parse(typo));
        assertEquals(List.of("Deployment/typo.spec.template.spec.containers[0].ports[0].protcol",
                "Deployment/typo.spec.template.spec.containers[0].resource",
                "Widget/w: unknown kind example.org/v1/Widget"), errors.stream().sorted().toList());
        assertThrows(IllegalArgumentException.class, () -> StrictKubernetesModel.parse("""
                apiVersion: v1
                kind: Service
                metadata: { name: s }
                spec: { ports: [ { port: eighty } ] }
                """));
    }

    @ParameterizedTest
    @ValueSource(strings = {"overlays/dev", "overlays/gpu"})
    void clusterMatchesWhatThePipelineSpecAssumes(String dir) throws Exception {
        List<HasMetadata> all = objects(dir);
        String ns = SPEC.kubernetes().namespace();
        one(all, Namespace.class, ns);
        for (HasMetadata o : all) {
            boolean clusterScoped = o instanceof Namespace || o instanceof PriorityClass;
            assertEquals(clusterScoped ? null : ns, o.getMetadata().getNamespace(), o.getKind() + "/" + o.getMetadata().getName());
            assertEquals("vlltr", o.getMetadata().getLabels().get("app.kubernetes.io/part-of"),
                    o.getKind() + "/" + o.getMetadata().getName());
        }
        ServiceAccount sa = one(all, ServiceAccount.class, SPEC.kubernetes().serviceAccount());
        assertEquals(Boolean.FALSE, sa.getAutomountServiceAccountToken());

        // every Secret key the stage pods read exists
        List<PipelineSpec.SecretRef> refs = new java.util.ArrayList<>(SPEC.kubernetes().secrets());
        SPEC.stages().forEach(s -> refs.addAll(s.secrets()));
        for (PipelineSpec.SecretRef ref : refs) {
            Secret secret = one(all, Secret.class, ref.secret());
            // secretGenerator writes base64 `data` (from the git-ignored env files), not `stringData`
            assertTrue(secret.getData().containsKey(ref.key()), ref + " missing in " + secret.getData().keySet());
        }

        // the service URLs in pipeline.yaml point at Services of this namespace, on a port they expose
        Map<String, String> env = new java.util.HashMap<>(SPEC.kubernetes().env());
        SPEC.stages().forEach(s -> env.putAll(s.env()));
        for (String var : List.of("VLLTR_S3_ENDPOINT", "MLFLOW_TRACKING_URI", "VLLTR_REGISTRY_URL")) {
            URI uri = URI.create(env.get(var));
            assertEquals(ns + ".svc.cluster.local", uri.getHost().substring(uri.getHost().indexOf('.') + 1), var);
            Service svc = one(all, Service.class, uri.getHost().substring(0, uri.getHost().indexOf('.')));
            assertTrue(svc.getSpec().getPorts().stream().anyMatch(p -> p.getPort() == uri.getPort()), var);
        }
        assertEquals("http://mlflow.vlltr.svc.cluster.local:5000", SPEC.params().get("tracking_uri").defaultValue());

        // Airflow's workers may create pods, read logs and exec into the XCom sidecar
        Role role = one(all, Role.class, "airflow-pod-operator");
        assertTrue(role.getRules().stream().anyMatch(r -> r.getResources().contains("pods/exec")
                && r.getVerbs().contains("create")));
        assertTrue(role.getRules().stream().anyMatch(r -> r.getResources().contains("pods")
                && r.getVerbs().containsAll(List.of("create", "get", "watch", "delete"))));
        assertEquals("airflow-pod-operator", one(all, RoleBinding.class, "airflow-pod-operator").getRoleRef().getName());

        // the bucket the default artifact root uses is created by the init job
        String bucket = URI.create((String) SPEC.params().get("artifact_root").defaultValue()).getHost();
        Job init = one(all, Job.class, "minio-bucket-init");
        String script = String.join("\n", init.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs());
        assertTrue(script.contains("mc mb --ignore-existing vlltr/" + bucket), script);

        // MLflow stores runs in PostgreSQL and artifacts in MinIO
        Container mlflow = one(all, Deployment.class, "mlflow").getSpec().getTemplate().getSpec().getContainers().get(0);
        assertTrue(mlflow.getArgs().contains("--backend-store-uri=postgresql+psycopg2://$(PG_USER):$(PG_PASSWORD)@postgres:5432/mlflow"));
        assertTrue(mlflow.getArgs().contains("--artifacts-destination=s3://mlflow"));

        // stage pods may reach only what they need
        NetworkPolicy egress = one(all, NetworkPolicy.class, "stage-egress");
        assertEquals(Map.of("app.kubernetes.io/component", "stage"), egress.getSpec().getPodSelector().getMatchLabels());
        one(all, NetworkPolicy.class, "default-deny-ingress");
        for (StatefulSet sts : all.stream().filter(StatefulSet.class::isInstance).map(StatefulSet.class::cast).toList()) {
            PodSpec pod = sts.getSpec().getTemplate().getSpec();
            assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot(), sts.getMetadata().getName());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"overlays/dev", "overlays/gpu"})
    void everyWorkloadIsRestrictedWithItsOwnIdentity(String dir) throws Exception {
        List<HasMetadata> all = objects(dir);
        Map<String, String> labels = one(all, Namespace.class, SPEC.kubernetes().namespace()).getMetadata().getLabels();
        assertEquals("restricted", labels.get("pod-security.kubernetes.io/enforce"));
        Set<String> accounts = all.stream().filter(ServiceAccount.class::isInstance).map(ServiceAccount.class::cast)
                .peek(sa -> assertEquals(Boolean.FALSE, sa.getAutomountServiceAccountToken(), sa.getMetadata().getName()))
                .map(sa -> sa.getMetadata().getName()).collect(Collectors.toSet());
        for (HasMetadata o : all) {
            PodSpec pod = o instanceof Deployment d ? d.getSpec().getTemplate().getSpec()
                    : o instanceof StatefulSet s ? s.getSpec().getTemplate().getSpec()
                    : o instanceof Job j ? j.getSpec().getTemplate().getSpec() : null;
            if (pod == null) {
                continue;
            }
            String what = o.getKind() + "/" + o.getMetadata().getName();
            assertTrue(accounts.contains(pod.getServiceAccountName()), what + " runs as " + pod.getServiceAccountName());
            assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken(), what);
            assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot(), what);
            assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType(), what);
            for (Container c : pod.getContainers()) {
                assertEquals(Boolean.FALSE, c.getSecurityContext().getAllowPrivilegeEscalation(), what);
                assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop(), what);
            }
        }
    }

    @Test
    void noSecretWithoutItsEnvFile() throws Exception {
        Path bare = Files.createTempDirectory("vlltr-k8s-bare-");
        copyTree(RepoFiles.root().resolve("k8s"), bare);
        Process p = new ProcessBuilder(kubectl, "kustomize", bare.resolve("overlays/dev").toString()).start();
        p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertTrue(p.exitValue() != 0 && err.contains(".env"), "renders without credentials: " + err);
        Job data = one(objects("overlays/dev"), Job.class, "data-bootstrap");
        assertEquals(List.of("python3", "/opt/vlltr/objectstore.py", "data"),
                data.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand());
    }

    @Test
    void devIsSmallAndRefusesGpus() throws Exception {
        List<HasMetadata> dev = objects("overlays/dev");
        ResourceQuota quota = one(dev, ResourceQuota.class, "vlltr-dev");
        assertEquals(new Quantity("0"), quota.getSpec().getHard().get("requests." + SPEC.kubernetes().gpu().resource()));
        assertEquals(new Quantity("5Gi"), one(dev, StatefulSet.class, "minio").getSpec().getVolumeClaimTemplates().get(0)
                .getSpec().getResources().getRequests().get("storage"));
        assertEquals(1, one(dev, Deployment.class, "registry").getSpec().getReplicas());
        assertFalse(dev.stream().anyMatch(PriorityClass.class::isInstance));
    }

    @Test
    void gpuOverlayHasTheQuotaAndPriorityClassTheDagUses() throws Exception {
        List<HasMetadata> gpu = objects("overlays/gpu");
        PriorityClass pc = one(gpu, PriorityClass.class, SPEC.kubernetes().gpu().priorityClassName());
        assertNotNull(pc.getValue());
        ResourceQuota quota = one(gpu, ResourceQuota.class, "vlltr-gpu");
        assertEquals(new Quantity("4"), quota.getSpec().getHard().get("requests." + SPEC.kubernetes().gpu().resource()));
        assertEquals(new Quantity("500Gi"), one(gpu, StatefulSet.class, "minio").getSpec().getVolumeClaimTemplates()
                .get(0).getSpec().getResources().getRequests().get("storage"));
    }

    @Test
    void renderedOutputIsStableYaml() throws Exception {
        String once = render("overlays/gpu");
        assertEquals(once, render("overlays/gpu"));
        assertFalse(Files.exists(RepoFiles.root().resolve("k8s/overlays/gpu/charts")), "no Helm charts are inflated");
    }
}
