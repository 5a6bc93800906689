package dev.vlltr.runtime.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options every stage app shares (the stage contract in ARCHITECTURE.md), as a picocli mixin. */
public class StageOptions {

    @Option(names = "--run-id", paramLabel = "ID",
            description = "Pipeline run id; outputs go under <artifact-root>/<run-id>/<stage>/. "
                    + RunIds.RULE + ".")
    String runId;

    @Option(names = "--artifact-root", paramLabel = "URI",
            description = "Where artifacts live: file:///abs/path, a local path, or s3://bucket/prefix "
                    + "(S3 endpoint and keys from VLLTR_S3_ENDPOINT, VLLTR_S3_ACCESS_KEY, VLLTR_S3_SECRET_KEY).")
    String artifactRoot;

    @Option(names = "--input", paramLabel = "NAME=URI", mapFallbackValue = "",
            description = "A named input: usually the manifest.json of an upstream stage. Repeatable.")
    Map<String, String> inputs = new LinkedHashMap<>();

    @Option(names = "--param", paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "A stage parameter (see 'Parameters' below). Repeatable.")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML or JSON file with runId, artifactRoot, trackingUri, inputs and params; "
                    + "command-line options override it.")
    Path config;

    @Option(names = "--tracking-uri", paramLabel = "URI",
            description = "MLflow tracking: http(s)://server, a local folder or file:// URI (MLflow file-store "
                    + "layout), or 'none'. Default: $MLFLOW_TRACKING_URI, else 'none'.")
    String trackingUri;

    @Option(names = "--experiment", paramLabel = "NAME",
            description = "MLflow experiment (one per pipeline). Default: $VLLTR_EXPERIMENT, else 'vl-ltr'.")
    String experiment;

    @Option(names = "--force", description = "Run even when a manifest with the same inputs and parameters exists.")
    boolean force;

    @Option(names = "--xcom-dir", paramLabel = "DIR", hidden = true,
            description = "Where Airflow's XCom sidecar reads return.json (default /airflow/xcom).")
    Path xcomDir;

    public String runId() {
        return runId;
    }

    public String artifactRoot() {
        return artifactRoot;
    }

    public Map<String, String> inputs() {
        return inputs;
    }

    public Map<String, String> params() {
        return params;
    }

    public Path config() {
        return config;
    }

    public String trackingUri() {
        return trackingUri;
    }

    public String experiment() {
        return experiment;
    }

    public boolean force() {
        return force;
    }

    public Path xcomDir() {
        return xcomDir;
    }
}
