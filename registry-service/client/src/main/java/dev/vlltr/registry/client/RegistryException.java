package dev.vlltr.registry.client;

import java.util.List;

/** A non-2xx answer from the registry, carrying its problem+json fields. */
public class RegistryException extends RuntimeException {
    private final int status;
    private final List<String> reasons;

    public RegistryException(int status, String detail, List<String> reasons) {
        super("registry answered " + status + ": " + detail);
        this.status = status;
        this.reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }

    /** HTTP status (e.g. 409 for a blocked promotion, 412 for a stale ETag). */
    public int status() {
        return status;
    }

    /** The promotion gate's reasons when a promotion was blocked; empty otherwise. */
    public List<String> reasons() {
        return reasons;
    }
}
