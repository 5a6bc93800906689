package dev.vlltr.runtime.cli;

import dev.vlltr.runtime.manifest.ArtifactRef;
import dev.vlltr.runtime.manifest.StageManifest;
import java.io.IOException;

/**
 * Checks that two inputs of a stage descend from the same upstream run. lgr takes {@code cvlp} and {@code anchors},
 * and the anchors were selected with some cvlp model: that must be the lgr's {@code cvlp}, or the text memory and the
 * image tower come from different models and the head trains on nonsense without any error.
 */
final class Lineage {

    private Lineage() {}

    /**
     * Fails with bad input (exit 2, naming both manifests) when input {@code via}'s manifest records an input
     * {@code upstream} that is not this stage's input {@code upstream}. Same means the same content: equal digests over
     * the upstream outputs, or (for manifests written before those were recorded) the same manifest bytes. Nothing is
     * checked when either side lacks the input (an optional input, or an upstream that does not take it).
     */
    static void requireSameUpstream(StageContext ctx, String via, String upstream) throws IOException {
        if (!ctx.hasInput(via) || !ctx.hasInput(upstream)) {
            return;
        }
        StageManifest viaManifest = ctx.inputManifest(via);
        ArtifactRef theirs = viaManifest.inputs().get(upstream);
        if (theirs == null) {
            return;
        }
        ArtifactRef mine = ctx.input(upstream);
        boolean sameOutputs = mine.outputsSha256() != null && mine.outputsSha256().equals(theirs.outputsSha256());
        if (sameOutputs || mine.sha256().equals(theirs.sha256())) {
            return;
        }
        throw new BadInputException("inputs '" + via + "' and '" + upstream + "' descend from different " + upstream
                + " runs: " + ctx.input(via).uri() + " was made from " + theirs.uri() + " (sha256 "
                + theirs.sha256() + "), but --input " + upstream + " is " + mine.uri() + " (sha256 " + mine.sha256()
                + "); give " + via + " produced from this " + upstream + ", or re-run " + viaManifest.stage());
    }
}
