package dev.vlltr.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlltr.core.data.FeatureTable;
import dev.vlltr.core.model.CvlpModel;
import dev.vlltr.core.model.CvlpModelConfig;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Files written by an earlier version (committed under {@code fixtures/v1/}, made by {@link OldFormatFixtures}) still
 * load: a FeatureTable, a model-config.json with its encoders, and a CVLP trainer checkpoint state from which training
 * continues to the parameters the old code reached.
 */
class OldFormatsLoadTest {

    static final String DIR = "/fixtures/v1/";
    static final ObjectMapper JSON = new ObjectMapper();

    static byte[] bytes(String name) throws IOException {
        try (InputStream in = OldFormatsLoadTest.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IOException("missing fixture " + DIR + name);
            }
            return in.readAllBytes();
        }
    }

    static InputStream open(String name) {
        return OldFormatsLoadTest.class.getResourceAsStream(DIR + name);
    }

    @Test
    void aFeatureTableOfFormatOneReadsBackItsArrays() throws IOException {
        FeatureTable t;
        try (InputStream in = open("features-val.vlft")) {
            t = FeatureTable.readFrom(in, "features-val.vlft");
        }
        assertEquals("val", t.split());
        assertEquals(OldFormatFixtures.CLASSES, t.classNames());
        assertArrayEquals(new int[] {0, 1, 1}, t.labels());
        assertArrayEquals(new float[] {-1, 0.5f, 0}, t.array(FeatureTable.FEATURES)[1]);
        assertArrayEquals(new float[] {-3, 3}, t.array("logits_image")[2]);
    }

    @Test
    void aModelConfigAndItsEncodersLoadAndComputeWhatTheyComputedWhenSaved() throws IOException {
        CvlpModelConfig config;
        try (InputStream in = open("model-config.json")) {
            config = CvlpModelConfig.read(in, "model-config.json");
        }
        assertEquals(CvlpModelConfig.TEXT_MINILM, config.textEncoder());
        assertEquals(CvlpModelConfig.BACKBONE_RESNET20, config.backbone(), "written before CLIP towers existed");
        assertEquals(null, config.clip());
        assertEquals(8, config.visionDepth());
        assertEquals(OldFormatFixtures.CLASSES, config.classNames());
        float[] expected = JSON.readValue(bytes("cvlp-text-probe.json"), float[].class);
        try (NDManager m = NDManager.newBaseManager(); InputStream params = open("cvlp-encoders.params")) {
            CvlpModel model = config.load(m, params, "cvlp-encoders.params");
            float[][] probe = ImageEmbedder.mapRows(model.getText(), m,
                    new float[][] {OldFormatFixtures.PROBE_TEXT}, DataType.FLOAT32, 1);
            assertArrayEquals(expected, probe[0], 1e-6f);
        }
    }

    @Test
    void aCvlpCheckpointStateResumesToTheParametersTheOldCodeReached() throws IOException {
        Map<String, Integer> steps = JSON.readValue(bytes("cvlp-epoch1-optimizer-steps.json"),
                new TypeReference<Map<String, Integer>>() {});
        EpochTrainer.State old = EpochTrainer.State.of(bytes("cvlp-epoch1-parameters.ndlist"),
                bytes("cvlp-epoch1-optimizer.ndlist"), steps);
        byte[] resumed;
        byte[] straight;
        try (CvlpTrainer t = TrainersTest.cvlp(true)) {
            t.importState(old);
            for (int e = 1; e < 3; e++) {
                t.trainEpoch(e, TrainersTest.batches(e, 2, 8).iterator());
            }
            resumed = ParameterSnapshot.export(t.getModel());
        }
        try (CvlpTrainer t = TrainersTest.cvlp(true)) {
            for (int e = 0; e < 3; e++) {
                t.trainEpoch(e, TrainersTest.batches(e, 2, 8).iterator());
            }
            straight = ParameterSnapshot.export(t.getModel());
        }
        // The old state was written on another machine, whose kernels may round differently from this one's (an
        // AMD EPYC with AVX-512 differs in the last bit from the machine that wrote the fixtures), so the resumed run
        // equals today's uninterrupted run and the old code's own uninterrupted run to float rounding; bit-exact
        // resume on one machine is EpochTrainerResumeTest's job.
        try (NDManager m = NDManager.newBaseManager()) {
            List<float[]> now = arrays(m, resumed);
            List<float[]> today = arrays(m, straight);
            List<float[]> before = arrays(m, bytes("cvlp-epoch3-parameters.ndlist"));
            assertEquals(before.size(), now.size());
            assertEquals(today.size(), now.size());
            for (int i = 0; i < before.size(); i++) {
                assertArrayEquals(today.get(i), now.get(i), 1e-5f, "parameter " + i + " against today's run");
                assertArrayEquals(before.get(i), now.get(i), 1e-5f, "parameter " + i + " against the old run");
            }
        }
    }

    private static List<float[]> arrays(NDManager m, byte[] encoded) throws IOException {
        return ai.djl.ndarray.NDList.decode(m, encoded).stream()
                .map(a -> a.toType(DataType.FLOAT32, false).toFloatArray()).toList();
    }
}
