package dev.vlltr.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import dev.vlltr.core.nd.ScalarConstants;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * AdamW exactly as {@code torch.optim.AdamW} computes it, with the weight-decay groups of timm's
 * {@code add_weight_decay} (used by VL-LTR's {@code optim_factory}) and an exportable state.
 *
 * <pre>
 *   m ← β1 m + (1 − β1) g ;  v ← β2 v + (1 − β2) g²
 *   w ← w · (1 − lr · wd)                                   (decoupled; wd = 0 for the no-decay group)
 *   w ← w − lr / (1 − β1^t) · m / (√v / √(1 − β2^t) + ε)
 * </pre>
 *
 * <p>No-decay group (timm): every 1-D parameter — biases and normalisation weights. A 0-dimensional parameter such as
 * CLIP's {@code logit_scale} is decayed, as in the official code ({@link Builder#optDecayScalars(boolean)} to change).
 * DJL's {@code AdamW} cannot be checkpointed and adds ε to √v before the bias correction; this class does neither.
 *
 * <p>On the PyTorch engine the update can run as one native call (DJL's {@code adamUpdate} with {@code adamw=true},
 * the same libtorch kernels as one op chain, without ~15 JNI calls and temporaries per parameter), with its inputs
 * rewritten so that it computes the formula above: that kernel evaluates
 * {@code w ← w − lr·wd·w; w ← w − lr' · m / (√v + ε')}, so passing {@code lr' = lr·√(1 − β2^t)/(1 − β1^t)} and
 * {@code ε' = ε·√(1 − β2^t)} gives exactly {@code lr/(1 − β1^t) · m / (√v/√(1 − β2^t) + ε)}; results agree with the op
 * chain to float rounding. It is opt-in ({@link Builder#optFusedUpdate(boolean) optFusedUpdate(true)}); its gradient
 * clipping is one-sided, so with {@code optClipGrad} set, and on other engines, the op chain runs anyway.
 * The learning rate comes from a supplier so that schedules are driven by the training loop (per epoch in VL-LTR).
 * Like DJL's native optimizers, it resets the parameter's accumulated gradient after updating it.
 */
public final class DecoupledAdamW extends Optimizer implements ResumableOptimizer {

    private final DoubleSupplier learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final boolean decayScalars;
    private final Set<String> scalarIds;
    private final Map<String, DoubleSupplier> groupLearningRates;
    private final boolean fusedUpdate;

    private final Map<String, NDArray> means = new ConcurrentHashMap<>();
    private final Map<String, NDArray> variances = new ConcurrentHashMap<>();
    private final Map<String, Integer> steps = new ConcurrentHashMap<>();
    /** Per parameter: its copy on the first device the update is called for (data-parallel training). */
    private final Map<String, NDArray> primaryCopies = new ConcurrentHashMap<>();
    /** The op chain's scalar operands, made once (see ScalarConstants); owned by the first parameter's manager. */
    private volatile ScalarConstants constants;

    private DecoupledAdamW(Builder b) {
        super(b);
        this.learningRate = b.learningRate;
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.epsilon = b.epsilon;
        this.weightDecay = b.weightDecay;
        this.decayScalars = b.decayScalars;
        this.scalarIds = Set.copyOf(b.scalarIds);
        this.groupLearningRates = Map.copyOf(b.groupLearningRates);
        this.fusedUpdate = b.fusedUpdate;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** True when the parameter of this shape is in timm's weight-decay group. */
    public boolean decays(NDArray weight) {
        int dims = weight.getShape().dimension();
        return dims >= 2 || (dims == 0 && decayScalars);
    }

    /**
     * Like {@link #decays(NDArray)}, but a parameter registered with {@link Builder#optScalarParameters} counts as
     * 0-dimensional whatever its stored shape (DJL stores a scalar such as the logit scale θ with shape (1)).
     */
    public boolean decays(String parameterId, NDArray weight) {
        return scalarIds.contains(parameterId) ? decayScalars : decays(weight);
    }

    /** The learning rate used now for this parameter: its group's (see {@link Builder#optGroupLearningRate}). */
    public double learningRate(String parameterId) {
        return groupLearningRates.getOrDefault(parameterId, learningRate).getAsDouble();
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        // Data-parallel: DJL's parameter server sums the devices' gradients and calls this once per device copy,
        // the first device first. One state (the first device's) is kept and stepped; other copies take its result,
        // so the step count, the moments and checkpoints are those of single-device training.
        NDArray primary = primaryCopies.computeIfAbsent(parameterId, k -> weight);
        if (!primary.getDevice().equals(weight.getDevice())) {
            try (NDArray copy = primary.toDevice(weight.getDevice(), true)) {
                weight.muli(0).addi(copy);
            }
            if (weight.hasGradient()) {
                NDArray accumulated = weight.getGradient();
                accumulated.subi(accumulated);
            }
            return;
        }
        int t = steps.merge(parameterId, 1, Integer::sum);
        double lr = learningRate(parameterId);
        if (!Double.isFinite(lr) || lr < 0) {
            throw new IllegalStateException("learning rate must be finite and ≥ 0, got " + lr);
        }
        NDArray m = means.computeIfAbsent(parameterId, k -> detachedZeros(weight));
        NDArray v = variances.computeIfAbsent(parameterId, k -> detachedZeros(weight));
        double wd = decays(parameterId, weight) ? weightDecay : 0.0;
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2 = 1 - Math.pow(beta2, t);
        if (fusedUpdate && clipGrad <= 0 && "PyTorch".equals(weight.getManager().getEngine().getEngineName())) {
            // one native call: lr' and ε' carry the bias corrections (see the class comment)
            weight.getNDArrayInternal().adamUpdate(new NDList(weight, grad, m, v), new NDList(weight),
                    (float) lr, (float) (lr * Math.sqrt(bc2) / bc1), (float) wd, rescaleGrad, -1f, (float) beta1,
                    (float) beta2, (float) (epsilon * Math.sqrt(bc2)), false, true);
            resetGradient(weight);
            return;
        }
        // Results of NDArray ops join their first operand's manager, here the model's, and would live until the model
        // closes (~20 MB a step for the CVLP model); attached to a scope for the update, they are freed with it and the
        // four arrays go back to their own managers.
        ScalarConstants k = constants(weight); // before the scope: owned by the parameter's own manager
        try (NDManager scope = weight.getManager().newSubManager()) {
            scope.tempAttachAll(weight, grad, m, v);
            NDArray g = grad;
            if (rescaleGrad != 1f) {
                g = g.mul(rescaleGrad);
            }
            if (clipGrad > 0) {
                g = g.clip(-clipGrad, clipGrad);
            }
            // k.fixed/latest(x, c): the float64 0-d operand x.mul(c) would make, made once (bit-identical results);
            // the step-dependent factors are shared by the parameters of a group within a step
            DoubleSupplier group = groupLearningRates.getOrDefault(parameterId, learningRate);
            m.muli(k.fixed(m, beta1)).addi(g.mul(k.fixed(g, 1 - beta1)));
            v.muli(k.fixed(v, beta2)).addi(g.mul(g).muli(k.fixed(g, 1 - beta2)));
            if (wd != 0.0) {
                weight.muli(k.latest(new Slot("decay", group, wd), weight, 1 - lr * wd));
            }
            NDArray denom = v.sqrt().divi(k.latest(new Slot("bc2", null, 0), v, Math.sqrt(bc2)))
                    .addi(k.fixed(v, epsilon));
            weight.subi(m.div(denom).muli(k.latest(new Slot("step", group, 0), m, lr / bc1)));
            // DJL's trainer relies on the optimizer to reset the accumulated gradient (its native optimizers do)
            if (weight.hasGradient()) {
                NDArray accumulated = weight.getGradient();
                accumulated.subi(accumulated);
            }
        }
    }

    /** A step-dependent scalar of the update: what it is, for which learning-rate group and decay. */
    private record Slot(String what, DoubleSupplier group, double decay) {}

    private ScalarConstants constants(NDArray weight) {
        ScalarConstants k = constants;
        if (k == null) {
            synchronized (this) {
                if (constants == null) {
                    constants = new ScalarConstants(weight.getManager());
                }
                k = constants;
            }
        }
        return k;
    }

    /** Resets the accumulated gradient as the op chain does (x − x), freeing the gradient's Java handle at once. */
    private static void resetGradient(NDArray weight) {
        if (weight.hasGradient()) {
            try (NDArray accumulated = weight.getGradient()) {
                accumulated.subi(accumulated);
            }
        }
    }

    private static NDArray detachedZeros(NDArray weight) {
        NDArray z = weight.zerosLike();
        z.setRequiresGradient(false);
        return z;
    }

    /** Number of updates applied so far to the parameter with this id (0 if none). */
    public int steps(String parameterId) {
        return steps.getOrDefault(parameterId, 0);
    }

    /**
     * The optimizer state, keyed by the stable parameter names of {@code block} (parameter ids are random per
     * process): moment arrays in an NDList (DJL's own encoding) and the step counts.
     */
    @Override
    public State exportState(Block block) throws IOException {
        NDList arrays = new NDList();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            String id = p.getValue().getId();
            if (steps.containsKey(id)) {
                NDArray m = means.get(id).duplicate();
                m.setName(p.getKey() + ".m");
                NDArray v = variances.get(id).duplicate();
                v.setName(p.getKey() + ".v");
                arrays.add(m);
                arrays.add(v);
                counts.put(p.getKey(), steps.get(id));
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        arrays.encode(bytes);
        arrays.close();
        return new State(bytes.toByteArray(), counts);
    }

    /** Restores a state exported from a block of the same architecture (same parameter names and shapes). */
    @Override
    public void importState(Block block, OptimizerState state, NDManager manager) throws IOException {
        Map<String, String> idByName = new HashMap<>();
        Map<String, Parameter> byName = new HashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            idByName.put(p.getKey(), p.getValue().getId());
            byName.put(p.getKey(), p.getValue());
        }
        NDList arrays = NDList.decode(manager, new ByteArrayInputStream(state.moments()));
        for (NDArray a : arrays) {
            String name = a.getName();
            String paramName = name.substring(0, name.length() - 2);
            String id = idByName.get(paramName);
            if (id == null) {
                throw new IllegalArgumentException("optimizer state has parameter '" + paramName
                        + "' that the model does not have");
            }
            if (!a.getShape().equals(byName.get(paramName).getArray().getShape())) {
                throw new IllegalArgumentException("optimizer state for '" + paramName + "' has shape " + a.getShape()
                        + " but the parameter has " + byName.get(paramName).getArray().getShape());
            }
            a.setRequiresGradient(false);
            (name.endsWith(".m") ? means : variances).put(id, a);
        }
        state.steps().forEach((name, count) -> steps.put(idByName.get(name), count));
    }

    /**
     * Exported optimizer state.
     *
     * @param moments encoded NDList of first/second moments named {@code <param>.m} / {@code <param>.v}
     * @param steps   update count per parameter name
     */
    public record State(byte[] moments, Map<String, Integer> steps) implements OptimizerState {}

    /** Builder; defaults are VL-LTR's: β (0.9, 0.999), ε 1e-8, weight decay 0.05. */
    public static final class Builder extends OptimizerBuilder<Builder> {
        private DoubleSupplier learningRate = () -> 1e-3;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double epsilon = 1e-8;
        private double weightDecay = 0.05;
        private boolean decayScalars = true;
        private final Set<String> scalarIds = new HashSet<>();
        private final Map<String, DoubleSupplier> groupLearningRates = new HashMap<>();
        private boolean fusedUpdate;

        @Override
        protected Builder self() {
            return this;
        }

        /** The current learning rate, read at every update (drive it from a schedule). */
        public Builder setLearningRate(DoubleSupplier lr) {
            this.learningRate = lr;
            return this;
        }

        public Builder optBetas(double beta1, double beta2) {
            this.beta1 = beta1;
            this.beta2 = beta2;
            return this;
        }

        public Builder optEpsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /** Decoupled weight decay of the decay group (VL-LTR: 0.05). */
        public Builder optWeightDecay(double wd) {
            this.weightDecay = wd;
            return this;
        }

        /** Whether 0-dimensional parameters (e.g. the logit scale) are decayed; official: true. */
        public Builder optDecayScalars(boolean decay) {
            this.decayScalars = decay;
            return this;
        }

        /**
         * Parameters (by {@link Parameter#getId()}) that are scalars in the reference model although DJL stores them
         * with shape (1), e.g. {@code LogitScale}'s θ: they join the weight-decay group as the official 0-d
         * {@code logit_scale} does (subject to {@link #optDecayScalars}).
         */
        public Builder optScalarParameters(Collection<String> parameterIds) {
            scalarIds.addAll(parameterIds);
            return this;
        }

        /**
         * A parameter group with its own learning rate (timm/torch param groups), e.g. VL-LTR's LGR attention at
         * {@code text_lr}; every other parameter uses {@link #setLearningRate}.
         */
        public Builder optGroupLearningRate(Collection<String> parameterIds, DoubleSupplier lr) {
            for (String id : parameterIds) {
                groupLearningRates.put(id, lr);
            }
            return this;
        }

        /**
         * Whether the PyTorch engine's single native AdamW call computes the update (same formula, float rounding apart)
         * instead of the op chain (~15 JNI calls per parameter). Default false: the op chain's results are bit-identical
         * to earlier runs and checkpoints, and the optimizer is ~1.5 % of a CVLP step (docs/results-and-benchmarks.md).
         */
        public Builder optFusedUpdate(boolean fused) {
            this.fusedUpdate = fused;
            return this;
        }

        public DecoupledAdamW build() {
            return new DecoupledAdamW(this);
        }
    }
}
