package dev.vlltr.runtime.cli;

import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;

/** A test consumer of {@link SumStage}: reads the upstream output 'result' through its manifest and doubles it. */
@Command(name = "double", mixinStandardHelpOptions = true, description = "Doubles a sum (test stage).")
class DoubleStage extends StageCommand {

    static final StageDefinition DEFINITION = new StageDefinition("double", "Doubles a sum (test stage).",
            List.of(), List.of(InputSpec.required("sum", "manifest of the sum stage")));

    final AtomicInteger executions = new AtomicInteger();

    @Override
    protected StageDefinition definition() {
        return DEFINITION;
    }

    @Override
    protected void execute(StageContext ctx) throws Exception {
        executions.incrementAndGet();
        long sum = Long.parseLong(Files.readString(ctx.fetchUpstreamOutput("sum", "result")).strip());
        Files.writeString(ctx.output("result", "result.txt"), Long.toString(2 * sum));
    }
}
