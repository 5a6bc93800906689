package dev.vlltr.runtime.manifest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Under Airflow's KubernetesPodOperator with {@code do_xcom_push=True}, the folder {@code /airflow/xcom} exists and the
 * sidecar reads {@code return.json} from it after the container ends. We write the manifest URI, the output URIs and
 * the headline metrics there (small: URIs, not data), atomically. Outside Airflow the folder is absent and nothing is
 * written.
 */
public final class XcomWriter {

    public static final Path DEFAULT_DIR = Path.of("/airflow/xcom");

    private final Path dir;

    public XcomWriter(Path dir) {
        this.dir = dir;
    }

    /** @return true when the result was written */
    public boolean write(java.net.URI manifestUri, StageManifest m) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("manifest", manifestUri.toString());
        result.put("stage", m.stage());
        result.put("run_id", m.runId());
        Map<String, String> outputs = new LinkedHashMap<>();
        m.outputs().forEach((k, v) -> outputs.put(k, v.uri().toString()));
        result.put("outputs", outputs);
        result.put("metrics", m.metrics());
        Path tmp = dir.resolve("return.json.tmp");
        Files.writeString(tmp, Manifests.JSON.writeValueAsString(result), StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve("return.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return true;
    }
}
