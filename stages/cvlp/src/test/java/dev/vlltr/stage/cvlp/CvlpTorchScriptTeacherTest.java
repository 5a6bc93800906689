package dev.vlltr.stage.cvlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlltr.runtime.testing.CommandRun;
import dev.vlltr.runtime.testing.PublishedOutputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cvlp app distilling from the tiny CLIP-like TorchScript bundle (input {@code teacher-torchscript}). */
class CvlpTorchScriptTeacherTest {

    @TempDir
    Path tmp;

    CommandRun stage(String runId, Path corpus, String... extra) {
        List<String> args = new ArrayList<>(List.of("--run-id", runId, "--artifact-root",
                tmp.resolve("root").toString(), "--xcom-dir", tmp.resolve("no-xcom").toString(), "--tracking-uri",
                "none", "--input", "corpus=" + corpus));
        args.addAll(Arrays.asList(CvlpCommandTest.TINY));
        args.addAll(Arrays.asList(extra));
        return CvlpCommandTest.run(args.toArray(String[]::new));
    }

    /** A copy of a fixture bundle folder under the test's temp dir; its URI ends with '/'. */
    Path bundle(String fixture, String name) throws IOException {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        for (String f : ClipTeacherBundle.FILES) {
            Files.copy(ClipTeacherBundleTest.resource(fixture + "/" + f), dir.resolve(f));
        }
        return dir;
    }

    @Test
    void distilsFromTheBundleWithLambdaFromTheParameter() throws IOException {
        StageTestSupport.requireFashionMnist();
        Path corpus = StageTestSupport.corpusManifest(tmp.resolve("text-crawl"));
        Path b = bundle("tiny-clip", "bundle");
        CommandRun r = stage("t", corpus, "--param", "epochs=2", "--param", "epoch-length=128", "--param", "lambda=0.3",
                "--input", "teacher-torchscript=" + b.toUri());
        assertEquals(0, r.code(), r.err());
        JsonNode m = new ObjectMapper().readTree(tmp.resolve("root/t/cvlp/manifest.json").toFile());
        assertEquals(0.3, m.get("metrics").get("lambda_effective").doubleValue(), 1e-12);
        assertTrue(m.get("metrics").has("l_dis"), m.toString());
        JsonNode in = m.get("inputs").get("teacher-torchscript");
        assertEquals(b.toUri().toString(), in.get("uri").asText());
        assertEquals(64, in.get("sha256").asText().length());
        JsonNode history = new ObjectMapper().readTree(
                PublishedOutputs.file(tmp.resolve("root"), "t", "cvlp", "history").toFile());
        assertEquals(2, history.size());
        for (JsonNode epoch : history) {
            double dis = epoch.get("l_dis").doubleValue();
            assertTrue(Double.isFinite(dis) && dis > 0, "l_dis per epoch: " + history);
            // official L = (1 − λ) L_ccl + λ L_dis, averaged per step, so the epoch means obey it too
            assertEquals(0.7 * epoch.get("l_ccl").doubleValue() + 0.3 * dis, epoch.get("loss").doubleValue(), 1e-4);
        }

        // the bundle's content is in the memoisation key: a changed model.pt at the same URI reruns the stage
        String finished = m.get("finishedAt").asText();
        Files.copy(ClipTeacherBundleTest.resource("bad-forward/model.pt"), b.resolve("model.pt"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        CommandRun changed = stage("t", corpus, "--param", "epochs=2", "--param", "epoch-length=128", "--param",
                "lambda=0.3", "--input", "teacher-torchscript=" + b.toUri());
        assertEquals(2, changed.code(), "not memoised: the new model.pt is loaded (and rejected) " + changed.err());
        assertEquals(finished, new ObjectMapper().readTree(tmp.resolve("root/t/cvlp/manifest.json").toFile())
                .get("finishedAt").asText());
    }

    @Test
    void badBundlesExitTwoNamingTheFileAndField() throws IOException {
        Path corpus = StageTestSupport.corpusManifest(tmp.resolve("text-crawl"));

        CommandRun both = stage("bad", corpus, "--input", "teacher=" + corpus, "--input", "teacher-torchscript="
                + bundle("tiny-clip", "both").toUri());
        assertEquals(2, both.code());
        assertTrue(both.err().contains("mutually exclusive") && both.err().contains("'teacher-torchscript'"),
                both.err());

        Path noModel = bundle("tiny-clip", "no-model");
        Files.delete(noModel.resolve("model.pt"));
        CommandRun missing = stage("bad", corpus, "--input", "teacher-torchscript=" + noModel.toUri());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("no model.pt"), missing.err());

        Path badJson = bundle("tiny-clip", "bad-json");
        Files.writeString(badJson.resolve("teacher.json"), Files.readString(badJson.resolve("teacher.json"))
                .replace("\"contextLength\": 16", "\"contextLength\": \"sixteen\""));
        CommandRun field = stage("bad", corpus, "--input", "teacher-torchscript=" + badJson.toUri());
        assertEquals(2, field.code());
        assertTrue(field.err().contains("teacher.json") && field.err().contains("'contextLength'"), field.err());

        Path badTokenizer = bundle("tiny-clip", "bad-tokenizer");
        Files.writeString(badTokenizer.resolve("tokenizer.json"), "{\"model\": {\"type\": \"NoSuchModel\"}}");
        CommandRun tokenizer = stage("bad", corpus, "--input", "teacher-torchscript=" + badTokenizer.toUri());
        assertEquals(2, tokenizer.code());
        assertTrue(tokenizer.err().contains("bad-tokenizer/tokenizer.json"), tokenizer.err());

        CommandRun signature = stage("bad", corpus, "--input",
                "teacher-torchscript=" + bundle("bad-forward", "sig").toUri());
        assertEquals(2, signature.code());
        assertTrue(signature.err().contains("sig/model.pt") && signature.err().contains("forward(image, text)"),
                signature.err());

        CommandRun file = stage("bad", corpus, "--input", "teacher-torchscript="
                + bundle("tiny-clip", "file").resolve("teacher.json").toUri());
        assertEquals(2, file.code());
        assertTrue(file.err().contains("ending with '/'"), file.err());
        assertFalse(Files.exists(tmp.resolve("root/bad/cvlp/manifest.json")));
    }
}
