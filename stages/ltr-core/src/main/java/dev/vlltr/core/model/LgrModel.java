package dev.vlltr.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * VL-LTR stage 2 (official {@code LGR}): the pre-trained image tower followed by the {@link LgrHead}; images in,
 * {@code [P^I, P^T]} out.
 *
 * <p>As in {@code LGR.encode_image}, the backbone always runs in inference mode (BatchNorm uses its running
 * statistics, which are not updated). By default it is also frozen (ImageNet-LT/Places-LT configs, {@code
 * img_grad=False}): its parameters get no gradient and its output is detached; {@link #LgrModel(Block, LgrHead,
 * boolean)} with {@code trainBackbone = true} gives the iNat variants ({@code _img_grad}).
 */
public final class LgrModel extends AbstractBlock {

    private final Block backbone;
    private final LgrHead head;
    private final boolean trainBackbone;

    /**
     * Frozen backbone (the default of the official ImageNet-LT / Places-LT models).
     *
     * @param backbone images → {@code (B, D)} features in the joint space (e.g. the CVLP {@link VisionEncoder})
     * @param head the LGR head
     */
    public LgrModel(Block backbone, LgrHead head) {
        this(backbone, head, false);
    }

    /**
     * @param backbone images → {@code (B, D)} features in the joint space
     * @param head the LGR head
     * @param trainBackbone whether the backbone's weights are trained (still in inference-mode BN)
     */
    public LgrModel(Block backbone, LgrHead head, boolean trainBackbone) {
        this.backbone = addChildBlock("visual", backbone);
        this.head = addChildBlock("text_block", head);
        this.trainBackbone = trainBackbone;
        if (!trainBackbone) {
            backbone.freezeParameters(true);
        }
    }

    /** @return the image tower */
    public Block getBackbone() {
        return backbone;
    }

    /** @return the head */
    public LgrHead getHead() {
        return head;
    }

    /** @return whether the backbone is trained */
    public boolean isBackboneTrained() {
        return trainBackbone;
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray f = backbone.forward(ps, inputs, false, params).singletonOrThrow();
        if (!trainBackbone) {
            f = f.stopGradient();
        }
        return head.forward(ps, new NDList(f), training, params);
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        backbone.initialize(manager, dataType, inputShapes);
        head.initialize(manager, dataType, backbone.getOutputShapes(inputShapes));
        if (!trainBackbone) {
            backbone.freezeParameters(true);
        }
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return head.getOutputShapes(backbone.getOutputShapes(inputShapes));
    }
}
