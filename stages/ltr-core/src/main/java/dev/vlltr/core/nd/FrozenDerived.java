package dev.vlltr.core.nd;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * An array computed from a frozen (never updated) array, kept per device copy of that array instead of being
 * recomputed in every forward pass.
 *
 * <p>Why: on the PyTorch engine each NDArray operation is a JNI call and a Java object; a block that rebuilds, say, an
 * additive mask from a frozen 0/1 mask in every step pays that on every step, and the results of operations whose first
 * operand is a parameter join the parameter's (the model's) manager, where they stay until the model closes. Here the
 * derived array is computed once per distinct source array (a new source, e.g. after a parameter load or on another
 * device, computes it again) and lives with the source's manager. It is the same value the per-step computation gives,
 * bit for bit, because it is the same computation. Callers must not modify the returned array.
 */
public final class FrozenDerived {

    private record Entry(NDArray source, NDArray value) {}

    private final UnaryOperator<NDArray> derive;
    private final Map<Device, Entry> entries = new ConcurrentHashMap<>();

    /** @param derive the computation from the frozen source (its result must not require gradients) */
    public FrozenDerived(UnaryOperator<NDArray> derive) {
        this.derive = derive;
    }

    /**
     * @param source the frozen array (e.g. a parameter's value on the current device)
     * @return {@code derive(source)}, computed on the first call for this source array
     */
    public NDArray of(NDArray source) {
        Device device = source.getDevice();
        Entry e = entries.get(device);
        if (e == null || e.source() != source || e.value().isReleased()) {
            NDArray value = derive.apply(source);
            // the value belongs with its source: freed when the source's manager closes, not with a step's scope
            value.attach(source.getManager());
            e = new Entry(source, value);
            entries.put(device, e);
        }
        return e.value();
    }
}
