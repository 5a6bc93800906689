package dev.vlltr.runtime.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;

/** A tiny real stage for the runtime tests: sums the numbers of its input file and multiplies by a factor. */
@Command(name = "sum", mixinStandardHelpOptions = true, description = "Sums numbers (test stage).")
class SumStage extends StageCommand {

    static final StageDefinition DEFINITION = new StageDefinition("sum", "Sums numbers (test stage).",
            List.of(ParamSpec.integer("factor", 2, "Multiplier of the sum"),
                    ParamSpec.choice("mode", "plain", "How to write the result", "plain", "json"),
                    ParamSpec.decimal("fail-after-outputs", 0.0, "Throw after writing outputs when 1 (tests)")),
            List.of(InputSpec.required("numbers", "a text file with one integer per line")));

    final AtomicInteger executions = new AtomicInteger();

    @Override
    protected StageDefinition definition() {
        return DEFINITION;
    }

    @Override
    protected void execute(StageContext ctx) throws Exception {
        executions.incrementAndGet();
        Path in = ctx.fetchInput("numbers");
        long sum = 0;
        for (String line : Files.readAllLines(in)) {
            if (!line.isBlank()) {
                try {
                    sum += Long.parseLong(line.strip());
                } catch (NumberFormatException e) {
                    throw new BadInputException(ctx.input("numbers").uri() + ": expected one integer per line, got '"
                            + line + "'");
                }
            }
        }
        long result = sum * ctx.params().integer("factor");
        String text = ctx.params().string("mode").equals("json") ? "{\"result\":" + result + "}" : Long.toString(result);
        Files.writeString(ctx.output("result", "result.txt"), text);
        ctx.headline("result", result);
        for (int epoch = 0; epoch < 3; epoch++) {
            ctx.metric("loss", 1.0 / (epoch + 1), epoch);
        }
        if (ctx.params().decimal("fail-after-outputs") == 1.0) {
            throw new IllegalStateException("simulated crash after writing outputs");
        }
    }
}
