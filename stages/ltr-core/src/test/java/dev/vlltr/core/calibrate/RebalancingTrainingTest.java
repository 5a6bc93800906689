package dev.vlltr.core.calibrate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlltr.core.eval.PerClassAccuracy;
import dev.vlltr.core.eval.TopKAccuracy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Training behaviour of the joint baseline, cRT and LWS on synthetic features with fixed seeds: exact first steps
 * against plain Java, convergence on separable data, and the Decoupling effect (re-balancing lifts the tail) on a
 * long-tailed, overlapping problem.
 */
class RebalancingTrainingTest {

    private static final int C = 5;
    /** Long-tailed, overlapping classes (counts 200 … 6, unit noise around means at radius 2 in 8-D). */
    private static LabeledFeatures ltTrain;
    private static LabeledFeatures ltTest;
    private static ClassifierRetrainer.Result joint;

    @BeforeAll
    static void trainJointBaseline() {
        SyntheticFeatures gen = new SyntheticFeatures(C, 8, 2.0, 1.0, 7);
        ltTrain = gen.sample(new int[] {200, 100, 40, 15, 6}, SplitRole.TRAIN, 1);
        ltTest = gen.sample(new int[] {100, 100, 100, 100, 100}, SplitRole.TEST, 2);
        joint = ClassifierRetrainer.builder()
                .setBatchSource(TestBatches.instanceBalanced(ltTrain.size(), 60, 1))
                .optSchedule(SgdSchedule.joint().withEpochs(20).withLearningRate(0.15)).build().train(ltTrain);
    }

    private static BatchIndexSource classAware(LabeledFeatures train, long seed) {
        return TestBatches.classAware(train.labels(), train.numClasses(), 4, 20, seed);
    }

    /** Fewer, larger class-aware batches where only the mechanics are under test (keeps the suite fast). */
    private static BatchIndexSource classAwareLarge(LabeledFeatures train, long seed) {
        return TestBatches.classAware(train.labels(), train.numClasses(), 4, 60, seed);
    }

    private static PerClassAccuracy perClass(Classifier clf) {
        return PerClassAccuracy.of(clf.scores(ltTest.features()), ltTest.labels(), C);
    }

    private static double fewAccuracy(PerClassAccuracy pc) {
        return (pc.accuracy(3) + pc.accuracy(4)) / 2;
    }

    @Test
    void firstCrtStepEqualsPlainJavaSgdFromPytorchDefaultInit() {
        LabeledFeatures train = ltTrain;
        int[] all = new int[train.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        double lr = 0.3;
        double wd = 5e-4;
        SgdSchedule oneStep = SgdSchedule.crt().withEpochs(1).withCosine(false).withLearningRate(lr);
        ClassifierRetrainer.Result r = ClassifierRetrainer.builder().setBatchSource(e -> new int[][] {all})
                .optSchedule(oneStep).optSeed(42).build().train(train);
        LinearClassifier init = ClassifierRetrainer.pytorchDefaultInit(C, 8, 42);
        float[][] w0 = init.weights();
        float[] b0 = init.bias();
        for (float[] row : w0) {
            for (float v : row) {
                assertTrue(Math.abs(v) <= 1 / Math.sqrt(8), "init must be within ±1/sqrt(D)");
            }
        }
        double[][][] g = ReferenceMath.linearGradients(w0, b0, train.features(), train.labels());
        float[][] w1 = r.classifier().weights();
        float[] b1 = r.classifier().bias();
        for (int c = 0; c < C; c++) {
            assertEquals(b0[c] - lr * (g[1][0][c] + wd * b0[c]), b1[c], 1e-5, "bias " + c);
            for (int j = 0; j < 8; j++) {
                assertEquals(w0[c][j] - lr * (g[0][c][j] + wd * w0[c][j]), w1[c][j], 1e-5, "weight " + c + "," + j);
            }
        }
        assertArrayEquals(new double[] {lr}, r.history().learningRates());
        assertEquals(ReferenceMath.loss(ReferenceMath.logits(w0, b0, null, train.features()), train.labels()),
                r.history().meanLosses()[0], 1e-5);
        assertEquals(BnPolicy.REESTIMATE, r.history().bnPolicy());
    }

    @Test
    void firstLwsStepEqualsPlainJavaSgdFromUnitScales() {
        LinearClassifier base = joint.classifier();
        int[] batch = {0, 5, 250, 330, 350, 355, 360};
        double lr = 0.2;
        LearnableWeightScaling.Result r = LearnableWeightScaling.builder().setClassifier(base)
                .setBatchSource(e -> new int[][] {batch})
                .optSchedule(SgdSchedule.lws().withEpochs(1).withCosine(false)).build().train(ltTrain);
        float[][] x = new float[batch.length][];
        int[] y = new int[batch.length];
        for (int i = 0; i < batch.length; i++) {
            x[i] = ltTrain.features()[batch[i]];
            y[i] = ltTrain.labels()[batch[i]];
        }
        float[] ones = {1, 1, 1, 1, 1};
        double[] ds = ReferenceMath.scaleGradient(base.weights(), base.bias(), ones, x, y);
        float[] s = r.classifier().scales();
        for (int c = 0; c < C; c++) {
            assertEquals(1 - lr * (ds[c] + 5e-4), s[c], 1e-5, "scale " + c);
        }
        // W and b stay frozen
        assertArrayEquals(base.weights()[2], r.classifier().base().weights()[2]);
    }

    @Test
    void lwsScalesStayAtOneWithZeroLearningRate() {
        LearnableWeightScaling.Result r = LearnableWeightScaling.builder().setClassifier(joint.classifier())
                .setBatchSource(classAwareLarge(ltTrain, 3)).optSchedule(SgdSchedule.lws().withLearningRate(0))
                .build().train(ltTrain);
        assertArrayEquals(new float[] {1, 1, 1, 1, 1}, r.classifier().scales());
        float[][] x = {ltTest.features()[0]};
        assertArrayEquals(joint.classifier().scores(x)[0], r.classifier().scores(x)[0]);
    }

    @Test
    void jointAndCrtConvergeOnSeparableFeatures() {
        SyntheticFeatures gen = new SyntheticFeatures(C, 8, 3.0, 0.3, 13);
        LabeledFeatures train = gen.sample(new int[] {60, 40, 20, 10, 6}, SplitRole.TRAIN, 1);
        LabeledFeatures test = gen.sample(new int[] {30, 30, 30, 30, 30}, SplitRole.TEST, 2);
        ClassifierRetrainer.Result j = ClassifierRetrainer.builder()
                .setBatchSource(TestBatches.instanceBalanced(train.size(), 34, 5))
                .optSchedule(SgdSchedule.joint().withEpochs(15).withLearningRate(0.2)).build().train(train);
        ClassifierRetrainer.Result crt = ClassifierRetrainer.builder().setBatchSource(classAware(train, 5))
                .optSchedule(SgdSchedule.crt().withLearningRate(0.1)).build().train(train);
        for (ClassifierRetrainer.Result r : new ClassifierRetrainer.Result[] {j, crt}) {
            double acc = TopKAccuracy.of(r.classifier().scores(test.features()), test.labels(), 1);
            assertTrue(acc >= 0.97, "test accuracy " + acc);
            double[] loss = r.history().meanLosses();
            assertTrue(loss[loss.length - 1] < loss[0] / 3,
                    "loss must fall: " + loss[0] + " -> " + loss[loss.length - 1]);
        }
    }

    @Test
    void rebalancingLiftsTheTailOverTheJointBaseline() {
        PerClassAccuracy base = perClass(joint.classifier());
        BatchIndexSource balanced = TestBatches.classAware(ltTrain.labels(), C, 4, 40, 1);
        ClassifierRetrainer.Result crt = ClassifierRetrainer.builder().setBatchSource(balanced)
                .optSchedule(SgdSchedule.crt().withLearningRate(0.1)).build().train(ltTrain);
        LearnableWeightScaling.Result lws = LearnableWeightScaling.builder().setClassifier(joint.classifier())
                .setBatchSource(balanced).optSchedule(SgdSchedule.lws().withLearningRate(0.1))
                .build().train(ltTrain);
        Classifier[] methods = {crt.classifier(), lws.classifier(), NearestClassMeanClassifier.fit(ltTrain),
            TauNormalizedClassifier.of(joint.classifier(), 1)};
        String[] names = {"cRT", "LWS", "NCM", "tau=1"};
        assertTrue(fewAccuracy(base) < 0.4, "joint baseline should neglect the tail: " + fewAccuracy(base));
        for (int k = 0; k < methods.length; k++) {
            PerClassAccuracy pc = perClass(methods[k]);
            assertTrue(pc.meanOverPresentClasses() > base.meanOverPresentClasses() + 0.03,
                    names[k] + " mean class acc " + pc.meanOverPresentClasses() + " vs joint "
                            + base.meanOverPresentClasses());
            assertTrue(fewAccuracy(pc) > fewAccuracy(base) + 0.15,
                    names[k] + " few acc " + fewAccuracy(pc) + " vs joint " + fewAccuracy(base));
        }
        float[] s = lws.classifier().scales();
        assertTrue(Math.min(s[3], s[4]) > Math.max(s[0], s[1]), "tail scales must exceed head scales");
    }

    @Test
    void trainingIsReproducibleFromTheSeed() {
        ClassifierRetrainer trainer = ClassifierRetrainer.builder().setBatchSource(classAwareLarge(ltTrain, 9))
                .optSchedule(SgdSchedule.crt().withEpochs(2)).optSeed(4).build();
        ClassifierRetrainer.Result first = trainer.train(ltTrain);
        LinearClassifier a = first.classifier();
        // official order: scheduler stepped before each epoch, so 2 epochs use lr0·(1+cos(π/2))/2 and then 0
        assertArrayEquals(new double[] {0.1, 0.0}, first.history().learningRates(), 1e-15);
        LinearClassifier b = trainer.train(ltTrain).classifier();
        assertArrayEquals(a.weights()[4], b.weights()[4]);
        assertArrayEquals(a.bias(), b.bias());
        LinearClassifier other = ClassifierRetrainer.builder().setBatchSource(classAwareLarge(ltTrain, 9))
                .optSchedule(SgdSchedule.crt().withEpochs(2)).optSeed(5).build().train(ltTrain).classifier();
        assertTrue(other.bias()[0] != a.bias()[0], "a different seed must give a different initialisation");
    }

    @Test
    void validationSelectsTheBestEpoch() {
        SyntheticFeatures gen = new SyntheticFeatures(C, 8, 2.0, 1.0, 7);
        LabeledFeatures val = gen.sample(new int[] {20, 20, 20, 20, 20}, SplitRole.VALIDATION, 3);
        ClassifierRetrainer.Result r = ClassifierRetrainer.builder().setBatchSource(classAwareLarge(ltTrain, 2))
                .optSchedule(SgdSchedule.crt().withEpochs(4).withLearningRate(0.05)).optValidation(val)
                .optBnPolicy(BnPolicy.FROZEN).build().train(ltTrain);
        double[] v = r.history().validationTop1();
        int best = 0;
        for (int e = 1; e < v.length; e++) {
            if (v[e] > v[best]) {
                best = e;
            }
        }
        assertEquals(best, r.history().selectedEpoch());
        assertEquals(v[best], TopKAccuracy.of(r.classifier().scores(val.features()), val.labels(), 1), 1e-12);
        assertEquals(BnPolicy.FROZEN, r.history().bnPolicy());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClassifierRetrainer.builder()
                .setBatchSource(classAwareLarge(ltTrain, 2)).optValidation(ltTest).build().train(ltTrain));
        assertTrue(e.getMessage().contains("VALIDATION"), e.getMessage());
    }

    @Test
    void lwsAlsoKeepsTheBestValidationEpoch() {
        SyntheticFeatures gen = new SyntheticFeatures(C, 8, 2.0, 1.0, 7);
        LabeledFeatures val = gen.sample(new int[] {20, 20, 20, 20, 20}, SplitRole.VALIDATION, 4);
        LearnableWeightScaling.Result r = LearnableWeightScaling.builder().setClassifier(joint.classifier())
                .setBatchSource(classAwareLarge(ltTrain, 6)).optSchedule(SgdSchedule.lws().withEpochs(3))
                .optValidation(val).build().train(ltTrain);
        double[] v = r.history().validationTop1();
        assertEquals(3, v.length);
        int best = v[1] > v[0] ? (v[2] > v[1] ? 2 : 1) : (v[2] > v[0] ? 2 : 0);
        assertEquals(best, r.history().selectedEpoch());
        assertEquals(v[best], TopKAccuracy.of(r.classifier().scores(val.features()), val.labels(), 1), 1e-12);
    }

    @Test
    void testClassAwareSourceReallyBalancesClasses() {
        // guards the tail-lift test: the helper must draw classes uniformly, 4 consecutive items per class
        int[][] epoch = TestBatches.classAware(ltTrain.labels(), C, 4, 40, 1).epoch(0);
        assertEquals(ltTrain.size() / 40, epoch.length);
        int[] perClass = new int[C];
        for (int[] batch : epoch) {
            for (int k = 0; k < batch.length; k += 4) {
                int c = ltTrain.labels()[batch[k]];
                for (int q = 1; q < 4; q++) {
                    assertEquals(c, ltTrain.labels()[batch[k + q]]);
                }
                perClass[c] += 4;
            }
        }
        for (int c = 0; c < C; c++) {
            assertTrue(Math.abs(perClass[c] - 360.0 / C) <= 4, "class " + c + " drawn " + perClass[c] + " times");
        }
    }

    @Test
    void badInputsAreRejectedWithClearMessages() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClassifierRetrainer.builder()
                .setBatchSource(classAware(ltTrain, 1)).build().train(ltTest));
        assertTrue(e.getMessage().contains("TRAIN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ClassifierRetrainer.builder()
                .setBatchSource(ep -> new int[][] {{0, 100000}}).build().train(ltTrain));
        assertTrue(e.getMessage().contains("100000"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LearnableWeightScaling.builder()
                .setBatchSource(classAware(ltTrain, 1)).build());
        assertTrue(BnPolicy.REESTIMATE.requiresFeatureReextraction());
        assertTrue(!BnPolicy.FROZEN.requiresFeatureReextraction());
    }
}
