package dev.vlltr.core.calibrate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlltr.core.calibrate.NearestClassMeanClassifier.Distance;
import dev.vlltr.core.calibrate.NearestClassMeanClassifier.FeatureType;
import dev.vlltr.core.eval.TopKAccuracy;
import org.junit.jupiter.api.Test;

class NearestClassMeanClassifierTest {

    // class 0: (1,0), (3,0); class 1: (0,4); training mean (4/3, 4/3)
    private static final LabeledFeatures TRAIN = new LabeledFeatures(
            new float[][] {{1, 0}, {3, 0}, {0, 4}}, new int[] {0, 0, 1}, 2, SplitRole.TRAIN);
    private static final float[][] QUERY = {{3, 4}};

    @Test
    void unnormalisedL2AndCos() {
        NearestClassMeanClassifier un = NearestClassMeanClassifier.fit(TRAIN, FeatureType.UN, Distance.L2);
        assertArrayEquals(new double[] {2, 0}, un.centroid(0), 1e-12);
        // -||(3,4)-(2,0)||² = -(1+16), -||(3,4)-(0,4)||² = -9
        assertArrayEquals(new float[] {-17, -9}, un.scores(QUERY)[0], 1e-5f);
        NearestClassMeanClassifier cos = NearestClassMeanClassifier.fit(TRAIN, FeatureType.UN, Distance.COS);
        // dot / feat_dim: (6 + 0) / 2, (0 + 16) / 2
        assertArrayEquals(new float[] {3, 8}, cos.scores(QUERY)[0], 1e-5f);
    }

    @Test
    void l2NormalisedWithoutCentring() {
        NearestClassMeanClassifier l2n = NearestClassMeanClassifier.fit(TRAIN, FeatureType.L2N, Distance.L2);
        // normalised train: (1,0),(1,0) -> c0 = (1,0); (0,1) -> c1; query (0.6, 0.8)
        assertArrayEquals(new float[] {-(0.16f + 0.64f), -(0.36f + 0.04f)}, l2n.scores(QUERY)[0], 1e-5f);
    }

    @Test
    void centredL2NormalisedDefaultIsHandComputed() {
        NearestClassMeanClassifier ncm = NearestClassMeanClassifier.fit(TRAIN);
        assertEquals(FeatureType.CL2N, ncm.featureType());
        assertEquals(Distance.L2, ncm.distance());
        assertArrayEquals(new double[] {4.0 / 3, 4.0 / 3}, ncm.mean(), 1e-12);
        // centred train rows (-1/3,-4/3), (5/3,-4/3), (-4/3, 8/3), each divided by its norm
        double[] a = {-1 / Math.sqrt(17), -4 / Math.sqrt(17)};
        double[] b = {5 / Math.sqrt(41), -4 / Math.sqrt(41)};
        double[] c0 = {(a[0] + b[0]) / 2, (a[1] + b[1]) / 2}; // mean, NOT re-normalised
        double[] c1 = {-4 / Math.sqrt(80), 8 / Math.sqrt(80)};
        assertArrayEquals(c0, ncm.centroid(0), 1e-12);
        assertArrayEquals(c1, ncm.centroid(1), 1e-12);
        assertTrue(Math.hypot(c0[0], c0[1]) < 0.99, "class-0 centroid must keep its shrunken norm");
        double[] q = {5 / Math.sqrt(89), 8 / Math.sqrt(89)}; // (3,4) - mean = (5/3, 8/3), normalised
        float[] expected = {
            (float) -(Math.pow(q[0] - c0[0], 2) + Math.pow(q[1] - c0[1], 2)),
            (float) -(Math.pow(q[0] - c1[0], 2) + Math.pow(q[1] - c1[1], 2))};
        assertArrayEquals(expected, ncm.scores(QUERY)[0], 1e-6f);
        NearestClassMeanClassifier cos = NearestClassMeanClassifier.fit(TRAIN, FeatureType.CL2N, Distance.COS);
        assertEquals((q[0] * c1[0] + q[1] * c1[1]) / 2, cos.scores(QUERY)[0][1], 1e-6);
    }

    @Test
    void separableToyDataIsClassifiedPerfectly() {
        SyntheticFeatures gen = new SyntheticFeatures(5, 8, 3.0, 0.3, 11);
        LabeledFeatures train = gen.sample(new int[] {40, 20, 10, 5, 2}, SplitRole.TRAIN, 1);
        LabeledFeatures test = gen.sample(new int[] {20, 20, 20, 20, 20}, SplitRole.TEST, 2);
        for (FeatureType ft : FeatureType.values()) {
            for (Distance dist : Distance.values()) {
                if (ft == FeatureType.UN && dist == Distance.COS) {
                    continue; // raw dot product favours long centroids; not a nearest-mean rule
                }
                NearestClassMeanClassifier ncm = NearestClassMeanClassifier.fit(train, ft, dist);
                assertEquals(1.0, TopKAccuracy.of(ncm.scores(test.features()), test.labels(), 1), 1e-12,
                        ft + "/" + dist);
            }
        }
    }

    @Test
    void classWithoutTrainingSampleIsAnError() {
        LabeledFeatures missing = new LabeledFeatures(new float[][] {{1, 0}}, new int[] {0}, 2, SplitRole.TRAIN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NearestClassMeanClassifier.fit(missing));
        assertTrue(e.getMessage().contains("class 1"), e.getMessage());
    }

    @Test
    void labeledFeaturesFromNDArray() {
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            ai.djl.ndarray.NDArray x = m.create(new float[] {1, 0, 3, 0, 0, 4}, new ai.djl.ndarray.types.Shape(3, 2));
            LabeledFeatures f = LabeledFeatures.of(x, new int[] {0, 0, 1}, 2, SplitRole.TRAIN);
            assertArrayEquals(new float[] {0, 4}, f.features()[2]);
            assertArrayEquals(new int[] {2, 1}, f.classCounts());
            assertThrows(IllegalArgumentException.class,
                    () -> LabeledFeatures.of(m.create(new float[] {1, 2}), new int[] {0, 1}, 2, SplitRole.TRAIN));
        }
    }

    @Test
    void labeledFeaturesValidatesInput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LabeledFeatures(new float[][] {{1}}, new int[] {2}, 2, SplitRole.TRAIN));
        assertTrue(e.getMessage().contains("label[0] = 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new LabeledFeatures(new float[][] {{1}, {1, 2}}, new int[] {0, 1}, 2, SplitRole.TRAIN));
        assertTrue(e.getMessage().contains("row 1"), e.getMessage());
    }
}
