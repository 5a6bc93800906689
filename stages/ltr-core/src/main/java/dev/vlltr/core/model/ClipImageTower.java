package dev.vlltr.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.vlltr.core.model.clip.ClipVisualEncoder;

/**
 * CLIP's image tower ({@link ClipVisualEncoder}: ModifiedResNet or ViT) on the stage's images: a batch normalised
 * with the stage's per-channel mean/std is taken back to [0, 1] pixels, resized bilinearly to the tower's side
 * ({@code F.interpolate(mode='bilinear', align_corners=False)}, no antialias, as two interpolation-matrix products),
 * grey replicated to RGB, and normalised with CLIP's mean/std. The transform has no parameters; the tower's are under
 * the child {@code visual}.
 */
public final class ClipImageTower extends AbstractBlock implements ImageTower {

    private final ClipVisualEncoder visual;
    private final float[] inputMean;
    private final float[] inputStd;
    private final float[] clipMean;
    private final float[] clipStd;

    /**
     * @param visual the CLIP tower (its image size is the side images are resized to)
     * @param inputMean per-channel mean the stage normalised its images with
     * @param inputStd per-channel std of the same
     * @param clipMean CLIP's per-channel (RGB) mean of [0, 1] pixels
     * @param clipStd CLIP's per-channel std
     */
    public ClipImageTower(ClipVisualEncoder visual, float[] inputMean, float[] inputStd, float[] clipMean,
            float[] clipStd) {
        if (clipMean.length != 3 || clipStd.length != 3 || inputMean.length != inputStd.length
                || inputMean.length != 1 && inputMean.length != 3) {
            throw new IllegalArgumentException("CLIP image tower: expected 1 or 3 input channels and 3 CLIP channels,"
                    + " got mean/std of " + inputMean.length + "/" + inputStd.length + " and " + clipMean.length + "/"
                    + clipStd.length);
        }
        this.visual = addChildBlock("visual", visual);
        this.inputMean = inputMean.clone();
        this.inputStd = inputStd.clone();
        this.clipMean = clipMean.clone();
        this.clipStd = clipStd.clone();
    }

    /** @return the CLIP tower (for loading a state dict) */
    public ClipVisualEncoder getVisual() {
        return visual;
    }

    @Override
    public int getEmbedDim() {
        return visual.getEmbedDim();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return visual.forward(ps, new NDList(toClipInput(inputs.singletonOrThrow())), training, params);
    }

    /** The stage's normalised batch {@code (B, C, h, w)} → CLIP's input {@code (B, 3, S, S)}. */
    NDArray toClipInput(NDArray images) {
        NDManager m = images.getManager();
        Shape s = images.getShape();
        int c = (int) s.get(1);
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        int size = visual.getImageSize();
        NDArray x = images.mul(perChannel(m, inputStd, c)).add(perChannel(m, inputMean, c));
        if (h != size || w != size) {
            NDArray rows = m.create(bilinear(h, size)).toDevice(images.getDevice(), false);
            NDArray colsT = m.create(bilinear(w, size)).transpose().toDevice(images.getDevice(), false);
            x = rows.matMul(x).matMul(colsT);
        }
        if (c == 1) {
            x = x.broadcast(new Shape(s.get(0), 3, size, size));
        }
        return x.sub(perChannel(m, clipMean, 3)).div(perChannel(m, clipStd, 3));
    }

    private static NDArray perChannel(NDManager m, float[] v, int channels) {
        float[] full = v;
        if (v.length == 1 && channels > 1) {
            full = new float[channels];
            java.util.Arrays.fill(full, v[0]);
        }
        return m.create(full, new Shape(1, channels, 1, 1));
    }

    /**
     * {@code (out, in)} weights of PyTorch's linear interpolation with align_corners=False.
     *
     * @param in source length
     * @param out target length
     * @return the interpolation matrix
     */
    public static float[][] bilinear(int in, int out) {
        float[][] r = new float[out][in];
        double scale = (double) in / out;
        for (int i = 0; i < out; i++) {
            double src = Math.max(scale * (i + 0.5) - 0.5, 0);
            int i0 = (int) src;
            int i1 = i0 < in - 1 ? i0 + 1 : i0;
            double l1 = src - i0;
            r[i][i0] += (float) (1 - l1);
            r[i][i1] += (float) l1;
        }
        return r;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        visual.initialize(manager, dataType, new Shape(s.get(0), 3, visual.getImageSize(), visual.getImageSize()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), getEmbedDim())};
    }
}
