package dev.vlltr.core.nd;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.HashMap;
import java.util.Map;

/**
 * 0-d constant arrays made once and reused, for arithmetic with a scalar in a loop of small operations.
 *
 * <p>Why: DJL 0.35.1's PyTorch engine turns {@code x.mul(2.0)} (and {@code muli}, {@code add}, {@code div}, … with a
 * {@code Number}) into {@code try (NDArray n = manager.create(2.0)) { x.mul(n) }}: a direct {@code ByteBuffer}, a JNI
 * call wrapping it ({@code from_blob}), the operation, and a JNI call freeing it — three calls where one does the work.
 * An AdamW update of one parameter has eight such scalars. Here the constant is made once per (device, data type,
 * value) in memory PyTorch owns (so that an autograd graph may keep it, see {@link GraphScalars}) and the operation is
 * {@code x.mul(constant)}: the same libtorch call with an operand of the same type and value, so results are
 * bit-identical to the {@code Number} form.
 *
 * <p>{@link #fixed} is for values that stay the same for the whole run (β, ε, a smoothing weight): they are kept
 * until {@link #close()}. {@link #latest} is for a value that changes now and then (a learning-rate factor): one array
 * per slot, replaced (and the old one freed) when the value changes, so the number of arrays stays bounded. The arrays
 * belong to the manager given at construction and are freed with it at the latest. One thread at a time.
 */
public final class ScalarConstants implements AutoCloseable {

    private record Key(Object slot, Device device, DataType type, double value) {}

    private record Held(double value, NDArray array) {}

    private final NDManager owner;
    private final Map<Key, NDArray> fixed = new HashMap<>();
    private final Map<Key, Held> latest = new HashMap<>();

    /** @param owner the manager whose lifetime bounds the constants (e.g. the model's) */
    public ScalarConstants(NDManager owner) {
        this.owner = owner;
    }

    /**
     * @return the 0-d array holding {@code value} as DJL's {@code manager.create(double)} makes it (float64), on
     *     {@code like}'s device — the operand {@code x.mul(value)} would use — kept until {@link #close()}
     */
    public synchronized NDArray fixed(NDArray like, double value) {
        return fixedOf(like.getDevice(), DataType.FLOAT64, value);
    }

    /**
     * @return the 0-d array holding {@code value} in {@code like}'s data type and device (the operand
     *     {@link GraphScalars#mul} would use), kept until {@link #close()}
     */
    public synchronized NDArray fixedLike(NDArray like, double value) {
        return fixedOf(like.getDevice(), like.getDataType(), value);
    }

    /**
     * @param slot what the value is (e.g. "step size of group g"); a new value replaces the slot's array, which must no
     *     longer be in use
     * @return the float64 0-d array holding {@code value} on {@code like}'s device, as {@link #fixed}
     */
    public synchronized NDArray latest(Object slot, NDArray like, double value) {
        Key key = new Key(slot, like.getDevice(), DataType.FLOAT64, 0);
        Held held = latest.get(key);
        if (held != null && Double.compare(held.value(), value) == 0 && !held.array().isReleased()) {
            return held.array();
        }
        if (held != null) {
            held.array().close();
        }
        NDArray a = make(like.getDevice(), DataType.FLOAT64, value);
        latest.put(key, new Held(value, a));
        return a;
    }

    private NDArray fixedOf(Device device, DataType type, double value) {
        Key key = new Key(null, device, type, value);
        NDArray a = fixed.get(key);
        if (a == null || a.isReleased()) {
            a = make(device, type, value);
            fixed.put(key, a);
        }
        return a;
    }

    private NDArray make(Device device, DataType type, double value) {
        try (NDManager scope = owner.newSubManager(device)) {
            // create(double) aliases a Java buffer; duplicate() (torch clone) gives memory PyTorch owns
            NDArray a = scope.create(value).toType(type, false).duplicate();
            a.attach(owner);
            return a;
        }
    }

    /** Frees the constants. */
    @Override
    public synchronized void close() {
        fixed.values().forEach(NDArray::close);
        fixed.clear();
        latest.values().forEach(h -> h.array().close());
        latest.clear();
    }
}
