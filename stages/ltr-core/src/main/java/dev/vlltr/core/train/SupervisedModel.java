package dev.vlltr.core.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import dev.vlltr.core.calibrate.BatchIndexSource;
import dev.vlltr.core.calibrate.LinearClassifier;
import dev.vlltr.core.data.Augmentation;
import dev.vlltr.core.data.BatchLoader;
import dev.vlltr.core.data.FloatBatch;
import dev.vlltr.core.data.ImageSet;
import dev.vlltr.core.data.PrefetchQueue;
import dev.vlltr.core.model.VisionEncoder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A plain image classifier: the ResNet backbone of {@link VisionEncoder} (global-average-pooled features, 64-d for
 * the CIFAR-style ResNet-20) followed by one {@code Linear(D → C)} — the "joint" network of Decoupling's stage 1,
 * trained end to end with softmax cross-entropy by {@link SupervisedTrainer}. It extracts the frozen features and
 * logits the decoupled re-balancing methods work on, re-estimates BatchNorm statistics on re-balanced batches
 * ({@code BnPolicy.REESTIMATE}), and saves/loads its parameters (DJL's parameter encoding).
 *
 * <p>Initialisation: DJL's {@link XavierInitializer} default (Gaussian, fan-in, magnitude 2 = Kaiming normal) for
 * convolutions and the classifier weight, zero biases, BatchNorm weight 1 / bias 0, drawn from the engine's generator
 * seeded by the caller.
 */
public final class SupervisedModel implements AutoCloseable {

    /** Features and logits of every image of a set, in the set's order. */
    public record Extraction(float[][] features, float[][] logits, int[] labels) {}

    private final Model model;
    private final SequentialBlock net;
    private final Block backbone;
    private final Linear classifier;
    private final int numClasses;
    private final int depth;
    private final int featureDim;
    private final Shape imageShape;

    private SupervisedModel(int numClasses, int depth, Shape imageShape, Device device) {
        if (numClasses < 2) {
            throw new IllegalArgumentException("SupervisedModel: numClasses must be >= 2, got " + numClasses);
        }
        VisionEncoder encoder = VisionEncoder.builder().optDepth(depth).optImageChannels((int) imageShape.get(0))
                .build();
        this.backbone = encoder.getBackbone();
        this.featureDim = (int) encoder.getFeatureDim();
        this.classifier = Linear.builder().setUnits(numClasses).build();
        this.net = new SequentialBlock().add(backbone).add(classifier);
        this.numClasses = numClasses;
        this.depth = depth;
        this.imageShape = imageShape;
        this.model = Model.newInstance("supervised-resnet" + depth, device);
        model.setBlock(net);
    }

    /**
     * A freshly initialised network (parameters drawn from the engine's generator: seed it first with
     * {@code Engine.getInstance().setRandomSeed(seed)}).
     *
     * @param imageShape {@code (C, H, W)} of one image, e.g. {@code (1, 28, 28)}
     */
    public static SupervisedModel create(int numClasses, int depth, Shape imageShape, Device device) {
        SupervisedModel m = new SupervisedModel(numClasses, depth, imageShape, device);
        m.net.setInitializer(new XavierInitializer(), ai.djl.nn.Parameter.Type.WEIGHT);
        m.net.initialize(m.model.getNDManager(), DataType.FLOAT32, m.inputShape(1));
        return m;
    }

    /** Restores a network saved with {@link #save}; the architecture arguments must be those it was saved with. */
    public static SupervisedModel load(InputStream in, int numClasses, int depth, Shape imageShape, Device device)
            throws IOException {
        SupervisedModel m = create(numClasses, depth, imageShape, device);
        try {
            m.net.loadParameters(m.model.getNDManager(), new DataInputStream(in));
        } catch (ai.djl.MalformedModelException | RuntimeException e) {
            m.close();
            throw new IOException("SupervisedModel: cannot load parameters for a ResNet-" + depth + " with "
                    + numClasses + " classes and images " + imageShape + ": " + e.getMessage(), e);
        }
        return m;
    }

    Shape inputShape(long batch) {
        return new Shape(batch, imageShape.get(0), imageShape.get(1), imageShape.get(2));
    }

    Model model() {
        return model;
    }

    SequentialBlock net() {
        return net;
    }

    public int numClasses() {
        return numClasses;
    }

    public int depth() {
        return depth;
    }

    /** Dimension D of the pooled backbone features. */
    public int featureDim() {
        return featureDim;
    }

    /** Saves every parameter (weights and BatchNorm running statistics) in DJL's encoding. */
    public void save(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        net.saveParameters(data);
        data.flush();
    }

    byte[] snapshot() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        save(bytes);
        return bytes.toByteArray();
    }

    void restore(byte[] snapshot) throws IOException {
        try {
            net.loadParameters(model.getNDManager(), new DataInputStream(new ByteArrayInputStream(snapshot)));
        } catch (ai.djl.MalformedModelException e) {
            throw new IOException(e);
        }
    }

    /** The final {@code Linear} layer as a {@link LinearClassifier} (W is C×D, b has C entries). */
    public LinearClassifier classifier() {
        var params = classifier.getParameters();
        return LinearClassifier.fromNDArrays(params.get("weight").getArray(), params.get("bias").getArray());
    }

    /**
     * Runs the network in inference mode (BatchNorm with its running statistics) over every image of {@code data}.
     *
     * @param augmentation applied to each image after scaling to [0, 1] (normalisation only, for evaluation)
     */
    public Extraction extract(ImageSet data, Augmentation augmentation, int batchSize) {
        int n = data.size();
        float[][] features = new float[n][];
        float[][] logits = new float[n][];
        int[] labels = new int[n];
        BatchIndexSource order = epoch -> {
            int count = (n + batchSize - 1) / batchSize;
            int[][] out = new int[count][];
            for (int b = 0; b < count; b++) {
                int len = Math.min(batchSize, n - b * batchSize);
                out[b] = new int[len];
                for (int k = 0; k < len; k++) {
                    out[b][k] = b * batchSize + k;
                }
            }
            return out;
        };
        try (BatchLoader loader = BatchLoader.readerOf(data).setBatches(order).optAugmentation(augmentation).build();
                BatchLoader.Epoch epoch = loader.epoch(0);
                NDManager scope = model.getNDManager().newSubManager()) {
            ParameterStore ps = new ParameterStore(scope, false);
            while (epoch.hasNext()) {
                FloatBatch batch = epoch.next();
                try (NDManager step = scope.newSubManager()) {
                    NDArray x = batch.imagesArray(step);
                    NDList f = backbone.forward(ps, new NDList(x), false);
                    NDList z = classifier.forward(ps, f, false);
                    float[] ff = f.singletonOrThrow().toFloatArray();
                    float[] zz = z.singletonOrThrow().toFloatArray();
                    for (int k = 0; k < batch.size(); k++) {
                        int i = batch.indices()[k];
                        features[i] = java.util.Arrays.copyOfRange(ff, k * featureDim, (k + 1) * featureDim);
                        logits[i] = java.util.Arrays.copyOfRange(zz, k * numClasses, (k + 1) * numClasses);
                        labels[i] = batch.labels()[k];
                    }
                }
            }
        }
        return new Extraction(features, logits, labels);
    }

    /**
     * Re-estimates the backbone's BatchNorm running statistics: forward passes in training mode (no gradient, no
     * parameter update) over the given batches, as the official cRT/LWS do implicitly by calling {@code model.train()}
     * on the frozen backbone while the classifier trains on class-balanced batches ({@code BnPolicy.REESTIMATE}).
     *
     * @return the number of batches seen
     */
    public int reestimateBatchNorm(ImageSet data, BatchIndexSource batches, Augmentation augmentation, int epochs,
            long seed) {
        try (BatchLoader loader = BatchLoader.readerOf(data).setBatches(batches).optAugmentation(augmentation)
                .optSeed(seed).build()) {
            return reestimateBatchNorm(loader::epoch, epochs);
        }
    }

    /**
     * As {@link #reestimateBatchNorm(ImageSet, BatchIndexSource, Augmentation, int, long)} on batches from another
     * loader (e.g. streamed from the files with the spec's training geometry), epoch number to its batches.
     */
    public int reestimateBatchNorm(java.util.function.IntFunction<? extends PrefetchQueue> epochBatches, int epochs) {
        int seen = 0;
        try (NDManager scope = model.getNDManager().newSubManager()) {
            ParameterStore ps = new ParameterStore(scope, false);
            for (int e = 0; e < epochs; e++) {
                try (PrefetchQueue epoch = epochBatches.apply(e)) {
                    while (epoch.hasNext()) {
                        FloatBatch batch = epoch.next();
                        try (NDManager step = scope.newSubManager()) {
                            backbone.forward(ps, new NDList(batch.imagesArray(step)), true);
                            seen++;
                        }
                    }
                }
            }
        }
        return seen;
    }

    @Override
    public void close() {
        model.close();
    }
}
