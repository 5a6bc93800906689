package dev.vlltr.core.model.clip;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;

/** A whole CLIP tower (image or text): a DJL block whose tensors sit at fixed names of CLIP's state dict. */
public interface ClipTower extends Block, ClipNamed {

    /** @return the output embedding dimension (CLIP's {@code embed_dim}) */
    int getEmbedDim();

    /**
     * @param name a state-dict name
     * @return whether the name belongs to this tower's part of a CLIP state dict (so that a name of this part that the
     *     tower does not have is reported as unexpected, while the other tower's names are left alone)
     */
    boolean ownsClipName(String name);

    /** @return the prefix of this tower's names in a whole-CLIP state dict ({@code visual.} or empty) */
    String clipPrefix();

    /** @return CLIP name → parameter for the whole tower (full state-dict names) */
    default Map<String, Parameter> clipParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collectClipParameters(clipPrefix(), out);
        return out;
    }

    /**
     * @return the number of trainable values as PyTorch counts them ({@code sum(p.numel() for p in
     *     model.parameters())}: BatchNorm running statistics are buffers, not counted), from the shapes alone
     */
    default long parameterCount() {
        long n = 0;
        for (Parameter p : clipParameters().values()) {
            if (p.getType() != Parameter.Type.RUNNING_MEAN && p.getType() != Parameter.Type.RUNNING_VAR) {
                n += p.getShape().size();
            }
        }
        return n;
    }
}
