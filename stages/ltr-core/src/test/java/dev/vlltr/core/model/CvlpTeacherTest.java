package dev.vlltr.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class CvlpTeacherTest {

    private static CvlpModel architecture(int embed) {
        return new CvlpModel(VisionEncoder.builder().optDepth(8).optEmbedDim(embed).build(),
                TextProjection.builder().optInputDim(6).optHiddenDim(8).optEmbedDim(embed).build(),
                LogitScale.builder().optInitialValue(Math.log(50)).build());
    }

    @Test
    void savedModelReloadsAsAFrozenTeacherWithItsOwnScale() throws Exception {
        Engine.getInstance().setRandomSeed(12);
        int b = 3;
        try (NDManager m = NDManager.newBaseManager()) {
            CvlpModel trained = architecture(8);
            trained.initialize(m, DataType.FLOAT32, new Shape(1, 1, 10, 10), new Shape(1, 6));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            trained.saveParameters(new DataOutputStream(bytes));

            NDArray images = m.randomNormal(new Shape(b, 1, 10, 10));
            NDArray sents = m.randomNormal(new Shape(b, 6));
            NDList out = trained.forward(new ParameterStore(m, false), new NDList(images, sents), false);
            float[] img = out.get(0).toFloatArray();
            float[] txt = out.get(1).toFloatArray();
            CvlpModel architecture = architecture(8);
            try (CvlpTeacher teacher = CvlpTeacher.load(architecture, new Shape(1, 10, 10), new Shape(6),
                    new ByteArrayInputStream(bytes.toByteArray()), "memory://test", Device.cpu())) {
                // on a GPU host the engine's default device is a GPU: the chosen device must win
                architecture.getParameters().forEach(p -> assertEquals(Device.cpu(), p.getValue().getArray()
                        .getDevice(), p.getKey()));
                assertTrue(teacher.describe().contains("memory://test"));
                NDArray logits = teacher.logitsPerImage(m, images, List.of("a", "b", "c"), sents);
                assertEquals(new Shape(b, b), logits.getShape());
                assertFalse(logits.hasGradient());
                float[] got = logits.toFloatArray();
                for (int i = 0; i < b; i++) {
                    for (int j = 0; j < b; j++) {
                        double dot = 0;
                        double ni = 0;
                        double nj = 0;
                        for (int k = 0; k < 8; k++) {
                            dot += img[i * 8 + k] * txt[j * 8 + k];
                            ni += img[i * 8 + k] * img[i * 8 + k];
                            nj += txt[j * 8 + k] * txt[j * 8 + k];
                        }
                        assertEquals(50 * dot / Math.sqrt(ni * nj), got[i * b + j], 1e-3);
                    }
                }
            }
        }
    }

    @Test
    void mismatchedArchitectureIsABadInput() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            CvlpModel trained = architecture(8);
            trained.initialize(m, DataType.FLOAT32, new Shape(1, 1, 10, 10), new Shape(1, 6));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            trained.saveParameters(new DataOutputStream(bytes));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CvlpTeacher.load(architecture(4), new Shape(1, 10, 10), new Shape(6),
                            new ByteArrayInputStream(bytes.toByteArray()), "s3://bucket/teacher.params",
                            Device.cpu()));
            assertTrue(e.getMessage().contains("s3://bucket/teacher.params"), e.getMessage());
        }
    }
}
