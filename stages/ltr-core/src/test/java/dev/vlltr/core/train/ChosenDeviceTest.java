package dev.vlltr.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.vlltr.core.data.FloatBatch;
import dev.vlltr.core.model.CvlpModel;
import dev.vlltr.core.model.CvlpTeacher;
import dev.vlltr.core.model.LgrHead;
import dev.vlltr.core.model.LogitScale;
import dev.vlltr.core.model.OwnTextInputTeacher;
import dev.vlltr.core.model.TextProjection;
import dev.vlltr.core.model.VisionEncoder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code device=cpu} on a GPU host: every array of a training step must be on the chosen device. DJL's engine default
 * is a GPU there, so an NDManager or Model made without a device puts its arrays on the GPU next to CPU ones. On a
 * CPU-only host the engine default is the CPU too: the step test then passes whatever the code does, and the source
 * check below is what catches a fallback to the default here.
 */
class ChosenDeviceTest {

    private static final Device CPU = Device.cpu();

    private static CvlpModel tinyCvlp() {
        return new CvlpModel(VisionEncoder.builder().optDepth(8).optEmbedDim(8).build(),
                TextProjection.builder().optInputDim(6).optHiddenDim(0).optEmbedDim(8).build(),
                LogitScale.builder().build());
    }

    @Test
    void cvlpStepWithATeacherAndAnLgrStepKeepEveryArrayOnTheChosenDevice() throws IOException {
        Engine.getInstance().setRandomSeed(5);
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        try (NDManager m = NDManager.newBaseManager(CPU)) {
            CvlpModel trained = tinyCvlp();
            trained.initialize(m, DataType.FLOAT32, new Shape(1, 1, 8, 8), new Shape(1, 6));
            trained.saveParameters(new DataOutputStream(saved));
        }
        float[][] table = new float[4][6];
        Random r = new Random(1);
        for (float[] row : table) {
            for (int k = 0; k < 6; k++) {
                row[k] = (float) r.nextGaussian();
            }
        }
        List<String> texts = List.of("s0", "s1", "s2", "s3");
        CvlpModel teacherBlock = tinyCvlp();
        try (CvlpTeacher teacher = CvlpTeacher.load(teacherBlock, new Shape(1, 8, 8), new Shape(6),
                new ByteArrayInputStream(saved.toByteArray()), "memory://teacher", CPU);
                CvlpTrainer t = CvlpTrainer.builder().setModel(tinyCvlp()).setImageShape(new Shape(1, 8, 8))
                        .setTextInputs(table, false).setSentences(new ClassSentences(new int[] {0, 1, 0, 1}, 2))
                        .setSchedule(new CosineWarmupSchedule(1e-2, 1, 0, 0, 0))
                        .optTeacher(new OwnTextInputTeacher(teacher, texts, table, false), 0.5)
                        .optSentenceTexts(texts).optDevices(TrainingDevices.cpu()).build()) {
            CvlpTrainer.EpochStats st = t.trainEpoch(0, TrainersTest.batches(0, 2, 8).iterator());
            assertFalse(Double.isNaN(st.dis()), "the teacher took part in the step");
            assertAllOn(t.getModel(), "cvlp student");
            assertAllOn(teacherBlock, "cvlp teacher");
        }

        LgrHead head = TrainersTest.head(false);
        float[][] f = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}};
        // no optDevices: the builder's default must be the CPU, not the engine's default device
        try (LgrTrainer t = LgrTrainer.builder().setHead(head).setInputShape(new Shape(4))
                .setSchedule(new CosineWarmupSchedule(1e-2, 1, 0, 0, 0)).build()) {
            FloatBatch batch = LgrTrainer.featureBatch(0, f, new int[] {0, 1, 2}, new int[] {0, 1, 2});
            t.trainEpoch(0, List.of(batch).iterator());
            assertAllOn(head, "lgr head");
        }
    }

    /** Each parameter (and its gradient) is on the chosen device, as is the manager that owns it. */
    private static void assertAllOn(Block block, String what) {
        int seen = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray a = p.getValue().getArray();
            String name = what + " parameter " + p.getKey();
            assertEquals(CPU, a.getDevice(), name);
            assertEquals(CPU, a.getManager().getDevice(), name + ": its manager");
            if (a.hasGradient()) {
                assertEquals(CPU, a.getGradient().getDevice(), name + ": its gradient");
            }
            seen++;
        }
        assertTrue(seen > 0, what + " has parameters");
    }

    /**
     * ltr-core never asks for the engine's default device: no {@code NDManager.newBaseManager()} without a device, no
     * {@code Model.newInstance} without one, no {@code defaultDevice()}. (A source check because this host has no GPU
     * to tell the default from the CPU; it fails here when someone adds such a call.)
     */
    @Test
    void ltrCoreSourcesNeverFallBackToTheEngineDefaultDevice() throws IOException {
        Path main = Path.of("src/main/java");
        assertTrue(Files.isDirectory(main), "run from the ltr-core module folder: " + main.toAbsolutePath());
        Pattern noArgManager = Pattern.compile("newBaseManager\\(\\s*\\)");
        Pattern newModel = Pattern.compile("Model\\.newInstance\\(([^;]*)\\)\\s*;");
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(main)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = Files.readString(file);
                String[] lines = text.split("\n", -1);
                for (int i = 0; i < lines.length; i++) {
                    String line = lines[i];
                    if (line.strip().startsWith("*") || line.strip().startsWith("//")) {
                        continue; // comments may name the calls
                    }
                    Matcher m = newModel.matcher(line);
                    boolean modelWithoutDevice = m.find() && !m.group(1).toLowerCase().contains("device");
                    if (noArgManager.matcher(line).find() || modelWithoutDevice || line.contains("defaultDevice(")) {
                        found.add(main.relativize(file) + ":" + (i + 1) + ": " + line.strip());
                    }
                }
            }
        }
        assertEquals(List.of(), found, "calls that take the engine's default device (a GPU on a GPU host)");
    }
}
