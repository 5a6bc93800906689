package dev.vlltr.core.model.clip;

import ai.djl.nn.Parameter;
import java.util.Map;

/** A block whose parameters (and BatchNorm statistics) have names in OpenAI CLIP's state dict. */
public interface ClipNamed {

    /**
     * Puts every tensor of this block under its CLIP name.
     *
     * @param prefix the prefix of this block's names ({@code ""} or ending with {@code .})
     * @param into CLIP name → DJL parameter, in CLIP's order
     */
    void collectClipParameters(String prefix, Map<String, Parameter> into);
}
