package dev.vlltr.core.model.clip;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Base of the CLIP blocks: every parameter has its shape from the constructor (so counts need no allocation and
 * children initialise without input shapes) and is registered under its CLIP name, as are the children.
 */
abstract class ClipBlock extends AbstractBlock implements ClipNamed {

    private final List<Map.Entry<String, Parameter>> own = new ArrayList<>();
    private final List<Map.Entry<String, ClipNamed>> named = new ArrayList<>();
    private final List<Block> initOrder = new ArrayList<>();

    /** A trainable tensor named {@code clipName} (e.g. {@code in_proj_weight}). */
    protected final Parameter param(String clipName, Parameter.Type type, Initializer init, long... shape) {
        Parameter p = addParameter(Parameter.builder().setName(clipName).setType(type).optShape(new Shape(shape))
                .optInitializer(init).build());
        own.add(Map.entry(clipName, p));
        return p;
    }

    /** A non-trainable tensor (BatchNorm running statistics): PyTorch buffers, saved in the state dict. */
    protected final Parameter buffer(String clipName, Parameter.Type type, Initializer init, long... shape) {
        Parameter p = addParameter(Parameter.builder().setName(clipName).setType(type).optShape(new Shape(shape))
                .optInitializer(init).optRequiresGrad(false).build());
        own.add(Map.entry(clipName, p));
        return p;
    }

    /** A child block whose names sit under {@code clipPrefix.} (e.g. {@code attn}, {@code resblocks.0}). */
    protected final <B extends Block & ClipNamed> B child(String clipPrefix, B block) {
        addChildBlock(clipPrefix.replace('.', '_'), block);
        named.add(Map.entry(clipPrefix, block));
        initOrder.add(block);
        return block;
    }

    /** {@inheritDoc} */
    @Override
    public void collectClipParameters(String prefix, Map<String, Parameter> into) {
        for (Map.Entry<String, Parameter> e : own) {
            into.put(prefix + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, ClipNamed> e : named) {
            e.getValue().collectClipParameters(prefix + e.getKey() + ".", into);
        }
    }

    /** Children have fixed parameter shapes: the input shapes are only passed along. */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Block b : initOrder) {
            b.initialize(manager, dataType, inputShapes);
        }
    }
}
