package dev.vlltr.runtime.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The effective invocation of a stage: the {@code --config} file (YAML or JSON) overlaid with the command line.
 *
 * @param runId        pipeline run id
 * @param artifactRoot artifact root URI or path
 * @param trackingUri  tracking URI or null
 * @param experiment   MLflow experiment name or null
 * @param inputs       name → URI
 * @param params       name → value
 */
public record StageConfig(String runId, String artifactRoot, String trackingUri, String experiment,
        Map<String, String> inputs, Map<String, String> params) {

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** The file's shape; values may be numbers or booleans in YAML, they become strings. */
    record File(String runId, String artifactRoot, String trackingUri, String experiment, Map<String, String> inputs,
            Map<String, Object> params) {}

    public static StageConfig merge(StageOptions cli) {
        File file = cli.config() == null ? new File(null, null, null, null, null, null) : read(cli.config());
        Map<String, String> inputs = new LinkedHashMap<>();
        if (file.inputs() != null) {
            inputs.putAll(file.inputs());
        }
        inputs.putAll(cli.inputs());
        Map<String, String> params = new LinkedHashMap<>();
        if (file.params() != null) {
            file.params().forEach((k, v) -> params.put(k, v == null ? "" : String.valueOf(v)));
        }
        params.putAll(cli.params());
        return new StageConfig(
                cli.runId() != null ? cli.runId() : file.runId(),
                cli.artifactRoot() != null ? cli.artifactRoot() : file.artifactRoot(),
                cli.trackingUri() != null ? cli.trackingUri() : file.trackingUri(),
                cli.experiment() != null ? cli.experiment() : file.experiment(),
                inputs, params);
    }

    static File read(Path path) {
        try {
            return YAML.readValue(Files.readString(path), File.class);
        } catch (NoSuchFileException e) {
            throw new BadInputException("--config " + path + ": file not found");
        } catch (UnrecognizedPropertyException e) {
            throw new BadInputException("--config " + path + ": unknown field '" + e.getPropertyName()
                    + "'; expected runId, artifactRoot, trackingUri, experiment, inputs, params");
        } catch (IOException e) {
            throw new BadInputException("--config " + path + ": not valid YAML/JSON: " + e.getMessage(), e);
        }
    }

}
