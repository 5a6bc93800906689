package dev.vlltr.core.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;
import dev.vlltr.core.nd.ScalarConstants;

/**
 * The LGR training loss {@code CE(P^I) + CE(P^T)} (equal weights, official {@code engine.py} two-branch {@code loss0 +
 * loss1}).
 *
 * <p>Predictions: {@code [P^I (B, C), P^T (B, C)]} (logits of the visual MLP branch and of the language branch).
 * Labels: either class ids {@code (B)} or a soft target matrix {@code (B, C)} (e.g. mixup/cutmix targets).
 *
 * <ul>
 *   <li>Soft targets are used as given ({@code SoftTargetCrossEntropy}, the official path: mixup 0.8 / cutmix 1.0
 *       are on and their targets already carry the label smoothing 0.1).
 *   <li>Class ids get plain cross-entropy by default ({@code ε =} {@value #DEFAULT_SMOOTHING}): the official LGR
 *       configs set {@code loss_type="CE"}, i.e. {@code torch.nn.CrossEntropyLoss()} on both branches when mixup is
 *       off. A smoothing {@code ε > 0} is a named deviation: timm's {@code LabelSmoothingCrossEntropy(ε)}, per row
 *       {@code (1-ε)(−log p_y) + ε(−mean log p)}.
 * </ul>
 */
public final class TwoBranchCrossEntropyLoss extends Loss {

    /** Official LGR {@code loss_type="CE"}: no smoothing of class-id targets. */
    public static final double DEFAULT_SMOOTHING = 0;

    private final double smoothing;

    /** Creates the official loss: plain cross-entropy on class-id labels, soft targets as given. */
    public TwoBranchCrossEntropyLoss() {
        this(DEFAULT_SMOOTHING);
    }

    /**
     * @param smoothing label smoothing ε ∈ [0, 1) applied to class-id labels (soft targets are used as given)
     */
    public TwoBranchCrossEntropyLoss(double smoothing) {
        super("TwoBranchCrossEntropyLoss");
        SoftCrossEntropy.checkSmoothing(smoothing);
        this.smoothing = smoothing;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDList both = branchLosses(labels.singletonOrThrow(), predictions);
        return both.get(0).add(both.get(1));
    }

    /**
     * @param labels class ids {@code (B)} or soft targets {@code (B, C)}
     * @param predictions {@code [P^I, P^T]}
     * @return {@code [CE(P^I), CE(P^T)]}
     */
    public NDList branchLosses(NDArray labels, NDList predictions) {
        return branchLosses(labels, predictions, null);
    }

    /**
     * As {@link #branchLosses(NDArray, NDList)}, with the smoothing weights from {@code constants} (a training loop's,
     * made once; same values, bit-identical results) unless it is null.
     */
    public NDList branchLosses(NDArray labels, NDList predictions, ScalarConstants constants) {
        if (predictions.size() != 2) {
            throw new IllegalArgumentException(
                    "two-branch loss expects predictions [P^I, P^T], got " + predictions.size() + " arrays");
        }
        NDArray pI = predictions.get(0);
        NDArray pT = predictions.get(1);
        if (pI.getShape().dimension() != 2 || !pI.getShape().equals(pT.getShape())) {
            throw new IllegalArgumentException(
                    "P^I and P^T must both be (B, C) logits, got " + pI.getShape() + " and " + pT.getShape());
        }
        long classes = pI.getShape().get(1);
        NDArray targets;
        double eps;
        if (labels.getShape().dimension() == 1) {
            if (labels.size() != pI.getShape().get(0)) {
                throw new IllegalArgumentException(
                        "labels have " + labels.size() + " entries but the batch has " + pI.getShape().get(0));
            }
            targets = labels.toType(DataType.INT64, false).oneHot((int) classes, DataType.FLOAT32);
            eps = smoothing;
        } else if (labels.getShape().equals(pI.getShape())) {
            targets = labels.toType(DataType.FLOAT32, false);
            eps = 0;
        } else {
            throw new IllegalArgumentException(
                    "labels must be class ids (B) or soft targets (B, C) = " + pI.getShape() + ", got "
                            + labels.getShape());
        }
        return new NDList(SoftCrossEntropy.mean(pI, targets, eps, constants),
                SoftCrossEntropy.mean(pT, targets, eps, constants));
    }
}
