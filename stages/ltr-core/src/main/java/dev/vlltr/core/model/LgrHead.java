package dev.vlltr.core.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import dev.vlltr.core.nd.FrozenDerived;
import dev.vlltr.core.nd.GraphScalars;
import java.util.Arrays;
import java.util.List;

/**
 * The LGR head of VL-LTR (official {@code models/finetune.py}: {@code Attention}, {@code Block} with {@code
 * op_type='two_branch'}, {@code use_norm=True}), on image features {@code f ∈ R^{B×D}} in the joint embedding.
 *
 * <p>State (all saved with the block): text memory {@code T ∈ R^{C×M×D}} (the AnSS-selected, <em>unnormalised</em>
 * CVLP sentence features, zero-padded to {@code M}), the sentence mask (positions ≥ the class's sentence count are
 * padding), the CVLP logit scale {@code θ} — all frozen; trainable: {@code LN_q, LN_k} (weight 1, bias 0, eps 1e-5),
 * {@code W_q, W_k} ({@code D×D}, bias-free, identity init) and the MLP.
 *
 * <pre>
 *   q = W_q LN_q(f)                       (B, D)
 *   k = W_k LN_k(T)                       (C, M, D)
 *   a[b,c,:] = softmax_m(q_b·k_{c,m} · D^−½)   over the class's real sentences only (padding → −∞)
 *   v[b,c]   = Σ_m a[b,c,m] · T_{c,m}     (value = T, no value projection)
 *   P^T[b,c] = cos(f_b, v[b,c]) · exp(θ)  (F.normalize, eps 1e-12)
 *   P^I      = Linear(4D, C)(ReLU(Linear(D, 4D)(f)))   trunc-normal(0.02) weights, zero biases
 * </pre>
 *
 * <p>Outputs {@code [P^I (B, C), P^T (B, C)]}. Options: {@link Builder#optFreezeAttention} (the official code trains
 * the attention with {@code text_lr = 1e-6}, i.e. practically frozen; default false = trainable), {@link
 * Builder#optDetachValueNorm} (the iNat {@code _v_detach} variants: {@code v / ‖v‖.detach()}; default false).
 */
public final class LgrHead extends AbstractBlock {

    /** LayerNorm epsilon (PyTorch default). */
    static final float LN_EPS = 1e-5f;
    /** {@code F.normalize} epsilon. */
    static final double NORM_EPS = 1e-12;

    private final int classes;
    private final int maxSentences;
    private final int dim;
    private final boolean detachValueNorm;
    private final boolean freezeAttention;

    private final Parameter textMemory;
    private final Parameter sentenceMask;
    private final Parameter logitScale;
    private final Parameter normQGamma;
    private final Parameter normQBeta;
    private final Parameter normKGamma;
    private final Parameter normKBeta;
    private final Parameter wq;
    private final Parameter wk;
    private final SequentialBlock mlp;
    /** Fixed per device copy of the frozen state, computed once (not per step): the additive padding mask ... */
    private final FrozenDerived maskBias = new FrozenDerived(LgrHead::maskBias);
    /** ... {@code exp(θ)} ... */
    private final FrozenDerived textScale = new FrozenDerived(NDArray::exp);
    /** ... and the score scale {@code D^−½} as a graph-owned constant (keyed by the text memory). */
    private final FrozenDerived scoreScale;

    private LgrHead(Builder b) {
        this.classes = b.classes;
        this.maxSentences = b.maxSentences;
        this.dim = b.dim;
        this.detachValueNorm = b.detachValueNorm;
        this.freezeAttention = b.freezeAttention;
        float invSqrtDim = (float) Math.pow(dim, -0.5);
        this.scoreScale = new FrozenDerived(memory -> GraphScalars.constantLike(memory, invSqrtDim));
        final float[] memory = b.memory;
        final float[] mask = new float[classes * maxSentences];
        for (int c = 0; c < classes; c++) {
            Arrays.fill(mask, c * maxSentences, c * maxSentences + b.counts[c], 1f);
        }
        textMemory = addParameter(frozen("text_memory", new Shape(classes, maxSentences, dim), memory));
        sentenceMask = addParameter(frozen("sentence_mask", new Shape(classes, maxSentences), mask));
        logitScale = addParameter(frozen("logit_scale", new Shape(1), new float[] {(float) b.logitScale}));
        boolean attnGrad = !freezeAttention;
        normQGamma = addParameter(param("norm_q_gamma", new Shape(dim), Initializer.ONES, attnGrad));
        normQBeta = addParameter(param("norm_q_beta", new Shape(dim), Initializer.ZEROS, attnGrad));
        normKGamma = addParameter(param("norm_k_gamma", new Shape(dim), Initializer.ONES, attnGrad));
        normKBeta = addParameter(param("norm_k_beta", new Shape(dim), Initializer.ZEROS, attnGrad));
        wq = addParameter(param("w_q", new Shape(dim, dim), identity(), attnGrad));
        wk = addParameter(param("w_k", new Shape(dim, dim), identity(), attnGrad));
        mlp = addChildBlock(
                "visual_fc",
                new SequentialBlock()
                        .add(Linear.builder().setUnits(4L * dim).build())
                        .add(Activation.reluBlock())
                        .add(Linear.builder().setUnits(classes).build()));
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the number of classes C */
    public int getNumClasses() {
        return classes;
    }

    /** @return the embedding dimension D */
    public int getDim() {
        return dim;
    }

    /** @return the memory length M (sentences per class, padded) */
    public int getMaxSentences() {
        return maxSentences;
    }

    /**
     * The visual branch P^I: {@code Linear(D, 4D) → ReLU → Linear(4D, C)} (official {@code visual_fc}); its first two
     * children give the hidden activation that cRT-style re-training of the last layer starts from.
     *
     * @return the MLP block
     */
    public SequentialBlock getVisualMlp() {
        return mlp;
    }

    /** @return whether the attention (LN_q, LN_k, W_q, W_k) is frozen */
    public boolean isAttentionFrozen() {
        return freezeAttention;
    }

    /**
     * The attention's parameters (LN_q, LN_k, W_q, W_k): the official optimiser gives them {@code text_lr = 1e-6}
     * while the MLP gets the main learning rate; a trainer can use this list for a separate group.
     *
     * @return the attention parameters
     */
    public List<Parameter> attentionParameters() {
        return List.of(normQGamma, normQBeta, normKGamma, normKBeta, wq, wk);
    }

    private static Parameter frozen(String name, Shape shape, float[] data) {
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.OTHER)
                .optShape(shape)
                .optInitializer((manager, s, dataType) -> manager.create(data, s).toType(dataType, false))
                .optRequiresGrad(false)
                .build();
    }

    private static Parameter param(String name, Shape shape, Initializer init, boolean grad) {
        // Type OTHER keeps a Trainer's default WEIGHT initialiser (Xavier) from replacing the official init.
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.OTHER)
                .optShape(shape)
                .optInitializer(init)
                .optRequiresGrad(grad)
                .build();
    }

    private static Initializer identity() {
        return (manager, shape, dataType) -> manager.eye((int) shape.get(0)).toType(dataType, false);
    }

    /** {@inheritDoc} */
    @Override
    public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
        // A Trainer installs its default initialiser on every WEIGHT parameter before this call; re-assert the
        // official trunc-normal(0.02) weights / zero biases of the MLP here so that it wins.
        mlp.setInitializer(new TimmTruncNormalInitializer(0.02f), Parameter.Type.WEIGHT);
        mlp.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
        super.initialize(manager, dataType, inputShapes);
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        mlp.initialize(manager, dataType, inputShapes);
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray f = inputs.singletonOrThrow();
        if (f.getShape().dimension() != 2 || f.getShape().get(1) != dim) {
            throw new IllegalArgumentException(
                    "LGR head expects image features (B, " + dim + "), got " + f.getShape());
        }
        Device device = f.getDevice();
        NDArray memory = ps.getValue(textMemory, device, training);
        NDArray v = attend(f, memory, ps, device, training);
        NDArray fn = f.normalize(2, 1, NORM_EPS);
        NDArray vn = detachValueNorm
                ? v.div(v.norm(new int[] {2}, true).stopGradient())
                : v.normalize(2, 2, NORM_EPS);
        NDArray scale = textScale.of(ps.getValue(logitScale, device, training));
        NDArray pT = vn.mul(fn.expandDims(1)).sum(new int[] {2}).mul(scale);
        NDArray pI = mlp.forward(ps, new NDList(f), training, params).singletonOrThrow();
        return new NDList(pI, pT);
    }

    /** The attention read-out {@code v} (B, C, D). */
    private NDArray attend(NDArray f, NDArray memory, ParameterStore ps, Device device, boolean training) {
        NDArray attention = weights(f, memory, ps, device, training);
        // (C, B, M) x (C, M, D) -> (C, B, D) -> (B, C, D)
        return attention.transpose(1, 0, 2).batchMatMul(memory).transpose(1, 0, 2);
    }

    /**
     * Attention weights (B, C, M), for inspection and tests.
     *
     * @param ps the parameter store
     * @param f image features (B, D)
     * @return the softmax weights per class over its sentences (exactly 0 on padding)
     */
    public NDArray attentionWeights(ParameterStore ps, NDArray f) {
        Device device = f.getDevice();
        return weights(f, ps.getValue(textMemory, device, false), ps, device, false);
    }

    private NDArray weights(NDArray f, NDArray memory, ParameterStore ps, Device device, boolean training) {
        // linear(x, W) is matmul(x, Wᵀ) in libtorch (no bias): the same arithmetic as x.matMul(W.transpose()), one
        // call fewer
        NDArray q = Linear.linear(LayerNorm.layerNorm(f, new Shape(dim), ps.getValue(normQGamma, device, training),
                        ps.getValue(normQBeta, device, training), LN_EPS).singletonOrThrow(),
                ps.getValue(wq, device, training)).singletonOrThrow();
        NDArray memoryNorm = LayerNorm.layerNorm(memory, new Shape(dim), ps.getValue(normKGamma, device, training),
                ps.getValue(normKBeta, device, training), LN_EPS).singletonOrThrow();
        // an operation's result joins its first operand's manager; led by the memory (a parameter) it would join the
        // model's and live until the model closes, so it joins the batch's
        memoryNorm.attach(f.getManager());
        NDArray k = Linear.linear(memoryNorm, ps.getValue(wk, device, training)).singletonOrThrow();
        long b = f.getShape().get(0);
        NDArray scores = q.matMul(k.reshape(classes * (long) maxSentences, dim).transpose())
                .reshape(b, classes, maxSentences);
        // a graph-owned constant, not mul(Number): DJL's scalar is Java memory the graph would outlive (GraphScalars)
        return scores.mul(scoreScale.of(memory))
                .add(maskBias.of(ps.getValue(sentenceMask, device, training)))
                .softmax(2);
    }

    /** {@code 0} on real sentences, {@code −∞} on padding (computed once per mask array, see {@link FrozenDerived}). */
    private static NDArray maskBias(NDArray mask) {
        try (NDManager scope = mask.getManager().newSubManager()) {
            NDArray real = mask.gt(0f);
            real.attach(scope);
            NDArray bias = NDArrays.where(real, scope.zeros(mask.getShape()),
                    scope.full(mask.getShape(), Float.NEGATIVE_INFINITY));
            bias.attach(mask.getManager());
            return bias;
        }
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long b = inputShapes[0].get(0);
        return new Shape[] {new Shape(b, classes), new Shape(b, classes)};
    }

    /** Builder of {@link LgrHead}. */
    public static final class Builder {
        private float[] memory;
        private int classes;
        private int maxSentences;
        private int dim;
        private int[] counts;
        private double logitScale = Double.NaN;
        private boolean freezeAttention;
        private boolean detachValueNorm;

        Builder() {}

        /**
         * @param data text memory, row-major {@code (C, M, D)}; padded slots may hold anything (they are masked)
         * @param classes C
         * @param maxSentences M
         * @param dim D
         * @return this builder
         */
        public Builder setTextMemory(float[] data, int classes, int maxSentences, int dim) {
            if (classes <= 0 || maxSentences <= 0 || dim <= 0) {
                throw new IllegalArgumentException("text memory shape (C, M, D) must be positive, got ("
                        + classes + ", " + maxSentences + ", " + dim + ")");
            }
            if (data.length != (long) classes * maxSentences * dim) {
                throw new IllegalArgumentException("text memory has " + data.length + " values, expected C·M·D = "
                        + classes + "·" + maxSentences + "·" + dim);
            }
            this.memory = data.clone();
            this.classes = classes;
            this.maxSentences = maxSentences;
            this.dim = dim;
            return this;
        }

        /**
         * @param memory text memory {@code (C, M, D)} (copied)
         * @return this builder
         */
        public Builder setTextMemory(NDArray memory) {
            Shape s = memory.getShape();
            if (s.dimension() != 3) {
                throw new IllegalArgumentException("text memory must be (C, M, D), got " + s);
            }
            return setTextMemory(memory.toType(DataType.FLOAT32, false).toFloatArray(),
                    (int) s.get(0), (int) s.get(1), (int) s.get(2));
        }

        /**
         * @param counts number of real sentences per class, each in [1, M]; slots ≥ count are padding
         * @return this builder
         */
        public Builder setSentenceCounts(int... counts) {
            this.counts = counts.clone();
            return this;
        }

        /**
         * @param theta the CVLP checkpoint's (log) logit scale θ; frozen; P^T uses {@code exp(θ)}
         * @return this builder
         */
        public Builder setLogitScale(double theta) {
            this.logitScale = theta;
            return this;
        }

        /**
         * @param freeze freeze LN_q, LN_k, W_q, W_k at their init (default false: trainable as in the code, which
         *     however gives them {@code text_lr = 1e-6})
         * @return this builder
         */
        public Builder optFreezeAttention(boolean freeze) {
            this.freezeAttention = freeze;
            return this;
        }

        /**
         * @param detach divide v by its detached norm instead of normalising it (official iNat {@code _v_detach}
         *     models; default false)
         * @return this builder
         */
        public Builder optDetachValueNorm(boolean detach) {
            this.detachValueNorm = detach;
            return this;
        }

        /** @return the head */
        public LgrHead build() {
            if (memory == null) {
                throw new IllegalArgumentException("LGR head: text memory (C, M, D) is required");
            }
            if (counts == null || counts.length != classes) {
                throw new IllegalArgumentException("LGR head: sentence counts are required, one per class (C = "
                        + classes + "), got " + (counts == null ? "none" : counts.length));
            }
            for (int c = 0; c < classes; c++) {
                if (counts[c] < 1 || counts[c] > maxSentences) {
                    throw new IllegalArgumentException("LGR head: class " + c + " has " + counts[c]
                            + " sentences; every class needs between 1 and M = " + maxSentences);
                }
            }
            if (!Double.isFinite(logitScale)) {
                throw new IllegalArgumentException("LGR head: the CVLP logit scale θ is required (finite)");
            }
            return new LgrHead(this);
        }
    }
}
