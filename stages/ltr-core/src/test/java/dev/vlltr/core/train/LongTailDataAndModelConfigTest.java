package dev.vlltr.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.vlltr.core.model.CvlpModel;
import dev.vlltr.core.model.CvlpModelConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CVLP model config round-trips and rebuilds the model. */
class LongTailDataAndModelConfigTest {

    static CvlpModelConfig config() {
        return new CvlpModelConfig(CvlpModelConfig.FORMAT, 8, 1, 28, 28, 8, "minilm", "id", 6, 0, true,
                Math.log(1 / 0.07), Math.log(100), 3.0, Math.exp(3.0), List.of("a", "b"), new float[] {0.5f},
                new float[] {0.25f}, "abc");
    }

    @Test
    void configRoundTripsAndLoadsTheSavedModel() throws Exception {
        CvlpModelConfig c = config();
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        c.write(json);
        CvlpModelConfig back = CvlpModelConfig.read(new ByteArrayInputStream(json.toByteArray()), "cfg");
        assertEquals(c.classNames(), back.classNames());
        assertEquals(c.logitScaleMax(), back.logitScaleMax());
        assertArrayEquals(c.normalizationStd(), back.normalizationStd());
        assertEquals(new Shape(1, 28, 28), back.imageShape());

        Engine.getInstance().setRandomSeed(3);
        try (NDManager m = NDManager.newBaseManager()) {
            CvlpModel model = c.newModel();
            model.initialize(m, DataType.FLOAT32, new Shape(1, 1, 28, 28), new Shape(1, 6));
            ByteArrayOutputStream params = new ByteArrayOutputStream();
            model.saveParameters(new DataOutputStream(params));
            CvlpModel loaded = back.load(m, new ByteArrayInputStream(params.toByteArray()), "params");
            NDArray x = m.randomNormal(new Shape(2, 1, 28, 28));
            NDArray t = m.randomNormal(new Shape(2, 6));
            NDList a = model.forward(new ParameterStore(m, false), new NDList(x, t), false);
            NDList b = loaded.forward(new ParameterStore(m, false), new NDList(x, t), false);
            assertArrayEquals(a.get(0).toFloatArray(), b.get(0).toFloatArray(), 0f);
            assertArrayEquals(a.get(1).toFloatArray(), b.get(1).toFloatArray(), 0f);
            CvlpModelConfig wider = new CvlpModelConfig(CvlpModelConfig.FORMAT, 8, 1, 28, 28, 16, "minilm", "id", 6,
                    0, true, 1, null, 1, 1, List.of("a"), new float[] {0}, new float[] {1}, "x");
            assertThrows(IOException.class, () -> wider.load(m, new ByteArrayInputStream(params.toByteArray()), "p"));
        }
        assertThrows(IOException.class, () -> CvlpModelConfig.read(new ByteArrayInputStream(
                "{\"format\":\"other\"}".getBytes()), "cfg"));
    }
}
