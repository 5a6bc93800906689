package dev.vlltr.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The CVLP dual encoder (VL-LTR stage 1): an {@link ImageTower} for images, a {@link TextTower} for sentences
 * ({@link TextProjection} over frozen sentence embeddings, or {@link ScratchTextEncoder} over token ids) and a
 * learnable {@link LogitScale}.
 *
 * <p>Input {@code [images (B, C, H, W), text (B, …)]} (sentence embeddings {@code (B, S)} or token ids {@code (B, L)}); output {@code [imageEmbedding (B, E),
 * textEmbedding (B, E), scale (1)]} — exactly the predictions {@link dev.vlltr.core.loss.CvlpLoss} expects
 * (embeddings unnormalised; the loss normalises them as the official forward does).
 */
public final class CvlpModel extends AbstractBlock {

    private final ImageTower vision;
    private final TextTower text;
    private final LogitScale logitScale;

    /**
     * @param vision the image tower
     * @param text the text tower (its embedding dimension must match the image tower's)
     * @param logitScale the temperature
     */
    public CvlpModel(ImageTower vision, TextTower text, LogitScale logitScale) {
        if (vision.getEmbedDim() != text.getEmbedDim()) {
            throw new IllegalArgumentException("CVLP: image embedding " + vision.getEmbedDim()
                    + " and text embedding " + text.getEmbedDim() + " dimensions differ");
        }
        this.vision = addChildBlock("vision", vision);
        this.text = addChildBlock("text", text);
        this.logitScale = addChildBlock("logit_scale", logitScale);
    }

    /** @return the image tower */
    public ImageTower getVision() {
        return vision;
    }

    /** @return the text tower */
    public TextTower getText() {
        return text;
    }

    /** @return the temperature block */
    public LogitScale getLogitScale() {
        return logitScale;
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        if (inputs.size() != 2) {
            throw new IllegalArgumentException(
                    "CVLP expects [images, text input], got " + inputs.size() + " arrays");
        }
        NDArray img = vision.forward(ps, new NDList(inputs.get(0)), training, params).singletonOrThrow();
        NDArray txt = text.forward(ps, new NDList(inputs.get(1)), training, params).singletonOrThrow();
        // the images name the manager the scale's arrays join (the batch's, not the model's)
        NDArray scale = logitScale.forward(ps, new NDList(inputs.get(0)), training, params).singletonOrThrow();
        return new NDList(img, txt, scale);
    }

    /**
     * Image embeddings alone (e.g. for evaluation or as LGR's backbone).
     *
     * @param ps the parameter store
     * @param images {@code (B, C, H, W)}
     * @param training whether in training mode
     * @return {@code (B, E)}
     */
    public NDArray encodeImages(ParameterStore ps, NDArray images, boolean training) {
        return vision.forward(ps, new NDList(images), training).singletonOrThrow();
    }

    /**
     * Text embeddings alone (e.g. LGR's text memory, AnSS scoring).
     *
     * @param ps the parameter store
     * @param sentenceEmbeddings {@code (N, S)} frozen sentence embeddings (or {@code (N, L)} token ids)
     * @param training whether in training mode
     * @return {@code (N, E)}, unnormalised (as the official {@code txt_embed.npy})
     */
    public NDArray encodeText(ParameterStore ps, NDArray sentenceEmbeddings, boolean training) {
        return text.forward(ps, new NDList(sentenceEmbeddings), training).singletonOrThrow();
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        if (inputShapes.length != 2) {
            throw new IllegalArgumentException(
                    "CVLP initialises from two input shapes [images, text input], got " + inputShapes.length);
        }
        vision.initialize(manager, dataType, inputShapes[0]);
        text.initialize(manager, dataType, inputShapes[1]);
        logitScale.initialize(manager, dataType);
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long b = inputShapes[0].get(0);
        return new Shape[] {new Shape(b, vision.getEmbedDim()), new Shape(inputShapes[1].get(0), text.getEmbedDim()),
            new Shape(1)};
    }
}
