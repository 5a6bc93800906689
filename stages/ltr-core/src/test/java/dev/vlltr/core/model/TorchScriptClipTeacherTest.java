package dev.vlltr.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Loads {@code tiny_clip.pt}, a CLIP-signature TorchScript archive written by {@code make_tiny_clip.py} (same
 * folder, needs no PyTorch): image (B,1,4,4) → 16-d → W_img (3×16, {@code sin(1+i)}); text ids → mean of a 6×3
 * embedding table ({@code cos(1+i)}); logits = e^4 · cos(img, txt).
 */
class TorchScriptClipTeacherTest {

    private static final Map<String, Long> WORDS = Map.of("sandal", 2L, "sneaker", 3L, "bag", 4L, "a", 1L);

    private static long[][] tokenize(List<String> sentences) {
        long[][] out = new long[sentences.size()][3];
        for (int i = 0; i < out.length; i++) {
            String[] w = sentences.get(i).split(" ");
            for (int j = 0; j < 3; j++) {
                out[i][j] = j < w.length ? WORDS.getOrDefault(w[j], 5L) : 0L;
            }
        }
        return out;
    }

    @Test
    void clipSignatureModuleGivesLogitsPerImage() throws Exception {
        List<String> sentences = List.of("a sandal", "a sneaker bag", "bag");
        try (InputStream in = getClass().getResourceAsStream("tiny_clip.pt");
                TorchScriptClipTeacher teacher = TorchScriptClipTeacher.load(in, "classpath:tiny_clip.pt",
                        TorchScriptClipTeacherTest::tokenize, x -> x, Device.cpu());
                NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Random rnd = new Random(3);
            float[] img = new float[3 * 16];
            for (int i = 0; i < img.length; i++) {
                img[i] = (float) rnd.nextGaussian();
            }
            NDArray logits = teacher.logitsPerImage(m, m.create(img, new Shape(3, 1, 4, 4)), sentences, null);
            assertEquals(new Shape(3, 3), logits.getShape());
            assertEquals(Device.cpu(), logits.getDevice(), "the module ran on the device it was loaded on");
            // plain-Java recomputation from the generator's closed-form weights (float32 as stored)
            float[] wImg = new float[3 * 16];
            for (int i = 0; i < wImg.length; i++) {
                wImg[i] = (float) Math.sin(1 + i);
            }
            float[] tok = new float[6 * 3];
            for (int i = 0; i < tok.length; i++) {
                tok[i] = (float) Math.cos(1 + i);
            }
            long[][] ids = tokenize(sentences);
            double[][] u = new double[3][3];
            double[][] v = new double[3][3];
            for (int b = 0; b < 3; b++) {
                for (int e = 0; e < 3; e++) {
                    for (int k = 0; k < 16; k++) {
                        u[b][e] += wImg[e * 16 + k] * img[b * 16 + k];
                    }
                    for (int j = 0; j < 3; j++) {
                        v[b][e] += tok[(int) ids[b][j] * 3 + e] / 3.0;
                    }
                }
            }
            float[] got = logits.toFloatArray();
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    double cos = dot(u[i], v[j]) / Math.sqrt(dot(u[i], u[i]) * dot(v[j], v[j]));
                    assertEquals(Math.exp(4) * cos, got[i * 3 + j], 1e-3, "logit " + i + "," + j);
                }
            }
            assertTrue(teacher.describe().contains("classpath:tiny_clip.pt"));
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void garbageIsRejectedWithTheSourceInTheMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TorchScriptClipTeacher.load(new ByteArrayInputStream(new byte[] {1, 2, 3}), "s3://b/clip.pt",
                        s -> new long[0][], x -> x, Device.cpu()));
        assertTrue(e.getMessage().contains("s3://b/clip.pt"), e.getMessage());
    }
}
