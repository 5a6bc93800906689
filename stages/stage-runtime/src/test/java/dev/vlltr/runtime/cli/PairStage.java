package dev.vlltr.runtime.cli;

import java.io.OutputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;

/**
 * A test stage with two small outputs (so that a publish has a moment between outputs) and, on request, a large one
 * (so that an S3 upload goes multipart). Every byte depends on {@code factor}: two factors, two sets of outputs.
 */
@Command(name = "pair", mixinStandardHelpOptions = true, description = "Writes two outputs (test stage).")
class PairStage extends StageCommand {

    static final StageDefinition DEFINITION = new StageDefinition("pair", "Writes two outputs (test stage).",
            List.of(ParamSpec.integer("factor", 2, "What the outputs say"),
                    ParamSpec.integer("big-mb", 0, "Size of a third, random output in MiB (0: none)")),
            List.of());

    final AtomicInteger executions = new AtomicInteger();

    @Override
    protected StageDefinition definition() {
        return DEFINITION;
    }

    @Override
    protected void execute(StageContext ctx) throws Exception {
        executions.incrementAndGet();
        int factor = ctx.params().integer("factor");
        Files.writeString(ctx.output("first", "first.txt"), "first " + factor);
        Files.writeString(ctx.output("second", "second.txt"), "second " + factor * factor);
        int mb = ctx.params().integer("big-mb");
        if (mb > 0) {
            byte[] chunk = new byte[1 << 20];
            Random rnd = new Random(factor);
            try (OutputStream out = Files.newOutputStream(ctx.output("big", "big.bin"))) {
                for (int i = 0; i < mb; i++) {
                    rnd.nextBytes(chunk);
                    out.write(chunk);
                }
            }
        }
    }
}
