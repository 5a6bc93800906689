package dev.vlltr.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * SGD exactly as {@code torch.optim.SGD} computes it (dampening 0, no Nesterov), the optimiser of Decoupling's stage-1
 * joint training ({@code run_networks.py}: one parameter group, weight decay on every parameter, BatchNorm and biases
 * included):
 *
 * <pre>
 *   d ← g + wd · w
 *   buf ← d (first step),  buf ← momentum · buf + d (later steps)
 *   w ← w − lr · buf
 * </pre>
 *
 * The learning rate comes from a supplier so that the training loop drives the schedule (per epoch in Decoupling).
 * Like DJL's native optimizers, it resets the parameter's accumulated gradient after updating it.
 */
public final class TorchSgd extends Optimizer implements ResumableOptimizer {

    private static final String MOMENTUM = ".momentum";

    private final DoubleSupplier learningRate;
    private final double momentum;
    private final double weightDecay;
    private final Map<String, NDArray> buffers = new ConcurrentHashMap<>();
    private final Map<String, Integer> steps = new ConcurrentHashMap<>();

    private TorchSgd(Builder b) {
        super(b);
        this.learningRate = b.learningRate;
        this.momentum = b.momentum;
        this.weightDecay = b.weightDecay;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        double lr = learningRate.getAsDouble();
        if (!Double.isFinite(lr) || lr < 0) {
            throw new IllegalStateException("TorchSgd: learning rate must be finite and >= 0, got " + lr);
        }
        // temporaries are closed explicitly: they would otherwise live in the model's manager until it closes
        NDArray d = grad.mul(rescaleGrad);
        if (clipGrad > 0) {
            NDArray clipped = d.clip(-clipGrad, clipGrad);
            d.close();
            d = clipped;
        }
        if (weightDecay != 0) {
            try (NDArray decay = weight.mul(weightDecay)) {
                d.addi(decay);
            }
        }
        if (momentum != 0) {
            NDArray buf = buffers.get(parameterId);
            if (buf == null) {
                // buf = d on the first step; kept in the parameter's own manager
                buf = weight.zerosLike();
                buf.setRequiresGradient(false);
                buf.addi(d);
                buffers.put(parameterId, buf);
            } else {
                buf.muli(momentum).addi(d);
            }
            d.close();
            d = buf;
        }
        try (NDArray step = d.mul(lr)) {
            weight.subi(step);
        }
        if (momentum == 0) {
            d.close();
        }
        if (weight.hasGradient()) {
            NDArray accumulated = weight.getGradient();
            accumulated.subi(accumulated);
        }
        steps.merge(parameterId, 1, Integer::sum);
    }

    /**
     * The momentum buffers (named {@code <parameter>.momentum}) and update counts, keyed by the stable parameter
     * names of {@code block}: a resumed run's first step then continues {@code buf} instead of restarting it.
     */
    @Override
    public OptimizerState exportState(Block block) throws IOException {
        NDList arrays = new NDList();
        Map<String, Integer> counts = new LinkedHashMap<>();
        try {
            for (Pair<String, Parameter> p : block.getParameters()) {
                String id = p.getValue().getId();
                NDArray buf = buffers.get(id);
                if (buf != null) {
                    NDArray copy = buf.duplicate();
                    copy.setName(p.getKey() + MOMENTUM);
                    arrays.add(copy);
                }
                if (steps.containsKey(id)) {
                    counts.put(p.getKey(), steps.get(id));
                }
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            arrays.encode(bytes);
            return OptimizerState.of(bytes.toByteArray(), counts);
        } finally {
            arrays.close();
        }
    }

    /** Restores a state exported from a block of the same architecture (same parameter names and shapes). */
    @Override
    public void importState(Block block, OptimizerState state, NDManager manager) throws IOException {
        Map<String, Parameter> byName = new HashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            byName.put(p.getKey(), p.getValue());
        }
        for (NDArray a : NDList.decode(manager, new ByteArrayInputStream(state.moments()))) {
            String name = a.getName().substring(0, a.getName().length() - MOMENTUM.length());
            Parameter p = byName.get(name);
            if (p == null || !a.getName().endsWith(MOMENTUM)) {
                throw new IllegalArgumentException("optimizer state has '" + a.getName()
                        + "', which the model does not have");
            }
            if (!a.getShape().equals(p.getArray().getShape())) {
                throw new IllegalArgumentException("optimizer state for '" + name + "' has shape " + a.getShape()
                        + " but the parameter has " + p.getArray().getShape());
            }
            a.setRequiresGradient(false);
            buffers.put(p.getId(), a);
        }
        state.steps().forEach((name, count) -> {
            Parameter p = byName.get(name);
            if (p == null) {
                throw new IllegalArgumentException("optimizer state counts steps of '" + name
                        + "', which the model does not have");
            }
            steps.put(p.getId(), count);
        });
    }

    /** Builder; defaults are Decoupling's stage 1: momentum 0.9, weight decay 5e-4. */
    public static final class Builder extends OptimizerBuilder<Builder> {
        private DoubleSupplier learningRate = () -> 0.1;
        private double momentum = 0.9;
        private double weightDecay = 5e-4;

        @Override
        protected Builder self() {
            return this;
        }

        /** The current learning rate, read at every update (drive it from a schedule). */
        public Builder setLearningRate(DoubleSupplier lr) {
            this.learningRate = lr;
            return this;
        }

        /** Heavy-ball momentum in [0, 1); default 0.9. */
        public Builder optMomentum(double momentum) {
            if (!(momentum >= 0 && momentum < 1)) {
                throw new IllegalArgumentException("TorchSgd: momentum must be in [0, 1), got " + momentum);
            }
            this.momentum = momentum;
            return this;
        }

        /** L2 coefficient added to the gradient of every parameter; default 5e-4. */
        public Builder optWeightDecay(double wd) {
            if (!(wd >= 0) || !Double.isFinite(wd)) {
                throw new IllegalArgumentException("TorchSgd: weight decay must be finite and >= 0, got " + wd);
            }
            this.weightDecay = wd;
            return this;
        }

        public TorchSgd build() {
            return new TorchSgd(this);
        }
    }
}
