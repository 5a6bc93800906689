package dev.vlltr.core.model.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.vlltr.core.nd.GraphScalars;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CLIP towers against PyTorch 2.7.1 on the tiny bundles of {@code tools/clip/make_tiny_clip_bundle.py}, which
 * builds the same networks from CLIP's {@code model.py} definitions: eval-mode features and logits, one training
 * step's loss and the gradient of every parameter (CLIP's symmetric contrastive loss, BN in training mode; float64 on
 * both sides — in float32 the stem BN's γ-gradient, a sum of ~3000 cancelling terms, differs by up to 2.5e-5 relative
 * from reduction order alone), the BN running statistics after that step, and the resized positional embedding at
 * another image size (open_clip's and VL-LTR's interpolation). Tolerance: 1e-5
 * relative to the largest magnitude of each tensor.
 */
class ClipTowersParityTest {

    static final double REL = 1e-5;

    @ParameterizedTest
    @ValueSource(strings = {"resnet50", "vit-b16"})
    void evalForwardEqualsPyTorch(String backbone) {
        Engine.getInstance().setRandomSeed(1);
        try (NDManager m = NDManager.newBaseManager()) {
            TinyClipBundle b = new TinyClipBundle(m, backbone);
            NDArray image = b.expected.get("input.image");
            NDArray text = b.expected.get("input.text");
            ClipVisualEncoder visual = b.loadedVisual(m, image.getShape(), DataType.FLOAT32);
            ClipTextTransformer textTower = b.loadedText(m, text.getShape(), DataType.FLOAT32);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray img = visual.forward(ps, new NDList(image), false).singletonOrThrow();
            NDArray txt = textTower.forward(ps, new NDList(text), false).singletonOrThrow();
            assertClose(b.expected.get("eval.image_features"), img, backbone + " image features");
            assertClose(b.expected.get("eval.text_features"), txt, backbone + " text features");
            NDArray theta = m.create((float) ClipStateDict.logitScale(b.state));
            assertClose(b.expected.get("eval.logits_per_image"), logits(img, txt, theta), backbone + " logits");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet50", "vit-b16"})
    void trainingStepGradientsEqualPyTorch(String backbone) {
        Engine.getInstance().setRandomSeed(2);
        try (NDManager m = NDManager.newBaseManager()) {
            TinyClipBundle b = new TinyClipBundle(m, backbone);
            // float64 on both sides (see make_tiny_clip_bundle.py): the comparison then shows definitions, not rounding
            NDArray image = b.expected.get("input.image").toType(DataType.FLOAT64, false);
            NDArray text = b.expected.get("input.text");
            ClipVisualEncoder visual = b.loadedVisual(m, image.getShape(), DataType.FLOAT64);
            ClipTextTransformer textTower = b.loadedText(m, text.getShape(), DataType.FLOAT64);
            NDArray theta = m.create(ClipStateDict.logitScale(b.state));
            theta.setRequiresGradient(true);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray img = visual.forward(ps, new NDList(image), true).singletonOrThrow();
                NDArray txt = textTower.forward(ps, new NDList(text), true).singletonOrThrow();
                loss = contrastiveLoss(logits(img, txt, theta));
                gc.backward(loss);
            }
            assertClose(b.expected.get("train.loss"), loss.reshape(1), backbone + " loss");
            int checked = 0;
            for (ClipTower tower : new ClipTower[] {visual, textTower}) {
                for (Map.Entry<String, Parameter> e : tower.clipParameters().entrySet()) {
                    Parameter p = e.getValue();
                    if (p.requiresGradient()) {
                        NDArray want = b.expected.get("grad." + e.getKey());
                        assertNotNull(want, "PyTorch gradient of " + e.getKey());
                        assertClose(want, p.getArray().getGradient(), backbone + " gradient of " + e.getKey());
                    } else {
                        assertClose(b.expected.get("train." + e.getKey()), p.getArray(),
                                backbone + " running statistic " + e.getKey() + " after the step");
                    }
                    checked++;
                }
            }
            assertClose(b.expected.get("grad.logit_scale"), theta.getGradient(), backbone + " gradient of θ");
            long pytorchTensors = b.expected.keySet().stream()
                    .filter(k -> k.startsWith("grad.") || k.startsWith("train.visual")).count();
            assertEquals(pytorchTensors, checked + 1, "every PyTorch parameter and BN statistic was compared");
        }
    }

    @Test
    void batchNormEvalModeTrainingEqualsPyTorch() {
        // VL-LTR's train_mode=False: training with BN in eval mode (running statistics used and kept)
        Engine.getInstance().setRandomSeed(8);
        try (NDManager m = NDManager.newBaseManager()) {
            TinyClipBundle b = new TinyClipBundle(m, "resnet50");
            NDArray image = b.expected.get("input.image").toType(DataType.FLOAT64, false);
            NDArray text = b.expected.get("input.text");
            ClipVisualEncoder visual = b.loadedVisual(m, image.getShape(), DataType.FLOAT64);
            visual.setBatchNormTrainMode(false);
            ClipTextTransformer textTower = b.loadedText(m, text.getShape(), DataType.FLOAT64);
            NDArray theta = m.create(ClipStateDict.logitScale(b.state));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray img = visual.forward(ps, new NDList(image), true).singletonOrThrow();
                NDArray txt = textTower.forward(ps, new NDList(text), true).singletonOrThrow();
                loss = contrastiveLoss(logits(img, txt, theta));
                gc.backward(loss);
            }
            assertClose(b.expected.get("bn_eval.loss"), loss.reshape(1), "eval-mode BN loss");
            Map<String, Parameter> params = visual.clipParameters();
            int compared = 0;
            for (String key : b.expected.keySet()) {
                if (key.startsWith("bn_eval.grad.")) {
                    String name = key.substring("bn_eval.grad.".length());
                    assertClose(b.expected.get(key), params.get(name).getArray().getGradient(),
                            "eval-mode BN gradient of " + name);
                    compared++;
                }
            }
            assertTrue(compared > 20, "compared " + compared + " gradients");
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                if (e.getKey().endsWith("running_mean") || e.getKey().endsWith("running_var")) {
                    assertClose(b.state.get(e.getKey()), e.getValue().getArray(), e.getKey() + " kept");
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet50-32", "vit-b16-48", "vit-b16-24"})
    void positionalEmbeddingResizesLikeOpenClip(String backboneAndSize) {
        String backbone = backboneAndSize.substring(0, backboneAndSize.lastIndexOf('-'));
        int size = Integer.parseInt(backboneAndSize.substring(backboneAndSize.lastIndexOf('-') + 1));
        Engine.getInstance().setRandomSeed(3);
        try (NDManager m = NDManager.newBaseManager()) {
            TinyClipBundle b = new TinyClipBundle(m, backbone);
            NDArray image = b.expected.get("resize." + size + ".input.image");
            ClipVisualEncoder visual = TinyClipBundle.loaded(m, b.visual(size), b.state, image.getShape(),
                    PositionalEmbeddingResize.BICUBIC);
            String pos = visual.positionalEmbeddingName();
            assertClose(b.expected.get("resize." + size + "." + pos), visual.clipParameters().get(pos).getArray(),
                    backbone + " positional embedding at " + size + " px");
            NDArray img = visual.forward(new ParameterStore(m, false), new NDList(image), false).singletonOrThrow();
            assertClose(b.expected.get("resize." + size + ".image_features"), img,
                    backbone + " image features at " + size + " px");

            // VL-LTR's interpolate_pos_embed (no antialias), through the loader
            ClipVisualEncoder vlltr = TinyClipBundle.loaded(m, b.visual(size), b.state, image.getShape(),
                    PositionalEmbeddingResize.BICUBIC_VL_LTR);
            assertClose(b.expected.get("resize_vlltr." + size + "." + pos), vlltr.clipParameters().get(pos).getArray(),
                    backbone + " positional embedding at " + size + " px, VL-LTR's interpolation");
            // at the checkpoint's own grid VL-LTR's interpolation is the identity
            NDArray table = b.state.get(pos);
            int grid = (int) Math.round(Math.sqrt(table.getShape().get(0) - 1));
            assertArrayEquals(table.toFloatArray(), PositionalEmbeddingResize.BICUBIC_VL_LTR.resize(
                    table.toFloatArray(), (int) table.getShape().get(1), grid), 1e-6f);
        }
    }

    static NDArray logits(NDArray img, NDArray txt, NDArray theta) {
        NDArray i = img.div(img.norm(new int[] {1}, true));
        NDArray t = txt.div(txt.norm(new int[] {1}, true));
        return i.matMul(t.transpose()).mul(theta.exp());
    }

    /** CLIP's loss: (CE(logits, arange) + CE(logitsᵀ, arange)) / 2. */
    static NDArray contrastiveLoss(NDArray logits) {
        long n = logits.getShape().get(0);
        NDArray eye = logits.getManager().eye((int) n);
        NDArray rows = GraphScalars.div(logits.logSoftmax(1).mul(eye).sum().neg(), n);
        NDArray cols = GraphScalars.div(logits.logSoftmax(0).mul(eye).sum().neg(), n);
        return GraphScalars.div(rows.add(cols), 2); // not div(Number): see GraphScalars
    }

    static void assertClose(NDArray expected, NDArray actual, String what) {
        assertNotNull(expected, what + ": no expected value");
        assertNotNull(actual, what + ": no actual value");
        assertEquals(expected.getShape(), actual.getShape(), what + ": shape");
        double[] e = expected.toType(DataType.FLOAT64, false).toDoubleArray();
        double[] a = actual.toType(DataType.FLOAT64, false).toDoubleArray();
        double scale = 0;
        for (double v : e) {
            scale = Math.max(scale, Math.abs(v));
        }
        if (scale < 1e-12) {
            // analytically zero (the key bias shifts every score of a query equally, so its gradient is 0): both sides
            // must be rounding noise around zero
            for (double v : a) {
                assertTrue(Math.abs(v) < 1e-12, what + ": PyTorch's is zero, DJL's has " + v);
            }
            return;
        }
        double worst = 0;
        int at = -1;
        for (int i = 0; i < e.length; i++) {
            double d = Math.abs(e[i] - a[i]);
            if (!(d <= worst)) {
                worst = d;
                at = i;
            }
        }
        if (Boolean.getBoolean("towers.verbose")) {
            System.out.printf("%-60s rel %.2e%n", what, worst / scale);
        }
        assertTrue(worst <= REL * scale, what + ": max |Δ| " + worst + " at " + at + " (PyTorch " + e[Math.max(at, 0)]
                + ", DJL " + a[Math.max(at, 0)] + ") > " + REL + " × " + scale);
    }

}
