package dev.vlltr.runtime.cli;

import java.nio.file.Files;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * A test stage shaped like lgr: it takes an upstream ({@code sum}, as lgr takes cvlp) and a stage derived from it
 * ({@code double}, as lgr takes the anchors), which must have been derived from that same upstream.
 */
@Command(name = "combine", mixinStandardHelpOptions = true, description = "Adds a sum and its double (test stage).")
class CombineStage extends StageCommand {

    static final StageDefinition DEFINITION = new StageDefinition("combine", "Adds a sum and its double (test stage).",
            List.of(), List.of(InputSpec.required("sum", "manifest of the sum stage"),
                    InputSpec.required("double", "manifest of the double stage run on that sum")));

    @Override
    protected StageDefinition definition() {
        return DEFINITION;
    }

    @Override
    protected void execute(StageContext ctx) throws Exception {
        ctx.requireSameUpstream("double", "sum");
        long sum = Long.parseLong(Files.readString(ctx.fetchUpstreamOutput("sum", "result")).strip());
        long twice = Long.parseLong(Files.readString(ctx.fetchUpstreamOutput("double", "result")).strip());
        Files.writeString(ctx.output("result", "result.txt"), Long.toString(sum + twice));
    }
}
