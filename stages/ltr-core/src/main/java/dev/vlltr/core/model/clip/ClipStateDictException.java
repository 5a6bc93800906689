package dev.vlltr.core.model.clip;

import java.util.List;

/**
 * A CLIP state dict that does not fit the tower: names missing or unexpected, or a tensor of another shape. The stage
 * that read the tensors names the file; this names the tensors.
 */
public final class ClipStateDictException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final List<String> tensors;

    ClipStateDictException(String message, List<String> tensors) {
        super(message);
        this.tensors = List.copyOf(tensors);
    }

    /** @return the names of the offending tensors */
    public List<String> getTensors() {
        return tensors;
    }
}
