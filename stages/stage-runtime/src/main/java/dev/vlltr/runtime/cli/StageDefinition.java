package dev.vlltr.runtime.cli;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a stage is, independent of how it is invoked: its name, parameters, inputs and outputs.
 *
 * @param name    stage name, e.g. {@code cvlp}; also the folder under the run in the artifact store
 * @param summary one line for {@code --help}
 * @param params  parameters with defaults
 * @param inputs  named inputs
 * @param outputs named outputs; empty when the stage does not declare them (then the runtime does not check them)
 */
public record StageDefinition(String name, String summary, List<ParamSpec> params, List<InputSpec> inputs,
        List<OutputSpec> outputs) {

    public StageDefinition {
        params = List.copyOf(params);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        Set<String> names = new HashSet<>();
        Set<String> files = new HashSet<>();
        for (OutputSpec o : outputs) {
            if (!names.add(o.name()) || !files.add(o.file())) {
                throw new IllegalArgumentException("stage " + name + " declares output '" + o.name() + "' (file "
                        + o.file() + ") twice");
            }
        }
    }

    /** A stage that does not declare its outputs. */
    public StageDefinition(String name, String summary, List<ParamSpec> params, List<InputSpec> inputs) {
        this(name, summary, params, inputs, List.of());
    }

    /** @return the declared output called {@code name} */
    public Optional<OutputSpec> output(String outputName) {
        return outputs.stream().filter(o -> o.name().equals(outputName)).findFirst();
    }

    /** @return the declared input called {@code name} */
    public Optional<InputSpec> input(String inputName) {
        return inputs.stream().filter(i -> i.name().equals(inputName)).findFirst();
    }
}
