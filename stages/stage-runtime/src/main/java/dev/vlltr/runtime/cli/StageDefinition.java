package dev.vlltr.runtime.cli;

import java.util.List;

/**
 * What a stage is, independent of how it is invoked: its name, parameters and inputs.
 *
 * @param name    stage name, e.g. {@code cvlp}; also the folder under the run in the artifact store
 * @param summary one line for {@code --help}
 * @param params  parameters with defaults
 * @param inputs  named inputs
 */
public record StageDefinition(String name, String summary, List<ParamSpec> params, List<InputSpec> inputs) {

    public StageDefinition {
        params = List.copyOf(params);
        inputs = List.copyOf(inputs);
    }
}
